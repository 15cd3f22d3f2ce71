<?php
/**
 * What the gateway needs to run, and what to change when something is missing.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors;

use AIPuffer\Connectors\Runtime\Engine;
use AIPuffer\Connectors\Runtime\Wasmtime_Library;

defined( 'ABSPATH' ) || exit;

final class Requirements {

	/** @var Engine|null The engine of this request, created on first use. */
	private static ?Engine $engine = null;

	/**
	 * Problems that stop the gateway, as sentences a site owner can act on. Empty when ready.
	 * Cheap: no library is loaded here.
	 *
	 * @return string[]
	 */
	public static function problems(): array {
		$problems = array();
		if ( ! function_exists( 'wp_ai_client_prompt' ) || ! class_exists( \WordPress\AiClient\AiClient::class ) ) {
			$problems[] = __( 'This WordPress has no AI Client. AI Puffer Connectors needs WordPress 7.0 or newer.', 'aipuffer-connectors' );
		}
		foreach ( Wasmtime_Library::problems( self::library_path(), false ) as $problem ) {
			$problems[] = $problem;
		}
		if ( ! is_readable( self::component_path() ) ) {
			$problems[] = sprintf(
				/* translators: %s: file path */
				__( 'The engine file is missing at %s. Reinstall the plugin.', 'aipuffer-connectors' ),
				self::component_path()
			);
		}
		return $problems;
	}

	/**
	 * The wasmtime C library: the `AIPUFFER_WASMTIME_LIBRARY` constant, else the copy shipped in
	 * the plugin's `lib/` folder.
	 */
	public static function library_path(): string {
		if ( defined( 'AIPUFFER_WASMTIME_LIBRARY' ) && is_string( AIPUFFER_WASMTIME_LIBRARY ) ) {
			return AIPUFFER_WASMTIME_LIBRARY;
		}
		return Plugin::dir() . '/lib/libwasmtime-' . Wasmtime_Library::VERSION . '.so';
	}

	public static function component_path(): string {
		return Plugin::dir() . '/engine/engine.wasm';
	}

	/**
	 * Where compiled engine code is cached. It is native code: keep it outside the uploads folder,
	 * writable only by the site's PHP user.
	 */
	public static function cache_dir(): string {
		$dir = WP_CONTENT_DIR . '/cache/aipuffer-connectors';
		/** Filters the folder that holds the compiled engine. */
		return (string) apply_filters( 'aipuffer_connectors_engine_cache_dir', $dir );
	}

	/**
	 * Replaces the request's engine (tests use it to run one with a tiny fuel budget); null goes
	 * back to the default.
	 */
	public static function use_engine( ?Engine $engine ): void {
		self::$engine = $engine;
	}

	/** The engine for this request. */
	public static function engine(): Engine {
		if ( null === self::$engine ) {
			self::$engine = new Engine( self::library_path(), self::component_path(), self::cache_dir() );
		}
		return self::$engine;
	}
}
