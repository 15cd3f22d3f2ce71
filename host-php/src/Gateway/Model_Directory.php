<?php
/**
 * A connector's models for the AI Client, in the order the engine gives them (the site's saved
 * model first).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Common\Exception\InvalidArgumentException;
use WordPress\AiClient\Providers\Contracts\ModelMetadataDirectoryInterface;
use WordPress\AiClient\Providers\Models\DTO\ModelMetadata;

defined( 'ABSPATH' ) || exit;

final class Model_Directory implements ModelMetadataDirectoryInterface {

	private string $id;

	public function __construct( string $id ) {
		$this->id = $id;
	}

	/** @return list<ModelMetadata> */
	public function listModelMetadata(): array {
		return array_values( Directory::models( $this->id ) );
	}

	public function hasModelMetadata( string $modelId ): bool { // phpcs:ignore WordPress.NamingConventions.ValidVariableName -- interface signature.
		return isset( Directory::models( $this->id )[ $modelId ] ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName
	}

	public function getModelMetadata( string $modelId ): ModelMetadata { // phpcs:ignore WordPress.NamingConventions.ValidVariableName
		$models = Directory::models( $this->id );
		if ( ! isset( $models[ $modelId ] ) ) { // phpcs:ignore WordPress.NamingConventions.ValidVariableName
			throw new InvalidArgumentException(
				sprintf( 'AI Puffer Connectors has no model "%1$s" for provider "%2$s".', $modelId, $this->id ) // phpcs:ignore WordPress.NamingConventions.ValidVariableName
			);
		}
		return $models[ $modelId ]; // phpcs:ignore WordPress.NamingConventions.ValidVariableName
	}
}
