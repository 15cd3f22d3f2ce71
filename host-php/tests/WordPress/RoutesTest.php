<?php
/**
 * The default routes inside WordPress: "AI Puffer Defaults" first in the AI Client, a caller with
 * no model on the default text route, the fast alias, an explicit choice honoured, an unknown
 * preference landing on the default text route (never an arbitrary model), pins, and the
 * WordPress AI plugin's preference lists.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Settings_Page;
use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

final class RoutesTest extends Site_Test_Case {

	/** @return array{connector: string, model: string} Where a route goes now. */
	private static function route( string $kind ): array {
		foreach ( Site_Snapshot::routes() as $route ) {
			if ( $route['kind'] === $kind ) {
				return array( 'connector' => (string) $route['connector'], 'model' => (string) $route['model'] );
			}
		}
		self::fail( "no $kind route" );
	}

	/** @return array{provider: string, model: string, id: string} Who answered. */
	private static function answered( $result ): array {
		self::assertNotWPError( $result );
		return array( 'provider' => $result->getProviderMetadata()->getId(), 'model' => $result->getModelMetadata()->getId(), 'id' => $result->getId() );
	}

	public function test_the_demo_routes_and_their_aliases(): void {
		$this->assertSame( array( 'connector' => 'openai', 'model' => 'gpt-4.1-mini' ), self::route( 'text' ) );
		$this->assertSame( array( 'connector' => 'openai', 'model' => 'gpt-4.1-mini' ), self::route( 'fast' ), 'the first listed "mini" model' );
		$aliases = Directory::models( 'aipuffer' );
		$this->assertSame( array( 'aipuffer-default-text', 'aipuffer-fast-text', 'aipuffer-default-image' ), array_keys( $aliases ) );
		$this->assertSame( 'Default image model: OpenAI / dall-e-3', $aliases['aipuffer-default-image']->getName(), 'gpt-image-2 is not listed: the first image model' );
		$this->assertSame( 'Default text model: OpenAI / gpt-4.1-mini', $aliases['aipuffer-default-text']->getName() );
		$this->assertSame( 'AI Puffer Defaults', Directory::provider( 'aipuffer' )['metadata']['name'] );
	}

	public function test_a_caller_that_names_no_model_gets_the_default_text_route_and_the_log_says_why(): void {
		$answered = self::answered( wp_ai_client_prompt( 'Write a haiku' )->generate_text_result() );

		$this->assertSame( array( 'openai', 'gpt-4.1-mini' ), array( $answered['provider'], $answered['model'] ), 'the real provider and model, never the alias' );
		$log = self::chat_log_row( $answered['id'] );
		$this->assertNotNull( $log );
		$bot = json_decode( $log['messages'], true )['messages'][1];
		$this->assertSame( 'aipuffer-default-text', $bot['request_payload']['route']['alias'] );
		$this->assertSame( 'The caller asked for aipuffer-default-text.', $bot['request_payload']['route']['why'][0] );
		$this->assertContains( 'Its saved model gpt-4.1-mini is listed → chosen.', $bot['request_payload']['route']['why'] );
	}

	public function test_the_fast_alias_an_explicit_choice_and_an_unknown_preference(): void {
		update_option( Site_Snapshot::ROUTES_OPTION, array( 'fast' => array( 'connector' => 'google', 'model' => 'gemini-2.5-flash' ) ), false );
		Directory::reset();

		$fast = self::answered( wp_ai_client_prompt( 'Hi' )->using_model_preference( array( 'aipuffer', 'aipuffer-fast-text' ) )->generate_text_result() );
		$this->assertSame( array( 'google', 'gemini-2.5-flash' ), array( $fast['provider'], $fast['model'] ) );

		$explicit = self::answered( wp_ai_client_prompt( 'Hi' )->using_model_preference( array( 'anthropic', 'claude-sonnet-4-5' ) )->generate_text_result() );
		$this->assertSame( array( 'anthropic', 'claude-sonnet-4-5' ), array( $explicit['provider'], $explicit['model'] ) );

		$unknown = self::answered( wp_ai_client_prompt( 'Hi' )->using_model_preference( array( 'mistral', 'mistral-large' ), 'no-such-model' )->generate_text_result() );
		$this->assertSame( array( 'openai', 'gpt-4.1-mini' ), array( $unknown['provider'], $unknown['model'] ), 'the default text route, not the first model of some provider' );
		$why = json_decode( self::chat_log_row( $unknown['id'] )['messages'], true )['messages'][1]['request_payload']['route']['why'];
		$this->assertSame( 'The caller preferred "mistral-large" of mistral, "no-such-model"; no connector of this site offers that for this request, so the default route answers.', end( $why ), 'the log says which preferences were not available' );

		$named = json_decode( self::chat_log_row( $fast['id'] )['messages'], true )['messages'][1]['request_payload']['route']['why'];
		$this->assertStringNotContainsString( 'preferred', implode( ' ', $named ), 'a preference that was available is not reported' );
		$plain = self::answered( wp_ai_client_prompt( 'Hi' )->generate_text_result() );
		$this->assertStringNotContainsString( 'preferred', implode( ' ', json_decode( self::chat_log_row( $plain['id'] )['messages'], true )['messages'][1]['request_payload']['route']['why'] ), 'nor a preference an earlier prompt had' );
	}

	public function test_a_pinned_text_route_serves_callers_that_name_no_model(): void {
		update_option( Site_Snapshot::ROUTES_OPTION, Settings_Page::pins( array( 'text' => 'xai|grok-4' ), Settings_Page::manifest_connectors() ), false );
		Directory::reset();

		$answered = self::answered( wp_ai_client_prompt( 'Hi' )->generate_text_result() );

		$this->assertSame( array( 'xai', 'grok-4' ), array( $answered['provider'], $answered['model'] ) );
		$this->assertSame( 'Default text model: xAI / grok-4', Directory::models( 'aipuffer' )['aipuffer-default-text']->getName() );
	}

	public function test_pins_from_the_form_are_checked(): void {
		$connectors = Settings_Page::manifest_connectors();
		$this->assertSame(
			array( 'text' => array( 'connector' => 'openrouter', 'model' => 'openai/gpt-4o-mini' ) ),
			Settings_Page::pins( array( 'text' => 'openrouter|openai/gpt-4o-mini', 'fast' => '' ), $connectors )
		);
		$this->assertSame( array(), Settings_Page::pins( array( 'text' => 'nope|x', 'fast' => 'openai|' ), $connectors ) );
	}

	public function test_the_ai_plugins_preference_lists_get_the_default_text_route_first(): void {
		$core = array( array( 'anthropic', 'claude-sonnet-4-6' ) );

		$this->assertSame( array( array( 'aipuffer', 'aipuffer-default-text' ), $core[0] ), apply_filters( 'wpai_preferred_text_models', $core ) );
		$this->assertSame( array( 'aipuffer', 'aipuffer-default-text' ), apply_filters( 'wpai_preferred_vision_models', $core )[0], 'OpenAI Responses reads images' );

		update_option( Site_Snapshot::ROUTES_OPTION, array( 'text' => array( 'connector' => 'deepseek', 'model' => 'deepseek-chat' ) ), false );
		Directory::reset();
		$this->assertSame( $core, apply_filters( 'wpai_preferred_vision_models', $core ), 'DeepSeek reads no images: vision is left alone' );
		$this->assertSame( 'aipuffer', apply_filters( 'wpai_preferred_text_models', $core )[0][0] );
	}

	public function test_an_image_call_that_names_no_model_gets_the_default_image_route(): void {
		$result = wp_ai_client_prompt( 'A clean product photo on a white background' )->generate_image_result();

		$answered = self::answered( $result );
		$this->assertSame( array( 'openai', 'dall-e-3' ), array( $answered['provider'], $answered['model'] ) );
		$bot = json_decode( self::chat_log_row( $answered['id'] )['messages'], true )['messages'][1];
		$this->assertSame( 'aipuffer-default-image', $bot['request_payload']['route']['alias'] );
		$this->assertSame( array( array( 'aipuffer', 'aipuffer-default-image' ), array( 'google', 'imagen-4.0-generate-001' ) ), apply_filters( 'wpai_preferred_image_models', array( array( 'google', 'imagen-4.0-generate-001' ) ) ) );
	}
}
