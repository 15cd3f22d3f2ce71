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

	/** The architectures whose wasmtime library the plugin ships, as lib/<arch>/libwasmtime.so. */
	public const SHIPPED_ARCHITECTURES = array( 'x86_64', 'aarch64' );

	/**
	 * Whether the wasmtime library loaded, remembered per library file and PHP build so a page
	 * view need not load it to know (loading costs about a millisecond).
	 */
	public const LIBRARY_CHECK_OPTION = 'aipuffer_connectors_library_check';

	/** @var Engine|null The engine of this request, created on first use. */
	private static ?Engine $engine = null;

	/** @var array{dir: string, kind: string, reason: string}|null The cache folder of this request. */
	private static ?array $cache = null;

	/**
	 * Problems that stop the gateway, as sentences a site owner can act on. Empty when ready.
	 * Cheap: no library is loaded unless this library file was never checked on this PHP.
	 *
	 * @return string[]
	 */
	public static function problems(): array {
		return array_map( array( Server_Setup::class, 'sentence' ), self::diagnosis() );
	}

	/**
	 * Problems that stop the gateway, each with the fixes to choose from.
	 *
	 * @param bool $recheck Load the library again even when its last check is remembered.
	 * @param array<string, mixed>|null $env The server (Server_Setup::environment()); tests pass another.
	 * @return list<array{id: string, message: string, fixes: list<array{where: string, lines: string[], then: string}>}>
	 */
	public static function diagnosis( bool $recheck = false, ?array $env = null ): array {
		$env      = $env ?? Server_Setup::environment();
		$problems = array();
		if ( ! function_exists( 'wp_ai_client_prompt' ) || ! class_exists( \WordPress\AiClient\AiClient::class ) ) {
			$problems[] = array(
				'id'      => 'ai_client',
				'message' => __( 'This WordPress has no AI Client. AI Puffer Connectors needs WordPress 7.0 or newer.', 'aipuffer-connectors' ),
				'fixes'   => array(),
			);
		}
		$library = self::library_problem( $env, $recheck );
		if ( null !== $library ) {
			$problems[] = $library;
		}
		if ( ! is_readable( self::component_path() ) ) {
			$problems[] = array(
				'id'      => 'engine_missing',
				'message' => sprintf(
					/* translators: %s: file path */
					__( 'The engine file is missing at %s. Reinstall the plugin.', 'aipuffer-connectors' ),
					self::component_path()
				),
				'fixes'   => array(),
			);
		}
		return $problems;
	}

	/**
	 * Why wasmtime cannot run here, with the fix, or null when it can.
	 *
	 * @param array<string, mixed> $env
	 * @return array{id: string, message: string, fixes: list<array{where: string, lines: string[], then: string}>}|null
	 */
	private static function library_problem( array $env, bool $recheck ): ?array {
		$arch = Server_Setup::architecture( (string) $env['machine'] );
		if ( ! self::library_overridden() && ( 'Linux' !== $env['os'] || ! in_array( $arch, self::SHIPPED_ARCHITECTURES, true ) ) ) {
			return array(
				'id'      => 'architecture',
				'message' => sprintf(
					/* translators: 1: operating system, 2: machine architecture, 3: list of architectures */
					__( 'This server is %1$s %2$s, and the plugin ships the wasmtime runtime for Linux %3$s only.', 'aipuffer-connectors' ),
					$env['os'],
					$env['machine'],
					implode( ', ', self::SHIPPED_ARCHITECTURES )
				),
				'fixes'   => array( Server_Setup::library_elsewhere( Wasmtime_Library::VERSION ) ),
			);
		}
		$ffi = Server_Setup::ffi_problem( $env, self::preloaded() );
		if ( null !== $ffi ) {
			return $ffi;
		}
		$path = self::library_path();
		if ( ! is_file( $path ) || ! is_readable( $path ) ) {
			if ( self::library_overridden() ) {
				return array(
					'id'      => 'library_missing',
					'message' => sprintf(
						/* translators: %s: file path */
						__( 'AIPUFFER_WASMTIME_LIBRARY in wp-config.php names %s, which does not exist or cannot be read by PHP.', 'aipuffer-connectors' ),
						$path
					),
					'fixes'   => array( Server_Setup::library_elsewhere( Wasmtime_Library::VERSION ) ),
				);
			}
			return array(
				'id'      => 'library_missing',
				'message' => sprintf(
					/* translators: %s: file path */
					__( 'The wasmtime library is missing at %s, or PHP cannot read it. Reinstall the plugin.', 'aipuffer-connectors' ),
					$path
				),
				'fixes'   => array(),
			);
		}
		$error = self::library_error( $path, $recheck );
		if ( '' === $error ) {
			return null;
		}
		return array(
			'id'      => 'library_load',
			'message' => sprintf(
				/* translators: 1: file path, 2: the loader's reason */
				__( 'The wasmtime library at %1$s does not load on this server: %2$s. This happens with musl-based systems (Alpine), a plugin folder mounted noexec, or a library of another version.', 'aipuffer-connectors' ),
				$path,
				$error
			),
			'fixes'   => array( Server_Setup::library_elsewhere( Wasmtime_Library::VERSION ) ),
		);
	}

	/**
	 * Why the library does not load ('' when it does): remembered per library file and PHP build,
	 * else found by loading it.
	 */
	private static function library_error( string $path, bool $recheck ): string {
		$stat = @stat( $path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- checked just before.
		$key  = hash( 'xxh128', $path . '|' . ( $stat ? $stat['size'] . '|' . $stat['mtime'] : '' ) . '|' . PHP_VERSION . '|' . php_uname( 'm' ) );
		$seen = get_option( self::LIBRARY_CHECK_OPTION );
		if ( ! $recheck && is_array( $seen ) && ( $seen['key'] ?? '' ) === $key && is_string( $seen['error'] ?? null ) ) {
			return $seen['error'];
		}
		$error = '';
		try {
			Wasmtime_Library::ffi( $path );
		} catch ( \Throwable $e ) {
			$error = $e->getMessage();
			if ( preg_match( "/Failed resolving C function '([^']+)'/", $error, $m ) ) {
				/* translators: 1: wasmtime version, 2: C function name */
				$error = sprintf( __( 'it is not wasmtime %1$s (it lacks %2$s)', 'aipuffer-connectors' ), Wasmtime_Library::VERSION, $m[1] );
			}
		}
		update_option(
			self::LIBRARY_CHECK_OPTION,
			array(
				'key'        => $key,
				'error'      => $error,
				'checked_at' => time(),
			),
			true
		);
		return $error;
	}

	/** Forgets the remembered library check, so the next diagnosis loads the library again. */
	public static function forget_checks(): void {
		delete_option( self::LIBRARY_CHECK_OPTION );
		self::$cache = null;
	}

	/** Whether wp-config.php names the library (`AIPUFFER_WASMTIME_LIBRARY`). */
	public static function library_overridden(): bool {
		return defined( 'AIPUFFER_WASMTIME_LIBRARY' ) && is_string( AIPUFFER_WASMTIME_LIBRARY ) && '' !== AIPUFFER_WASMTIME_LIBRARY;
	}

	/**
	 * The wasmtime C library: the `AIPUFFER_WASMTIME_LIBRARY` constant, else the copy shipped for
	 * this machine's architecture in the plugin's `lib/<arch>/` folder.
	 */
	public static function library_path(): string {
		if ( self::library_overridden() ) {
			return AIPUFFER_WASMTIME_LIBRARY;
		}
		return Plugin::dir() . '/lib/' . Server_Setup::architecture( php_uname( 'm' ) ) . '/libwasmtime.so';
	}

	public static function component_path(): string {
		return Plugin::dir() . '/engine/engine.wasm';
	}

	/**
	 * Where compiled engine code is cached ('' for nowhere: every request compiles it).
	 */
	public static function cache_dir(): string {
		return self::cache()['dir'];
	}

	/**
	 * The folder for compiled engine code. It is native code: it stays out of the uploads folder
	 * and is writable only by the site's PHP user. wp-content/cache/aipuffer-connectors when PHP
	 * can write there, else a private folder of the PHP user in the temporary directory, else none.
	 *
	 * @return array{dir: string, kind: string, reason: string} kind 'content' (the preferred folder),
	 *         'temp' or 'none'; reason says why the preferred folder is not used ('' when it is).
	 */
	public static function cache(): array {
		if ( null === self::$cache ) {
			$preferred = self::preferred_cache_dir();
			$reason    = self::unusable( $preferred );
			if ( '' === $reason ) {
				self::$cache = array( 'dir' => $preferred, 'kind' => 'content', 'reason' => '' );
			} elseif ( '' === self::unusable( self::temporary_cache_dir(), true ) ) {
				self::$cache = array( 'dir' => self::temporary_cache_dir(), 'kind' => 'temp', 'reason' => $reason );
			} else {
				self::$cache = array( 'dir' => '', 'kind' => 'none', 'reason' => $reason );
			}
		}
		return self::$cache;
	}

	/** The folder the compiled engine goes to when wp-content is writable (filter: aipuffer_connectors_engine_cache_dir). */
	public static function preferred_cache_dir(): string {
		/** Filters the folder that holds the compiled engine. */
		return rtrim( (string) apply_filters( 'aipuffer_connectors_engine_cache_dir', WP_CONTENT_DIR . '/cache/aipuffer-connectors' ), '/' );
	}

	/** The fallback folder in the temporary directory, one per site. */
	public static function temporary_cache_dir(): string {
		return rtrim( get_temp_dir(), '/' ) . '/aipuffer-connectors-' . substr( hash( 'xxh128', ABSPATH . '|' . get_current_blog_id() ), 0, 12 );
	}

	/**
	 * Why $dir cannot hold the compiled engine ('' when it can); creates it when missing.
	 *
	 * @param bool $private Require a folder only this PHP user can enter (a shared temporary
	 *                      directory: nobody else may plant native code there).
	 */
	private static function unusable( string $dir, bool $private = false ): string {
		if ( '' === $dir ) {
			return __( 'no folder is configured', 'aipuffer-connectors' );
		}
		// phpcs:disable WordPress.PHP.NoSilencedErrors, WordPress.WP.AlternativeFunctions -- a refusal is the answer, not an error.
		if ( ! @is_dir( $dir ) && ! @mkdir( $dir, $private ? 0700 : 0755, true ) && ! @is_dir( $dir ) ) {
			/* translators: %s: folder path */
			return sprintf( __( 'PHP cannot create %s', 'aipuffer-connectors' ), $dir );
		}
		if ( ! @is_writable( $dir ) ) {
			/* translators: %s: folder path */
			return sprintf( __( '%s is not writable by PHP', 'aipuffer-connectors' ), $dir );
		}
		if ( $private ) {
			$owner = function_exists( 'posix_geteuid' ) ? posix_geteuid() : @fileowner( __FILE__ );
			$perms = @fileperms( $dir );
			if ( false === $perms || 0 !== ( $perms & 0077 ) || @fileowner( $dir ) !== $owner ) {
				/* translators: %s: folder path */
				return sprintf( __( '%s is not private to the PHP user', 'aipuffer-connectors' ), $dir );
			}
		}
		// phpcs:enable
		return '';
	}

	/**
	 * What the cache folder means for speed, as a sentence for the screen and Site Health ('' when
	 * the preferred folder is used).
	 */
	public static function cache_notice(): string {
		$cache = self::cache();
		if ( 'temp' === $cache['kind'] ) {
			return sprintf(
				/* translators: 1: why, 2: folder path, 3: preferred folder path */
				__( 'The compiled engine is cached in the temporary folder %2$s, because %1$s. Temporary folders are emptied now and then, and each time the engine is compiled again (0.1–0.5 s on the next request). Let PHP write to %3$s to keep it.', 'aipuffer-connectors' ),
				$cache['reason'],
				$cache['dir'],
				self::preferred_cache_dir()
			);
		}
		if ( 'none' === $cache['kind'] ) {
			return sprintf(
				/* translators: 1: why, 2: preferred folder path */
				__( 'The compiled engine cannot be cached, because %1$s and the temporary folder is not usable either: every request that uses the gateway compiles the engine again (0.1–0.5 s). Let PHP write to %2$s.', 'aipuffer-connectors' ),
				$cache['reason'],
				self::preferred_cache_dir()
			);
		}
		return '';
	}

	/**
	 * The versions a support request needs. Loads the engine when $with_engine and nothing stops it.
	 *
	 * @return array{plugin: string, engine: string, wasmtime: string}
	 */
	public static function versions( bool $with_engine ): array {
		$engine = __( 'not loaded', 'aipuffer-connectors' );
		if ( $with_engine ) {
			try {
				$engine = self::engine()->version();
			} catch ( \Throwable $e ) {
				$engine = $e->getMessage();
			}
		}
		return array(
			'plugin'   => Plugin::VERSION,
			'engine'   => $engine,
			'wasmtime' => Wasmtime_Library::VERSION,
		);
	}

	/** Whether the wasmtime declarations were preloaded (ffi.preload with Wasmtime_Library::SCOPE). */
	private static function preloaded(): bool {
		if ( ! class_exists( \FFI::class, false ) ) {
			return false;
		}
		try {
			\FFI::scope( Wasmtime_Library::SCOPE );
			return true;
		} catch ( \Throwable $e ) {
			return false;
		}
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
