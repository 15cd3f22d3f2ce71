<?php
/**
 * Plugin Name: Plain OpenAI-compatible provider (benchmark baseline)
 * Description: The AI Client's own OpenAI-compatible implementation, pointed at the loopback
 * provider, so the gateway's overhead can be measured against a provider without it. Installed
 * as a must-use plugin by scripts/bench only. Reads the provider URL and key from constants.
 */

use WordPress\AiClient\AiClient;
use WordPress\AiClient\Providers\ApiBasedImplementation\AbstractApiProvider;
use WordPress\AiClient\Providers\Contracts\ModelMetadataDirectoryInterface;
use WordPress\AiClient\Providers\Contracts\ProviderAvailabilityInterface;
use WordPress\AiClient\Providers\DTO\ProviderMetadata;
use WordPress\AiClient\Providers\Enums\ProviderTypeEnum;
use WordPress\AiClient\Providers\Http\DTO\ApiKeyRequestAuthentication;
use WordPress\AiClient\Providers\Http\DTO\Request;
use WordPress\AiClient\Providers\Http\Enums\HttpMethodEnum;
use WordPress\AiClient\Providers\Http\Enums\RequestAuthenticationMethod;
use WordPress\AiClient\Providers\Models\Contracts\ModelInterface;
use WordPress\AiClient\Providers\Models\DTO\ModelMetadata;
use WordPress\AiClient\Providers\Models\DTO\SupportedOption;
use WordPress\AiClient\Providers\Models\Enums\CapabilityEnum;
use WordPress\AiClient\Providers\Models\Enums\OptionEnum;
use WordPress\AiClient\Messages\Enums\ModalityEnum;
use WordPress\AiClient\Providers\OpenAiCompatibleImplementation\AbstractOpenAiCompatibleTextGenerationModel;

if ( ! class_exists( AbstractOpenAiCompatibleTextGenerationModel::class ) ) {
	return;
}

final class AIPuffer_Bench_Plain_Model extends AbstractOpenAiCompatibleTextGenerationModel {
	protected function createRequest( HttpMethodEnum $method, string $path, array $headers = array(), $data = null ): Request {
		return new Request( $method, AIPUFFER_BENCH_PROVIDER_URL . '/v1/' . ltrim( $path, '/' ), $headers, $data, $this->getRequestOptions() );
	}
}

final class AIPuffer_Bench_Plain_Directory implements ModelMetadataDirectoryInterface {
	public function listModelMetadata(): array {
		return array( $this->getModelMetadata( 'gpt-4.1-mini' ) );
	}
	public function hasModelMetadata( string $modelId ): bool {
		return 'gpt-4.1-mini' === $modelId;
	}
	public function getModelMetadata( string $modelId ): ModelMetadata {
		return new ModelMetadata(
			'gpt-4.1-mini',
			'GPT-4.1 mini',
			array( CapabilityEnum::textGeneration(), CapabilityEnum::chatHistory() ),
			array(
				new SupportedOption( OptionEnum::temperature() ),
				new SupportedOption( OptionEnum::maxTokens() ),
				new SupportedOption( OptionEnum::systemInstruction() ),
				new SupportedOption( OptionEnum::inputModalities(), array( array( ModalityEnum::text() ) ) ),
				new SupportedOption( OptionEnum::outputModalities(), array( array( ModalityEnum::text() ) ) ),
			)
		);
	}
}

final class AIPuffer_Bench_Plain_Provider extends AbstractApiProvider {
	protected static function baseUrl(): string {
		return AIPUFFER_BENCH_PROVIDER_URL . '/v1';
	}
	protected static function createModel( ModelMetadata $modelMetadata, ProviderMetadata $providerMetadata ): ModelInterface {
		return new AIPuffer_Bench_Plain_Model( $modelMetadata, $providerMetadata );
	}
	protected static function createProviderMetadata(): ProviderMetadata {
		return new ProviderMetadata( 'plain-openai', 'Plain OpenAI-compatible (benchmark)', ProviderTypeEnum::cloud(), null, RequestAuthenticationMethod::apiKey() );
	}
	protected static function createProviderAvailability(): ProviderAvailabilityInterface {
		return new class() implements ProviderAvailabilityInterface {
			public function isConfigured(): bool {
				return true;
			}
		};
	}
	protected static function createModelMetadataDirectory(): ModelMetadataDirectoryInterface {
		return new AIPuffer_Bench_Plain_Directory();
	}
}

add_action(
	'init',
	static function (): void {
		$registry = AiClient::defaultRegistry();
		$registry->registerProvider( AIPuffer_Bench_Plain_Provider::class );
		$registry->setProviderRequestAuthentication( 'plain-openai', new ApiKeyRequestAuthentication( AIPUFFER_BENCH_PROVIDER_KEY ) );
	},
	11
);
