<?php
/**
 * Loading wasmtime's C API through PHP's FFI extension.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Runtime;

/**
 * The FFI binding to wasmtime's shared library, one per process.
 *
 * The declarations in wasmtime.h are hand-written for exactly one wasmtime release: struct layouts
 * of the component-model API change between majors, and the library has no version function to
 * ask, so the version is pinned by the file the caller points at (the shared library of the PyPI
 * wheel `wasmtime==50.0.1`).
 *
 * Works outside WordPress: the library path is always passed in by the caller.
 */
final class Wasmtime_Library {

	/** The wasmtime release wasmtime.h was written against. Part of the compiled-cache key. */
	public const VERSION = '50.0.1';

	/**
	 * The FFI scope name for preloaded declarations (`ffi.preload` or `FFI::load()` in an
	 * `opcache.preload` script, with a header from preload_header()).
	 */
	public const SCOPE = 'AIPUFFER_WASMTIME';

	/**
	 * Parsed bindings by library path. Parsing the header costs ≈0.3 ms and dlopen() is per
	 * process anyway, so every Engine in a process shares one binding.
	 *
	 * @var array<string, \FFI>
	 */
	private static array $bindings = array();

	/**
	 * Library paths whose binding came from the preloaded scope: that library stays loaded for
	 * the life of the process.
	 *
	 * @var array<string, true>
	 */
	private static array $resident = array();

	/**
	 * Whether the library stays loaded after this request (preloaded declarations), so native
	 * objects made with it may be kept for later requests (see Worker_Handles).
	 */
	public static function is_resident( string $library_path ): bool {
		return isset( self::$resident[ $library_path ] );
	}

	/**
	 * The FFI binding for the wasmtime library at $library_path.
	 *
	 * Uses the preloaded scope when there is one (needed under `ffi.enable=preload` in web
	 * requests), else parses wasmtime.h with FFI::cdef() once per process.
	 *
	 * @param string $library_path Absolute path of libwasmtime.so.
	 * @return \FFI
	 * @throws \FFI\Exception When FFI refuses (restricted by ffi.enable), the library cannot be
	 *                        loaded, or a declared function is missing from it.
	 * @throws \RuntimeException When the FFI extension is not loaded.
	 */
	public static function ffi( string $library_path ): \FFI {
		if ( isset( self::$bindings[ $library_path ] ) ) {
			return self::$bindings[ $library_path ];
		}
		if ( ! extension_loaded( 'ffi' ) ) {
			throw new \RuntimeException( "PHP's FFI extension is not loaded." );
		}
		try {
			$ffi                              = \FFI::scope( self::SCOPE );
			self::$resident[ $library_path ] = true;
		} catch ( \FFI\Exception $e ) {
			// Not preloaded (the usual case): parse the declarations ourselves.
			$header = file_get_contents( __DIR__ . '/wasmtime.h' );
			if ( false === $header ) {
				throw new \RuntimeException( 'Cannot read ' . __DIR__ . '/wasmtime.h' );
			}
			$ffi = \FFI::cdef( $header, $library_path );
		}
		self::$bindings[ $library_path ] = $ffi;
		return $ffi;
	}

