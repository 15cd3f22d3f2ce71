<?php
/**
 * Applies the engine's writes: one transaction per step, in order, with prepared statements.
 * The engine decides every value; this class only stores them.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Write_Executor {

	/** Tables the engine may write, without the site prefix. */
	private const TABLES = array( 'aipkit_token_ledger', 'aipkit_chat_logs' );

	/** User meta the engine may set. */
	private const USER_META = array( '_aipkit_token_balance' );

	/** Outcome of apply(): everything stored, or a concurrent change that needs a fresh snapshot. */
	public const APPLIED  = 'applied';
	public const CONFLICT = 'conflict';

	/**
	 * @param array<int, array<string, mixed>> $writes The `writes` of a done or fail step.
	 * @return string self::APPLIED or self::CONFLICT (rolled back; advance again on a fresh snapshot).
	 * @throws \RuntimeException When the database refuses a write (rolled back).
	 */
	public function apply( array $writes ): string {
		global $wpdb;
		if ( array() === $writes ) {
			return self::APPLIED;
		}
		$wpdb->query( 'START TRANSACTION' );
		try {
			foreach ( $writes as $write ) {
				$kind = $write['write'] ?? '';
				if ( 'insert' === $kind ) {
					$inserted = $this->insert( $write );
					if ( ! $inserted && ! empty( $write['first_time_only'] ) ) {
						break; // Already recorded by an earlier attempt: nothing after it may run twice.
					}
				} elseif ( 'user_meta' === $kind ) {
					if ( ! $this->compare_and_set_user_meta( $write ) ) {
						$wpdb->query( 'ROLLBACK' );
						return self::CONFLICT;
					}
				} else {
					throw new \RuntimeException( sprintf( 'Unknown write kind "%s".', is_string( $kind ) ? $kind : gettype( $kind ) ) );
				}
			}
		} catch ( \Throwable $e ) {
			$wpdb->query( 'ROLLBACK' );
			throw $e instanceof \RuntimeException ? $e : new \RuntimeException( $e->getMessage(), 0, $e );
		}
		$wpdb->query( 'COMMIT' );
		return self::APPLIED;
	}

	/**
	 * INSERT IGNORE: a row whose unique key exists already is skipped (returns false).
	 *
	 * @param array<string, mixed> $write
	 */
	private function insert( array $write ): bool {
		global $wpdb;
		$table = (string) ( $write['table'] ?? '' );
		if ( ! in_array( $table, self::TABLES, true ) ) {
			throw new \RuntimeException( sprintf( 'The engine asked to write to an unknown table "%s".', $table ) );
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
				throw new \RuntimeException( 'The engine asked to write an invalid column name.' );
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
		$sql = 'INSERT IGNORE INTO `' . $wpdb->prefix . $table . '` (' . implode( ', ', $columns ) . ') VALUES (' . implode( ', ', $placeholders ) . ')';
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table and columns are allow-listed above; values are placeholders.
		$result = $wpdb->query( array() === $values ? $sql : $wpdb->prepare( $sql, $values ) );
		if ( false === $result ) {
			throw new \RuntimeException( sprintf( 'Writing to %s failed: %s', $table, $wpdb->last_error ) );
		}
		return $result > 0;
	}

	/**
	 * Sets a user meta value only if it still holds what the engine's snapshot saw.
	 *
	 * @param array<string, mixed> $write
	 */
	private function compare_and_set_user_meta( array $write ): bool {
		global $wpdb;
		$key     = (string) ( $write['key'] ?? '' );
		$user_id = (int) ( $write['user_id'] ?? 0 );
		if ( ! in_array( $key, self::USER_META, true ) || $user_id <= 0 ) {
			throw new \RuntimeException( 'The engine asked to write an unknown user meta.' );
		}
		$current = $wpdb->get_var(
			$wpdb->prepare( "SELECT meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = %s ORDER BY umeta_id LIMIT 1 FOR UPDATE", $user_id, $key )
		);
		$expect = $write['expect'] ?? null;
		if ( ( null === $expect ) !== ( null === $current ) || ( null !== $expect && (string) $expect !== (string) $current ) ) {
			return false;
		}
		update_user_meta( $user_id, $key, (string) ( $write['value'] ?? '' ) );
		return true;
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
