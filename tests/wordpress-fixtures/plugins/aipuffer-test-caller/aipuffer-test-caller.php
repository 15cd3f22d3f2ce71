<?php
/**
 * Plugin Name: AI Puffer Test Caller
 * Description: A plugin that calls the WordPress AI Client (AI Puffer Connectors tests). Not for production.
 * Version: 1.0.0
 */

/** What a plugin's AI feature does: ask the AI Client for text. */
function aipuffer_test_plugin_prompt( string $text ) {
	return wp_ai_client_prompt( $text )->generate_text_result();
}
