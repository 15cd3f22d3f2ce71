<?php
/**
 * PHPUnit bootstrap for the runtime tests: no WordPress, just an autoloader and two paths.
 *
 * Run: phpunit --bootstrap host-php/tests/bootstrap-runtime.php host-php/tests/Runtime
 *
 * AIPUFFER_WASMTIME_LIBRARY  libwasmtime.so of wasmtime 50.0.1
 *                            (default ~/.cache/aipuffer-connectors/wasmtime-50.0.1/libwasmtime.so)
 * AIPUFFER_ENGINE_COMPONENT  the engine component (default <repo>/pkg/engine.wasm, else /tmp/engine-opt.wasm)
 *
 * A missing file is not a reason to skip: the tests fail and say how to get it.
 *
 * @package AIPuffer\Connectors
 */

spl_autoload_register(
	static function ( string $class ): void {
		$prefix = 'AIPuffer\\Connectors\\';
		if ( 0 !== strncmp( $class, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$file = dirname( __DIR__ ) . '/src/' . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
		if ( is_file( $file ) ) {
			require $file;
		}
	}
);

( static function (): void {
	$home    = getenv( 'HOME' ) ?: ( function_exists( 'posix_getpwuid' ) ? posix_getpwuid( posix_geteuid() )['dir'] : '/root' );
	$library = getenv( 'AIPUFFER_WASMTIME_LIBRARY' ) ?: $home . '/.cache/aipuffer-connectors/wasmtime-50.0.1/libwasmtime.so';

	$component = getenv( 'AIPUFFER_ENGINE_COMPONENT' );
	if ( ! $component ) {
		$component = dirname( __DIR__, 2 ) . '/pkg/engine.wasm';
		if ( ! is_file( $component ) && is_file( '/tmp/engine-opt.wasm' ) ) {
			$component = '/tmp/engine-opt.wasm'; // Until the build publishes pkg/engine.wasm.
		}
	}
	define( 'AIPUFFER_TEST_WASMTIME_LIBRARY', $library );
	define( 'AIPUFFER_TEST_ENGINE_COMPONENT', $component );
} )();
