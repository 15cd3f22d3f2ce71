<?php
/**
 * AI Puffer > Preview's snapshot: everything the engine in the page needs (the stored settings,
 * the pricing rules, the price list, the callers, the approval state, each cap's spend this
 * period, where the browser engine is) and no API key.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Preview_Page;
use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Requirements;
use WordPress\AI\Connector_Approval\Http_Guard;

final class PreviewPageTest extends Site_Test_Case {

	private const GATEWAY = 'aipuffer-connectors/aipuffer-connectors.php';
	private const PLUGIN  = 'aipuffer-test-caller/aipuffer-test-caller.php';

	/** @var mixed The active plugins as they were. */
	private $active_plugins;

	private ?Http_Guard $guard = null;

	protected function setUp(): void {
		parent::setUp();
		$this->active_plugins = get_option( 'active_plugins' );
		require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
		delete_option( 'wpai_connector_approvals' );
	}

	protected function tearDown(): void {
		update_option( 'active_plugins', $this->active_plugins );
		if ( null !== $this->guard ) {
			remove_filter( 'pre_http_request', array( $this->guard, 'guard' ), 5 );
		}
		delete_option( 'wpai_connector_approvals' );
		parent::tearDown();
	}

	/** The preview task as the page runs it: the stored settings prepared, the call, a caller's frame, the spend. */
	private static function preview( array $snapshot, ?array $caller ): array {
		$engine   = Requirements::engine();
		$prepared = json_decode( $engine->prepare( Json::encode( $snapshot['stored'] ) ), false, 512, JSON_THROW_ON_ERROR );
		$input    = array(
			'task'    => 'preview',
			'site'    => $prepared->site,
			'call'    => array(
				'capability' => 'text_generation',
				'provider'   => 'aipuffer',
				'model'      => 'aipuffer-default-text',
				'messages'   => array( array( 'role' => 'user', 'parts' => array( array( 'type' => 'text', 'text' => 'Hi' ) ) ) ),
			),
			'context' => $snapshot['context'] + array( 'frames' => null === $caller ? array() : array( $caller ) ),
			'locked'  => $snapshot['cap_spend'],
		);
		$step = Json::decode_object( $engine->advance( Json::encode( $input ) ) );
		self::assertSame( 'done', $step['step'], Json::encode( $step ) );
		return $step['result'];
	}

	/** @return array<string, string>|null The listed caller with this basename. */
	private static function caller( array $snapshot, string $basename ): ?array {
		foreach ( $snapshot['callers'] as $caller ) {
			if ( $basename === $caller['basename'] ) {
				return $caller;
			}
		}
		return null;
	}

	public function test_the_callers_are_the_active_plugins_mu_plugins_and_theme_as_their_frames_without_the_gateway(): void {
		update_option( 'active_plugins', array( self::GATEWAY, self::PLUGIN ) );
		$snapshot = Preview_Page::snapshot();

		$this->assertSame( array( 'kind' => 'plugin', 'basename' => self::PLUGIN, 'name' => 'AI Puffer Test Caller', 'path' => 'aipuffer-test-caller.php' ), self::caller( $snapshot, self::PLUGIN ) );
		$this->assertSame( 'mu_plugin', self::caller( $snapshot, 'aipuffer-test-mu-caller.php' )['kind'] ?? null );
		$this->assertSame( 'theme', self::caller( $snapshot, get_stylesheet() )['kind'] ?? null );
		$this->assertNull( self::caller( $snapshot, self::GATEWAY ), 'the gateway is never the caller' );
		$this->assertSame( array( 'gateway' => self::GATEWAY, 'gateway_name' => 'AI Puffer Connectors', 'approval' => null ), $snapshot['context'], 'no guard: no approval state' );

		$result = self::preview( $snapshot, self::caller( $snapshot, self::PLUGIN ) );
		$this->assertSame( array( 'kind' => 'plugin', 'basename' => self::PLUGIN, 'name' => 'AI Puffer Test Caller' ), $result['caller'], 'the engine names it as it names the real caller' );
	}

	public function test_each_caps_spend_this_period_is_in_the_snapshot_and_the_engine_decides_on_it(): void {
		$this->assertSame( array(), Preview_Page::snapshot()['cap_spend'], 'no caps: nothing read' );
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'Spend something' ) );
		update_option(
			Site_Snapshot::CAPS_OPTION,
			array(
				array( 'caller' => self::PLUGIN, 'period' => 'day', 'unit' => 'credits', 'limit' => '1' ),
				array( 'caller' => 'other/other.php', 'period' => 'day', 'unit' => 'credits', 'limit' => '1' ),
				array( 'caller' => '', 'period' => 'month', 'unit' => 'usd', 'limit' => '1000000' ),
			),
			false
		);
		update_option( 'active_plugins', array( self::GATEWAY, self::PLUGIN ) );
		$snapshot = Preview_Page::snapshot();

		$this->assertSame( array( 'cap-0', 'cap-1', 'cap-2' ), array_column( $snapshot['cap_spend'], 'id' ), 'one read per cap, as cap_status asks' );
		$this->assertGreaterThan( 0, (int) $snapshot['cap_spend'][0]['value'], 'the plugin spent today' );
		$this->assertMatchesRegularExpression( '/^\d+\.\d{12}$/', (string) $snapshot['cap_spend'][2]['value'], 'dollars, exact' );

		$result = self::preview( $snapshot, self::caller( $snapshot, self::PLUGIN ) );
		$this->assertSame( array( self::PLUGIN, '' ), array_map( static fn ( $c ) => $c['cap']['caller'], $result['caps']['applicable'] ) );
		$this->assertTrue( $result['caps']['applicable'][0]['refuses'] );
		$this->assertSame( 'cap_reached', $result['caps']['refusal']['reason'] );
		$this->assertSame( (int) $snapshot['cap_spend'][0]['value'] . ' credits', $result['caps']['applicable'][0]['spent'], 'the spend the page shows is the one read' );
		$this->assertNull( self::preview( $snapshot, null )['caps']['refusal'], 'WordPress itself: only the site-wide cap, far from used' );
	}

	public function test_the_approval_state_is_in_the_snapshot_while_a_guard_is_active(): void {
		$this->guard = new Http_Guard();
		$this->guard->register();
		update_option( 'wpai_connector_approvals', array( self::GATEWAY => array( 'openai' => true ) ), false );
		$snapshot = Preview_Page::snapshot();

		$this->assertFalse( $snapshot['context']['approval']['guard_skips_provider_plugin'] );
		$this->assertSame( array( self::GATEWAY => array( 'openai' => true ) ), (array) $snapshot['context']['approval']['approvals'] );
		$theme  = self::caller( $snapshot, get_stylesheet() );
		$result = self::preview( Json::decode_object( Json::encode( $snapshot ) ), $theme );
		$this->assertSame( array( array( 'gateway', 'approved' ), array( 'caller', 'needs_approval' ) ), array_map( static fn ( $n ) => array( $n['role'], $n['status'] ), $result['approvals']['parties'] ) );
		$this->assertSame( 'approval_caller_needed', $result['approvals']['refusal']['reason'] );
	}

	public function test_the_snapshot_has_what_the_page_engine_needs_and_no_key(): void {
		$snapshot = Preview_Page::snapshot();
		$this->assertContains( 'OpenAI', $snapshot['stored']['credentials'], 'keys are reduced to "has one"' );
		$this->assertArrayHasKey( 'gpt-4.1-mini', (array) $snapshot['prices'] );
		$this->assertStringEndsWith( '/engine/web/aipuffer_js.js', $snapshot['engine'] );
		$json = wp_json_encode( $snapshot );
		foreach ( array_filter( (array) json_decode( (string) getenv( 'DEMO_KEYS' ), true ) ) as $key ) {
			$this->assertStringNotContainsString( (string) $key, $json );
		}
	}

	public function test_the_page_carries_the_snapshot_as_data_and_refuses_non_admins(): void {
		wp_set_current_user( 1 );
		ob_start();
		( new Preview_Page() )->render();
		$html = (string) ob_get_clean();
		$this->assertMatchesRegularExpression( '#<script type="application/json" id="aipuffer-preview-data">\{.*\}</script>#s', $html );
		$this->assertStringNotContainsString( self::demo_key(), $html );

		wp_set_current_user( $this->user_with_balance( 'editor', '0' ) );
		add_filter( 'wp_die_handler', static fn () => static function () {
			throw new \RuntimeException( 'die' );
		} );
		try {
			( new Preview_Page() )->render();
			$this->fail( 'an editor got the page' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'die', $e->getMessage() );
		} finally {
			remove_all_filters( 'wp_die_handler' );
		}
	}
}
