<?php
/**
 * The engine's description of the gateway's providers and models (its `describe` export).
 * WordPress needs it on every page load (providers are registered at `init`), so the answer is
 * kept in an autoloaded transient: a page view then reads no AI Puffer option and runs no
 * engine. It is dropped whenever an `aipkit_*` option is added, updated or deleted (see
 * `forget()`), and ignored when the engine build changed.
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
			$engine = basename( Requirements::engine()->cache_file() );
			$cached = get_transient( self::CACHE );
			if ( is_array( $cached ) && ( $cached['engine'] ?? null ) === $engine && is_array( $cached['providers'] ?? null ) ) {
				self::$providers = $cached['providers'];
				return self::$providers;
			}
			// Kept only once complete: an engine error here leaves the next call free to try again.
			$described = Json::decode_object( Requirements::engine()->describe( Json::encode( Snapshot_Builder::site() ) ) );
			$providers = array();
			foreach ( (array) ( $described['providers'] ?? array() ) as $provider ) {
				if ( is_array( $provider ) && isset( $provider['id'] ) ) {
					$providers[ (string) $provider['id'] ] = $provider;
				}
			}
			self::$providers = $providers;
			set_transient( self::CACHE, array( 'engine' => $engine, 'providers' => $providers ) );
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

	/**
	 * Drops the kept description when an AI Puffer option changes (hooked to `added_option`,
	 * `updated_option` and `deleted_option`): settings, catalogs and the gateway mode all live
	 * in `aipkit_*` options.
	 *
	 * @param string $option The option's name.
	 */
	public static function forget( $option ): void {
		if ( is_string( $option ) && 0 === strncmp( $option, 'aipkit_', 7 ) ) {
			delete_transient( self::CACHE );
			self::reset();
		}
	}
}
