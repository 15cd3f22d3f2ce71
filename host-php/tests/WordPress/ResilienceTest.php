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
use AIPuffer\Connectors\Storage\Write_Executor;
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

	public function test_retried_writes_charge_and_log_once(): void {
		$user_id = $this->user_with_balance( 'subscriber', '100' );
		$writes  = $this->done_writes( $user_id, '100' );

		$this->assertSame( Write_Executor::APPLIED, ( new Write_Executor() )->apply( $writes['writes'] ) );
		$this->assertSame( Write_Executor::APPLIED, ( new Write_Executor() )->apply( $writes['writes'] ), 'a retry is not a conflict' );

		global $wpdb;
		$key = 'wp-ai-client-' . $writes['request_id'];
		$this->assertSame( '1', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}aipkit_token_ledger WHERE idempotency_key = %s", $key ) ) );
		$this->assertSame( '1', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}aipkit_chat_logs WHERE conversation_uuid = %s", $writes['request_id'] ) ) );
		$this->assertSame( '76', get_user_meta( $user_id, '_aipkit_token_balance', true ), 'debited once: 100 - 24' );
	}

	public function test_a_balance_changed_by_another_request_rolls_everything_back(): void {
		$user_id = $this->user_with_balance( 'subscriber', '50' );
		$writes  = $this->done_writes( $user_id, '100' ); // Decided on a balance that is no longer there.

		$this->assertSame( Write_Executor::CONFLICT, ( new Write_Executor() )->apply( $writes['writes'] ) );
		$this->assertNull( self::ledger_row( $writes['request_id'] ), 'the ledger insert was rolled back' );
		$this->assertNull( self::chat_log_row( $writes['request_id'] ) );
		$this->assertSame( '50', get_user_meta( $user_id, '_aipkit_token_balance', true ) );
	}

	public function test_writes_to_unknown_tables_are_refused(): void {
		$this->expectException( \RuntimeException::class );
		( new Write_Executor() )->apply(
			array( array( 'write' => 'insert', 'table' => 'users', 'row' => array( 'user_login' => 'x' ) ) )
		);
	}

	/**
	 * The writes the engine decides for the Chat Completions vector (24 tokens), for a real user.
	 *
	 * @return array{writes: array<int, array<string, mixed>>, request_id: string}
	 */
	private function done_writes( int $user_id, string $balance_seen ): array {
		$vector                             = json_decode( (string) file_get_contents( dirname( __DIR__, 3 ) . '/tests/vectors/openai-chat-completions-user-debit.json' ) );
		$request_id                         = wp_generate_uuid4();
		$vector->snapshot->request_id       = $request_id;
		$vector->snapshot->actor->user_id   = $user_id;
		$vector->snapshot->actor->balance   = $balance_seen;
		$input                              = (object) array( 'snapshot' => $vector->snapshot, 'call' => $vector->call );
		$engine                             = Requirements::engine();
		$http                               = json_decode( $engine->advance( wp_json_encode( $input ) ) );
		$input->state                       = $http->state;
		$input->responses                   = $vector->steps[0]->responses;
		$done                               = json_decode( $engine->advance( wp_json_encode( $input ) ), true );
		$this->assertSame( 'done', $done['step'] );
		return array( 'writes' => $done['writes'], 'request_id' => $request_id );
	}
}
