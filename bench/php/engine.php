<?php
/**
 * Benchmark of the PHP engine runtime (wasmtime 50.0.1 through FFI).
 *
 * Usage: php bench/php/engine.php [--runs=N]
 *        php bench/php/engine.php --footprint=warm|cold|flush --requests=N   (for bench/footprint.mjs)
 *
 *   AIPUFFER_WASMTIME_LIBRARY  default ~/.cache/aipuffer-connectors/wasmtime-50.0.1/libwasmtime.so
 *   AIPUFFER_ENGINE_COMPONENT  default <repo>/pkg/engine.wasm, else /tmp/engine-opt.wasm
 *   AIPUFFER_ENGINE_CACHE      compiled-component cache folder, default <tmp>/aipuffer-bench-cache
 *
 * Measures (a) a cold CLI process that loads the engine from a warm on-disk cache and makes one
 * manifest + one advance call, against `php -r ''`; (b) per-request setup inside one process:
 * new Engine + first call; (c) warm calls (a task start: the site snapshot + a ≈2 KB call); (d) a whole managed request's
 * engine work as the host does it — start, outcome, locked balance, JSON included. Medians.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Runtime\Engine;

foreach ( array( 'Engine_Error', 'Wasmtime_Library', 'Engine' ) as $aipuffer_class ) {
	require_once dirname( __DIR__, 2 ) . "/host-php/src/Runtime/{$aipuffer_class}.php";
}
// The host's JSON handling (Gateway\Json, Continuation); its files refuse to load outside WordPress unless ABSPATH is set.
defined( 'ABSPATH' ) || define( 'ABSPATH', dirname( __DIR__, 2 ) . '/' );
require_once dirname( __DIR__, 2 ) . '/host-php/src/Gateway/Json.php';
require_once dirname( __DIR__, 2 ) . '/host-php/src/Gateway/Continuation.php';
require_once __DIR__ . '/engine-case.php';

/**
 * The paths every part of the benchmark uses.
 *
 * @return array{0: string, 1: string, 2: string} Library, component, cache folder.
 */
function aipuffer_bench_paths(): array {
	$home    = getenv( 'HOME' ) ?: '/root';
	$library = getenv( 'AIPUFFER_WASMTIME_LIBRARY' ) ?: $home . '/.cache/aipuffer-connectors/wasmtime-50.0.1/libwasmtime.so';
	$component = getenv( 'AIPUFFER_ENGINE_COMPONENT' );
	if ( ! $component ) {
		$component = dirname( __DIR__, 2 ) . '/pkg/engine.wasm';
		if ( ! is_file( $component ) ) {
			$component = '/tmp/engine-opt.wasm';
		}
	}
	$cache = getenv( 'AIPUFFER_ENGINE_CACHE' ) ?: sys_get_temp_dir() . '/aipuffer-bench-cache';
	return array( $library, $component, $cache );
}

function aipuffer_bench_median( array $values ): float {
	sort( $values );
	$n = count( $values );
	return 0 === $n % 2 ? ( $values[ $n / 2 - 1 ] + $values[ $n / 2 ] ) / 2 : $values[ intdiv( $n, 2 ) ];
}

/**
 * Wall time of one process from spawn to exit, in ms.
 *
 * @param string[] $command Argument vector (no shell).
 */
function aipuffer_bench_spawn( array $command ): float {
	$start   = hrtime( true );
	$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
	$output  = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
	fclose( $pipes[1] );
	fclose( $pipes[2] );
	$status = proc_close( $process );
	$ms     = ( hrtime( true ) - $start ) / 1e6;
	if ( 0 !== $status ) {
		fwrite( STDERR, 'child failed (' . $status . '): ' . $output . "\n" );
		exit( 1 );
	}
	return $ms;
}

// ---- child mode: one "request" in a fresh process ----
if ( in_array( '--child', $argv, true ) ) {
	[ $library, $component, $cache ] = aipuffer_bench_paths();
	$engine   = new Engine( $library, $component, $cache );
	$manifest = json_decode( $engine->manifest(), true );
	$step     = json_decode( $engine->advance( '{}' ), true );
	if ( ! isset( $manifest['settings'] ) || 'fail' !== $step['step'] || 'hit' !== $engine->cache_status() ) {
		fwrite( STDERR, "unexpected child result (cache {$engine->cache_status()})\n" );
		exit( 2 );
	}
	exit( 0 );
}

// ---- footprint mode: managed requests for callgrind to count (bench/footprint.mjs) ----
// `--footprint=MODE --requests=N`: five requests to settle, then N rounds of: warm, a request;
// cold, the caches flushed (48 MB written, as WordPress's own work between two requests of a
// php-fpm worker pushes the engine out) and a request; flush, the flush alone. The counter
// subtracts warm with N=0 from warm, and flush from cold.
foreach ( $argv as $arg ) {
	if ( preg_match( '/^--footprint=(warm|cold|flush)$/', $arg, $m ) ) {
		$mode     = $m[1];
		$requests = 0;
		foreach ( $argv as $other ) {
			if ( preg_match( '/^--requests=(\d+)$/', $other, $n ) ) {
				$requests = (int) $n[1];
			}
		}
		[ $library, $component, $cache ] = aipuffer_bench_paths();
		$engine = new Engine( $library, $component, $cache );
		$case   = aipuffer_bench_case( $engine, dirname( __DIR__, 2 ) . '/tests/vectors/openai-chat-completions-user-debit.json' );
		for ( $i = 0; $i < 5; $i++ ) {
			aipuffer_bench_request( $engine, $case );
		}
		for ( $i = 0; $i < $requests; $i++ ) {
			if ( 'warm' !== $mode ) {
				$flush = str_repeat( 'x', 48 << 20 );
				unset( $flush );
			}
			if ( 'flush' !== $mode ) {
				aipuffer_bench_request( $engine, $case );
			}
		}
		// 3: the component was compiled now, not read from the cache (what footprint.mjs's first run does).
		exit( 'hit' === $engine->cache_status() ? 0 : 3 );
	}
}

