<?php
/**
 * Benchmark endpoint (copied into the bench site's root by scripts/bench): the engine work of one
 * managed request, timed inside php-fpm the way the plugin pays it — a new Engine (which takes the
 * wasmtime engine, compiled component and linker this worker keeps: Worker_Handles, resident
 * because php-fpm preloads the wasmtime declarations), the store and instance it kept (or new ones) on its first call,
 * the three calls of a prompt (start, outcome, locked balance; JSON included), and its teardown.
 * The store and instance are the ones the worker kept from its last request where it kept one.
 * The plugin has no hook around its engine calls, so the request is the shared vector
 * (bench/php/engine-case.php) rather than the prompt the gateway serves. Answers JSON.
 */
require __DIR__ . '/wp-load.php';
require AIPUFFER_BENCH_ROOT . '/bench/php/engine-case.php';

use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Runtime\Engine;
use AIPuffer\Connectors\Runtime\Wasmtime_Library;

$aipuffer_paths = array( Requirements::library_path(), Requirements::component_path(), Requirements::cache_dir() );
// Preparing the case (the site snapshot) is the settings-change path, not the request's: untimed,
// on an Engine of its own so the timed one starts without a store.
$aipuffer_case = aipuffer_bench_case( new Engine( ...$aipuffer_paths ), AIPUFFER_BENCH_ROOT . '/tests/vectors/openai-chat-completions-user-debit.json' );

$aipuffer_started = hrtime( true );
$aipuffer_engine  = new Engine( ...$aipuffer_paths );
$aipuffer_steps   = aipuffer_bench_request( $aipuffer_engine, $aipuffer_case );
$aipuffer_status  = $aipuffer_engine->cache_status();
$aipuffer_kept    = $aipuffer_engine->instance_status();
$aipuffer_before  = hrtime( true );
unset( $aipuffer_engine );
$aipuffer_ended = hrtime( true );

header( 'Content-Type: application/json' );
echo wp_json_encode(
	array(
		'engine_us'    => ( $aipuffer_ended - $aipuffer_started ) / 1e3,
		// The first step includes taking the worker's handles and a new store and instance.
		'steps_us'     => $aipuffer_steps,
		'teardown_us'  => ( $aipuffer_ended - $aipuffer_before ) / 1e3,
		'cache_status' => $aipuffer_status,
		// 'kept': the store and instance this worker kept from its last request; 'new': made now.
		'instance'     => $aipuffer_kept,
		'resident'     => Wasmtime_Library::is_resident( $aipuffer_paths[0] ),
		'pid'          => getmypid(),
	)
);
