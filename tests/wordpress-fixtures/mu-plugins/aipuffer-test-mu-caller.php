<?php
/**
 * Plugin Name: AI Puffer Test MU Caller
 * Description: A must-use plugin that calls the WordPress AI Client (AI Puffer Connectors tests). Not for production.
 */

/** What a site's own must-use code does: ask the AI Client for text. */
function aipuffer_test_mu_prompt( string $text ) {
	return wp_ai_client_prompt( $text )->generate_text_result();
}
