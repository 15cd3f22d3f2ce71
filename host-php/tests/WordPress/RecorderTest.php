<?php
/**
 * Recording under concurrency, inside a real WordPress and MariaDB: the debit is decided on the
 * balance read under lock (never a cache), a repeated record charges nothing, a deadlock redoes
 * the whole transaction, a failure keeps nothing, and every write says what became of it.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Storage\Database;
use AIPuffer\Connectors\Storage\Log_Charset;
use AIPuffer\Connectors\Storage\Recorder;
use AIPuffer\Connectors\Storage\Recording_Failed;
use AIPuffer\Connectors\Storage\Recording_Failures;
use AIPuffer\Connectors\Storage\Write_Executor;

final class RecorderTest extends Site_Test_Case {

	/** @var list<callable> `query` filters to remove after the test. */
	private array $filters = array();

	protected function tearDown(): void {
		foreach ( $this->filters as $filter ) {
			remove_filter( 'query', $filter );
		}
		parent::tearDown();
	}

	/** Rewrites the SQL the test names, `$times` times. */
	private function rewrite_query( string $needle, string $replacement, int $times = 1 ): void {
		$filter          = static function ( $sql ) use ( $needle, $replacement, &$times ) {
			if ( $times > 0 && is_string( $sql ) && false !== strpos( $sql, $needle ) ) {
				--$times;
				return $replacement;
			}
			return $sql;
		};
		$this->filters[] = $filter;
		add_filter( 'query', $filter );
	}

	public function test_the_debit_is_decided_on_the_balance_read_under_lock_not_on_a_cache(): void {
		$user_id = $this->user_with_balance( 'subscriber', '1000' );
		// What another request's stale per-request cache would say.
		wp_cache_set( $user_id, array( '_aipkit_token_balance' => array( '5' ) ), 'user_meta' );
		$step = $this->record_step( $user_id );

		$this->record( $step );

		$ledger = self::ledger_row( $step['request_id'] );
		$meta   = json_decode( $ledger['meta'], true );
		$this->assertSame( 1000, $meta['balance_before'] );
		$this->assertSame( 976, $meta['balance_after'] );
		$this->assertSame( '-24', $ledger['credits_delta'] );
		$this->assertSame( '976', get_user_meta( $user_id, '_aipkit_token_balance', true ), 'the cache WordPress held was dropped' );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
	}

	public function test_the_transaction_holds_its_locks_only_for_the_locked_reads_and_the_writes(): void {
		$user_id = $this->user_with_balance( 'subscriber', '1000' );
		$step    = $this->record_step( $user_id );
		$sent    = array();
		$filter  = static function ( $sql ) use ( &$sent ) {
			$sent[] = (string) $sql;
			return $sql;
		};
		$this->filters[] = $filter;
		add_filter( 'query', $filter );

		$this->record( $step );

		$at    = static function ( string $needle ) use ( &$sent ): int {
			foreach ( $sent as $i => $sql ) {
				if ( false !== strpos( $sql, $needle ) ) {
					return $i;
				}
			}
			return -1;
		};
		$start = $at( 'START TRANSACTION' );
		$this->assertGreaterThan( -1, $start );
		$this->assertGreaterThan( -1, $at( 'aipkit_pricing_rules' ) );
		$this->assertLessThan( $start, $at( 'aipkit_pricing_rules' ), 'the pricing rules (no row lock) are read before the transaction opens' );
		$this->assertGreaterThan( $start, $at( 'FOR UPDATE' ), 'the balance is read under its lock, inside' );
		$this->assertGreaterThan( $at( 'FOR UPDATE' ), $at( 'COMMIT' ) );
		$this->assertCount( 1, preg_grep( '/FOR UPDATE/', $sent ), 'the user and the balance are locked and read in one statement, once: the write compares with that read, under the same lock' );
		$this->assertCount( 1, preg_grep( '/\S*users u LEFT JOIN \S*usermeta m .* FOR UPDATE/', $sent ), 'that statement locks the user as it reads the balance' );
		$this->assertSame( 976, json_decode( self::ledger_row( $step['request_id'] )['meta'], true )['balance_after'] );
	}

	public function test_a_record_with_nothing_to_read_under_lock_is_decided_and_written_out_before_its_transaction(): void {
		$step = $this->record_step( 0, 'Teal, <b>bold</b>' );
		$this->assertSame( array(), array_diff( array_column( $step['locks'], 'lock' ), array( 'pricing_rules', 'price' ) ), 'no balance to lock: a visitor is not debited' );
		$events = array();
		$query  = static function ( $sql ) use ( &$events ) {
			$events[] = strtok( trim( (string) $sql ), ' ' );
			return $sql;
		};
		$kses   = static function ( $content ) use ( &$events ) {
			if ( is_string( $content ) && false !== strpos( $content, 'Teal, <b>' ) ) {
				$events[] = 'kses the reply';
			}
			return $content;
		};
		$this->filters[] = $query;
		add_filter( 'query', $query );
		add_filter( 'pre_kses', $kses );
		try {
			$this->record( $step );
		} finally {
			remove_filter( 'pre_kses', $kses );
		}

		$start  = array_search( 'START', $events, true );
		$commit = array_search( 'COMMIT', $events, true );
		$this->assertIsInt( $start );
		$this->assertIsInt( $commit );
		$this->assertContains( 'kses the reply', array_slice( $events, 0, $start ), 'the logged reply is sanitised before the transaction opens' );
		$this->assertSame( array( 'INSERT', 'INSERT' ), array_slice( $events, $start + 1, $commit - $start - 1 ), 'the transaction holds the ledger and log inserts alone' );
		$this->assertSame( 1, self::ledger_count( $step['request_id'] ) );
		$this->assertStringContainsString( 'Teal, <b>bold</b>', self::log_messages( $step['request_id'] ) );
	}

	public function test_the_log_tables_charset_is_read_before_the_transaction_once_then_kept(): void {
		global $wpdb;
		Log_Charset::forget();
		$first = $this->record_watching_queries( 'Türkis' );
		$this->assertSame( array(), preg_grep( '/^\s*SHOW\b/i', $first['inside'] ), 'no charset read while the locks are held: ' . implode( ' | ', $first['inside'] ) );
		$this->assertNotEmpty( preg_grep( '/^SHOW FULL COLUMNS FROM `' . $wpdb->prefix . 'aipkit_chat_logs`/', $first['before'] ), 'wpdb read it before the transaction' );
		$this->assertStringContainsString( 'Türkis', self::log_messages( $first['request_id'] ), 'the non-ASCII reply is logged as it was' );

		$second = $this->record_watching_queries( 'Grün 🌿' );
		$this->assertSame( array(), preg_grep( '/^\s*SHOW\b/i', array_merge( $second['before'], $second['inside'] ) ), 'a utf8mb4 table is kept: the next request does not ask again' );
		$this->assertStringContainsString( 'Grün 🌿', self::log_messages( $second['request_id'] ), 'four-byte text is stored whole' );

		Log_Charset::forget();
		$utf8 = static fn () => 'utf8';
		add_filter( 'pre_get_col_charset', $utf8 );
		try {
			Log_Charset::prime();
		} finally {
			remove_filter( 'pre_get_col_charset', $utf8 );
		}
		$this->assertFalse( has_filter( 'pre_get_table_charset', array( Log_Charset::class, 'answer' ) ), 'another charset is not handed to wpdb' );
		$this->assertSame( array(), glob( \AIPuffer\Connectors\Requirements::cache_dir() . '/site-*-log-charset.php' ), 'nor kept: wpdb reads it each request' );
	}

	/**
	 * Records one request as a new request's wpdb would (no table charset read yet), with every
	 * statement sent: before START TRANSACTION, and from it to COMMIT.
	 *
	 * @return array{before: list<string>, inside: list<string>, request_id: string}
	 */
	private function record_watching_queries( string $reply ): array {
		global $wpdb;
		$step = $this->record_step( $this->user_with_balance( 'subscriber', '1000' ), $reply );
		( function () {
			$this->table_charset = array();
			$this->col_meta      = array();
		} )->call( $wpdb );
		remove_filter( 'pre_get_table_charset', array( Log_Charset::class, 'answer' ), 10 );
		$sent   = array();
		$filter = static function ( $sql ) use ( &$sent ) {
			$sent[] = (string) $sql;
			return $sql;
		};
		add_filter( 'query', $filter );
		try {
			$this->record( $step );
		} finally {
			remove_filter( 'query', $filter );
		}
		$start  = array_search( 'START TRANSACTION', $sent, true );
		$commit = array_search( 'COMMIT', $sent, true );
		$this->assertIsInt( $start );
		$this->assertIsInt( $commit );
		return array(
			'before'     => array_slice( $sent, 0, $start ),
			'inside'     => array_slice( $sent, $start, $commit - $start + 1 ),
			'request_id' => $step['request_id'],
		);
	}

	private static function log_messages( string $request_id ): string {
		global $wpdb;
		return (string) $wpdb->get_var( $wpdb->prepare( "SELECT messages FROM {$wpdb->prefix}aipkit_chat_logs WHERE conversation_uuid = %s", $request_id ) );
	}

	public function test_kses_is_readied_for_tags_only_when_the_logged_texts_may_hold_markup(): void {
		// A fresh process: kses is readied once per request, and this one has readied it long ago.
		$events = static fn ( string $prompt ): array => self::in_fresh_process(
			"\$events = array();
			add_filter( 'query', static function ( \$sql ) use ( &\$events ) {
				\$events[] = trim( (string) \$sql );
				return \$sql;
			} );
			add_filter( 'wp_kses_allowed_html', static function ( \$tags ) use ( &\$events ) {
				\$events[] = 'kses tags';
				return \$tags;
			} );
			\$result = wp_ai_client_prompt( " . var_export( $prompt, true ) . " )->generate_text_result();
			return array( 'text' => is_wp_error( \$result ) ? \$result->get_error_message() : \$result->toText(), 'events' => \$events );"
		);
		$plain = $events( 'Name a colour' );
		$this->assertSame( 'Loopback reply to: Name a colour', $plain['text'] );
		$this->assertContains( 'COMMIT', $plain['events'], 'recorded' );
		$this->assertNotContains( 'kses tags', $plain['events'], 'plain text: kses is not readied for tags it will not meet' );

		$markup = $events( 'Say <b>hi</b>' );
		$this->assertSame( 'Loopback reply to: Say <b>hi</b>', $markup['text'] );
		$start = array_search( 'START TRANSACTION', $markup['events'], true );
		$this->assertIsInt( $start );
		$this->assertContains( 'kses tags', array_slice( $markup['events'], 0, $start ), 'markup: kses is readied for tags before the transaction, not while it holds the locks' );
	}

	public function test_recording_the_same_request_twice_charges_once(): void {
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$step    = $this->record_step( $user_id );

		$this->record( $step );
		$this->record( $step );

		$this->assertSame( 1, self::ledger_count( $step['request_id'] ) );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ), 'debited once: 100 - 24' );
	}

	public function test_a_deadlock_redoes_the_whole_transaction(): void {
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$step    = $this->record_step( $user_id );
		// The first chat-log insert (after the ledger entry and the debit) is the deadlock victim.
		$this->rewrite_query( 'INSERT INTO `' . $GLOBALS['wpdb']->prefix . 'aipkit_chat_logs`', "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction'" );

		$this->record( $step );

		$this->assertSame( 1, self::ledger_count( $step['request_id'] ), 'the rolled-back entry was written again, once' );
		$this->assertSame( 1, self::log_count( $step['request_id'] ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_a_balance_changed_under_compare_and_set_is_decided_again(): void {
		$user_id = $this->user_with_balance( 'subscriber', '500' );
		$step    = $this->record_step( $user_id );
		global $wpdb;
		$row_id = (int) $wpdb->get_var( $wpdb->prepare( "SELECT umeta_id FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = '_aipkit_token_balance'", $user_id ) );
		// A reader that is not really locked sees 1000 once; the compare-and-set finds 500.
		$this->rewrite_query( "m.meta_key = '_aipkit_token_balance' WHERE u.ID = {$user_id} FOR UPDATE", "SELECT {$user_id} AS ID, {$row_id} AS umeta_id, '1000' AS meta_value" );

		$this->record( $step );

		$meta = json_decode( self::ledger_row( $step['request_id'] )['meta'], true );
		$this->assertSame( 500, $meta['balance_before'], 'decided on the value that was really there' );
		$this->assertSame( '476', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_a_database_failure_keeps_nothing_and_says_so(): void {
		global $wpdb;
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$step    = $this->record_step( $user_id );
		$this->rewrite_query( 'INSERT INTO `' . $wpdb->prefix . 'aipkit_chat_logs`', "INSERT INTO {$wpdb->prefix}aipuffer_no_such_table (x) VALUES (1)" );

		try {
			$this->record( $step );
			$this->fail( 'a failed write was reported as recorded' );
		} catch ( Recording_Failed $e ) {
			$this->assertStringContainsString( 'aipuffer_no_such_table', $e->getMessage() );
		}
		$this->assertSame( 0, self::ledger_count( $step['request_id'] ), 'the ledger entry was rolled back with the rest' );
		$this->assertSame( '100', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_a_user_without_a_balance_gets_zero_written_like_ai_puffer(): void {
		$user_id = $this->user_with_balance( 'subscriber', '1' );
		delete_user_meta( $user_id, '_aipkit_token_balance' );
		$step = $this->record_step( $user_id );

		$this->record( $step );

		$this->assertSame( '0', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
		$this->assertSame( '0', self::ledger_row( $step['request_id'] )['credits_delta'] );
	}

	public function test_of_two_balance_rows_the_first_is_debited_as_wordpress_reads_it(): void {
		global $wpdb;
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		add_user_meta( $user_id, '_aipkit_token_balance', '5000' ); // A second row, as a buggy import might leave.
		$step = $this->record_step( $user_id );

		$this->record( $step );

		$this->assertSame( 100, json_decode( self::ledger_row( $step['request_id'] )['meta'], true )['balance_before'] );
		$this->assertSame(
			array( '76', '5000' ),
			$wpdb->get_col( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = '_aipkit_token_balance' ORDER BY umeta_id ASC", $user_id ) ),
			'the first row is debited, the second left alone'
		);
	}

	public function test_every_write_is_acked_and_the_first_collision_stops_the_rest(): void {
		global $wpdb;
		$user_id = $this->user_with_balance( 'subscriber', '10' );
		$key     = 'wp-ai-client-ack-' . wp_generate_uuid4();
		$ledger  = array(
			'write' => 'insert',
			'table' => 'aipkit_token_ledger',
			'row'   => array( 'user_id' => $user_id, 'actor_type' => 'user', 'module' => 'wp_ai_client', 'operation' => 'text_generation', 'entry_type' => 'usage', 'idempotency_key' => $key ),
		);
		$debit   = array( 'write' => 'user_meta', 'user_id' => $user_id, 'key' => '_aipkit_token_balance', 'value' => '9', 'expect' => '10' );
		$db      = new Database();

		$db->begin();
		$this->assertSame( array( 'applied', 'applied' ), ( new Write_Executor( $db ) )->apply( array( $ledger, $debit ) ) );
		$db->commit();
		$db->begin();
		$this->assertSame( array( 'duplicate' ), ( new Write_Executor( $db ) )->apply( array( $ledger, $debit ) ), 'the idempotency key is taken' );
		$this->assertSame( array( 'conflict' ), ( new Write_Executor( $db ) )->apply( array( $debit ) ), 'the balance is 9 now, not 10' );
		$db->rollback();
		$this->assertSame( '1', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}aipkit_token_ledger WHERE idempotency_key = %s", $key ) ) );
		$this->expectException( \UnexpectedValueException::class );
		( new Write_Executor( $db ) )->apply( array( array( 'write' => 'insert', 'table' => 'users', 'row' => array( 'user_login' => 'x' ) ) ) );
	}

	public function test_an_option_is_compare_and_set_and_its_caches_dropped(): void {
		// A catalog option the site snapshot is built from (the legacy OpenAI model list).
		$name = 'aipkit_openai_model_list';
		delete_option( $name );
		Site_Snapshot::site_json();
		$generation = get_option( Site_Snapshot::GENERATION_OPTION );
		$db         = new Database();
		$apply      = static function ( array $write ) use ( $db ): array {
			$executor = new Write_Executor( $db );
			$db->begin();
			$acks = $executor->apply( array( array( 'write' => 'option' ) + $write ) );
			$db->commit();
			$executor->clear_caches();
			return $acks;
		};
		$this->assertFalse( get_option( $name ), 'absent, and WordPress caches that it is absent' );

		$this->assertSame( array( 'applied' ), $apply( array( 'name' => $name, 'value' => array( 'b' => 2, 'a' => array( 1 ) ), 'expect' => null, 'autoload' => false ) ) );
		$this->assertSame( array( 'b' => 2, 'a' => array( 1 ) ), get_option( $name ), 'the notoptions cache was dropped' );
		$this->assertNotSame( $generation, get_option( Site_Snapshot::GENERATION_OPTION ), 'a catalog changed: the site snapshot is stale' );

		$this->assertSame( array( 'conflict' ), $apply( array( 'name' => $name, 'value' => 1, 'expect' => null, 'autoload' => false ) ), 'it exists now' );
		$this->assertSame( array( 'applied' ), $apply( array( 'name' => $name, 'value' => 'new', 'expect' => array( 'a' => array( 1 ), 'b' => 2 ), 'autoload' => false ) ), 'same data, keys in another order' );
		$this->assertSame( 'new', get_option( $name ) );
		delete_option( $name );

		$this->expectException( \UnexpectedValueException::class );
		$apply( array( 'name' => 'siteurl', 'value' => 'x', 'expect' => null, 'autoload' => true ) );
	}

	public function test_an_answer_is_delivered_even_when_recording_fails(): void {
		global $wpdb;
		Recording_Failures::clear();
		$this->rewrite_query( 'INSERT INTO `' . $wpdb->prefix . 'aipkit_token_ledger`', "INSERT INTO {$wpdb->prefix}aipuffer_no_such_table (x) VALUES (1)" );

		$result = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();

		$this->assertNotWPError( $result, 'the provider already answered: the caller gets it' );
		$this->assertSame( 'Loopback reply to: Write a haiku', $result->toText() );
		$this->assertSame( 0, self::ledger_count( $result->getId() ) );
		$failures = Recording_Failures::all();
		$this->assertSame( $result->getId(), $failures[0]['request_id'], 'the site owner can tell which request' );
		$this->assertStringContainsString( 'aipuffer_no_such_table', $failures[0]['reason'] );

		wp_set_current_user( get_users( array( 'role' => 'administrator', 'number' => 1 ) )[0]->ID );
		ob_start();
		do_action( 'admin_notices' );
		$notice = (string) ob_get_clean();
		$this->assertStringContainsString( 'could not record the usage of 1 AI request', $notice );
		$this->assertStringContainsString( $result->getId(), $notice );
		$this->assertStringContainsString( 'aipuffer_connectors_dismiss_recording_failures', $notice, 'with a nonce-protected dismiss form' );
		Recording_Failures::clear();
	}
}
