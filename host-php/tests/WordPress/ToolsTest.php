<?php
/**
 * Function calling through core's using_abilities(), end to end in WordPress: the model (the
 * loopback provider) calls a registered test ability, core runs it, and the second turn sends
 * the result back — checked in the request the provider received, field by field.
 *
 * @package AIPuffer\Connectors
 */

use WordPress\AiClient\Messages\DTO\UserMessage;
use WordPress\AiClient\Messages\DTO\MessagePart;

final class ToolsTest extends Site_Test_Case {

	private const ABILITY  = 'aipuffer-test/get-weather';
	private const FUNCTION = 'wpab__aipuffer-test__get-weather';

	public function test_the_test_ability_is_registered(): void {
		$this->assertNotNull( wp_get_ability( self::ABILITY ), 'the test site registers it (scripts/lib/site.sh)' );
	}

	public function test_a_two_turn_ability_call_over_the_responses_api(): void {
		self::clear_provider_requests();
		$question = new UserMessage( array( new MessagePart( 'What is the weather in Oslo?' ) ) );

		$first = wp_ai_client_prompt( array( $question ) )->using_abilities( self::ABILITY )->generate_text_result();

		$this->assertNotWPError( $first );
		$this->assertSame( 'tool_calls', $first->getCandidates()[0]->getFinishReason()->value );
		$call_message = $first->getCandidates()[0]->getMessage();
		$call         = $call_message->getParts()[0]->getFunctionCall();
		$this->assertSame( self::FUNCTION, $call->getName() );
		$this->assertSame( array( 'city' => 'loopback' ), $call->getArgs() );
		$sent = self::provider_requests()[0]['body'];
		$this->assertSameData(
			array( 'type' => 'function', 'name' => self::FUNCTION, 'description' => 'The weather in a city.', 'strict' => false ),
			array_diff_key( $sent['tools'][0], array( 'parameters' => true ) )
		);
		$this->assertSame( array( 'city' ), $sent['tools'][0]['parameters']['required'] );

		$resolver = new WP_AI_Client_Ability_Function_Resolver( self::ABILITY );
		$this->assertTrue( $resolver->has_ability_calls( $call_message ) );
		$results = $resolver->execute_abilities( $call_message );

		self::clear_provider_requests();
		$second = wp_ai_client_prompt( array( $question, $call_message, $results ) )->using_abilities( self::ABILITY )->generate_text_result();

		$this->assertNotWPError( $second );
		$this->assertSame( 'Loopback reply to tool results: ' . self::FUNCTION . '=sunny in loopback', $second->toText() );
		$input = self::provider_requests()[0]['body']['input'];
		$this->assertSame( 'message', $input[0]['type'] ?? 'message' );
		$this->assertSameData( array( 'type' => 'function_call', 'call_id' => $call->getId(), 'name' => self::FUNCTION, 'arguments' => '{"city":"loopback"}' ), $input[1] );
		$this->assertSameData( array( 'type' => 'function_call_output', 'call_id' => $call->getId(), 'output' => 'sunny in loopback' ), $input[2] );
		$this->assertNotNull( self::ledger_row( $second->getId() ), 'both turns are recorded' );
		$this->assertNotNull( self::ledger_row( $first->getId() ) );
	}

	public function test_a_json_schema_answer_follows_the_schema(): void {
		self::clear_provider_requests();
		$schema = array(
			'type'       => 'object',
			'properties' => array( 'title' => array( 'type' => 'string' ), 'tags' => array( 'type' => 'array', 'items' => array( 'type' => 'string' ), 'minItems' => 1 ) ),
			'required'   => array( 'title', 'tags' ),
		);

		$result = wp_ai_client_prompt( 'Suggest a title for a post about cats.' )->as_json_response( $schema )->generate_text_result();

		$this->assertNotWPError( $result );
		$data = json_decode( $result->toText(), true );
		$this->assertIsString( $data['title'] );
		$this->assertCount( 1, $data['tags'] );
		$format = self::provider_requests()[0]['body']['text']['format'];
		$this->assertSame( 'json_schema', $format['type'] );
		$this->assertSame( $schema['required'], $format['schema']['required'] );
	}

	public function test_web_search_is_declared_and_sent_only_where_it_is_mapped(): void {
		self::clear_provider_requests();
		$result = wp_ai_client_prompt( 'News about WordPress?' )
			->using_web_search( new \WordPress\AiClient\Tools\DTO\WebSearch( array( 'wordpress.org' ) ) )
			->generate_text_result();
		$this->assertNotWPError( $result );
		$this->assertSameData( array( array( 'type' => 'web_search', 'filters' => array( 'allowed_domains' => array( 'wordpress.org' ) ) ) ), self::provider_requests()[0]['body']['tools'] );

		$this->set_openai( array( 'api_mode' => 'chat_completions' ) );
		$refused = wp_ai_client_prompt( 'News about WordPress?' )->using_provider( 'openai' )->using_web_search( new \WordPress\AiClient\Tools\DTO\WebSearch() )->generate_text_result();
		$this->assertTrue( is_wp_error( $refused ), 'OpenAI in Chat Completions mode does not declare web search, so none of its models qualifies' );
		$this->assertSame( 'prompt_invalid_argument', $refused->get_error_code() );
	}
}
