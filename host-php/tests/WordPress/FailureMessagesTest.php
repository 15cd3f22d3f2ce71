<?php
/**
 * Failures in the site's language: PHP holds a translatable copy of every sentence the engine
 * can say, word for word, and renders a failure exactly as the engine does in English.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Failure_Messages;
use AIPuffer\Connectors\Requirements;

final class FailureMessagesTest extends Site_Test_Case {

	public function test_every_engine_sentence_has_the_same_translatable_template(): void {
		$messages = json_decode( Requirements::engine()->manifest(), true )['messages'];
		$this->assertGreaterThan( 30, count( $messages ) );
		foreach ( $messages as $reason => $template ) {
			$this->assertSame( $template, Failure_Messages::template( $reason ), "reason $reason" );
		}
	}

	public function test_failures_render_as_the_engine_wrote_them(): void {
		$failures = 0;
		foreach ( glob( dirname( __DIR__, 3 ) . '/tests/vectors/*.json' ) as $file ) {
			foreach ( json_decode( (string) file_get_contents( $file ), true )['steps'] ?? array() as $step ) {
				if ( 'fail' === $step['expect']['step'] ) {
					$this->assertSame( $step['expect']['error']['message'], Failure_Messages::render( $step['expect']['error'] ), basename( $file ) );
					++$failures;
				}
			}
		}
		$this->assertGreaterThanOrEqual( 10, $failures );
	}

	public function test_a_translation_is_used_when_the_site_has_one(): void {
		$filter = static fn ( $translation, $text, $domain ) => 'aipuffer-connectors' === $domain && str_starts_with( $text, '{provider} had a server error' )
			? '{provider} hatte einen Serverfehler (HTTP {status}).'
			: $translation;
		add_filter( 'gettext', $filter, 10, 3 );
		try {
			$rendered = Failure_Messages::render( array( 'reason' => 'provider_server_error', 'params' => array( 'provider' => 'OpenAI', 'status' => '503' ), 'message' => 'English' ) );
		} finally {
			remove_filter( 'gettext', $filter, 10 );
		}
		$this->assertSame( 'OpenAI hatte einen Serverfehler (HTTP 503).', $rendered );
		$this->assertSame( 'From a newer engine', Failure_Messages::render( array( 'reason' => 'not_known_yet', 'message' => 'From a newer engine' ) ) );
	}
}
