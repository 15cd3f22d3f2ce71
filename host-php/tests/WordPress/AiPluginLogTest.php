<?php
/**
 * The WordPress AI plugin's request log: when its logging API exists, every gateway request is
 * written there too — answered or failed — with provider, model, tokens, duration and status.
 *
 * @package AIPuffer\Connectors
 */

namespace WordPress\AI {
	if ( ! function_exists( 'WordPress\AI\log_ai_request' ) ) {
		/** The AI plugin's logging API, as 1.3.0 documents it; the test keeps what it receives. */
		function log_ai_request( array $data ) {
			$GLOBALS['aipuffer_test_ai_plugin_log'][] = $data;
			return 'log-' . count( $GLOBALS['aipuffer_test_ai_plugin_log'] );
		}
	}
}

namespace {
	final class AiPluginLogTest extends Site_Test_Case {

		protected function setUp(): void {
			parent::setUp();
			$GLOBALS['aipuffer_test_ai_plugin_log'] = array();
		}

		public function test_answered_and_failed_requests_reach_the_ai_plugins_log(): void {
			wp_set_current_user( 1 );
			$result = wp_ai_client_prompt( 'Log me' )->using_model_preference( array( 'openai', 'gpt-4.1-mini' ) )->generate_text_result();
			$this->assertNotWPError( $result );
			$failed = wp_ai_client_prompt( 'Fail [[loopback:401@openai]]' )->using_model_preference( array( 'openai', 'gpt-4.1-mini' ) )->generate_text_result();
			$this->assertTrue( is_wp_error( $failed ) );

			$log = $GLOBALS['aipuffer_test_ai_plugin_log'];
			$this->assertCount( 2, $log );
			$this->assertSame( array( 'text', 'generate_text', 'openai', 'gpt-4.1-mini', 'success', 1 ), array( $log[0]['type'], $log[0]['operation'], $log[0]['provider'], $log[0]['model'], $log[0]['status'], $log[0]['user_id'] ) );
			$this->assertSame( $result->getTokenUsage()->getPromptTokens(), $log[0]['tokens_input'] );
			$this->assertSame( $result->getTokenUsage()->getCompletionTokens(), $log[0]['tokens_output'] );
			$this->assertSame( $result->getId(), $log[0]['context']['request_id'] );
			$this->assertIsInt( $log[0]['duration_ms'] );
			$this->assertSame( 'error', $log[1]['status'] );
			$this->assertStringNotContainsString( self::demo_key(), wp_json_encode( $log ) );
		}
	}
}
