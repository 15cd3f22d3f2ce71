<?php
/**
 * Connector Approvals in real WordPress, with a guard fixture that follows the WordPress AI
 * plugin's documented contract (tests/wordpress-fixtures/mu-plugins/aipuffer-test-approval-guard.php)
 * and real callers: a plugin, a must-use plugin and a theme (also fixtures). Blocked requests name
 * whom to approve and where, send nothing, charge nothing, and land on the AI plugin's own
 * pending list; approving through its option lets the next request through.
 *
 * @package AIPuffer\Connectors
 */

use WordPress\AI\Connector_Approval\Http_Guard;

final class ApprovalsTest extends Site_Test_Case {

	private const GATEWAY = 'aipuffer-connectors/aipuffer-connectors.php';
	private const PLUGIN  = 'aipuffer-test-caller/aipuffer-test-caller.php';

	private ?Http_Guard $guard = null;

	protected function setUp(): void {
		parent::setUp();
		require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
		require_once get_theme_root() . '/aipuffer-test-theme/functions.php';
		delete_option( 'wpai_connector_approvals' );
		delete_option( 'wpai_connector_approval_pending' );
		self::clear_provider_requests();
	}

	protected function tearDown(): void {
		if ( null !== $this->guard ) {
			remove_filter( 'pre_http_request', array( $this->guard, 'guard' ), 5 );
		}
		delete_option( 'wpai_connector_approvals' );
		delete_option( 'wpai_connector_approval_pending' );
		parent::tearDown();
	}

	private function activate_guard( string $variant = 'classic' ): void {
		$this->guard = 'classic' === $variant ? new Http_Guard() : new \WordPress\AI\Connector_Approval\Http_Guard_Skipping_Provider_Plugin();
		$this->guard->register();
	}

	private static function approve( string $basename ): void {
		$approvals                           = (array) get_option( 'wpai_connector_approvals', array() );
		$approvals[ $basename ]['openai'] = true;
		update_option( 'wpai_connector_approvals', $approvals, false );
	}

	/** @return array<string, array<string, mixed>> */
	private static function pending(): array {
		return (array) get_option( 'wpai_connector_approval_pending', array() );
	}

	/** @param mixed $result */
	private function assertBlocked( $result, string $names ): void {
		$this->assertTrue( is_wp_error( $result ), 'blocked' );
		$this->assertSame( 'prompt_client_error', $result->get_error_code() );
		$this->assertSame( 403, $result->get_error_data()['status'] );
		$this->assertStringContainsString( $names, $result->get_error_message() );
		$this->assertStringContainsString( 'Tools > Connector Approvals', $result->get_error_message() );
		$this->assertSame( array(), self::provider_requests(), 'no provider request was sent' );
	}

	public function test_frames_are_told_apart_by_whose_code_they_are(): void {
		$frames = new \AIPuffer\Connectors\Approvals\Stack_Frames();
		$this->assertSame(
			array( 'kind' => 'plugin', 'basename' => self::GATEWAY, 'name' => 'AI Puffer Connectors', 'path' => 'src/Gateway/Gateway_Model.php' ),
			$frames->classify( wp_normalize_path( WP_PLUGIN_DIR ) . '/aipuffer-connectors/src/Gateway/Gateway_Model.php' )
		);
		$this->assertSame(
			array( 'kind' => 'plugin', 'basename' => self::PLUGIN, 'name' => 'AI Puffer Test Caller', 'path' => 'aipuffer-test-caller.php' ),
			$frames->classify( wp_normalize_path( WP_PLUGIN_DIR ) . '/aipuffer-test-caller/aipuffer-test-caller.php' )
		);
		$this->assertSame( 'core', $frames->classify( wp_normalize_path( ABSPATH ) . 'wp-includes/ai-client.php' )['kind'] );
		$this->assertSame( 'theme', $frames->classify( wp_normalize_path( get_theme_root() ) . '/aipuffer-test-theme/functions.php' )['kind'] );
		$this->assertSame( 'other', $frames->classify( '/elsewhere/script.php' )['kind'] );
	}

	public function test_an_unapproved_gateway_is_named_first_and_both_go_pending(): void {
		$this->activate_guard();
		$ledger_rows = self::table_count( 'aipkit_token_ledger' );

		$result = aipuffer_test_plugin_prompt( 'Write a haiku' );

		$this->assertBlocked( $result, '"AI Puffer Connectors"' );
		$this->assertSame( $ledger_rows, self::table_count( 'aipkit_token_ledger' ), 'nothing charged' );
		$pending = self::pending();
		$this->assertSame( array( self::GATEWAY . '::openai', self::PLUGIN . '::openai' ), array_keys( $pending ) );
		$entry = $pending[ self::PLUGIN . '::openai' ];
		$this->assertSame( array( 'attempts', 'caller_basename', 'caller_name', 'caller_type', 'connector_id', 'first_seen', 'last_seen' ), self::sorted_keys( $entry ) );
		$this->assertSame( array( 'plugin', self::PLUGIN, 'AI Puffer Test Caller', 'openai', 1 ), array( $entry['caller_type'], $entry['caller_basename'], $entry['caller_name'], $entry['connector_id'], $entry['attempts'] ) );
		global $wpdb;
		$logged = $wpdb->get_var( $wpdb->prepare( "SELECT messages FROM {$wpdb->prefix}aipkit_chat_logs WHERE module = 'wp_ai_client' AND messages LIKE %s ORDER BY id DESC LIMIT 1", '%"type":"blocked"%' ) );
		$this->assertStringContainsString( 'Write a haiku', (string) $logged, 'the attempt is logged as blocked' );
	}

