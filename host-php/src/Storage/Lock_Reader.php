<?php
/**
 * Reads what the engine's decision depends on, under a lock held until the transaction ends:
 * straight from SQL with `FOR UPDATE`, never from WordPress's caches (a cached balance is how a
 * concurrent request's debit gets lost). What takes no row lock (pricing rules, prices, spend)
 * can be read just before the transaction opens (read_unlocked()).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Lock_Reader {

	/** Reads that take no row lock: made before the transaction opens (see read_unlocked()). */
	private const UNLOCKED = array( 'pricing_rules', 'price', 'spend' );

	private Database $db;

	/**
	 * The user meta rows read under lock in this transaction, by "user_id|key": the first row
	 * (`umeta_id`, `meta_value`), or null when the user has none.
	 *
	 * @var array<string, array{umeta_id: string, meta_value: string}|null>
	 */
	private array $user_meta_rows = array();

	public function __construct( Database $db ) {
		$this->db = $db;
	}

	/**
	 * Hands the user meta row this reader read under lock to the write of the same transaction,
	 * and forgets it (that write changes it): the lock still holds, so it is what a new read would
	 * give. `found` false: not read here.
	 *
	 * @return array{found: bool, row: array{umeta_id: string, meta_value: string}|null}
	 */
	public function take_user_meta( int $user_id, string $key ): array {
		$at = $user_id . '|' . $key;
		if ( ! array_key_exists( $at, $this->user_meta_rows ) ) {
			return array( 'found' => false, 'row' => null );
		}
		$row = $this->user_meta_rows[ $at ];
		unset( $this->user_meta_rows[ $at ] );
		return array( 'found' => true, 'row' => $row );
	}

	/**
	 * The reads of `$locks` that take no row lock — pricing rules, prices, spend — by position.
	 * The recorder makes them before it opens its transaction: they would read the same committed
	 * rows inside it, and the transaction then holds its row locks only for the locked reads and
	 * the writes.
	 *
	 * @param array<int, array<string, mixed>> $locks The `locks` of a record or retry step.
	 * @return array<int, array{id: string, found: bool, value: mixed}>
	 * @throws Database_Error
	 */
	public function read_unlocked( array $locks ): array {
		$read = array();
		foreach ( $locks as $i => $lock ) {
			if ( in_array( $lock['lock'] ?? '', self::UNLOCKED, true ) ) {
				$read[ $i ] = $this->read_one( $lock );
			}
		}
		return $read;
	}

	/**
	 * @param array<int, array<string, mixed>>                         $locks The `locks` of a record or retry step.
	 * @param array<int, array{id: string, found: bool, value: mixed}> $read  What read_unlocked() already read, by position.
	 * @return list<array{id: string, found: bool, value: mixed}>
	 * @throws Database_Error
	 */
	public function read( array $locks, array $read = array() ): array {
		$locked = array();
		foreach ( $locks as $i => $lock ) {
			$locked[] = $read[ $i ] ?? $this->read_one( $lock );
		}
		return $locked;
	}

	/**
	 * @param array<string, mixed> $lock
	 * @return array{id: string, found: bool, value: mixed}
	 * @throws Database_Error
	 */
	private function read_one( array $lock ): array {
		switch ( $lock['lock'] ?? '' ) {
			case 'user_meta':
				return array( 'id' => (string) $lock['id'] ) + $this->user_meta( (int) $lock['user_id'], (string) $lock['key'] );
			case 'option':
				return array( 'id' => (string) $lock['id'] ) + $this->option( (string) $lock['name'] );
			case 'pricing_rules':
				return array( 'id' => (string) $lock['id'] ) + $this->pricing_rules( $lock );
			case 'price':
				return array( 'id' => (string) $lock['id'] ) + Price_List::lookup( (array) ( $lock['keys'] ?? array() ) );
			case 'spend':
				return array( 'id' => (string) $lock['id'] ) + $this->spend( $lock );
			default:
				throw new \UnexpectedValueException( sprintf( 'The engine asked for an unknown lock "%s".', (string) ( $lock['lock'] ?? '' ) ) );
		}
	}

	/**
	 * Locks the user's row — every recording for that user waits here, also when the meta does
	 * not exist yet — and reads the meta value, in one statement: the user's row is a constant
	 * table (its primary key), so MariaDB and MySQL read and lock it before the meta rows, as two
	 * statements would, and the recording makes one round trip less under its locks. The first
	 * row (lowest `umeta_id`, the one WordPress reads) is picked here: an ORDER BY on the joined
	 * rows would cost a temporary table, slower than the second statement it saves.
	 *
	 * @return array{found: bool, value: string|null}
	 */
	private function user_meta( int $user_id, string $key ): array {
		global $wpdb;
		if ( ! in_array( $key, Write_Executor::USER_META, true ) ) {
			throw new \UnexpectedValueException( 'The engine asked to lock an unknown user meta.' );
		}
		$rows = $this->db->rows(
			$wpdb->prepare(
				"SELECT u.ID, m.umeta_id, m.meta_value FROM {$wpdb->users} u LEFT JOIN {$wpdb->usermeta} m ON m.user_id = u.ID AND m.meta_key = %s WHERE u.ID = %d FOR UPDATE",
				$key,
				$user_id
			)
		);
		if ( array() === $rows ) {
			return array( 'found' => false, 'value' => null );
		}
		$meta = null;
		foreach ( $rows as $row ) {
			if ( null !== $row['umeta_id'] && ( null === $meta || (int) $row['umeta_id'] < (int) $meta['umeta_id'] ) ) {
				$meta = array(
					'umeta_id'   => (string) $row['umeta_id'],
					'meta_value' => (string) $row['meta_value'],
				);
			}
		}
		$this->user_meta_rows[ $user_id . '|' . $key ] = $meta;
		return array( 'found' => true, 'value' => null === $meta ? null : $meta['meta_value'] );
	}

	/**
	 * The pricing rules with the call's module, provider, model and operation, read in the
	 * transaction without locking them (the engine picks the rule). No table: nothing found.
	 *
	 * @param array<string, mixed> $lock
	 * @return array{found: bool, value: list<array<string, string|null>>}
	 */
	private function pricing_rules( array $lock ): array {
		global $wpdb;
		$table = $wpdb->prefix . 'aipkit_pricing_rules';
		try {
			$rows = $this->db->rows(
				$wpdb->prepare(
					"SELECT id, scope_type, scope_id, module, provider, model, operation, billing_method, input_rate, output_rate, unit_rate, enabled, updated_at FROM {$table} WHERE module = %s AND provider = %s AND model = %s AND operation = %s", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
					(string) $lock['module'],
					(string) $lock['provider'],
					(string) $lock['model'],
					(string) $lock['operation']
				)
			);
		} catch ( Database_Error $e ) {
			if ( $e->is_missing_table() ) {
				return array( 'found' => false, 'value' => array() );
			}
			throw $e;
		}
		return array( 'found' => true, 'value' => $rows );
	}

	/**
	 * What the WP AI Client's usage rows since a time add up to, of one caller or all: billed
	 * credits, or dollars (summed as DECIMAL: exact). Null when there are none.
	 *
	 * @param array<string, mixed> $lock
	 * @return array{found: bool, value: string|null}
	 */
	private function spend( array $lock ): array {
		global $wpdb;
		$ledger = $wpdb->prefix . 'aipkit_token_ledger';
		$sum    = 'usd' === ( $lock['unit'] ?? '' )
			? "SUM(CAST(JSON_VALUE(meta, '$.usd_cost') AS DECIMAL(30,12)))"
			: "SUM(CAST(JSON_VALUE(meta, '$.billed_credits') AS UNSIGNED))";
		$sql    = $wpdb->prepare( "SELECT {$sum} AS spent FROM {$ledger} WHERE module = %s AND entry_type = %s AND created_at >= %s", 'wp_ai_client', 'usage', (string) $lock['since'] ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- fixed expressions; the table name is ours.
		if ( is_string( $lock['caller'] ?? null ) && '' !== $lock['caller'] ) {
			$sql .= $wpdb->prepare( " AND JSON_VALUE(meta, '$.caller.basename') = %s", $lock['caller'] );
		}
		$row = $this->db->row( $sql );
		return array( 'found' => true, 'value' => null === $row || null === $row['spent'] ? null : (string) $row['spent'] );
	}

	/**
	 * Locks and reads an option's row; its value as JSON data.
	 *
	 * @return array{found: bool, value: mixed}
	 */
	private function option( string $name ): array {
		global $wpdb;
		$row = $this->db->row( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s FOR UPDATE", $name ) );
		if ( null === $row ) {
			return array( 'found' => false, 'value' => null );
		}
		return array( 'found' => true, 'value' => maybe_unserialize( (string) $row['option_value'] ) );
	}
}
