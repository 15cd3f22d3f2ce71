<?php
/**
 * What this server is (architecture, PHP SAPI, its configuration files, how FFI is allowed), and
 * the exact lines an administrator adds to let the gateway run — for this SAPI, in the file this
 * PHP actually reads.
 *
 * Pure: every decision takes the environment as an array (environment() reads the real one), so
 * the advice for php-fpm, Apache or the CLI is tested without those servers.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors;

defined( 'ABSPATH' ) || exit;

final class Server_Setup {

	/**
	 * The running PHP, as the checks and the advice need it. Cheap (no file is read); the
	 * php-fpm pool is looked up only when advice names it (see pool()).
	 *
	 * @return array{os: string, machine: string, sapi: string, php: string, ini_file: string, ini_dir: string, ffi_loaded: bool, ffi_enable: string}
	 */
	public static function environment(): array {
		return array(
			'os'         => PHP_OS_FAMILY,
			'machine'    => php_uname( 'm' ),
			'sapi'       => PHP_SAPI,
			'php'        => PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
			'ini_file'   => (string) php_ini_loaded_file(),
			'ini_dir'    => PHP_CONFIG_FILE_PATH,
			'ffi_loaded' => extension_loaded( 'ffi' ),
			'ffi_enable' => (string) ini_get( 'ffi.enable' ),
		);
	}

	/**
	 * The php-fpm pool serving this request, and its file where Debian and Ubuntu keep it (''
	 * when unknown), unless $env already says.
	 *
	 * @param array<string, mixed> $env
	 * @return array{fpm_pool: string, pool_file: string}
	 */
	public static function pool( array $env ): array {
		if ( isset( $env['fpm_pool'], $env['pool_file'] ) ) {
			return array( 'fpm_pool' => (string) $env['fpm_pool'], 'pool_file' => (string) $env['pool_file'] );
		}
		$pool = '';
		if ( 'fpm-fcgi' === $env['sapi'] && function_exists( 'fpm_get_status' ) ) {
			$status = fpm_get_status();
			$pool   = is_array( $status ) && isset( $status['pool'] ) && is_string( $status['pool'] ) ? $status['pool'] : '';
		}
		$file = '' !== $pool ? "/etc/php/{$env['php']}/fpm/pool.d/{$pool}.conf" : '';
		if ( '' !== $file && ! @is_file( $file ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors -- open_basedir may forbid the look.
			$file = '';
		}
		return array( 'fpm_pool' => $pool, 'pool_file' => $file );
	}

	/**
	 * The architecture name the plugin's lib/ folder uses for `php_uname('m')`.
	 */
	public static function architecture( string $machine ): string {
		$machine = strtolower( trim( $machine ) );
		$aliases = array(
			'amd64' => 'x86_64',
			'x64'   => 'x86_64',
			'arm64' => 'aarch64',
		);
		return $aliases[ $machine ] ?? $machine;
	}

	/**
	 * How `ffi.enable` lets this process use FFI.
	 *
	 * @return string 'on', 'off', or 'preload' (FFI only in the CLI and in preloaded code).
	 */
	public static function ffi_mode( string $ffi_enable ): string {
		$value = strtolower( trim( $ffi_enable ) );
		if ( 'preload' === $value ) {
			return 'preload';
		}
		// The rule of PHP's own parser of the directive (zend_ini_parse_bool).
		if ( in_array( $value, array( 'on', 'yes', 'true' ), true ) ) {
			return 'on';
		}
		return 0 !== (int) $value ? 'on' : 'off';
	}

	/**
	 * What stops FFI in this process, with the fix, or null when FFI may be used.
	 *
	 * @param array<string, mixed> $env       As environment() gives it.
	 * @param bool                 $preloaded Whether the wasmtime declarations were preloaded (ffi.preload).
	 * @return array{id: string, message: string, fixes: list<array{where: string, lines: string[], then: string}>}|null
	 */
	public static function ffi_problem( array $env, bool $preloaded ): ?array {
		if ( empty( $env['ffi_loaded'] ) ) {
			return array(
				'id'      => 'ffi_missing',
				'message' => __( 'PHP\'s FFI extension is not loaded. The gateway runs its engine through it.', 'aipuffer-connectors' ),
				'fixes'   => array(
					array(
						'where' => sprintf(
							/* translators: 1: PHP version such as 8.2, 2: php.ini path */
							__( 'Install or enable the extension (Debian and Ubuntu: it comes with the php%1$s-common package; enable it with "phpenmod ffi"), or add this line to %2$s:', 'aipuffer-connectors' ),
							$env['php'],
							self::ini_file( $env )
						),
						'lines' => array( 'extension=ffi' ),
						'then'  => self::restart( $env ),
					),
				),
			);
		}
		$mode = self::ffi_mode( (string) $env['ffi_enable'] );
		if ( 'on' === $mode || ( 'preload' === $mode && ( 'cli' === $env['sapi'] || $preloaded ) ) ) {
			return null;
		}
		$message = 'preload' === $mode
			? sprintf(
				/* translators: %s: PHP SAPI name such as fpm-fcgi */
				__( 'PHP allows FFI only on the command line here (ffi.enable=preload, the default), not in web requests (%s). The gateway needs it in web requests.', 'aipuffer-connectors' ),
				$env['sapi']
			)
			: sprintf(
				/* translators: %s: the current value of ffi.enable */
				__( 'FFI is turned off in PHP\'s configuration (ffi.enable=%s). The gateway runs its engine through it.', 'aipuffer-connectors' ),
				'' === $env['ffi_enable'] ? '0' : $env['ffi_enable']
			);
		return array(
			'id'      => 'ffi_disabled',
			'message' => $message,
			'fixes'   => self::enable_ffi( $env ),
		);
	}

	/**
	 * The lines that set ffi.enable for this SAPI, first the narrowest place.
	 *
	 * @param array<string, mixed> $env
	 * @return list<array{where: string, lines: string[], then: string}>
	 */
	public static function enable_ffi( array $env ): array {
		$pool_line = 'php_admin_value[ffi.enable] = 1';
		$ini_line  = 'ffi.enable = 1';
		$restart   = self::restart( $env );
		$in_ini    = sprintf(
			/* translators: %s: php.ini path */
			__( 'Or, for every site this PHP serves, add this line to %s:', 'aipuffer-connectors' ),
			self::ini_file( $env )
		);
		switch ( $env['sapi'] ) {
			case 'fpm-fcgi':
				$env = self::pool( $env ) + $env;
				if ( '' !== $env['pool_file'] ) {
					/* translators: 1: pool file path, 2: pool name */
					$where = sprintf( __( 'Add this line to the php-fpm pool that serves this site, %1$s (pool [%2$s]):', 'aipuffer-connectors' ), $env['pool_file'], $env['fpm_pool'] );
				} else {
					$where = sprintf(
						/* translators: 1: pool name, 2: folder such as /etc/php/8.2/fpm/pool.d/ */
						__( 'Add this line to the php-fpm pool that serves this site (pool [%1$s]; Debian and Ubuntu keep pools in %2$s):', 'aipuffer-connectors' ),
						'' !== $env['fpm_pool'] ? $env['fpm_pool'] : 'www',
						'/etc/php/' . $env['php'] . '/fpm/pool.d/'
					);
				}
				return array(
					array( 'where' => $where, 'lines' => array( $pool_line ), 'then' => $restart ),
					array( 'where' => $in_ini, 'lines' => array( $ini_line ), 'then' => $restart ),
				);
			case 'apache2handler':
				return array(
					array(
						/* translators: %s: php.ini path */
						'where' => sprintf( __( 'Add this line to %s:', 'aipuffer-connectors' ), self::ini_file( $env ) ),
						'lines' => array( $ini_line ),
						'then'  => $restart,
					),
					array(
						'where' => __( 'Or add this line to the site\'s Apache virtual host:', 'aipuffer-connectors' ),
						'lines' => array( 'php_admin_value ffi.enable 1' ),
						'then'  => $restart,
					),
				);
			case 'cli':
				return array(
					array(
						/* translators: %s: php.ini path */
						'where' => sprintf( __( 'Add this line to %s (PHP on the command line):', 'aipuffer-connectors' ), self::ini_file( $env ) ),
						'lines' => array( $ini_line ),
						'then'  => '',
					),
					array(
						'where' => __( 'Web requests read their own configuration: under php-fpm, add this line to the site\'s pool:', 'aipuffer-connectors' ),
						'lines' => array( $pool_line ),
						'then'  => __( 'Then reload php-fpm.', 'aipuffer-connectors' ),
					),
				);
			default:
				return array(
					array(
						/* translators: %s: php.ini path */
						'where' => sprintf( __( 'Add this line to %s:', 'aipuffer-connectors' ), self::ini_file( $env ) ),
						'lines' => array( $ini_line ),
						'then'  => $restart,
					),
				);
		}
	}

	/**
	 * The fix for a wasmtime library that is not shipped for, or does not load on, this machine:
	 * a library built for it, named in wp-config.php.
	 *
	 * @param string $version The wasmtime version the plugin was written for.
	 * @return array{where: string, lines: string[], then: string}
	 */
	public static function library_elsewhere( string $version ): array {
		return array(
			'where' => sprintf(
				/* translators: %s: wasmtime version */
				__( 'Put wasmtime %s\'s C library (libwasmtime.so) built for this machine on the server — for example from the wasmtime Python wheel of the same version for this platform — and name it in wp-config.php, above the line "That\'s all, stop editing!":', 'aipuffer-connectors' ),
				$version
			),
			'lines' => array( "define( 'AIPUFFER_WASMTIME_LIBRARY', '/path/to/libwasmtime.so' );" ),
			'then'  => __( 'Then press Check again.', 'aipuffer-connectors' ),
		);
	}

	/**
	 * A problem as one sentence (admin notices, Site Health's text, logs).
	 *
	 * @param array{message: string, fixes?: list<array{where: string, lines: string[], then: string}>} $problem
	 */
	public static function sentence( array $problem ): string {
		$text = $problem['message'];
		foreach ( $problem['fixes'] ?? array() as $fix ) {
			$text .= ' ' . $fix['where'] . ' ' . implode( ' ', $fix['lines'] ) . ( '' !== $fix['then'] ? ' — ' . $fix['then'] : '' );
		}
		return $text;
	}

	/** The php.ini this PHP reads, or where it would read one. */
	private static function ini_file( array $env ): string {
		if ( '' !== $env['ini_file'] ) {
			return $env['ini_file'];
		}
		/* translators: %s: a php.ini path PHP would read */
		return sprintf( __( '%s (PHP reads no php.ini yet: create it)', 'aipuffer-connectors' ), rtrim( (string) $env['ini_dir'], '/' ) . '/php.ini' );
	}

	/** How this SAPI picks up a configuration change. */
	private static function restart( array $env ): string {
		switch ( $env['sapi'] ) {
			case 'fpm-fcgi':
				/* translators: %s: PHP version such as 8.2 */
				return sprintf( __( 'Then reload php-fpm (for example: systemctl reload php%s-fpm) and press Check again.', 'aipuffer-connectors' ), $env['php'] );
			case 'apache2handler':
				return __( 'Then restart Apache (for example: systemctl restart apache2) and press Check again.', 'aipuffer-connectors' );
			case 'cli':
				return '';
			default:
				return __( 'Then restart PHP (or ask your host to) and press Check again.', 'aipuffer-connectors' );
		}
	}
}