	public function test_with_the_gateway_approved_the_calling_plugin_is_named_and_counted(): void {
		$this->activate_guard();
		self::approve( self::GATEWAY );

		aipuffer_test_plugin_prompt( 'Write a haiku' );
		$result = aipuffer_test_plugin_prompt( 'Write a haiku' );

		$this->assertBlocked( $result, 'the plugin "AI Puffer Test Caller"' );
		$this->assertSame( array( self::PLUGIN . '::openai' ), array_keys( self::pending() ) );
		$this->assertSame( 2, self::pending()[ self::PLUGIN . '::openai' ]['attempts'] );
	}

	public function test_approving_through_the_ai_plugins_option_lets_the_next_request_through(): void {
		$this->activate_guard();
		self::approve( self::GATEWAY );
		self::approve( self::PLUGIN );

		$result = aipuffer_test_plugin_prompt( 'Write a haiku' );

		$this->assertNotWPError( $result );
		$this->assertSame( 'Loopback reply to: Write a haiku', $result->toText() );
		$this->assertCount( 1, self::provider_requests() );
		$this->assertSame( array(), self::pending() );
	}

	public function test_a_must_use_plugin_and_a_theme_are_callers_too(): void {
		$this->activate_guard();
		self::approve( self::GATEWAY );

		$this->assertBlocked( aipuffer_test_mu_prompt( 'Write a haiku' ), 'the mu-plugin "aipuffer-test-mu-caller.php"' );
		$this->assertBlocked( aipuffer_test_theme_prompt( 'Write a haiku' ), 'the theme "AI Puffer Test Theme"' );
		$pending = self::pending();
		$this->assertSame( 'mu-plugin', $pending['aipuffer-test-mu-caller.php::openai']['caller_type'] );
		$this->assertSame( 'theme', $pending['aipuffer-test-theme::openai']['caller_type'] );
	}

	public function test_a_plugin_called_from_a_theme_needs_the_guards_caller_too(): void {
		$this->activate_guard();
		self::approve( self::GATEWAY );

		// AI Puffer names the innermost caller; the guard, which checks the request again at the
		// HTTP layer, names the outermost. Both are asked for, so approving whom we name is enough.
		$this->assertBlocked( aipuffer_test_theme_renders_plugin_prompt( 'Write a haiku' ), 'the plugin "AI Puffer Test Caller"' );
		$this->assertSame( array( self::PLUGIN . '::openai', 'aipuffer-test-theme::openai' ), array_keys( self::pending() ) );

		self::approve( self::PLUGIN );
		$this->assertBlocked( aipuffer_test_theme_renders_plugin_prompt( 'Write a haiku' ), 'the theme "AI Puffer Test Theme"' );

		self::approve( 'aipuffer-test-theme' );
		$result = aipuffer_test_theme_renders_plugin_prompt( 'Write a haiku' );
		$this->assertNotWPError( $result, 'our check and the guard both let it through' );
		$this->assertCount( 1, self::provider_requests() );
	}

	public function test_a_guard_that_skips_the_provider_plugin_never_asks_for_the_gateway(): void {
		$this->activate_guard( 'skips-provider-plugin' );

		$result = aipuffer_test_plugin_prompt( 'Write a haiku' );

		$this->assertBlocked( $result, 'the plugin "AI Puffer Test Caller"' );
		$this->assertSame( array( self::PLUGIN . '::openai' ), array_keys( self::pending() ), 'the caller the guard itself would name' );
		self::approve( self::PLUGIN );
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'Write a haiku' ), 'that guard and ours both let it through' );
	}

	public function test_without_the_guard_nothing_is_checked_or_written(): void {
		$result = aipuffer_test_plugin_prompt( 'Write a haiku' );

		$this->assertNotWPError( $result );
		$this->assertFalse( get_option( 'wpai_connector_approval_pending' ) );
	}

	public function test_without_any_guard_the_ledger_and_the_log_name_the_calling_plugin_mu_plugin_or_theme(): void {
		$callers = array(
			'aipuffer_test_plugin_prompt' => array( 'kind' => 'plugin', 'basename' => 'aipuffer-test-caller/aipuffer-test-caller.php', 'name' => 'AI Puffer Test Caller' ),
			'aipuffer_test_mu_prompt'     => array( 'kind' => 'mu-plugin', 'basename' => 'aipuffer-test-mu-caller.php' ),
			'aipuffer_test_theme_prompt'  => array( 'kind' => 'theme', 'basename' => 'aipuffer-test-theme' ),
			// A plugin's code running inside a theme template: the innermost caller pays.
			'aipuffer_test_theme_renders_plugin_prompt' => array( 'kind' => 'plugin', 'basename' => 'aipuffer-test-caller/aipuffer-test-caller.php' ),
		);
		foreach ( $callers as $function => $expected ) {
			$result = $function( 'Write a haiku' );
			$this->assertNotWPError( $result, $function );
			$ledger = json_decode( self::ledger_row( $result->getId() )['meta'], true );
			$this->assertSame( $expected, array_intersect_key( $ledger['caller'], $expected ), $function );
			$log = json_decode( self::chat_log_row( $result->getId() )['messages'], true );
			$this->assertSame( $ledger['caller'], $log['messages'][1]['request_payload']['caller'], "$function: the log names the same caller" );
		}
		// WordPress itself (here: this test, outside any plugin or theme) is nobody to charge.
		$result = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();
		$this->assertArrayNotHasKey( 'caller', json_decode( self::ledger_row( $result->getId() )['meta'], true ) );
	}

	/** @return list<string> */
	private static function sorted_keys( array $entry ): array {
		$keys = array_keys( $entry );
		sort( $keys );
		return $keys;
	}
}
