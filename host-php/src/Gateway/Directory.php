<?php
/**
 * The engine's description of the gateway's providers and models (its `describe` export).
 * WordPress needs it on every page load (providers are registered at `init`), so the answer is
 * kept in a transient keyed by everything it depends on — the settings and catalogs the engine
 * reads and the engine build — and the engine only runs when one of them changed.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Requirements;

defined( 'ABSPATH' ) || exit;

final class Directory {

	private const CACHE = 'aipuffer_connectors_directory';

	/** @var array<string, array<string, mixed>>|null Provider entries by connector id. */
	private static ?array $providers = null;

	/**
	 * @return array<string, array<string, mixed>> `{id, metadata, configured, models}` by id.
	 */
	public static function providers(): array {
		if ( null === self::$providers ) {
			$site   = Json::encode( Snapshot_Builder::site() );
			$key    = hash( 'xxh128', $site . '|' . Requirements::engine()->cache_file() );
			$cached = get_transient( self::CACHE );
			if ( is_array( $cached ) && ( $cached['key'] ?? null ) === $key && is_array( $cached['providers'] ?? null ) ) {
				self::$providers = $cached['providers'];
				return self::$providers;
			}
			// Kept only once complete: an engine error here leaves the next call free to try again.
			$described = json_decode( Requirements::engine()->describe( $site ), true );
			$providers = array();
			foreach ( (array) ( $described['providers'] ?? array() ) as $provider ) {
				if ( is_array( $provider ) && isset( $provider['id'] ) ) {
					$providers[ (string) $provider['id'] ] = $provider;
				}
			}
			self::$providers = $providers;
			set_transient( self::CACHE, array( 'key' => $key, 'providers' => $providers ) );
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
