<?php
/**
 * Benchmark endpoint (copied into the bench site's root by scripts/bench): one text prompt through
 * the provider named in `?provider=` — `openai` (the gateway) or `plain-openai` (the baseline).
 * Prints the text, or the error code.
 */
require __DIR__ . '/wp-load.php';
$aipuffer_result = wp_ai_client_prompt( 'Write a haiku' )
	->using_provider( (string) ( $_GET['provider'] ?? 'openai' ) ) // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	->using_model_preference( 'gpt-4.1-mini' )
	->using_max_tokens( 50 )
	->generate_text_result();
echo is_wp_error( $aipuffer_result ) ? 'error: ' . esc_html( $aipuffer_result->get_error_code() . ' ' . $aipuffer_result->get_error_message() ) : esc_html( $aipuffer_result->toText() );
