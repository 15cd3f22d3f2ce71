<?php
/**
 * The engine's description of the gateway's providers and models (its `describe` export),
 * computed once per request.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Requirements;

defined( 'ABSPATH' ) || exit;

final class Directory {

	/** @var array<string, array<string, mixed>>|null Provider entries by connector id. */
	private static ?array $providers = null;

	/**
	 * @return array<string, array<string, mixed>> `{id, metadata, configured, models}` by id.
	 */
	public static function providers(): array {
		if ( null === self::$providers ) {
			// Kept only once complete: an engine error here leaves the next call free to try again.
			$described = json_decode( Requirements::engine()->describe( Json::encode( Snapshot_Builder::site() ) ), true );
			$providers = array();
			foreach ( (array) ( $described['providers'] ?? array() ) as $provider ) {
				if ( is_array( $provider ) && isset( $provider['id'] ) ) {
					$providers[ (string) $provider['id'] ] = $provider;
				}
			}
			self::$providers = $providers;
		}
		return self::$providers;
	}

	/** @return array<string, mixed> */
	public static function provider( string $id ): array {
		return self::providers()[ $id ] ?? array(
			'id'         => $id,
			'metadata'   => array( 'id' => $id, 'name' => $id, 'type' => 'cloud' ),
			'configured' => false,
			'models'     => array(),
		);
	}

	public static function reset(): void {
		self::$providers = null;
		Snapshot_Builder::reset();
	}
}
