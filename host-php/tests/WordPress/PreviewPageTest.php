<?php
/**
 * AI Puffer > Preview's snapshot: everything the engine in the page needs (the stored settings,
 * the pricing rules, the price list, where the browser engine is) and no API key.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Preview_Page;

final class PreviewPageTest extends Site_Test_Case {

	public function test_the_snapshot_has_what_the_page_engine_needs_and_no_key(): void {
		$snapshot = Preview_Page::snapshot();
		$this->assertContains( 'OpenAI', $snapshot['stored']['credentials'], 'keys are reduced to "has one"' );
		$this->assertArrayHasKey( 'gpt-4.1-mini', (array) $snapshot['prices'] );
		$this->assertStringEndsWith( '/engine/web/aipuffer_js.js', $snapshot['engine'] );
		$json = wp_json_encode( $snapshot );
		foreach ( array_filter( (array) json_decode( (string) getenv( 'DEMO_KEYS' ), true ) ) as $key ) {
			$this->assertStringNotContainsString( (string) $key, $json );
		}
	}

	public function test_the_page_carries_the_snapshot_as_data_and_refuses_non_admins(): void {
		wp_set_current_user( 1 );
		ob_start();
		( new Preview_Page() )->render();
		$html = (string) ob_get_clean();
		$this->assertMatchesRegularExpression( '#<script type="application/json" id="aipuffer-preview-data">\{.*\}</script>#s', $html );
		$this->assertStringNotContainsString( self::demo_key(), $html );

		wp_set_current_user( $this->user_with_balance( 'editor', '0' ) );
		add_filter( 'wp_die_handler', static fn () => static function () {
			throw new \RuntimeException( 'die' );
		} );
		try {
			( new Preview_Page() )->render();
			$this->fail( 'an editor got the page' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'die', $e->getMessage() );
		} finally {
			remove_all_filters( 'wp_die_handler' );
		}
	}
}
