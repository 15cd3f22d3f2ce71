<?php
/**
 * The site as the engine sees it, built once per settings change and kept:
 *
 * - what the host reads is only what the engine's manifest names — the gateway mode, the main
 *   provider, each connector's declared settings, which providers have an API key (never the
 *   key), and AI Puffer's catalog options by name;
 * - the engine's `prepare` turns that into the site snapshot (settings with defaults, models
 *   de-duplicated in directory order), kept as JSON text in a non-autoloaded option — and, for
 *   requests that prompt, as a PHP file OPcache serves without a query (Snapshot_File) — and
 *   handed to the engine verbatim when a task starts, and the directory (providers only, small),
 *   kept in an autoloaded option because every page load registers the providers.
 *
 * Both carry the generation they were built at: a change of any option the snapshot was built
 * from bumps it, so a snapshot built from settings read before a change is never taken for a
 * current one. Other `aipkit_*` options (AI Puffer keeps many, some busy) leave it alone.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Requirements;

defined( 'ABSPATH' ) || exit;

final class Site_Snapshot {

	public const MODE_OPTION = 'aipkit_wp_ai_client_gateway_mode';

	/** Autoloaded: read on every page load. */
	public const DIRECTORY_OPTION = 'aipuffer_connectors_directory';

	/** Not autoloaded: read when the AI Client lists models or a task starts. */
	public const SITE_OPTION = 'aipuffer_connectors_site';

	/** The routes an administrator pinned: `{text|fast: {connector, model}}` (ours, not AI Puffer's). */
	public const ROUTES_OPTION = 'aipuffer_connectors_routes';

	/** The fallback order: `{enabled, order: [connector ids]}` (ours, not AI Puffer's). */
	public const FALLBACK_OPTION = 'aipuffer_connectors_fallback';

	/** Spending caps: `[{caller, period: day|month, unit: credits|usd, limit}]` (ours). */
	public const CAPS_OPTION = 'aipuffer_connectors_caps';

	/** Autoloaded, tiny: changes whenever an AI Puffer option does. */
	public const GENERATION_OPTION = 'aipuffer_connectors_generation';

	/** @var array<string, mixed>|null */
	private static ?array $directory = null;

	/** @var string|null The site snapshot as JSON text. */
	private static ?string $site_json = null;

	/** @var array<string, mixed>|null The site snapshot decoded, for model lists. */
	private static ?array $site = null;

	/** @var array<string, mixed>|null How each connector's models are described, by connector id. */
	private static ?array $templates = null;

	/** Whether AI Puffer manages the AI Client (an autoloaded option: free to read). */
	public static function managed(): bool {
		return 'managed' === get_option( self::MODE_OPTION, 'observe' );
	}

	/**
	 * @return array{managed: bool, providers: list<array<string, mixed>>}
	 */
	public static function directory(): array {
		if ( null === self::$directory ) {
			$kept = self::kept( self::DIRECTORY_OPTION, 'directory' );
			if ( is_array( $kept ) ) {
				self::$directory = $kept;
			} else {
				self::build();
			}
		}
		return self::$directory;
	}

	/** The site snapshot as the engine made it, JSON text. */
	public static function site_json(): string {
		if ( null === self::$site_json ) {
			self::load();
		}
		return (string) self::$site_json;
	}

	/**
	 * How one connector's models are described to the AI Client: `{model_metadata, model_variants}`
	 * (`ModelMetadata::toArray()` without id and name; the site's model rows name their variant).
	 * Kept beside the site, not in it: the engine never reads them.
	 *
	 * @return array<string, mixed>
	 */
	public static function templates( string $id ): array {
		if ( null === self::$templates ) {
			self::load();
		}
		return (array) ( self::$templates[ $id ] ?? array() );
	}

	/**
	 * Takes the snapshot kept for the current key: from the file beside the compiled engine (no
	 * query: OPcache holds it), else from the option (and keeps the file for the next request),
	 * else builds it.
	 */
	private static function load(): void {
		$key  = self::key();
		$kept = Snapshot_File::read( $key );
		if ( null === $kept ) {
			$option = get_option( self::SITE_OPTION );
			if ( is_array( $option ) && ( $option['key'] ?? null ) === $key && is_string( $option['site'] ?? null ) && is_array( $option['templates'] ?? null ) ) {
				$kept = array( 'site' => $option['site'], 'templates' => $option['templates'] );
				Snapshot_File::write( $key, $kept['site'], $kept['templates'] );
			}
		}
		if ( null === $kept ) {
			self::build();
			return;
		}
		self::$site_json = $kept['site'];
		self::$templates = $kept['templates'];
	}

	/**
	 * The snapshot's entry for one connector: `{id, available, configured, settings, models, image_models, synced_at}`.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function connector( string $id ): ?array {
		foreach ( (array) ( self::site()['connectors'] ?? array() ) as $connector ) {
			if ( is_array( $connector ) && ( $connector['id'] ?? null ) === $id ) {
				return $connector;
			}
		}
		return null;
	}

	/**
	 * The default routes, each `{kind, alias, connector, model, pinned, why: [{reason, params, message}]}`.
	 *
	 * @return list<array<string, mixed>>
	 */
	public static function routes(): array {
		return array_values( array_filter( (array) ( self::site()['routes'] ?? array() ), 'is_array' ) );
	}

	/** @return array<string, mixed> The site snapshot, decoded once per request. */
	private static function site(): array {
		if ( null === self::$site ) {
			self::$site = Json::decode_object( self::site_json() );
		}
		return self::$site;
	}

	/** Forgets what this request read (after a settings change, and in tests). */
	public static function reset(): void {
		self::$directory = null;
		self::$site_json = null;
		self::$site      = null;
		self::$templates = null;
	}

	/**
	 * Hooked to `added_option`, `updated_option` and `deleted_option`: makes the snapshot stale
	 * when an option it is built from changes.
	 *
	 * @param string $option The option's name.
	 * @return bool Whether it did.
	 */
	public static function forget( $option ): bool {
		if ( ! is_string( $option ) || ! self::is_watched( $option ) ) {
			return false;
		}
		update_option( self::GENERATION_OPTION, (string) ( (int) get_option( self::GENERATION_OPTION, '0' ) + 1 ), true );
		self::reset();
		return true;
	}

	/**
	 * Whether the snapshot is built from this option: the names kept with the directory (its
	 * settings, the gateway mode, the site's time zone and the catalogs the manifest names), or,
	 * before a first build, any AI Puffer option.
	 */
	private static function is_watched( string $option ): bool {
		$kept = get_option( self::DIRECTORY_OPTION );
		if ( is_array( $kept ) && is_array( $kept['watch'] ?? null ) ) {
			return in_array( $option, $kept['watch'], true );
		}
		return 0 === strncmp( $option, 'aipkit_', 7 ) || in_array( $option, array( 'gmt_offset', self::ROUTES_OPTION, self::FALLBACK_OPTION, self::CAPS_OPTION ), true );
	}

	/** The generation and engine build a kept snapshot must carry to be current. */
	private static function key(): string {
		return get_option( self::GENERATION_OPTION, '0' ) . '|' . Requirements::engine()->identity();
	}

	/**
	 * A part kept in an option, if it was built at the current generation by this engine build.
	 *
	 * @return mixed Null when missing or stale.
	 */
	private static function kept( string $option, string $part ) {
		$kept = get_option( $option );
		return is_array( $kept ) && ( $kept['key'] ?? null ) === self::key() ? ( $kept[ $part ] ?? null ) : null;
	}

	/**
	 * Reads what the manifest names, lets the engine prepare it and keeps both parts. The key is
	 * taken before the settings are read: a change in between makes this build stale at once.
	 */
	private static function build(): void {
		$key      = self::key();
		$engine   = Requirements::engine();
		$manifest = Json::decode_object( $engine->manifest() );
		// Objects kept as objects: the site goes back to the engine as it came, `{}` and all.
		$prepared = json_decode( $engine->prepare( Json::encode( self::stored( $manifest ) ) ), false, 512, JSON_THROW_ON_ERROR );
		if ( ! isset( $prepared->site, $prepared->directory, $prepared->templates ) ) {
			throw new \UnexpectedValueException( (string) ( $prepared->error->message ?? 'The engine could not prepare the site snapshot.' ) );
		}
		self::$site_json = Json::encode( $prepared->site );
		self::$directory = Json::decode_object( Json::encode( $prepared->directory ) );
		self::$site      = null;
		self::$templates = Json::decode_object( Json::encode( $prepared->templates ) );
		$watch           = array_merge( array( 'aipkit_options', self::MODE_OPTION, self::ROUTES_OPTION, self::FALLBACK_OPTION, self::CAPS_OPTION, 'gmt_offset' ), (array) ( $manifest['catalog_options'] ?? array() ) );
		update_option( self::SITE_OPTION, array( 'key' => $key, 'site' => self::$site_json, 'templates' => self::$templates ), false );
		Snapshot_File::write( $key, self::$site_json, self::$templates );
		update_option( self::DIRECTORY_OPTION, array( 'key' => $key, 'directory' => self::$directory, 'watch' => $watch ), true );
	}

	/**
	 * What `prepare` takes, for the admin preview to prepare in the page: no API key in it.
	 *
	 * @return array<string, mixed>
	 */
	public static function stored_for_preview(): array {
		return self::stored( Json::decode_object( Requirements::engine()->manifest() ) );
	}

	/**
	 * What the engine's `prepare` takes: only what the manifest names, API keys reduced to "has one".
	 *
	 * @param array<string, mixed> $manifest
	 * @return array<string, mixed>
	 */
	private static function stored( array $manifest ): array {
		$options   = get_option( 'aipkit_options', array() );
		$options   = is_array( $options ) ? $options : array();
		$saved     = is_array( $options['providers'] ?? null ) ? $options['providers'] : array();
		$providers = array();
		$keys      = array();
		foreach ( (array) ( $manifest['settings'] ?? array() ) as $name => $declared ) {
			$settings = is_array( $saved[ $name ] ?? null ) ? $saved[ $name ] : array();
			$picked   = array();
			foreach ( (array) $declared as $key ) {
				if ( array_key_exists( $key, $settings ) ) {
					$picked[ $key ] = $settings[ $key ];
				}
			}
			$providers[ $name ] = (object) $picked;
			if ( is_string( $settings['api_key'] ?? null ) && '' !== trim( $settings['api_key'] ) ) {
				$keys[] = (string) $name;
			}
		}
		return array(
			'managed'       => self::managed(),
			'gmt_offset'    => (int) round( (float) get_option( 'gmt_offset', 0 ) * HOUR_IN_SECONDS ),
			'main_provider' => is_scalar( $options['provider'] ?? null ) ? (string) $options['provider'] : '',
			'providers'     => (object) $providers,
			'credentials'   => $keys,
			'catalogs'      => (object) self::catalog_options( (array) ( $manifest['catalog_options'] ?? array() ) ),
			'pins'          => (object) (array) get_option( self::ROUTES_OPTION, array() ),
			'fallback'      => (object) (array) get_option( self::FALLBACK_OPTION, array() ),
			'caps'          => array_values( (array) get_option( self::CAPS_OPTION, array() ) ),
		);
	}

	/**
	 * Catalog options by name in one query (AI Puffer keeps them out of autoload, so one
	 * get_option() each would cost a query each).
	 *
	 * @param string[] $names
	 * @return array<string, mixed>
	 */
	private static function catalog_options( array $names ): array {
		global $wpdb;
		if ( array() === $names ) {
			return array();
		}
		$placeholders = implode( ', ', array_fill( 0, count( $names ), '%s' ) );
		$rows         = $wpdb->get_results(
			// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- only %s placeholders are interpolated.
			$wpdb->prepare( "SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name IN ({$placeholders})", $names )
		);
		$catalogs = array();
		foreach ( (array) $rows as $row ) {
			$catalogs[ $row->option_name ] = maybe_unserialize( $row->option_value );
		}
		return $catalogs;
	}
}