	/**
	 * Why wasmtime cannot be used here, as sentences an admin can act on.
	 *
	 * Never throws, so it can feed an admin notice or a site-health test directly. Loads the
	 * library on success (the binding is cached, so a following Engine call pays nothing more).
	 *
	 * With `$load` false nothing is loaded (loading costs about a millisecond, too much for every
	 * page view): only the settings and the file are checked, and a library that then fails to
	 * load is reported by the Engine when it is first used.
	 *
	 * @param string $library_path Absolute path of libwasmtime.so.
	 * @param bool   $load         Whether to load the library to be sure.
	 * @return string[] Empty when wasmtime is usable.
	 */
	public static function problems( string $library_path, bool $load = true ): array {
		if ( isset( self::$bindings[ $library_path ] ) ) {
			return array();
		}
		if ( ! extension_loaded( 'ffi' ) ) {
			return array( "PHP's FFI extension is not loaded: install or enable it (ext-ffi, e.g. the php-ffi package or extension=ffi in php.ini)." );
		}
		$mode = self::ffi_mode();
		if ( 'off' === $mode ) {
			return array( 'FFI is disabled (ffi.enable=' . ini_get( 'ffi.enable' ) . '): set ffi.enable=1 (php_admin_value[ffi.enable] = 1 in the php-fpm pool).' );
		}

		if ( ! $load ) {
			if ( 'preload' === $mode && 'cli' !== PHP_SAPI && ! self::preloaded() ) {
				return array( 'FFI is disabled for web requests (ffi.enable=preload, PHP SAPI ' . PHP_SAPI . '): set ffi.enable=1 (php_admin_value[ffi.enable] = 1 in the php-fpm pool) or preload the wasmtime declarations (ffi.preload, scope ' . self::SCOPE . ') together with these runtime classes (opcache.preload).' );
			}
			if ( ! is_file( $library_path ) ) {
				return array( "wasmtime library not found at {$library_path}." );
			}
			return is_readable( $library_path ) ? array() : array( "wasmtime library at {$library_path} is not readable by the PHP user." );
		}

		$problems = array();
		try {
			self::ffi( $library_path );
			return array();
		} catch ( \Throwable $e ) {
			$error = $e->getMessage();
		}

		if ( false !== strpos( $error, 'restricted by "ffi.enable"' ) ) {
			// `preload` allows FFI in the CLI only, so this shows up in web requests while a
			// WP-CLI test of the same site works.
			$problems[] = 'FFI is disabled for web requests (ffi.enable=' . ini_get( 'ffi.enable' ) . ', PHP SAPI ' . PHP_SAPI . '): set ffi.enable=1 (php_admin_value[ffi.enable] = 1 in the php-fpm pool) or preload the wasmtime declarations (ffi.preload, scope ' . self::SCOPE . ') together with these runtime classes (opcache.preload).';
		}
		if ( ! is_file( $library_path ) ) {
			$problems[] = "wasmtime library not found at {$library_path}.";
		} elseif ( ! is_readable( $library_path ) ) {
			$problems[] = "wasmtime library at {$library_path} is not readable by the PHP user.";
		} elseif ( preg_match( "/Failed resolving C function '([^']+)'/", $error, $m ) ) {
			$problems[] = "the file at {$library_path} is not wasmtime " . self::VERSION . " (missing symbol {$m[1]}).";
		} elseif ( false !== strpos( $error, 'Failed loading' ) ) {
			// dlopen()'s own reason: wrong architecture, not a shared library, a noexec mount …
			$problems[] = "the wasmtime library at {$library_path} could not be loaded: {$error}";
		}
		if ( ! $problems ) {
			$problems[] = "wasmtime could not be loaded from {$library_path}: {$error}";
		}
		return $problems;
	}

	/**
	 * wasmtime.h with the directives FFI::load() needs, for ops who preload the declarations
	 * (write it to a file and name that file in `ffi.preload`).
	 *
	 * @param string $library_path Absolute path of libwasmtime.so.
	 * @return string
	 */
	public static function preload_header( string $library_path ): string {
		return '#define FFI_SCOPE "' . self::SCOPE . "\"\n"
			. '#define FFI_LIB "' . $library_path . "\"\n"
			. file_get_contents( __DIR__ . '/wasmtime.h' );
	}

	/** Whether the declarations were preloaded (`ffi.preload` with scope self::SCOPE). */
	private static function preloaded(): bool {
		try {
			\FFI::scope( self::SCOPE );
			return true;
		} catch ( \Throwable $e ) {
			return false;
		}
	}

	/**
	 * How `ffi.enable` restricts FFI in this process.
	 *
	 * @return string 'on', 'off', or 'preload' (FFI only in the CLI and in preloaded code).
	 */
	private static function ffi_mode(): string {
		$value = strtolower( trim( (string) ini_get( 'ffi.enable' ) ) );
		if ( 'preload' === $value ) {
			return 'preload';
		}
		// Same rule as PHP's own parser of the directive (zend_ini_parse_bool).
		if ( in_array( $value, array( 'on', 'yes', 'true' ), true ) ) {
			return 'on';
		}
		return 0 !== (int) $value ? 'on' : 'off';
	}
}
