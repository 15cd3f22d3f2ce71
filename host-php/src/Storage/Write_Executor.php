<?php
/**
 * Applies the engine's writes inside the transaction the Recorder opened, in order, each result
 * checked, and says what became of each one (an ack). The engine decides every value and what a
 * collision means; this class only stores them, on tables and keys it knows.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

defined( 'ABSPATH' ) || exit;

final class Write_Executor {

	/** Tables the engine may write, without the site prefix. */
	public const TABLES = array( 'aipkit_token_ledger', 'aipkit_chat_logs' );

	/** User meta the engine may lock and set. */
	public const USER_META = array( '_aipkit_token_balance' );

	public const APPLIED   = 'applied';
	public const DUPLICATE = 'duplicate';
	public const CONFLICT  = 'conflict';

	private Database $db;

	/** @var array<string, array{0: string, 1: int|string}> Cache entries the writes made stale: group and key. */
	private array $stale = array();

	/** @var list<string> Options written, for Site_Snapshot. */
	private array $options = array();

	/** What was read under lock in this transaction, when the writes follow a Lock_Reader's reads. */
	private ?Lock_Reader $locked;

	public function __construct( Database $db, ?Lock_Reader $locked = null ) {
		$this->db     = $db;
		$this->locked = $locked;
	}

	/**
	 * The INSERT statements of a write step, written before its transaction opens (the texts
	 * sanitised, the values prepared), for apply() to send.
	 *
	 * @param array<int, array<string, mixed>> $writes The `writes` of a write step.
	 * @return array<int, string> By the write's position; only its inserts.
	 */
	public function statements( array $writes ): array {
		$statements = array();
		foreach ( $writes as $i => $write ) {
			if ( 'insert' === ( $write['write'] ?? '' ) ) {
				$statements[ $i ] = self::insert_statement( $write );
			}
		}
		return $statements;
	}

	/**
	 * Applies writes in order and stops at the first one that is not applied.
	 *
	 * @param array<int, array<string, mixed>> $writes     The `writes` of a write step.
	 * @param array<int, string>               $statements Their inserts' statements, when statements() wrote them already.
	 * @return list<string> One ack per write attempted.
	 * @throws Database_Error Any failure other than an expected collision.
	 */
	public function apply( array $writes, array $statements = array() ): array {
		$acks = array();
		foreach ( $writes as $i => $write ) {
			switch ( $write['write'] ?? '' ) {
				case 'insert':
					$ack = $this->insert( $statements[ $i ] ?? self::insert_statement( $write ) );
					break;
				case 'user_meta':
					$ack = $this->user_meta( $write );
					break;
				case 'option':
					$ack = $this->option( $write );
					break;
				default:
					throw new \UnexpectedValueException( sprintf( 'The engine asked for an unknown write "%s".', (string) ( $write['write'] ?? '' ) ) );
			}
			$acks[] = $ack;
			if ( self::APPLIED !== $ack ) {
				break;
			}
		}
		return $acks;
	}

	/**
	 * After COMMIT: drops what WordPress cached of the rows written behind its back, and lets
	 * the site snapshot know about changed options.
	 */
	public function clear_caches(): void {
		foreach ( $this->stale as list( $group, $key ) ) {
			wp_cache_delete( $key, $group );
		}
		foreach ( $this->options as $name ) {
			Site_Snapshot::forget( $name );
		}
		$this->stale   = array();
		$this->options = array();
	}

	/** Sends an INSERT: `duplicate` when a unique key (the ledger's idempotency key) already holds its row. */
	private function insert( string $statement ): string {
		try {
			$this->db->run( $statement );
		} catch ( Database_Error $e ) {
			if ( $e->is_duplicate() ) {
				return self::DUPLICATE;
			}
			throw $e;
		}
		return self::APPLIED;
	}

	/** The INSERT of an `insert` write, on a table and columns this class knows, its texts sanitised. */
	private static function insert_statement( array $write ): string {
		global $wpdb;
		$table = (string) ( $write['table'] ?? '' );
		if ( ! in_array( $table, self::TABLES, true ) ) {
			throw new \UnexpectedValueException( sprintf( 'The engine asked to write to an unknown table "%s".', $table ) );
		}
		$row = is_array( $write['row'] ?? null ) ? $write['row'] : array();
		foreach ( (array) ( $write['html'] ?? array() ) as $pointer ) {
			$row = self::sanitize_html_at( $row, (string) $pointer );
		}
		$columns      = array();
		$placeholders = array();
		$values       = array();
		foreach ( $row as $column => $value ) {
			if ( ! preg_match( '/^[a-z_]{1,64}$/', (string) $column ) ) {
				throw new \UnexpectedValueException( 'The engine asked to write an invalid column name.' );
			}
			$columns[] = '`' . $column . '`';
			if ( null === $value ) {
				$placeholders[] = 'NULL';
				continue;
			}
			if ( is_array( $value ) ) {
				$value = self::json( $value );
			}
			if ( is_int( $value ) ) {
				$placeholders[] = '%d';
			} else {
				$placeholders[] = '%s';
				$value          = is_bool( $value ) ? ( $value ? '1' : '0' ) : (string) $value;
			}
			$values[] = $value;
		}
		$sql = 'INSERT INTO `' . $wpdb->prefix . $table . '` (' . implode( ', ', $columns ) . ') VALUES (' . implode( ', ', $placeholders ) . ')';
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table and columns are allow-listed above; values are placeholders.
		return array() === $values ? $sql : (string) $wpdb->prepare( $sql, $values );
	}

	/**
	 * Compare-and-set on a user meta value (the user's row is locked already). The row read
	 * under lock earlier in this transaction is not read again; the UPDATE itself compares, so
	 * the write is atomic even where the lock does not hold (a MyISAM table, a reader that did
	 * not lock): a value that is not the one the engine decided on is a conflict.
	 */
	private function user_meta( array $write ): string {
		global $wpdb;
		$key     = (string) ( $write['key'] ?? '' );
		$user_id = (int) ( $write['user_id'] ?? 0 );
		if ( ! in_array( $key, self::USER_META, true ) || $user_id <= 0 ) {
			throw new \UnexpectedValueException( 'The engine asked to write an unknown user meta.' );
		}
		$locked  = null === $this->locked ? array( 'found' => false ) : $this->locked->take_user_meta( $user_id, $key );
		$current = $locked['found'] ? $locked['row'] : $this->db->row(
			$wpdb->prepare( "SELECT umeta_id, meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = %s ORDER BY umeta_id ASC LIMIT 1 FOR UPDATE", $user_id, $key )
		);
		$expect = $write['expect'] ?? null;
		if ( ( null === $expect ) !== ( null === $current ) || ( null !== $current && (string) $expect !== (string) $current['meta_value'] ) ) {
			return self::CONFLICT;
		}
		$value = (string) ( $write['value'] ?? '' );
		if ( null === $current ) {
			$this->db->run( $wpdb->prepare( "INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) VALUES (%d, %s, %s)", $user_id, $key, $value ) );
		} elseif ( $value !== (string) $expect
			&& 1 !== $this->db->run( $wpdb->prepare( "UPDATE {$wpdb->usermeta} SET meta_value = %s WHERE umeta_id = %d AND meta_value = %s", $value, (int) $current['umeta_id'], (string) $expect ) ) ) {
			return self::CONFLICT;
		}
		$this->stale[ 'user_meta:' . $user_id ] = array( 'user_meta', $user_id );
		return self::APPLIED;
	}

	/** Compare-and-set on an option (values compared as JSON data, key order aside). */
	private function option( array $write ): string {
		global $wpdb;
		$name = (string) ( $write['name'] ?? '' );
		if ( ! preg_match( '/^aipkit_[a-z0-9_]{1,150}$|^wpai_connector_approval_pending$/', $name ) ) {
			throw new \UnexpectedValueException( sprintf( 'The engine asked to write an option it may not write ("%s").', $name ) );
		}
		$row    = $this->db->row( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s FOR UPDATE", $name ) );
		$expect = $write['expect'] ?? null;
		$held   = null === $row ? null : maybe_unserialize( (string) $row['option_value'] );
		if ( ( null === $expect ) !== ( null === $row ) || ( null !== $row && self::canonical_json( $held ) !== self::canonical_json( $expect ) ) ) {
			return self::CONFLICT;
		}
		$value    = maybe_serialize( $write['value'] ?? null );
		$autoload = empty( $write['autoload'] ) ? 'off' : 'on';
		if ( null === $row ) {
			$this->db->run( $wpdb->prepare( "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, %s)", $name, $value, $autoload ) );
		} else {
			$this->db->run( $wpdb->prepare( "UPDATE {$wpdb->options} SET option_value = %s, autoload = %s WHERE option_name = %s", $value, $autoload, $name ) );
		}
		$this->stale[ 'options:' . $name ] = array( 'options', $name );
		$this->stale['options:alloptions'] = array( 'options', 'alloptions' );
		$this->stale['options:notoptions'] = array( 'options', 'notoptions' );
		$this->options[]                   = $name;
		return self::APPLIED;
	}

	/**
	 * JSON with object keys sorted: the engine hands back values with sorted keys, PHP keeps
	 * insertion order.
	 *
	 * @param mixed $value
	 */
	private static function canonical_json( $value ): string {
		$sort = static function ( $v ) use ( &$sort ) {
			if ( is_object( $v ) ) {
				$v = get_object_vars( $v );
			}
			if ( ! is_array( $v ) ) {
				return $v;
			}
			if ( ! array_is_list( $v ) ) {
				ksort( $v, SORT_STRING );
			}
			return array_map( $sort, $v );
		};
		return Json::encode( $sort( $value ) );
	}

	/**
	 * Gets wp_kses_post() ready before a transaction opens, so its first calls in a request do
	 * not happen while the transaction holds its row locks. Text without markup needs only its
	 * plain path (≈0.03 ms measured); readying it for tags (allowed-tags tables, attribute and
	 * URL patterns) costs ≈0.2 ms more, spent only when the texts to log may hold markup.
	 */
	public static function warm_up( bool $markup = true ): void {
		static $plain = false, $tags = false;
		if ( $markup && ! $tags ) {
			wp_kses_post( '<p><a href="#">.</a> <b>.</b></p>' );
			$plain = $tags = true; // phpcs:ignore Squiz.PHP.DisallowMultipleAssignments.Found -- both paths are ready.
		} elseif ( ! $plain ) {
			wp_kses_post( '.' );
			$plain = true;
		}
	}

	/**
	 * Runs the text at a JSON pointer (`/messages/messages/0/content`) through wp_kses_post.
	 *
	 * @param array<string, mixed> $row
	 * @return array<string, mixed>
	 */
	private static function sanitize_html_at( array $row, string $pointer ): array {
		$path = array_map(
			static fn ( string $part ): string => str_replace( array( '~1', '~0' ), array( '/', '~' ), $part ),
			array_slice( explode( '/', $pointer ), 1 )
		);
		$node = &$row;
		foreach ( $path as $part ) {
			if ( ! is_array( $node ) || ! array_key_exists( $part, $node ) ) {
				return $row;
			}
			$node = &$node[ $part ];
		}
		if ( is_string( $node ) ) {
			$node = wp_kses_post( $node );
		}
		return $row;
	}

	/** JSON as AI Puffer stores it: unescaped slashes and Unicode. */
	private static function json( array $value ): string {
		return (string) wp_json_encode( $value, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
	}
}
