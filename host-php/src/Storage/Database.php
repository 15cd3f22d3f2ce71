<?php
/**
 * `$wpdb` with every result checked. A statement that fails throws a Database_Error that says
 * whether retrying the transaction can help (deadlock, lock wait timeout) or whether a unique
 * key was hit; wpdb's own error output is kept quiet meanwhile, since the caller decides what a
 * failure means.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Database {

	public function begin(): void {
		$this->run( 'START TRANSACTION' );
	}

	public function commit(): void {
		$this->run( 'COMMIT' );
	}

	/** Ends a transaction without keeping anything; never throws (it runs while handling errors). */
	public function rollback(): void {
		try {
			$this->run( 'ROLLBACK' );
		} catch ( Database_Error $e ) {
			// The connection is gone or the server already rolled back: nothing is kept either way.
			unset( $e );
		}
	}

	/**
	 * Runs a statement (prepared by the caller).
	 *
	 * @return int Rows affected (or selected).
	 * @throws Database_Error
	 */
	public function run( string $sql ): int {
		global $wpdb;
		$quiet  = $wpdb->suppress_errors( true );
		$result = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$wpdb->suppress_errors( $quiet );
		if ( false === $result ) {
			throw Database_Error::from_wpdb( $wpdb );
		}
		return (int) $result;
	}

	/**
	 * The first row of a query (prepared by the caller), or null when there is none.
	 *
	 * @return array<string, string|null>|null
	 * @throws Database_Error
	 */
	public function row( string $sql ): ?array {
		global $wpdb;
		$quiet = $wpdb->suppress_errors( true );
		$row   = $wpdb->get_row( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$wpdb->suppress_errors( $quiet );
		if ( '' !== $wpdb->last_error ) {
			throw Database_Error::from_wpdb( $wpdb );
		}
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Every row of a query (prepared by the caller).
	 *
	 * @return list<array<string, string|null>>
	 * @throws Database_Error
	 */
	public function rows( string $sql ): array {
		global $wpdb;
		$quiet = $wpdb->suppress_errors( true );
		$rows  = $wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$wpdb->suppress_errors( $quiet );
		if ( '' !== $wpdb->last_error ) {
			throw Database_Error::from_wpdb( $wpdb );
		}
		return is_array( $rows ) ? array_values( $rows ) : array();
	}
}
