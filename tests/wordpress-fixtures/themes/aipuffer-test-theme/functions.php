<?php
/**
 * AI Puffer Test Theme: a theme's template code asking the AI Client for text.
 */

function aipuffer_test_theme_prompt( string $text ) {
	return wp_ai_client_prompt( $text )->generate_text_result();
}

/** A template rendering something of the test plugin's that asks the AI Client (a shortcode, say). */
function aipuffer_test_theme_renders_plugin_prompt( string $text ) {
	return aipuffer_test_plugin_prompt( $text );
}
