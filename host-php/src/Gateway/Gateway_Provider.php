<?php
/**
 * An AI Client provider whose metadata, availability and models come from the engine. One small
 * subclass per connector id exists only because the AI Client identifies providers by class.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Providers\AbstractProvider;
use WordPress\AiClient\Providers\Contracts\ModelMetadataDirectoryInterface;
use WordPress\AiClient\Providers\Contracts\ProviderAvailabilityInterface;
use WordPress\AiClient\Providers\DTO\ProviderMetadata;
use WordPress\AiClient\Providers\Models\Contracts\ModelInterface;
use WordPress\AiClient\Providers\Models\DTO\ModelMetadata;

defined( 'ABSPATH' ) || exit;

abstract class Gateway_Provider extends AbstractProvider {

	/** The connector id, set by each subclass. */
	public const ID = '';

	protected static function createProviderMetadata(): ProviderMetadata {
		return ProviderMetadata::fromArray( Directory::provider( static::ID )['metadata'] );
	}

	protected static function createProviderAvailability(): ProviderAvailabilityInterface {
		return new Availability( static::ID );
	}

	protected static function createModelMetadataDirectory(): ModelMetadataDirectoryInterface {
		return new Model_Directory( static::ID );
	}

	protected static function createModel( ModelMetadata $model_metadata, ProviderMetadata $provider_metadata ): ModelInterface {
		return new Gateway_Model( $model_metadata, $provider_metadata );
	}
}
