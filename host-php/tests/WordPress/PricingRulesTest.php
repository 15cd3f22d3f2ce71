<?php
/**
 * Pricing rules inside WordPress: a rule in AI Puffer's table prices the next
 * wp_ai_client_prompt() request (text per 1K tokens, images per image), the ledger names it, a
 * disabled rule falls back to the next scope, no table means AI Puffer's one credit per token;
 * and the Pricing rules screen adds, edits, enables, disables and deletes rules only for an
 * admin with a valid nonce.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Pricing_Rules_Page;
use AIPuffer\Connectors\Storage\Pricing_Rules;

final class PricingRulesTest extends Site_Test_Case {

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/template.php'; // submit_button(), as on an admin screen.
		self::clear_rules();
	}

	protected function tearDown(): void {
		self::clear_rules();
		remove_all_filters( 'wp_redirect' );
		remove_all_filters( 'wp_die_handler' );
		unset( $_POST['rule'], $_POST['rule_id'], $_POST['change'], $_POST['_wpnonce'], $_REQUEST['_wpnonce'] );
		parent::tearDown();
	}

	private static function clear_rules(): void {
		global $wpdb;
		$wpdb->query( 'DELETE FROM ' . Pricing_Rules::table() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the test site's own table.
	}

	private static function rule( array $fields ): int {
		$id = Pricing_Rules::save(
			$fields + array(
				'scope_type'     => 'module',
				'module'         => 'chat',
				'provider'       => 'openai',
				'model'          => 'gpt-4.1-mini',
				'billing_method' => 'per_1k_tokens',
				'input_rate'     => null,
				'output_rate'    => null,
				'unit_rate'      => null,
				'enabled'        => true,
			)
		);
		self::assertGreaterThan( 0, $id );
		return $id;
	}

	/** A text prompt as a user with 100000 credits: the result and its ledger row. */
	private function charged_prompt(): array {
		wp_set_current_user( $this->user_with_balance( 'subscriber', '100000' ) );
		$result = wp_ai_client_prompt( 'Price me' )->using_model_preference( array( 'openai', 'gpt-4.1-mini' ) )->generate_text_result();
		$this->assertNotWPError( $result );
		$ledger = self::ledger_row( $result->getId() );
		return array( $result->getTokenUsage(), $ledger, json_decode( $ledger['meta'], true ) );
	}

	public function test_a_module_rule_prices_the_next_request_per_1k_tokens_and_the_ledger_names_it(): void {
		self::rule( array( 'scope_type' => 'global', 'billing_method' => 'flat', 'unit_rate' => '500' ) );
		$id = self::rule( array( 'input_rate' => '1000', 'output_rate' => '2000.5' ) );

		list( $usage, $ledger, $meta ) = $this->charged_prompt();

		// 1000 credits per 1K input tokens is one a token; 2000.5 per 1K output is 2.0005 a token.
		$raw = $usage->getPromptTokens() * 1000000 + $usage->getCompletionTokens() * 2000500;
		$this->assertGreaterThan( 0, $usage->getPromptTokens() );
		$this->assertSame( (string) -intdiv( $raw + 999999, 1000000 ), $ledger['credits_delta'] );
		$this->assertSame( $id, $meta['resolved_rule_id'] );
		$this->assertSame( 'per_1k_tokens', $meta['billing_method'] );
		$this->assertFalse( $meta['used_legacy_fallback'] );
		$this->assertSame( 100000 + (int) $ledger['credits_delta'], (int) get_user_meta( get_current_user_id(), '_aipkit_token_balance', true ) );
	}

	public function test_a_disabled_module_rule_leaves_the_global_one_to_price(): void {
		$global = self::rule( array( 'scope_type' => 'global', 'billing_method' => 'flat', 'unit_rate' => '7.25' ) );
		$module = self::rule( array( 'billing_method' => 'flat', 'unit_rate' => '1' ) );
		Pricing_Rules::set_enabled( $module, false );

		list( , $ledger, $meta ) = $this->charged_prompt();

		$this->assertSame( '-8', $ledger['credits_delta'], '7.25 rounded up' );
		$this->assertSame( $global, $meta['resolved_rule_id'] );
		$this->assertSame( '7.250000', $meta['raw_charge'] );
	}

	public function test_images_are_priced_by_the_image_generator_rule_per_image(): void {
		self::rule( array( 'module' => 'image_generator', 'model' => 'dall-e-3', 'billing_method' => 'per_image', 'unit_rate' => '40' ) );
		self::rule( array( 'model' => 'dall-e-3', 'billing_method' => 'flat', 'unit_rate' => '1' ) ); // A text rule: not for images.
		wp_set_current_user( $this->user_with_balance( 'author', '1000' ) );

		$result = wp_ai_client_prompt( 'A teapot' )->using_model_preference( array( 'openai', 'dall-e-3' ) )->generate_image_result();

		$this->assertNotWPError( $result );
		$ledger = self::ledger_row( $result->getId() );
		$this->assertSame( '-40', $ledger['credits_delta'] );
		$this->assertSame( 1, json_decode( $ledger['meta'], true )['unit_count'] );
		$this->assertSame( '960', get_user_meta( get_current_user_id(), '_aipkit_token_balance', true ) );
	}

	public function test_without_the_rules_table_a_request_costs_one_credit_a_token(): void {
		global $wpdb;
		$table = Pricing_Rules::table();
		self::rule( array( 'billing_method' => 'flat', 'unit_rate' => '1' ) );
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore WordPress.DB -- the test site's own table.
		try {
			list( $usage, $ledger, $meta ) = $this->charged_prompt();
		} finally {
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore WordPress.DB -- the test site's own table.
		}
		$this->assertSame( 'legacy_fallback', $meta['billing_method'] );
		$this->assertSame( (string) -$usage->getTotalTokens(), $ledger['credits_delta'] );
	}

	public function test_the_form_accepts_exact_rates_and_says_what_is_wrong_otherwise(): void {
		$providers = array( 'openai' => 'OpenAI' );
		$valid     = array( 'provider' => 'openai', 'model' => 'gpt-4.1-mini', 'module' => 'chat', 'scope_type' => 'module', 'billing_method' => 'per_1k_tokens', 'input_rate' => '0.000125', 'output_rate' => '', 'enabled' => '1' );
		$rule      = Pricing_Rules_Page::parse( $valid, $providers );
		$this->assertIsArray( $rule );
		$this->assertSame( array( '0.000125', null, null ), array( $rule['input_rate'], $rule['output_rate'], $rule['unit_rate'] ) );

		$cases = array(
			'rate'         => array( 'input_rate' => '-1' ),
			'provider'     => array( 'provider' => 'claude' ),
			'model'        => array( 'model' => '' ),
			'choice'       => array( 'billing_method' => 'per_video' ),
			'missing_rate' => array( 'input_rate' => '' ),
		);
		foreach ( $cases as $code => $change ) {
			$error = Pricing_Rules_Page::parse( $change + $valid, $providers );
			$this->assertInstanceOf( \WP_Error::class, $error, $code );
			$this->assertSame( $code, $error->get_error_code() );
		}
		$this->assertInstanceOf( \WP_Error::class, Pricing_Rules_Page::parse( array( 'input_rate' => '0.0000001' ) + $valid, $providers ), 'seven decimals do not fit DECIMAL(20,6)' );
	}

	/** Posts the screen's `$handler` form: the redirect it ends with, or that it died. */
	private function post( string $handler, string $action, array $fields, bool $forge = false ): string {
		return $this->post_form( array( new Pricing_Rules_Page(), $handler ), $action, $fields, $forge );
	}

	public function test_an_admin_adds_edits_disables_and_deletes_a_rule_on_the_screen(): void {
		wp_set_current_user( 1 );
		$form = array( 'provider' => 'openai', 'model' => 'gpt-4.1-mini', 'module' => 'chat', 'scope_type' => 'module', 'billing_method' => 'flat', 'unit_rate' => '3', 'enabled' => '1' );

		$this->assertStringContainsString( 'saved=', $this->post( 'save', Pricing_Rules_Page::SAVE_ACTION, array( 'rule' => $form ) ) );
		$rules = Pricing_Rules::all();
		$this->assertCount( 1, $rules );
		$this->assertSame( array( 'flat', '3.000000', 'chat', '1' ), array( $rules[0]['billing_method'], $rules[0]['unit_rate'], $rules[0]['operation'], $rules[0]['enabled'] ) );
		$id = (int) $rules[0]['id'];

		// The same rule added again updates the row, as AI Puffer's screen does.
		$this->post( 'save', Pricing_Rules_Page::SAVE_ACTION, array( 'rule' => array( 'unit_rate' => '4.5' ) + $form ) );
		$this->assertCount( 1, Pricing_Rules::all() );
		$this->assertSame( '4.500000', Pricing_Rules::find( $id )['unit_rate'] );

		$this->assertStringContainsString( 'disabled=' . $id, $this->post( 'change', Pricing_Rules_Page::CHANGE_ACTION, array( 'rule_id' => (string) $id, 'change' => 'disable' ) ) );
		$this->assertSame( '0', Pricing_Rules::find( $id )['enabled'] );

		ob_start();
		( new Pricing_Rules_Page() )->render();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'data-rule-id="' . $id . '"', $html );
		$this->assertStringContainsString( '4.5 credits a request', $html );

		$this->post( 'change', Pricing_Rules_Page::CHANGE_ACTION, array( 'rule_id' => (string) $id, 'change' => 'delete' ) );
		$this->assertNull( Pricing_Rules::find( $id ) );
	}

	public function test_a_bad_rate_is_refused_with_its_reason_and_saves_nothing(): void {
		wp_set_current_user( 1 );
		$form = array( 'provider' => 'openai', 'model' => 'gpt-4.1-mini', 'module' => 'chat', 'scope_type' => 'module', 'billing_method' => 'flat', 'unit_rate' => '1,5', 'enabled' => '1' );
		$this->assertStringContainsString( 'error=1', $this->post( 'save', Pricing_Rules_Page::SAVE_ACTION, array( 'rule' => $form ) ) );
		$this->assertSame( array(), Pricing_Rules::all() );
		$_GET['error'] = '1';
		ob_start();
		( new Pricing_Rules_Page() )->render();
		$html = (string) ob_get_clean();
		unset( $_GET['error'] );
		$this->assertStringContainsString( 'at most six decimals', $html );
	}

	public function test_a_subscriber_or_a_forged_nonce_changes_no_rule(): void {
		$id   = self::rule( array( 'billing_method' => 'flat', 'unit_rate' => '1' ) );
		$form = array( 'provider' => 'openai', 'model' => 'gpt-4o-mini', 'module' => 'chat', 'scope_type' => 'module', 'billing_method' => 'flat', 'unit_rate' => '3', 'enabled' => '1' );

		wp_set_current_user( $this->user_with_balance( 'subscriber', '0' ) );
		$this->assertStringStartsWith( 'die:', $this->post( 'save', Pricing_Rules_Page::SAVE_ACTION, array( 'rule' => $form ) ) );
		$this->assertStringStartsWith( 'die:', $this->post( 'change', Pricing_Rules_Page::CHANGE_ACTION, array( 'rule_id' => (string) $id, 'change' => 'delete' ) ) );

		wp_set_current_user( 1 );
		$this->assertStringStartsWith( 'die:', $this->post( 'change', Pricing_Rules_Page::CHANGE_ACTION, array( 'rule_id' => (string) $id, 'change' => 'delete' ), true ) );
		$this->assertStringStartsWith( 'die:', $this->post( 'save', Pricing_Rules_Page::SAVE_ACTION, array( 'rule' => $form ), true ) );

		$this->assertCount( 1, Pricing_Rules::all() );
		$this->assertNotNull( Pricing_Rules::find( $id ) );
	}
}
