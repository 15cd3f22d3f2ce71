<?php
/**
 * Sending the engine's requests: the key goes where the engine says (header or query) and
 * nowhere else, the response is cut at the engine's limit, only a configured local server skips
 * the safe-URL check, and every outcome carries its request's id.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Http\Http_Executor;

final class HttpExecutorTest extends Site_Test_Case {

	/** @var list<array{url: string, args: array<string, mixed>}> */
	private array $sent = array();

	private function capture(): callable {
		$filter = function ( $pre, $args, $url ) {
			$this->sent[] = array( 'url' => $url, 'args' => $args );
			return array( 'headers' => array( 'content-type' => 'application/json' ), 'body' => '{"ok":true}', 'response' => array( 'code' => 200, 'message' => 'OK' ), 'cookies' => array() );
		};
		add_filter( 'pre_http_request', $filter, 10, 3 );
		return $filter;
	}

	private static function request( array $overrides ): array {
		return $overrides + array(
			'id'                 => '1.1',
			'method'             => 'POST',
			'url'                => 'https://api.example.test/v1/responses',
			'headers'            => array( 'Content-Type' => 'application/json' ),
			'body'               => '{}',
			'timeout'            => 30.0,
			'max_response_bytes' => 8388608,
		);
	}

	public function test_the_key_goes_into_the_header_or_the_query_the_engine_names(): void {
		$filter = $this->capture();
		try {
			$outcomes = ( new Http_Executor() )->perform(
				array(
					self::request( array( 'credential' => array( 'provider' => 'OpenAI', 'placement' => 'header', 'name' => 'Authorization', 'prefix' => 'Bearer ' ) ) ),
					self::request( array( 'id' => '1.2', 'credential' => array( 'provider' => 'OpenAI', 'placement' => 'query', 'name' => 'key' ) ) ),
				)
			);
		} finally {
			remove_filter( 'pre_http_request', $filter, 10 );
		}
		$this->assertSame( array( '1.1', '1.2' ), array_column( $outcomes, 'id' ) );
		$this->assertSame( 200, $outcomes[0]['status'] );
		$this->assertSame( 'Bearer ' . self::demo_key(), $this->sent[0]['args']['headers']['Authorization'] );
		$this->assertStringNotContainsString( self::demo_key(), $this->sent[0]['url'] );
		$this->assertSame( 'https://api.example.test/v1/responses?key=' . rawurlencode( self::demo_key() ), $this->sent[1]['url'] );
		$this->assertArrayNotHasKey( 'Authorization', $this->sent[1]['args']['headers'] );
	}

	public function test_the_response_limit_and_the_safe_url_check_follow_the_request(): void {
		$filter = $this->capture();
		try {
			( new Http_Executor() )->perform(
				array(
					self::request( array( 'max_response_bytes' => 1234 ) ),
					self::request( array( 'id' => '1.2', 'url' => 'http://192.168.1.20:11434/api/chat', 'local' => true ) ),
				)
			);
		} finally {
			remove_filter( 'pre_http_request', $filter, 10 );
		}
		$this->assertSame( 1234, $this->sent[0]['args']['limit_response_size'] );
		$this->assertSame( '1.1', $this->sent[0]['args']['httpversion'], 'HTTP/1.1, as the AI Client sends its own calls' );
		$this->assertSame( 0, $this->sent[0]['args']['redirection'], 'a provider answer is never a redirect to follow' );
		$this->assertTrue( $this->sent[0]['args']['reject_unsafe_urls'], 'provider calls go through the safe-URL check' );
		$this->assertFalse( $this->sent[1]['args']['reject_unsafe_urls'], 'a configured local server is allowed' );
	}

	public function test_a_long_answer_is_cut_at_the_limit_and_the_engine_refuses_it(): void {
		$result = wp_ai_client_prompt( 'Write a haiku [[loopback:huge:9]]' )->generate_text_result();
		$this->assertTrue( is_wp_error( $result ) );
		$this->assertSame( 'prompt_upstream_server_error', $result->get_error_code() );
		$this->assertStringContainsString( 'larger than the 8388608 bytes', $result->get_error_message() );
	}
}