// ---- parent ----
$runs = 30;
foreach ( $argv as $arg ) {
	if ( preg_match( '/^--runs=(\d+)$/', $arg, $m ) ) {
		$runs = max( 1, (int) $m[1] );
	}
}
[ $library, $component, $cache ] = aipuffer_bench_paths();
foreach ( array( $library, $component ) as $path ) {
	if ( ! is_file( $path ) ) {
		fwrite( STDERR, "missing: {$path}\n" );
		exit( 1 );
	}
}

// Warm the on-disk cache and report a cold compile for reference.
$start  = hrtime( true );
$engine = new Engine( $library, $component, $cache );
$engine->version();
$first_ms     = ( hrtime( true ) - $start ) / 1e6;
$first_status = $engine->cache_status();
$case         = aipuffer_bench_case( $engine, dirname( __DIR__, 2 ) . '/tests/vectors/openai-chat-completions-user-debit.json' );
$input        = $case[0];
$step         = json_decode( $engine->advance( $input ), true )['step'] ?? '?';
unset( $engine );

// (a) cold process, interleaved so drift hits both sides alike.
$php_binary = PHP_BINARY;
$cold       = array();
$empty      = array();
for ( $i = 0; $i < $runs; $i++ ) {
	$empty[] = aipuffer_bench_spawn( array( $php_binary, '-r', '' ) );
	$cold[]  = aipuffer_bench_spawn( array( $php_binary, __FILE__, '--child' ) );
}

// (b) per-request setup inside one process.
$setup_version = array();
$setup_advance = array();
$teardown      = array();
for ( $i = 0; $i < 200; $i++ ) {
	$start  = hrtime( true );
	$engine = new Engine( $library, $component, $cache );
	$engine->version();
	$setup_version[] = ( hrtime( true ) - $start ) / 1e3;
	$start           = hrtime( true );
	unset( $engine );
	$teardown[] = ( hrtime( true ) - $start ) / 1e3;

	$start  = hrtime( true );
	$engine = new Engine( $library, $component, $cache );
	$engine->advance( $input );
	$setup_advance[] = ( hrtime( true ) - $start ) / 1e3;
	unset( $engine );
}

// (c) warm calls.
$engine = new Engine( $library, $component, $cache );
for ( $i = 0; $i < 100; $i++ ) {
	$engine->advance( $input );
}
$warm_advance = array();
for ( $i = 0; $i < 2000; $i++ ) {
	$start = hrtime( true );
	$engine->advance( $input );
	$warm_advance[] = ( hrtime( true ) - $start ) / 1e3;
}
$warm_manifest = array();
for ( $i = 0; $i < 500; $i++ ) {
	$start = hrtime( true );
	$engine->manifest();
	$warm_manifest[] = ( hrtime( true ) - $start ) / 1e3;
}
// (d) a whole managed request's engine work, as the host does it (three calls, JSON included).
for ( $i = 0; $i < 100; $i++ ) {
	aipuffer_bench_request( $engine, $case );
}
$warm_request = array();
for ( $i = 0; $i < 2000; $i++ ) {
	$start = hrtime( true );
	aipuffer_bench_request( $engine, $case );
	$warm_request[] = ( hrtime( true ) - $start ) / 1e3;
}
$warm_version = array();
for ( $i = 0; $i < 2000; $i++ ) {
	$start = hrtime( true );
	$engine->version();
	$warm_version[] = ( hrtime( true ) - $start ) / 1e3;
}

printf( "PHP %s, wasmtime %s, component %s (%d KB), input %d bytes (first step: %s)\n", PHP_VERSION, AIPuffer\Connectors\Runtime\Wasmtime_Library::VERSION, $component, filesize( $component ) / 1024, strlen( $input ), $step );
printf( "cache %s; first engine in this process: %.1f ms (%s)\n\n", $cache, $first_ms, $first_status );
printf( "%-58s %12s\n", 'measurement', 'median' );
printf( "%-58s %12s\n", str_repeat( '-', 58 ), str_repeat( '-', 12 ) );
printf( "%-58s %9.2f ms\n", "(a) php -r '' ({$runs} runs)", aipuffer_bench_median( $empty ) );
printf( "%-58s %9.2f ms\n", '(a) php: new Engine + manifest + advance, cache hit', aipuffer_bench_median( $cold ) );
printf( "%-58s %9.2f ms\n", '(a) difference', aipuffer_bench_median( $cold ) - aipuffer_bench_median( $empty ) );
printf( "%-58s %9.0f us\n", '(b) new Engine + first call version() (200x)', aipuffer_bench_median( $setup_version ) );
printf( "%-58s %9.0f us\n", '(b) new Engine + first call advance(2 KB) (200x)', aipuffer_bench_median( $setup_advance ) );
printf( "%-58s %9.0f us\n", '(b) Engine teardown (destructor)', aipuffer_bench_median( $teardown ) );
printf( "%-58s %9.1f us\n", '(c) warm advance(2 KB) (2000x)', aipuffer_bench_median( $warm_advance ) );
printf( "%-58s %9.1f us\n", '(c) warm manifest() (500x)', aipuffer_bench_median( $warm_manifest ) );
printf( "%-58s %9.1f us\n", '(c) warm version() (2000x)', aipuffer_bench_median( $warm_version ) );
printf( "%-58s %9.1f us\n", '(d) engine work per managed request, warm (2000x)', aipuffer_bench_median( $warm_request ) );
