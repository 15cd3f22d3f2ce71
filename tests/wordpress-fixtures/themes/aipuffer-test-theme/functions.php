<?php
/**
 * AI Puffer Test Theme: a theme's template code asking the AI Client for text.
 */

function aipuffer_test_theme_prompt( string $text ) {
	return wp_ai_client_prompt( $text )->generate_text_result();
}
