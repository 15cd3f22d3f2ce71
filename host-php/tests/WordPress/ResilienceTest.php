<?php
/**
 * What happens when something is missing or goes wrong: no fatal error, a clear explanation, the
 * AI Client intact; engine traps become errors; retried writes never charge twice.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Providers\Openai_Provider;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Runtime\Engine;
use WordPress\AiClient\AiClient;

final class ResilienceTest extends Site_Test_Case {

	/** Loads WordPress in a fresh process and reports what the plugin did. */
	private const REPORT = <<<'PHP'
		$user = get_users( array( 'role' => 'administrator', 'number' => 1 ) )[0];
		wp_set_current_user( $user->ID );
		ob_start();
		do_action( 'admin_notices' );
		$notice = ob_get_clean();
		$result = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();
		return array(
			'problems'   => AIPuffer\Connectors\Requirements::problems(),
			'registered' => WordPress\AiClient\AiClient::defaultRegistry()->hasProvider( 'openai' ),
			'notice'     => $notice,
			'result'     => is_wp_error( $result ) ? $result->get_error_code() : $result->toText(),
		);
PHP;

	public function test_without_ffi_the_plugin_explains_what_to_change_and_does_nothing_else(): void {
		$report = self::in_fresh_process( self::REPORT, array( '-d', 'ffi.enable=0' ) );
		$this->assertFalse( $report['registered'], 'no provider registered' );
		$this->assertStringContainsString( 'ffi.enable', implode( ' ', $report['problems'] ) );
		$this->assertStringContainsString( 'AI Puffer Connectors is not running', $report['notice'] );
		$this->assertStringContainsString( 'ffi.enable', $report['notice'] );
		$this->assertSame( 'prompt_invalid_argument', $report['result'], 'the AI Client still answers, with its own error' );
	}

	public function test_without_the_wasmtime_library_the_notice_names_the_path(): void {
		$report = self::in_fresh_process( self::REPORT, array(), "define( 'AIPUFFER_WASMTIME_LIBRARY', '/nonexistent/libwasmtime.so' );" );
		$this->assertFalse( $report['registered'] );
		$this->assertStringContainsString( '/nonexistent/libwasmtime.so', $report['notice'] );
	}

	public function test_with_management_off_no_connector_is_taken_over(): void {
		update_option( 'aipkit_wp_ai_client_gateway_mode', 'observe' );
		$report = self::in_fresh_process( self::REPORT );
		$this->assertSame( array(), $report['problems'] );
		$this->assertFalse( $report['registered'] );
		$this->assertSame( '', trim( wp_strip_all_tags( $report['notice'] ) ) );
		$this->assertSame( 'prompt_invalid_argument', $report['result'] );
	}

	public function test_with_management_on_a_fresh_request_is_served(): void {
		$report = self::in_fresh_process( self::REPORT );
		$this->assertTrue( $report['registered'] );
		$this->assertSame( 'Loopback reply to: Write a haiku', $report['result'] );
	}

	public function test_a_page_view_without_a_prompt_reads_no_ai_puffer_option_and_runs_no_engine(): void {
		self::in_fresh_process( 'return array();' ); // Leaves the provider directory cached, as any earlier request would.
		$report = self::in_fresh_process(
			'global $wpdb;
			return array(
				"registered"   => WordPress\AiClient\AiClient::defaultRegistry()->hasProvider( "openai" ),
				"engine"       => AIPuffer\Connectors\Requirements::engine()->cache_status(),
				"aipkit_reads" => array_values( array_map( fn ( $q ) => $q[0], array_filter( $wpdb->queries, fn ( $q ) => false !== strpos( $q[0], "aipkit" ) ) ) ),
			);',
			array(),
			"define( 'SAVEQUERIES', true );"
		);
		$this->assertTrue( $report['registered'] );
		$this->assertSame( 'not loaded', $report['engine'] );
		$this->assertSame( array(), $report["aipkit_reads"] );
	}

	public function test_a_visitors_page_view_loads_no_admin_screen_and_wp_admin_loads_them(): void {
		// A probe answers, at the end of WordPress's loading, which of the plugin's classes the
		// request loaded: the site's own php-fpm, not this CLI process (which registers them all).
		$probe = WPMU_PLUGIN_DIR . '/aipuffer-test-loaded-classes.php';
		file_put_contents(
			$probe,
			'<?php // ResilienceTest\'s probe, removed by the test.
			add_action(
				"wp_loaded",
				static function () {
					if ( isset( $_GET["aipuffer_loaded_classes"] ) ) {
						wp_send_json(
							array(
								"classes"    => array_values( array_filter( get_declared_classes(), static fn ( $c ) => 0 === strpos( $c, "AIPuffer" ) ) ),
								"registered" => WordPress\AiClient\AiClient::defaultRegistry()->hasProvider( "openai" ),
							)
						);
					}
				},
				PHP_INT_MAX
			);'
		);
		try {
			$loaded = static function ( string $path ): array {
				$response = wp_remote_get( getenv( 'WP_URL' ) . $path . '?aipuffer_loaded_classes=1', array( 'timeout' => 30 ) );
				self::assertSame( 200, wp_remote_retrieve_response_code( $response ), is_wp_error( $response ) ? $response->get_error_message() : wp_remote_retrieve_body( $response ) );
				return (array) json_decode( wp_remote_retrieve_body( $response ), true );
			};
			$page  = $loaded( '/' );
			$admin = $loaded( '/wp-admin/admin-ajax.php' );
		} finally {
			unlink( $probe );
		}
		// Management is left out: the connectors' takeover asks its on/off switch on every request.
		$screens = array( 'Recording_Failures_Notice', 'Settings_Page', 'Logs_Page', 'Requirements_Screen', 'Connection_Test', 'Pricing_Rules_Page', 'Balance_Field', 'Caps_Notice', 'Preview_Page' );
		foreach ( $screens as $screen ) {
			$this->assertNotContains( "AIPuffer\\Connectors\\Admin\\{$screen}", $page['classes'], "a page view loads no {$screen}" );
			$this->assertContains( "AIPuffer\\Connectors\\Admin\\{$screen}", $admin['classes'], "admin-ajax.php registers {$screen}" );
		}
		$this->assertTrue( $page['registered'], 'the page view still serves the AI Client through the gateway' );
		$this->assertContains( 'AIPuffer\\Connectors\\Admin\\Connectors_Screen', $page['classes'], 'the Connectors registry is built outside wp-admin too' );
	}

	public function test_changed_settings_reach_the_directory_at_once(): void {
		$this->assertTrue( AiClient::defaultRegistry()->isProviderConfigured( 'openai' ) );
		update_option( 'aipkit_model_registry_openai', array( 'catalogs' => array( 'OpenAI' => array( array( 'id' => 'gpt-only-this' ) ) ) ), false );
		$models = array_map( fn ( $m ) => $m->getId(), Openai_Provider::modelMetadataDirectory()->listModelMetadata() );
		$this->assertSame( array( 'gpt-only-this' ), $models );
		$report = self::in_fresh_process( 'return array_map( fn ( $m ) => $m->getId(), AIPuffer\Connectors\Gateway\Providers\Openai_Provider::modelMetadataDirectory()->listModelMetadata() );' );
		$this->assertSame( array( 'gpt-only-this' ), $report );
	}

	public function test_an_engine_trap_becomes_a_wp_error_and_the_next_request_works(): void {
		$ledger_rows = self::table_count( 'aipkit_token_ledger' );
		Requirements::use_engine( new Engine( Requirements::library_path(), Requirements::component_path(), Requirements::cache_dir(), 1000 ) );
		try {
			$result = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();
		} finally {
			Requirements::use_engine( null );
		}
		$this->assertTrue( is_wp_error( $result ) );
		$this->assertSame( 'prompt_builder_error', $result->get_error_code() );
		$this->assertStringContainsString( 'AI Puffer engine', $result->get_error_message() );
		$this->assertStringNotContainsString( 'wasm', $result->get_error_message() );
		$this->assertSame( $ledger_rows, self::table_count( 'aipkit_token_ledger' ) );

		$again = wp_ai_client_prompt( 'Write a haiku' )->generate_text_result();
		$this->assertNotWPError( $again );
	}

	public function test_uninstall_removes_the_plugins_own_things_and_nothing_of_ai_puffers(): void {
		global $wpdb;
		$cache = sys_get_temp_dir() . '/aipuffer-uninstall-' . wp_rand();
		mkdir( $cache );
		file_put_contents( $cache . '/engine-0123-50.0.1-fuel.cwasm', 'compiled' );
		$ledger_rows = self::table_count( 'aipkit_token_ledger' );
		$kept        = array();
		foreach ( array( 'aipuffer_connectors_schema_version', 'aipuffer_connectors_demo_configured' ) as $name ) {
			$kept[ $name ] = get_option( $name );
		}
		\AIPuffer\Connectors\Gateway\Site_Snapshot::site_json(); // The snapshot options exist.

		$report = self::in_fresh_process(
			'add_filter( "aipuffer_connectors_engine_cache_dir", fn () => ' . var_export( $cache, true ) . ' );
			define( "WP_UNINSTALL_PLUGIN", "aipuffer-connectors/aipuffer-connectors.php" );
			include WP_PLUGIN_DIR . "/aipuffer-connectors/uninstall.php";
			global $wpdb;
			return $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE \"aipuffer\\_connectors\\_%\"" );'
		);
		wp_cache_flush(); // Another process changed the options this one has cached.
		\AIPuffer\Connectors\Gateway\Directory::reset();
		foreach ( $kept as $name => $value ) {
			update_option( $name, $value, true );
		}

		$this->assertSame( array(), $report, 'every aipuffer_connectors_* option is gone' );
		$this->assertDirectoryDoesNotExist( $cache, 'the compiled engine is gone' );
		$this->assertIsArray( get_option( 'aipkit_options' ), 'AI Puffer settings stay' );
		$this->assertSame( $ledger_rows, self::table_count( 'aipkit_token_ledger' ), 'AI Puffer ledger stays' );
		$this->assertNotFalse( $wpdb->get_var( "SELECT 1 FROM {$wpdb->prefix}aipkit_chat_logs LIMIT 1" ) );
	}
}
