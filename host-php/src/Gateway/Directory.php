<?php
/**
 * The gateway's providers and models as the AI Client asks for them: provider entries from the
 * small directory (every page load), model lists from the site snapshot (only when asked).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Providers\Models\DTO\ModelMetadata;

defined( 'ABSPATH' ) || exit;

final class Directory {

	/** @var array<string, array<string, ModelMetadata>> Model metadata by connector, then model id. */
	private static array $models = array();

	/**
	 * @return array<string, array<string, mixed>> `{id, configured, metadata}` by connector id.
	 */
	public static function providers(): array {
		$providers = array();
		foreach ( (array) ( Site_Snapshot::directory()['providers'] ?? array() ) as $provider ) {
			if ( is_array( $provider ) && isset( $provider['id'] ) ) {
				$providers[ (string) $provider['id'] ] = $provider;
			}
		}
		return $providers;
	}

	/** @return array<string, mixed> */
	public static function provider( string $id ): array {
		return self::providers()[ $id ] ?? array(
			'id'         => $id,
			'configured' => false,
			'metadata'   => array( 'id' => $id, 'name' => $id, 'type' => 'cloud' ),
		);
	}

	/**
	 * A connector's models in directory order (the site's saved model first). Built once per
	 * request; the models of one metadata template (the connector's, or a variant for models
	 * whose options differ) share its capabilities and options lists, so a catalog of thousands
	 * costs one object per model.
	 *
	 * @return array<string, ModelMetadata> By model id.
	 */
	public static function models( string $id ): array {
		if ( ! isset( self::$models[ $id ] ) ) {
			$connector = Site_Snapshot::connector( $id );
			$described = Site_Snapshot::templates( $id );
			$models    = array();
			$templates = array();
			// Text models, then the image models where the gateway makes images.
			foreach ( array_merge( (array) ( $connector['models'] ?? array() ), (array) ( $connector['image_models'] ?? array() ) ) as $row ) {
				$variant = (string) ( $row['variant'] ?? '' );
				if ( ! isset( $templates[ $variant ] ) ) {
					$template              = $described['model_variants'][ $variant ] ?? $described['model_metadata'] ?? array();
					$templates[ $variant ] = ModelMetadata::fromArray( array( 'id' => '', 'name' => '' ) + (array) $template );
				}
				$shared              = $templates[ $variant ];
				$model_id            = (string) ( $row['id'] ?? '' );
				$models[ $model_id ] = new ModelMetadata( $model_id, (string) ( $row['name'] ?? $model_id ), $shared->getSupportedCapabilities(), $shared->getSupportedOptions() );
			}
			self::$models[ $id ] = $models;
		}
		return self::$models[ $id ];
	}

	public static function reset(): void {
		self::$models = array();
		Site_Snapshot::reset();
	}

	/**
	 * Hooked to option changes: see Site_Snapshot::forget().
	 *
	 * @param string $option The option's name.
	 */
	public static function forget( $option ): void {
		if ( Site_Snapshot::forget( $option ) ) {
			self::$models = array();
		}
	}
}
