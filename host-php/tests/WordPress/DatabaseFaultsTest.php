<?php
/**
 * Database faults while a record is written, inside a real WordPress and MariaDB. A connection
 * killed from another session is what a database restart, a failover or a network cut looks like
 * to the gateway: the record must be redone whole on a new connection (never half of it written
 * outside the transaction by wpdb's own reconnect), and when no connection can be made the answer
 * is still delivered and its record waits in a file until the database answers again — then it is
 * written once. A lock held past the lock wait timeout makes the record wait and redo, not fail.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Storage\Pending_Records;
use AIPuffer\Connectors\Storage\Recorder;
use AIPuffer\Connectors\Storage\Recording_Failed;
use AIPuffer\Connectors\Requirements;

final class DatabaseFaultsTest extends Site_Test_Case {

	/** @var list<array{0: string, 1: callable}> Filters to remove after the test. */
	private array $filters = array();

	private int $retries;

	private string $pending_dir;

	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		$this->retries     = $wpdb->reconnect_retries;
		$this->pending_dir = sys_get_temp_dir() . '/aipuffer-pending-' . wp_generate_password( 8, false );
		$dir               = $this->pending_dir;
		$this->filter( 'aipuffer_connectors_pending_dir', static fn () => $dir );
	}

	protected function tearDown(): void {
		global $wpdb;
		foreach ( $this->filters as list( $hook, $callback ) ) {
			remove_filter( $hook, $callback );
		}
		self::set_password( DB_PASSWORD );
		$wpdb->reconnect_retries = $this->retries;
		$wpdb->check_connection();
		foreach ( (array) glob( $this->pending_dir . '/{,.}*', GLOB_BRACE ) as $file ) {
			if ( is_file( $file ) ) {
				unlink( $file );
			}
		}
		if ( is_dir( $this->pending_dir ) ) {
			rmdir( $this->pending_dir );
		}
		parent::tearDown();
	}

	private function filter( string $hook, callable $callback ): void {
		$this->filters[] = array( $hook, $callback );
		add_filter( $hook, $callback );
	}

	/** wpdb's password, as a database that refuses new connections would have it. */
	private static function set_password( string $password ): void {
		( new ReflectionProperty( wpdb::class, 'dbpassword' ) )->setValue( $GLOBALS['wpdb'], $password );
	}

	/**
	 * Just before the first statement containing `$needle`, another session kills this one's
	 * connection; with `$unreachable`, no new connection can be made either until the test allows it.
	 */
	private function cut_connection_before( string $needle, bool $unreachable = false ): void {
		$done = false;
		$this->filter(
			'query',
			static function ( $sql ) use ( $needle, $unreachable, &$done ) {
				global $wpdb;
				if ( ! $done && is_string( $sql ) && false !== strpos( $sql, $needle ) ) {
					$done   = true;
					$killer = new wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
					$killer->query( 'KILL CONNECTION ' . (int) mysqli_thread_id( $wpdb->dbh ) );
					$killer->close();
					if ( $unreachable ) {
						self::set_password( 'not-the-password' );
					}
				}
				return $sql;
			}
		);
	}

	/**
	 * Records `$step` while the database cannot be reached: the recorder reports it unavailable
	 * (never ends the request), nothing is kept; then the database is let answer again.
	 *
	 * @param array<string, mixed> $step
	 */
	private function assert_record_finds_no_database( array $step ): void {
		global $wpdb;
		try {
			$this->record( $step );
			$this->fail( 'a record that reached no database was reported as written' );
		} catch ( Recording_Failed $e ) {
			$this->assertTrue( $e->is_database_unavailable(), $e->getMessage() );
		}
		self::set_password( DB_PASSWORD );
		$this->assertTrue( $wpdb->check_connection( false ), 'the database answers again' );
		$this->assertSame( 0, self::ledger_count( $step['request_id'] ) );
	}

	public function test_a_connection_lost_in_the_middle_of_a_record_redoes_it_whole_on_a_new_connection(): void {
		global $wpdb;
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$step    = $this->record_step( $user_id );
		// After the ledger entry and the debit, before the log: wpdb left alone would reconnect
		// and write the log outside the transaction — a log without its ledger entry.
		$this->cut_connection_before( 'INSERT INTO `' . $wpdb->prefix . 'aipkit_chat_logs`' );

		$this->record( $step );

		$this->assertSame( 1, self::ledger_count( $step['request_id'] ), 'the rolled-back entry was written again, once' );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ), 'debited once: 100 - 24' );
		$this->assertSame( $this->retries, $wpdb->reconnect_retries, 'wpdb reconnects as usual again after the transaction' );
		$this->assertFalse( has_filter( 'wp_die_handler', array( AIPuffer\Connectors\Storage\Database::class, 'die_handler' ) ), 'and wp_die() is its own again' );
	}

	public function test_a_database_that_cannot_be_reached_keeps_the_record_waiting_until_it_answers(): void {
		global $wpdb;
		$user_id                 = $this->user_with_balance( 'subscriber', '100' );
		$step                    = $this->record_step( $user_id );
		$wpdb->reconnect_retries = 1; // One attempt, so the test does not wait five seconds.
		$this->cut_connection_before( 'INSERT INTO `' . $wpdb->prefix . 'aipkit_token_ledger`', true );

		$this->assert_record_finds_no_database( $step );

		$this->assertTrue( Pending_Records::keep( $step['request_id'], $step['locks'], $step['state'] ) );
		$this->assertSame( 1, Pending_Records::count() );
		$this->assertSame( '0600', substr( sprintf( '%o', fileperms( $this->pending_dir . '/' . get_current_blog_id() . '-' . $step['request_id'] . '.json' ) ), -4 ), 'readable by PHP only: it holds a prompt' );
		wp_set_current_user( get_users( array( 'role' => 'administrator', 'number' => 1 ) )[0]->ID );
		ob_start();
		do_action( 'admin_notices' );
		$this->assertStringContainsString( 'The usage of 1 answered AI request is waiting to be recorded', (string) ob_get_clean() );

		$this->assertSame( 1, Pending_Records::replay( new Recorder( Requirements::engine() ) ) );
		$this->assertSame( 0, Pending_Records::count() );
		$this->assertSame( 1, self::ledger_count( $step['request_id'] ) );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ) );

		// The same record again (its first write reached the database before the connection
		// broke): the idempotency key makes it count once.
		Pending_Records::keep( $step['request_id'], $step['locks'], $step['state'] );
		Pending_Records::replay( new Recorder( Requirements::engine() ) );
		$this->assertSame( 1, self::ledger_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_a_database_gone_at_the_reads_before_the_transaction_keeps_the_record_waiting_too(): void {
		global $wpdb;
		$user_id                 = $this->user_with_balance( 'subscriber', '100' );
		$step                    = $this->record_step( $user_id );
		$wpdb->reconnect_retries = 1;
		// The pricing rules are read just before the transaction opens: wpdb left alone would
		// end the request there with its "Error establishing a database connection" page.
		$this->cut_connection_before( $wpdb->prefix . 'aipkit_pricing_rules', true );

		$this->assert_record_finds_no_database( $step );
		$this->assertSame( 1, $wpdb->reconnect_retries, 'wpdb reconnects as usual again' );
		$this->assertFalse( has_filter( 'wp_die_handler', array( AIPuffer\Connectors\Storage\Database::class, 'die_handler' ) ) );
	}

	public function test_an_answer_is_delivered_while_the_database_is_gone_and_recorded_by_the_next_request(): void {
		global $wpdb;
		$dir = var_export( $this->pending_dir, true );
		// In a process of its own: with the database gone, any other code of that request that
		// touches it could end the request, and it must not end this test run.
		$first = self::in_fresh_process(
			"global \$wpdb;
			add_filter( 'aipuffer_connectors_pending_dir', static fn () => $dir );
			\$wpdb->reconnect_retries = 1;
			\$cut = false;
			add_filter( 'query', static function ( \$sql ) use ( &\$cut ) {
				global \$wpdb;
				if ( ! \$cut && false !== strpos( (string) \$sql, 'aipkit_token_ledger' ) && 0 === strpos( ltrim( (string) \$sql ), 'INSERT' ) ) {
					\$cut    = true;
					\$killer = new wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
					\$killer->query( 'KILL CONNECTION ' . (int) mysqli_thread_id( \$wpdb->dbh ) );
					( new ReflectionProperty( wpdb::class, 'dbpassword' ) )->setValue( \$wpdb, 'not-the-password' );
				}
				return \$sql;
			} );
			\$result = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();
			return is_wp_error( \$result ) ? array( 'error' => \$result->get_error_message(), 'cut' => \$cut ) : array( 'id' => \$result->getId(), 'text' => \$result->toText(), 'cut' => \$cut );"
		);
		$this->assertTrue( $first['cut'] ?? false, 'the connection was cut while recording' );
		$this->assertArrayHasKey( 'id', $first, 'the answer reached the caller: ' . wp_json_encode( $first ) );
		$this->assertSame( 'Loopback reply to: Write a haiku', $first['text'] );
		$this->assertSame( 0, self::ledger_count( $first['id'] ) );
		$this->assertSame( 1, Pending_Records::count(), 'its record waits for the database' );

		$second = wp_ai_client_prompt( 'Write another haiku' )->generate_text_result();

		$this->assertNotWPError( $second );
		$this->assertSame( 1, self::ledger_count( $second->getId() ) );
		$this->assertSame( 1, self::ledger_count( $first['id'] ), 'the next request that recorded wrote the waiting record' );
		$this->assertSame( 1, self::log_count( $first['id'] ) );
		$this->assertSame( 0, Pending_Records::count() );
	}

	public function test_a_lock_held_past_the_lock_wait_timeout_makes_the_record_wait_and_redo(): void {
		global $wpdb;
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$step    = $this->record_step( $user_id );
		$holder  = new wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
		$holder->query( 'START TRANSACTION' );
		$this->assertSame( 1, $holder->query( $holder->prepare( "SELECT ID FROM {$wpdb->users} WHERE ID = %d FOR UPDATE", $user_id ) ) );
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = 1' );
		// The holder lets go when the record asks for the lock the second time.
		$asks = 0;
		$this->filter(
			'query',
			static function ( $sql ) use ( &$asks, $holder, $user_id ) {
				global $wpdb;
				$lock = "FROM {$wpdb->users} u LEFT JOIN {$wpdb->usermeta} m ON m.user_id = u.ID AND m.meta_key = '_aipkit_token_balance' WHERE u.ID = {$user_id} ";
				if ( false !== strpos( $sql, $lock ) && 2 === ++$asks ) {
					$holder->query( 'COMMIT' );
				}
				return $sql;
			}
		);

		try {
			$this->record( $step );
		} finally {
			$holder->query( 'ROLLBACK' );
			$holder->close();
			$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = DEFAULT' );
		}

		$this->assertSame( 2, $asks, 'the first attempt timed out on the lock; the second got it' );
		$this->assertSame( 1, self::ledger_count( $step['request_id'] ) );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_reporting_a_failure_never_ends_the_request_when_the_database_is_gone(): void {
		$out = self::in_fresh_process(
			"global \$wpdb;
			\$wpdb->reconnect_retries = 1;
			\$killer = new wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
			\$killer->query( 'KILL CONNECTION ' . (int) mysqli_thread_id( \$wpdb->dbh ) );
			( new ReflectionProperty( wpdb::class, 'dbpassword' ) )->setValue( \$wpdb, 'not-the-password' );
			AIPuffer\\Connectors\\Storage\\Recording_Failures::remember( 'request-1', 'the database is gone' );
			return array( 'went_on' => true );"
		);
		$this->assertSame( array( 'went_on' => true ), $out, 'without the guard, wpdb would have ended the request with wp_die()' );
	}
}
