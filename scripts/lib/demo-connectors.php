<?php
/**
 * The demo configuration of all eight connectors against the loopback provider: AI Puffer's own
 * settings (`aipkit_options.providers[…]`) and model catalogs (`aipkit_model_registry_*`), in
 * AI Puffer's shapes. One source for scripts/lib/wp-setup.php (the demo and test sites) and the
 * PHP tests. Each non-OpenAI connector's base URL points at the loopback's mount for its wire
 * format (`<loopback>/anthropic`, …), so the formats never collide.
 *
 * Keys are the loopback's demo keys (DEMO_KEYS in scripts/lib/site.sh), given as
 * `{format: key}`; Ollama has none.
 */

/**
 * @param string               $provider_url The loopback provider, e.g. http://127.0.0.1:9999.
 * @param array<string,string> $keys         Demo keys by loopback format name.
 * @return array{options: array<string, mixed>, registries: array<string, array<string, mixed>>}
 */
function aipuffer_demo_connectors( string $provider_url, array $keys ): array {
	$connectors = array(
		// AI Puffer name => [settings (without the key), loopback format, catalog rows].
		'OpenAI'     => array( array( 'model' => 'gpt-4.1-mini', 'base_url' => $provider_url, 'api_version' => 'v1', 'api_mode' => 'responses' ), 'openai', array( 'gpt-4.1-mini' => 'GPT-4.1 mini', 'gpt-4.1-nano' => 'GPT-4.1 nano', 'gpt-4o-mini' => 'GPT-4o mini' ) ),
		'Google'     => array( array( 'model' => 'gemini-2.5-flash', 'base_url' => "$provider_url/google", 'api_version' => 'v1beta' ), 'google', array( 'gemini-2.5-flash' => 'Gemini 2.5 Flash', 'gemini-2.5-pro' => 'Gemini 2.5 Pro' ) ),
		'Claude'     => array( array( 'model' => 'claude-sonnet-4-5', 'base_url' => "$provider_url/anthropic", 'api_version' => '2023-06-01' ), 'anthropic', array( 'claude-sonnet-4-5' => 'Claude Sonnet 4.5', 'claude-haiku-4-5' => 'Claude Haiku 4.5' ) ),
		'OpenRouter' => array( array( 'model' => 'openai/gpt-4o-mini', 'base_url' => "$provider_url/openrouter", 'api_version' => 'v1' ), 'openrouter', array( 'openai/gpt-4o-mini' => 'OpenAI: GPT-4o mini', 'mistralai/mistral-7b-instruct' => 'Mistral 7B Instruct' ) ),
		'Azure'      => array( array( 'model' => 'gpt-4o-mini', 'endpoint' => "$provider_url/azure" ), 'azure', array( 'gpt-4o-mini' => 'gpt-4o-mini (deployment)' ) ),
		'DeepSeek'   => array( array( 'model' => 'deepseek-chat', 'base_url' => "$provider_url/deepseek", 'api_version' => 'v1' ), 'deepseek', array( 'deepseek-chat' => 'DeepSeek Chat', 'deepseek-reasoner' => 'DeepSeek Reasoner' ) ),
		'xAI'        => array( array( 'model' => 'grok-4', 'base_url' => "$provider_url/xai", 'api_version' => 'v1' ), 'xai', array( 'grok-4' => 'Grok 4', 'grok-3' => 'Grok 3' ) ),
		'Ollama'     => array( array( 'model' => 'llama3.2:latest', 'base_url' => "$provider_url/ollama" ), 'ollama', array( 'llama3.2:latest' => 'Llama 3.2', 'qwen3:8b' => 'Qwen3 8B' ) ),
	);
	$options    = array( 'provider' => 'OpenAI', 'providers' => array() );
	$registries = array();
	foreach ( $connectors as $name => list( $settings, $format, $models ) ) {
		if ( isset( $keys[ $format ] ) ) {
			$settings = array( 'api_key' => $keys[ $format ] ) + $settings;
		}
		$options['providers'][ $name ] = $settings;
		$rows                          = array();
		foreach ( $models as $id => $label ) {
			$rows[] = array( 'id' => $id, 'name' => $label );
		}
		$registries[ 'aipkit_model_registry_' . strtolower( $name ) ] = array(
			'schema_version' => 1,
			'provider'       => $name,
			'catalogs'       => array( $name => $rows ),
		);
	}
	// The image models the gateway makes images with (OpenAI's image catalog).
	$registries['aipkit_model_registry_openai']['catalogs']['OpenAIImage'] = array(
		array( 'id' => 'gpt-image-1', 'name' => 'GPT Image 1' ),
		array( 'id' => 'dall-e-3', 'name' => 'DALL·E 3' ),
	);
	$registries['aipkit_model_registry_google']['catalogs']['GoogleImage'] = array(
		array( 'id' => 'gemini-2.5-flash-image', 'name' => 'Nano Banana' ),
	);
	return array( 'options' => $options, 'registries' => $registries );
}
