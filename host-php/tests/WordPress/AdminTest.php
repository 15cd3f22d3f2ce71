<?php
/**
 * Management on and off, the connectors WordPress sees either way, key copying, the settings
 * form's merge, and the refusals every admin action owes: a subscriber and a forged nonce change
 * nothing.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Connection_Test;
use AIPuffer\Connectors\Admin\Management;
use AIPuffer\Connectors\Admin\Settings_Page;

final class AdminTest extends Site_Test_Case {

	private const CORE_KEY_OPTION = 'connectors_ai_openai_api_key';

	protected function setUp(): void {
		parent::setUp();
		delete_option( self::CORE_KEY_OPTION );
		delete_option( Management::DISMISSED_OPTION );
	}

	protected function tearDown(): void {
		delete_option( self::CORE_KEY_OPTION );
		delete_option( Management::DISMISSED_OPTION );
		unset( $_POST['mode'], $_POST['connector'], $_REQUEST['_ajax_nonce'], $_POST['_ajax_nonce'] );
		remove_all_filters( 'wp_doing_ajax' );
		remove_all_filters( 'wp_die_ajax_handler' );
		parent::tearDown();
	}

	/** What WordPress registers on a page load in each mode (a fresh process: load-time behaviour). */
	private static function registrations(): array {
		return self::in_fresh_process(
			<<<'PHP'
			$ids        = \WordPress\AiClient\AiClient::defaultRegistry()->getRegisteredProviderIds();
			$connectors = array();
			foreach ( wp_get_connectors() as $id => $connector ) {
				$connectors[ $id ] = array( 'name' => $connector['name'], 'method' => $connector['authentication']['method'], 'file' => $connector['plugin']['file'] ?? null );
			}
			return array( 'providers' => array_values( $ids ), 'connectors' => $connectors );
			PHP
		);
	}

	public function test_managed_the_ai_client_and_the_connectors_are_ai_puffers_in_its_order(): void {
		$seen = self::registrations();

		$ours = array( 'openai', 'google', 'anthropic', 'openrouter', 'azure', 'deepseek', 'xai', 'ollama' );
		$this->assertSame( $ours, array_values( array_intersect( $seen['providers'], $ours ) ), 'AI Puffer order in the AI Client registry' );
		$this->assertSame( 'OpenAI via AI Puffer', $seen['connectors']['openai']['name'] );
		$this->assertSame( 'Ollama via AI Puffer', $seen['connectors']['ollama']['name'] );
		foreach ( $ours as $id ) {
			$this->assertSame( 'none', $seen['connectors'][ $id ]['method'], "$id keeps its key in AI Puffer's settings" );
			$this->assertSame( 'aipuffer-connectors/aipuffer-connectors.php', $seen['connectors'][ $id ]['file'], "$id is served by this plugin" );
		}
	}

	public function test_stopped_wordpress_has_its_own_connectors_back_and_no_setting_is_lost(): void {
		$before = get_option( 'aipkit_options' );
		Management::set( 'observe' );

		$seen = self::registrations();

		$this->assertSame( 'OpenAI', $seen['connectors']['openai']['name'] );
		$this->assertSame( 'api_key', $seen['connectors']['openai']['method'] );
		$this->assertArrayNotHasKey( 'openrouter', $seen['connectors'] );
		$this->assertNotContains( 'openrouter', $seen['providers'] );
		$this->assertSame( $before, get_option( 'aipkit_options' ) );
	}

	public function test_a_key_saved_in_cores_connector_option_is_copied_into_ai_puffers_settings(): void {
		update_option( self::CORE_KEY_OPTION, ' sk-entered-on-the-core-screen-0001 ' );
		$this->assertSame( 'sk-entered-on-the-core-screen-0001', get_option( 'aipkit_options' )['providers']['OpenAI']['api_key'] );

		update_option( self::CORE_KEY_OPTION, 'sk-entered-on-the-core-screen-0002' );
		$this->assertSame( 'sk-entered-on-the-core-screen-0002', get_option( 'aipkit_options' )['providers']['OpenAI']['api_key'] );

		update_option( self::CORE_KEY_OPTION, '' );
		$this->assertSame( 'sk-entered-on-the-core-screen-0002', get_option( 'aipkit_options' )['providers']['OpenAI']['api_key'], 'clearing core\'s field deletes nothing' );
	}

	public function test_saving_the_form_changes_only_what_it_shows(): void {
		$connectors = Settings_Page::manifest_connectors();
		$options    = array(
			'provider'  => 'OpenAI',
			'elsewhere' => 'kept',
			'providers' => array(
				'OpenAI'     => array( 'api_key' => 'sk-saved-0000000000', 'model' => 'gpt-4.1-mini', 'extra' => 'kept' ),
				'OpenRouter' => array( 'api_key' => 'sk-or-saved-00000000', 'allow_fallbacks' => '1' ),
			),
		);
		$posted = array(
			'provider'  => 'Claude',
			'providers' => array(
				'OpenAI'     => array( 'api_key' => '', 'model' => 'gpt-4o-mini', 'api_mode' => 'chat_completions', 'base_url' => ' https://proxy.example/openai ' ),
				'OpenRouter' => array( 'api_key' => ' sk-or-new-11111111 ', 'remove_key' => '' ),
				'Google'     => array( 'api_mode' => 'nonsense' ),
				'Claude'     => array( 'remove_key' => '1' ),
			),
		);

		$merged = Settings_Page::merge( $options, $posted, $connectors );

		$this->assertSame( 'Claude', $merged['provider'] );
		$this->assertSame( 'kept', $merged['elsewhere'] );
		$this->assertSame( 'sk-saved-0000000000', $merged['providers']['OpenAI']['api_key'], 'an empty key field keeps the key' );
		$this->assertSame( 'gpt-4o-mini', $merged['providers']['OpenAI']['model'] );
		$this->assertSame( 'chat_completions', $merged['providers']['OpenAI']['api_mode'] );
		$this->assertSame( 'https://proxy.example/openai', $merged['providers']['OpenAI']['base_url'] );
		$this->assertSame( 'kept', $merged['providers']['OpenAI']['extra'] );
		$this->assertSame( 'sk-or-new-11111111', $merged['providers']['OpenRouter']['api_key'] );
		$this->assertSame( '1', $merged['providers']['OpenRouter']['allow_fallbacks'] );
		$this->assertArrayNotHasKey( 'api_mode', $merged['providers']['Google'], 'a setting Google does not declare is not stored' );
		$this->assertSame( '', $merged['providers']['Claude']['api_key'] );

		$bad = Settings_Page::merge( $options, array( 'provider' => 'Nope', 'providers' => array( 'OpenAI' => array( 'api_mode' => 'carrier-pigeon' ) ) ), $connectors );
		$this->assertSame( 'OpenAI', $bad['provider'], 'an unknown main provider is refused' );
		$this->assertArrayNotHasKey( 'api_mode', $bad['providers']['OpenAI'], 'a value outside the choices is refused' );
	}

	/**
	 * Runs an AJAX handler as WordPress would, capturing its JSON answer.
	 *
	 * @param callable $handler
	 * @return array<string, mixed>
	 */
	private function ajax( callable $handler, string $nonce_action, array $post, bool $forge = false ): array {
		$_POST                  = $post;
		$_REQUEST['_ajax_nonce'] = $forge ? 'forged1234' : wp_create_nonce( $nonce_action );
		add_filter( 'wp_doing_ajax', '__return_true' );
		add_filter(
			'wp_die_ajax_handler',
			static fn () => static function () {
				throw new \RuntimeException( 'wp_die' );
			}
		);
		ob_start();
		try {
			$handler();
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'wp_die', $e->getMessage() );
		}
		return json_decode( (string) ob_get_clean(), true ) ?? array();
	}

	public function test_a_subscriber_or_a_forged_nonce_cannot_change_the_mode(): void {
		$handler = array( new Management(), 'handle' );

		wp_set_current_user( $this->user_with_balance( 'subscriber', '0' ) );
		$answer = $this->ajax( $handler, Management::ACTION, array( 'mode' => 'observe' ) );
		$this->assertFalse( $answer['success'] );
		$this->assertTrue( Management::managed() );

		wp_set_current_user( 1 );
		$answer = $this->ajax( $handler, Management::ACTION, array( 'mode' => 'observe' ), true );
		$this->assertFalse( $answer['success'] );
		$this->assertTrue( Management::managed() );

		$answer = $this->ajax( $handler, Management::ACTION, array( 'mode' => 'observe' ) );
		$this->assertTrue( $answer['success'] );
		$this->assertSame( 'observe', $answer['data']['mode'] );
		$this->assertFalse( Management::managed() );

		$answer = $this->ajax( $handler, Management::ACTION, array( 'mode' => 'dismiss' ) );
		$this->assertTrue( $answer['data']['dismissed'] );
		$this->assertTrue( Management::banner_dismissed() );
	}

	public function test_a_subscriber_cannot_test_a_connection(): void {
		self::clear_provider_requests();
		wp_set_current_user( $this->user_with_balance( 'subscriber', '0' ) );

		$answer = $this->ajax( array( new Connection_Test(), 'handle' ), Connection_Test::ACTION, array( 'connector' => 'openai' ) );

		$this->assertFalse( $answer['success'] );
		$this->assertSame( array(), self::provider_requests(), 'no provider request' );
	}

	public function test_an_admin_tests_a_connection_and_reads_the_providers_answer(): void {
		self::clear_provider_requests();
		wp_set_current_user( 1 );
		$ledger = self::table_count( 'aipkit_token_ledger' );

		$answer = $this->ajax( array( new Connection_Test(), 'handle' ), Connection_Test::ACTION, array( 'connector' => 'openai' ) );

		$this->assertTrue( $answer['success'], wp_json_encode( $answer ) );
		$this->assertSame( 'gpt-4.1-mini', $answer['data']['model'] );
		$this->assertNotSame( '', $answer['data']['answer'] );
		$this->assertCount( 1, self::provider_requests() );
		$this->assertSame( $ledger, self::table_count( 'aipkit_token_ledger' ), 'a test is not a caller\'s request: nothing recorded' );

		$this->set_openai( array( 'api_key' => 'sk-wrong-key-000000000000' ) );
		$answer = $this->ajax( array( new Connection_Test(), 'handle' ), Connection_Test::ACTION, array( 'connector' => 'openai' ) );
		$this->assertFalse( $answer['success'] );
		$this->assertStringContainsString( 'API key', $answer['data']['message'] );
		$this->assertStringNotContainsString( 'sk-wrong-key-000000000000', wp_json_encode( $answer ) );
	}

	public function test_without_ffi_the_screens_say_what_to_change_and_the_ai_client_is_untouched(): void {
		$seen = self::in_fresh_process(
			<<<'PHP'
			require_once ABSPATH . 'wp-admin/includes/admin.php';
			wp_set_current_user( 1 );
			$page = new \AIPuffer\Connectors\Admin\Settings_Page( \AIPuffer\Connectors\Requirements::problems() );
			$html = array();
			foreach ( array( 'ai', 'developers' ) as $tab ) {
				$_GET['tab'] = $tab;
				ob_start();
				$page->render();
				$html[ $tab ] = ob_get_clean();
			}
			$ids = \WordPress\AiClient\AiClient::defaultRegistry()->getRegisteredProviderIds();
			return array( 'html' => $html, 'ours' => array_values( array_intersect( $ids, array( 'aipuffer', 'openai' ) ) ) );
			PHP,
			array( '-d', 'ffi.enable=0' )
		);

		foreach ( array( 'ai', 'developers' ) as $tab ) {
			$this->assertStringContainsString( 'The gateway cannot run on this server yet.', $seen['html'][ $tab ] );
			$this->assertStringContainsString( 'php_admin_value[ffi.enable] = 1', $seen['html'][ $tab ], 'the exact line to add' );
		}
		$this->assertStringNotContainsString( 'API key', $seen['html']['ai'], 'no form that could not work' );
		$this->assertStringContainsString( 'Let AI Puffer manage the WordPress AI Client connectors', $seen['html']['developers'], 'the switch still works' );
		$this->assertSame( array(), $seen['ours'], 'the AI Client keeps its own providers' );
	}

	public function test_site_health_passes_here_and_fails_with_the_same_advice_without_ffi(): void {
		$check = <<<'PHP'
			require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
			require_once ABSPATH . 'wp-admin/includes/class-wp-debug-data.php';
			$test   = WP_Site_Health::get_tests()['direct']['aipuffer_connectors'];
			$result = call_user_func( $test['test'] );
			$info   = apply_filters( 'debug_information', array() )['aipuffer-connectors']['fields'];
			return array( 'status' => $result['status'], 'description' => $result['description'], 'engine' => $info['engine']['value'], 'wasmtime' => $info['wasmtime']['value'] );
			PHP;

		$ready = self::in_fresh_process( $check );
		$this->assertSame( 'good', $ready['status'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+\.\d+/', $ready['engine'] );
		$this->assertSame( '50.0.1', $ready['wasmtime'] );

		$broken = self::in_fresh_process( $check, array( '-d', 'ffi.enable=0' ) );
		$this->assertSame( 'critical', $broken['status'] );
		$this->assertStringContainsString( 'php_admin_value[ffi.enable] = 1', $broken['description'] );
		$this->assertSame( 'not loaded', $broken['engine'] );
	}
}
