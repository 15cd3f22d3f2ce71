<?php
/**
 * Spending caps inside WordPress: a plugin that has spent its day's credits is refused with the
 * AI Client's 429 before any provider request while another caller goes on; a site-wide dollar
 * cap stops every caller; the screen adds and removes caps only for an admin with a nonce.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Pricing_Rules_Page;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

final class CapsTest extends Site_Test_Case {

	private const PLUGIN = 'aipuffer-test-caller/aipuffer-test-caller.php';

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
		require_once get_theme_root() . '/aipuffer-test-theme/functions.php';
		self::clear_provider_requests();
	}

	protected function tearDown(): void {
		remove_all_filters( 'wp_redirect' );
		remove_all_filters( 'wp_die_handler' );
		$_POST = array();
		parent::tearDown();
	}

	/** Credits a caller was billed today (UTC: the test site's time zone). */
	private static function spent_today( string $caller = self::PLUGIN ): int {
		global $wpdb;
		return (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COALESCE(SUM(CAST(JSON_VALUE(meta, '$.billed_credits') AS UNSIGNED)), 0) FROM {$wpdb->prefix}aipkit_token_ledger WHERE module = 'wp_ai_client' AND created_at >= %s AND JSON_VALUE(meta, '$.caller.basename') = %s",
				gmdate( 'Y-m-d 00:00:00' ),
				$caller
			)
		);
	}

	private static function set_caps( array $caps ): void {
		update_option( Site_Snapshot::CAPS_OPTION, $caps, false );
	}

	public function test_a_plugin_over_its_daily_credits_is_refused_before_any_provider_request_and_others_go_on(): void {
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'Spend something' ) );
		// Room for exactly one more request: the cap is one credit above today's spend.
		$limit = self::spent_today() + 1;
		self::set_caps( array( array( 'caller' => self::PLUGIN, 'period' => 'day', 'unit' => 'credits', 'limit' => (string) $limit ) ) );
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'Still below the cap' ) );
		self::clear_provider_requests();

		$refused = aipuffer_test_plugin_prompt( 'Over the cap now' );

		$this->assertTrue( is_wp_error( $refused ) );
		$this->assertSame( 'prompt_client_error', $refused->get_error_code() );
		$this->assertSame( 429, $refused->get_error_data()['status'] );
		$this->assertStringContainsString( 'The plugin "AI Puffer Test Caller" has used', $refused->get_error_message() );
		$this->assertStringContainsString( 'has used ' . self::spent_today() . " credits of its daily cap of {$limit} credits", $refused->get_error_message() );
		$this->assertStringContainsString( 'AI Puffer > Pricing rules > Spending caps', $refused->get_error_message() );
		$this->assertSame( array(), self::provider_requests(), 'nothing was sent' );
		$this->assertNotWPError( aipuffer_test_theme_prompt( 'The theme has no cap' ) );
	}

	public function test_a_site_wide_dollar_cap_stops_every_caller(): void {
		self::set_caps( array( array( 'caller' => '', 'period' => 'month', 'unit' => 'usd', 'limit' => '0' ) ) );

		foreach ( array( 'aipuffer_test_plugin_prompt', 'aipuffer_test_theme_prompt' ) as $caller ) {
			$refused = $caller( 'Anything' );
			$this->assertTrue( is_wp_error( $refused ), $caller );
			$this->assertSame( 429, $refused->get_error_data()['status'] );
			$this->assertStringContainsString( 'monthly cap of $0.00 for all callers together', $refused->get_error_message() );
		}
		$this->assertSame( array(), self::provider_requests() );

		self::set_caps( array() );
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'No cap, no limit' ) );
	}

	public function test_administrators_are_told_at_80_percent_and_when_a_cap_is_reached(): void {
		$this->assertNotWPError( aipuffer_test_plugin_prompt( 'Spend' ) );
		$this->assertNotWPError( aipuffer_test_theme_prompt( 'Spend' ) );
		$theme = self::spent_today( 'aipuffer-test-theme' );
		self::set_caps(
			array(
				array( 'caller' => self::PLUGIN, 'period' => 'day', 'unit' => 'credits', 'limit' => (string) self::spent_today() ),
				array( 'caller' => 'aipuffer-test-theme', 'period' => 'day', 'unit' => 'credits', 'limit' => (string) ( $theme + 1 ) ),
				array( 'caller' => '', 'period' => 'month', 'unit' => 'usd', 'limit' => '1000000' ),
			)
		);
		wp_set_current_user( 1 );
		ob_start();
		( new \AIPuffer\Connectors\Admin\Caps_Notice() )->render();
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( 'notice-error aipuffer-cap-notice"><p>AI Puffer Test Caller reached the daily AI spending cap', $html );
		$this->assertStringContainsString( 'notice-warning aipuffer-cap-notice"><p>AI Puffer Test Theme has used ' . $theme . ' credits of its daily AI spending cap of ' . ( $theme + 1 ) . ' credits.', $html );
		$this->assertSame( 2, substr_count( $html, 'aipuffer-cap-notice' ), 'the site-wide cap is far from used: no notice' );

		wp_set_current_user( $this->user_with_balance( 'editor', '0' ) );
		ob_start();
		( new \AIPuffer\Connectors\Admin\Caps_Notice() )->render();
		$this->assertSame( '', ob_get_clean(), 'only administrators are told' );
	}

	/** Posts the caps form: the redirect it ends with, or that it died. */
	private function post( array $fields, bool $forge = false ): string {
		return $this->post_form( array( new Pricing_Rules_Page(), 'save_caps' ), Pricing_Rules_Page::CAPS_ACTION, $fields, $forge );
	}

	public function test_an_admin_adds_replaces_and_removes_caps_and_nobody_else_can(): void {
		wp_set_current_user( 1 );
		$cap = array( 'caller' => self::PLUGIN, 'period' => 'day', 'unit' => 'credits', 'limit' => '500' );
		$this->assertStringContainsString( 'capped=1', $this->post( array( 'cap' => $cap ) ) );
		$this->post( array( 'cap' => array( 'limit' => '750.5' ) + $cap ) );
		$this->post( array( 'cap' => array( 'caller' => '', 'unit' => 'usd', 'limit' => '20', 'period' => 'month' ) ) );
		$this->assertSame( array( array_merge( $cap, array( 'limit' => '750.5' ) ), array( 'caller' => '', 'period' => 'month', 'unit' => 'usd', 'limit' => '20' ) ), Pricing_Rules_Page::caps(), 'the same caller, period and unit: replaced' );

		ob_start();
		( new Pricing_Rules_Page() )->render();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( '750.5 credits a day', $html );
		$this->assertStringContainsString( 'All callers together', $html );

		$this->assertStringContainsString( 'error=1', $this->post( array( 'cap' => array( 'limit' => '-3' ) + $cap ) ) );
		$this->post( array( 'remove' => '0' ) );
		$this->assertSame( array( array( 'caller' => '', 'period' => 'month', 'unit' => 'usd', 'limit' => '20' ) ), Pricing_Rules_Page::caps() );

		$this->assertStringStartsWith( 'die:', $this->post( array( 'remove' => '0' ), true ), 'a forged nonce' );
		wp_set_current_user( $this->user_with_balance( 'editor', '0' ) );
		$this->assertStringStartsWith( 'die:', $this->post( array( 'remove' => '0' ) ), 'an editor' );
		$this->assertCount( 1, Pricing_Rules_Page::caps() );
	}
}
