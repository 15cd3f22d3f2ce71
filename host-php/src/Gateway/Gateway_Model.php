<?php
/**
 * The model object the AI Client calls. It converts the AI Client's prompt and config to the
 * engine's call and the engine's result back to a `GenerativeAiResult`; the engine decides the
 * rest.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Messages\DTO\Message;
use WordPress\AiClient\Providers\ApiBasedImplementation\Contracts\ApiBasedModelInterface;
use WordPress\AiClient\Providers\DTO\ProviderMetadata;
use WordPress\AiClient\Providers\Http\DTO\RequestOptions;
use WordPress\AiClient\Providers\Models\DTO\ModelConfig;
use WordPress\AiClient\Providers\Models\DTO\ModelMetadata;
use WordPress\AiClient\Providers\Models\ImageGeneration\Contracts\ImageGenerationModelInterface;
use WordPress\AiClient\Providers\Models\TextGeneration\Contracts\TextGenerationModelInterface;
use WordPress\AiClient\Results\DTO\GenerativeAiResult;

defined( 'ABSPATH' ) || exit;

final class Gateway_Model implements TextGenerationModelInterface, ImageGenerationModelInterface, ApiBasedModelInterface {

	private ModelMetadata $metadata;
	private ProviderMetadata $provider_metadata;
	private ModelConfig $config;
	private ?RequestOptions $request_options = null;

	public function __construct( ModelMetadata $metadata, ProviderMetadata $provider_metadata ) {
		$this->metadata          = $metadata;
		$this->provider_metadata = $provider_metadata;
		$this->config            = new ModelConfig();
	}

	public function metadata(): ModelMetadata {
		return $this->metadata;
	}

	public function providerMetadata(): ProviderMetadata { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName -- interface.
		return $this->provider_metadata;
	}

	public function setConfig( ModelConfig $config ): void { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		$this->config = $config;
	}

	public function getConfig(): ModelConfig { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return $this->config;
	}

	public function setRequestOptions( RequestOptions $request_options ): void { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		$this->request_options = $request_options;
	}

	public function getRequestOptions(): ?RequestOptions { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return $this->request_options;
	}

	/**
	 * @param list<Message> $prompt
	 */
	public function generateTextResult( array $prompt ): GenerativeAiResult { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return $this->generate( 'text_generation', $prompt );
	}

	/**
	 * The AI Client asks only models that declare image generation (the engine describes which).
	 *
	 * @param list<Message> $prompt
	 */
	public function generateImageResult( array $prompt ): GenerativeAiResult { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return $this->generate( 'image_generation', $prompt );
	}

	/**
	 * @param list<Message> $prompt
	 */
	private function generate( string $capability, array $prompt ): GenerativeAiResult {
		$call = array(
			'capability'     => $capability,
			'provider'       => $this->provider_metadata->getId(),
			'model'          => $this->metadata->getId(),
			'messages'       => array_map( static fn ( Message $message ): array => $message->toArray(), $prompt ),
			'config'         => (object) $this->config->toArray(),
			'requestOptions' => (object) ( $this->request_options ? $this->request_options->toArray() : array() ),
		);
		return GenerativeAiResult::fromArray( ( new Task_Runner() )->prompt( $call ) );
	}
}
