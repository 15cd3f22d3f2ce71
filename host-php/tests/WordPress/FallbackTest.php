<?php
/**
 * Fallback inside WordPress: off by default; on, a passing failure of one connector sends the
 * call to the next in the administrator's order — one answer, one charge, every attempt in the
 * log — and a refused key never falls back.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Settings_Page;
use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

final class FallbackTest extends Site_Test_Case {

	private function turn_on( array $order ): void {
		update_option( Site_Snapshot::FALLBACK_OPTION, array( 'enabled' => true, 'order' => $order ), false );
		Directory::reset();
	}

	private static function ask_openai( string $text ) {
		return wp_ai_client_prompt( $text )->using_provider( 'openai' )->generate_text_result();
	}

	public function test_a_503_from_the_first_connector_is_answered_by_the_next_and_charged_once(): void {
		$this->turn_on( array( 'openai', 'anthropic' ) );
		self::clear_provider_requests();
		$ledger = self::table_count( 'aipkit_token_ledger' );

		$result = self::ask_openai( 'Write a haiku [[loopback:503-html@openai]]' );

		$this->assertNotWPError( $result );
		$this->assertSame( 'anthropic', $result->getProviderMetadata()->getId(), 'the connector that answered' );
		$this->assertSame( 'claude-sonnet-4-5', $result->getModelMetadata()->getId(), "Anthropic's saved model" );
		$paths = array_column( self::provider_requests(), 'path' );
		$this->assertSame( array( '/v1/responses', '/anthropic/v1/messages' ), $paths );
		$this->assertSame( $ledger + 1, self::table_count( 'aipkit_token_ledger' ), 'one answer, one ledger row' );
		$this->assertSame( 'claude', self::ledger_row( $result->getId() )['provider'] );
		$bot = json_decode( self::chat_log_row( $result->getId() )['messages'], true )['messages'][1];
		$failed = $bot['request_payload']['failed_attempts'];
		$this->assertCount( 1, $failed );
		$this->assertSame( array( 'openai', 'gpt-4.1-mini', 'provider_server_error' ), array( $failed[0]['connector'], $failed[0]['model'], $failed[0]['reason'] ) );
	}

	public function test_off_by_default_the_failure_is_the_callers(): void {
		self::clear_provider_requests();

		$result = self::ask_openai( 'Write a haiku [[loopback:503-html@openai]]' );

		$this->assertWPError( $result );
		$this->assertSame( 'prompt_upstream_server_error', $result->get_error_code() );
		$this->assertCount( 1, self::provider_requests() );
	}

	public function test_a_refused_key_never_falls_back(): void {
		$this->turn_on( array( 'anthropic' ) );
		self::clear_provider_requests();

		$result = self::ask_openai( 'Write a haiku [[loopback:401@openai]]' );

		$this->assertWPError( $result );
		$this->assertSame( 'prompt_client_error', $result->get_error_code() );
		$this->assertCount( 1, self::provider_requests() );
	}

	public function test_the_form_keeps_the_ticked_providers_in_their_positions(): void {
		$connectors = Settings_Page::manifest_connectors();
		$posted     = array(
			'enabled'  => '1',
			'use'      => array( 'xai' => '1', 'openai' => '1', 'google' => '1' ),
			'position' => array( 'xai' => '1', 'openai' => '3', 'google' => '2', 'deepseek' => '4' ),
		);
		$this->assertSame( array( 'enabled' => true, 'order' => array( 'xai', 'google', 'openai' ) ), Settings_Page::fallback( $posted, $connectors ) );
		$this->assertSame( array( 'enabled' => false, 'order' => array() ), Settings_Page::fallback( array(), $connectors ) );
	}

	private function assertWPError( $value ): void {
		$this->assertInstanceOf( \WP_Error::class, $value );
	}
}
