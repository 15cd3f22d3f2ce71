<?php
/**
 * `$wpdb` with every result checked. A statement that fails throws a Database_Error that says
 * whether retrying the transaction can help (deadlock, lock wait timeout, a lost connection) or
 * whether a unique key was hit; wpdb's own error output is kept quiet meanwhile, since the caller
 * decides what a failure means.
 *
 * Inside a transaction, wpdb must not repair a broken connection by itself: it would reconnect
 * and run the failed statement again on the new connection — outside the transaction, committed
 * at once — and the statements after it too, leaving half a record (a log without its ledger
 * entry). And when it cannot reconnect it ends the request with wp_die(), throwing away an
 * answer the provider already produced. So between begin() and commit()/rollback() wpdb gets no
 * reconnect attempts and any wp_die() becomes a Database_Error; the caller rolls back, calls
 * reconnect(), and redoes the whole transaction.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Database {

	/** The wp_die() handler filters, one per kind of request WordPress may be answering. */
	private const DIE_HANDLERS = array( 'wp_die_handler', 'wp_die_ajax_handler', 'wp_die_json_handler', 'wp_die_jsonp_handler', 'wp_die_xmlrpc_handler', 'wp_die_xml_handler' );

	/** wpdb's reconnect attempts while no transaction is open; null outside a transaction. */
	private ?int $retries = null;

	/**
	 * @throws Database_Error
	 */
	public function begin(): void {
		$this->guard();
		$this->run( 'START TRANSACTION' );
	}

	/**
	 * From here until commit() or rollback(): a lost connection is a Database_Error the caller
	 * handles, never wp_die(), and wpdb does not reconnect by itself (begin() starts it too; the
	 * recorder starts it earlier for the reads it makes just before the transaction).
	 */
	public function guard(): void {
		$this->start_guard();
	}

	/**
	 * @throws Database_Error
	 */
	public function commit(): void {
		try {
			$this->run( 'COMMIT' );
		} finally {
			$this->end_guard();
		}
	}

	/** Ends a transaction without keeping anything; never throws (it runs while handling errors). */
	public function rollback(): void {
		try {
			$this->run( 'ROLLBACK' );
		} catch ( Database_Error $e ) {
			// The connection is gone or the server already rolled back: nothing is kept either way.
			unset( $e );
		} finally {
			$this->end_guard();
		}
	}

	/**
	 * After a lost connection: lets wpdb connect again, with its usual attempts (one a second).
	 *
	 * @return bool Whether the database answers again.
	 */
	public function reconnect(): bool {
		global $wpdb;
		$this->end_guard();
		return (bool) $wpdb->check_connection( false );
	}

	/**
	 * Replaces wp_die() while a transaction is open: wpdb calls it when the connection is gone
	 * (dead_db()), and the request must go on to deliver its answer.
	 *
	 * @return callable
	 */
	public static function die_handler(): callable {
		return static function (): void {
			throw Database_Error::connection_lost();
		};
	}

	/**
	 * Runs WordPress code that writes (e.g. update_option()) when the database may be gone,
	 * without letting a lost connection end the request.
	 *
	 * @return bool False when the database could not be reached.
	 */
	public function attempt( callable $write ): bool {
		$this->start_guard();
		try {
			$write();
			return true;
		} catch ( Database_Error $e ) {
			return false;
		} finally {
			$this->end_guard();
		}
	}

	private function start_guard(): void {
		global $wpdb;
		if ( null !== $this->retries ) {
			return;
		}
		$this->retries           = (int) $wpdb->reconnect_retries;
		$wpdb->reconnect_retries = 0;
		foreach ( self::DIE_HANDLERS as $filter ) {
			add_filter( $filter, array( self::class, 'die_handler' ), PHP_INT_MAX );
		}
	}

	private function end_guard(): void {
		global $wpdb;
		if ( null === $this->retries ) {
			return;
		}
		$wpdb->reconnect_retries = $this->retries;
		$this->retries           = null;
		foreach ( self::DIE_HANDLERS as $filter ) {
			remove_filter( $filter, array( self::class, 'die_handler' ), PHP_INT_MAX );
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
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$result = $this->quietly( static fn () => $wpdb->query( $sql ) );
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
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$row = $this->quietly( static fn () => $wpdb->get_row( $sql, ARRAY_A ) );
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
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		$rows = $this->quietly( static fn () => $wpdb->get_results( $sql, ARRAY_A ) );
		if ( '' !== $wpdb->last_error ) {
			throw Database_Error::from_wpdb( $wpdb );
		}
		return is_array( $rows ) ? array_values( $rows ) : array();
	}

	/**
	 * Runs one wpdb call with its error output off (restored however the call ends).
	 *
	 * @return mixed What the call returned.
	 */
	private function quietly( callable $statement ) {
		global $wpdb;
		$quiet = $wpdb->suppress_errors( true );
		try {
			return $statement();
		} finally {
			$wpdb->suppress_errors( $quiet );
		}
	}
}
