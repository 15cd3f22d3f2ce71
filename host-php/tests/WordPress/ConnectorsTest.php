<?php
/**
 * Every connector end to end in WordPress, against the loopback provider that speaks its wire
 * format: text, image input where the connector declares it, a two-turn ability call through
 * core's using_abilities(), and a JSON-schema answer — each checked in the request the provider
 * received.
 *
 * @package AIPuffer\Connectors
 */

use WordPress\AiClient\Files\DTO\File;
use WordPress\AiClient\Messages\DTO\MessagePart;
use WordPress\AiClient\Messages\DTO\UserMessage;

final class ConnectorsTest extends Site_Test_Case {

	private const ABILITY  = 'aipuffer-test/get-weather';
	private const FUNCTION = 'wpab__aipuffer-test__get-weather';

	/** A 1×1 PNG. */
	private const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

	/** @return array<string, array{string, string, string, string}> id, path, model, ledger provider. */
	public function connectors(): array {
		return array(
			'openai'     => array( 'openai', '/v1/responses', 'gpt-4.1-mini', 'openai' ),
			'google'     => array( 'google', '/google/v1beta/models/gemini-2.5-flash:generateContent', 'gemini-2.5-flash', 'google' ),
			'anthropic'  => array( 'anthropic', '/anthropic/v1/messages', 'claude-sonnet-4-5', 'claude' ),
			'openrouter' => array( 'openrouter', '/openrouter/v1/chat/completions', 'openai/gpt-4o-mini', 'openrouter' ),
			'azure'      => array( 'azure', '/azure/openai/deployments/gpt-4o-mini/chat/completions?api-version=2025-01-01-preview', 'gpt-4o-mini', 'azure' ),
			'deepseek'   => array( 'deepseek', '/deepseek/v1/chat/completions', 'deepseek-chat', 'deepseek' ),
			'xai'        => array( 'xai', '/xai/v1/chat/completions', 'grok-4', 'xai' ),
			'ollama'     => array( 'ollama', '/ollama/api/chat', 'llama3.2:latest', 'ollama' ),
		);
	}

	/** @return array<string, mixed> The one request the provider received. */
	private static function the_request(): array {
		$requests = self::provider_requests();
		self::assertCount( 1, $requests, 'one provider request' );
		return $requests[0];
	}

	private static function declares( string $id, string $option ): bool {
		$models = \AIPuffer\Connectors\Gateway\Directory::models( $id );
		foreach ( reset( $models )->getSupportedOptions() as $supported ) {
			if ( $supported->getName()->value === $option ) {
				return true;
			}
		}
		return false;
	}

	/** @dataProvider connectors */
	public function test_text( string $id, string $path, string $model, string $ledger_provider ): void {
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'Write a haiku' )->using_provider( $id )->using_max_tokens( 200 )->generate_text_result();

		$this->assertNotWPError( $result );
		$this->assertSame( $id, $result->getProviderMetadata()->getId() );
		$this->assertStringEndsWith( 'via AI Puffer', $result->getProviderMetadata()->getName() );
		$this->assertSame( $model, $result->getModelMetadata()->getId() );
		$this->assertStringContainsString( 'Write a haiku', $result->toText() );
		$sent = self::the_request();
		$this->assertSame( $path, $sent['path'] );
		$this->assertStringContainsString( 'Write a haiku', wp_json_encode( $sent['body'] ) );
		$this->assertStringContainsString( '200', wp_json_encode( $sent['body'] ), 'max tokens sent' );
		$ledger = self::ledger_row( $result->getId() );
		$this->assertSame( $ledger_provider, $ledger['provider'] );
		$this->assertSame( $model, $ledger['model'] );
	}

	/** @dataProvider connectors */
	public function test_image_input_where_declared( string $id ): void {
		self::clear_provider_requests();
		$prompt = wp_ai_client_prompt( 'What is in this picture?' )->using_provider( $id )->with_file( new File( self::PNG, 'image/png' ) );

		$result = $prompt->generate_text_result();

		if ( ! self::declares( $id, 'inputModalities' ) || ! in_array( array( 'text', 'image' ), self::modalities( $id ), true ) ) {
			$this->assertTrue( is_wp_error( $result ), "$id does not declare image input: the AI Client picks none of its models" );
			$this->assertSame( array(), self::provider_requests() );
			return;
		}
		$this->assertNotWPError( $result );
		$this->assertStringContainsString( substr( self::PNG, 0, 40 ), wp_json_encode( self::the_request()['body'] ), 'the image data reached the provider' );
	}

	/** @return list<list<string>> */
	private static function modalities( string $id ): array {
		$models = \AIPuffer\Connectors\Gateway\Directory::models( $id );
		foreach ( reset( $models )->getSupportedOptions() as $supported ) {
			if ( 'inputModalities' === $supported->getName()->value ) {
				return array_map( static fn ( $combo ) => array_map( static fn ( $m ) => $m instanceof \BackedEnum ? $m->value : (string) $m, $combo ), (array) $supported->getSupportedValues() );
			}
		}
		return array();
	}

	/** @dataProvider connectors */
	public function test_a_two_turn_ability_call( string $id ): void {
		self::clear_provider_requests();
		$question = new UserMessage( array( new MessagePart( 'What is the weather in Oslo?' ) ) );

		$first = wp_ai_client_prompt( array( $question ) )->using_provider( $id )->using_abilities( self::ABILITY )->generate_text_result();

		$this->assertNotWPError( $first );
		$this->assertSame( 'tool_calls', $first->getCandidates()[0]->getFinishReason()->value );
		$call_message = $first->getCandidates()[0]->getMessage();
		$calls        = array_values( array_filter( $call_message->getParts(), static fn ( $p ) => $p->getType()->isFunctionCall() ) );
		$this->assertSame( self::FUNCTION, $calls[0]->getFunctionCall()->getName() );
		$this->assertStringContainsString( self::FUNCTION, wp_json_encode( self::the_request()['body'] ), 'the ability was declared to the provider' );

		$resolver = new WP_AI_Client_Ability_Function_Resolver( self::ABILITY );
		$results  = $resolver->execute_abilities( $call_message );
		self::clear_provider_requests();

		$second = wp_ai_client_prompt( array( $question, $call_message, $results ) )->using_provider( $id )->using_abilities( self::ABILITY )->generate_text_result();

		$this->assertNotWPError( $second );
		$this->assertStringContainsString( 'sunny in ', $second->toText(), 'the model answered from the ability\'s result' );
		$this->assertStringContainsString( 'sunny in ', wp_json_encode( self::the_request()['body'] ), 'the result was sent back' );
	}

	/** @dataProvider connectors */
	public function test_a_json_schema_answer_where_declared( string $id ): void {
		self::clear_provider_requests();
		$schema = array(
			'type'       => 'object',
			'properties' => array( 'title' => array( 'type' => 'string' ) ),
			'required'   => array( 'title' ),
		);

		$result = wp_ai_client_prompt( 'Suggest a title for a post about cats, as JSON.' )->using_provider( $id )->as_json_response( $schema )->generate_text_result();

		if ( ! self::declares( $id, 'outputSchema' ) ) {
			$this->assertTrue( is_wp_error( $result ), "$id does not declare JSON schemas: the AI Client picks none of its models" );
			return;
		}
		$this->assertNotWPError( $result );
		$data = json_decode( $result->toText(), true );
		$this->assertIsArray( $data, $result->toText() );
		$this->assertIsString( $data['title'] );
		$this->assertStringContainsString( '"title"', wp_json_encode( self::the_request()['body'] ), 'the schema reached the provider' );
	}
}
