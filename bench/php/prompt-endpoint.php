<?php
/**
 * Benchmark endpoint (copied into the bench site's root by scripts/bench): one text prompt through
 * the provider named in `?provider=` — `openai` (the gateway) or `plain-openai` (the baseline).
 * Answers JSON: the text (or the error), the time of the wp_ai_client_prompt() call itself inside
 * PHP (`prompt_ms`) and the CPU time this php-fpm worker spent in it (`prompt_cpu_ms`, user +
 * system, from getrusage()), and what the bench drop-in and must-use plugin saw during it: the committed
 * transactions and the statements sent outside them (bench/php/db.php) and the HTTP calls
 * (bench/php/http-timer.php).
 * `?capture=1` keeps the statements the gateway's prompt sent; `?replay=1` (the plain provider's
 * side) sends them again right after the prompt, inside the timed span (bench/php/replay.php).
 * `?profile=1` samples the prompt's call stacks with the excimer extension (wall clock, every
 * AIPUFFER_BENCH_SAMPLE_S) and answers them collapsed, one `frame;frame;… count` line per stack
 * (bench/http/breakdown.mjs); without excimer it answers an error.
 */
require __DIR__ . '/wp-load.php';
require AIPUFFER_BENCH_ROOT . '/bench/php/replay.php';
// `?user=` prompts as that user (a bench user with a balance: the debit path); `?prompt=` sets the text.
if ( ! empty( $_GET['user'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	wp_set_current_user( absint( $_GET['user'] ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended
}
$aipuffer_transactions = class_exists( 'AIPuffer_Bench_Wpdb' ) ? count( AIPuffer_Bench_Wpdb::$transactions ) : 0;
$aipuffer_outside      = class_exists( 'AIPuffer_Bench_Wpdb' ) ? count( AIPuffer_Bench_Wpdb::$outside ) : 0;
$aipuffer_sent         = class_exists( 'AIPuffer_Bench_Wpdb' ) ? count( AIPuffer_Bench_Wpdb::$sent ) : 0;

/** CPU seconds (user + system) this worker has used so far. */
function aipuffer_bench_cpu_s(): float {
	$usage = getrusage();
	return $usage['ru_utime.tv_sec'] + $usage['ru_stime.tv_sec'] + ( $usage['ru_utime.tv_usec'] + $usage['ru_stime.tv_usec'] ) / 1e6;
}

const AIPUFFER_BENCH_SAMPLE_S = 0.00005;
$aipuffer_profiler = null;
if ( ! empty( $_GET['profile'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	if ( ! class_exists( 'ExcimerProfiler' ) ) {
		header( 'Content-Type: application/json' );
		echo wp_json_encode( array( 'error' => 'profile=1 needs the excimer extension in php-fpm (Debian: php-excimer)' ) );
		exit;
	}
	$aipuffer_profiler = new ExcimerProfiler();
	$aipuffer_profiler->setEventType( EXCIMER_REAL );
	$aipuffer_profiler->setPeriod( AIPUFFER_BENCH_SAMPLE_S );
	$aipuffer_profiler->start();
}

$aipuffer_cpu     = aipuffer_bench_cpu_s();
$aipuffer_started = hrtime( true );
$aipuffer_result  = wp_ai_client_prompt( (string) wp_unslash( $_GET['prompt'] ?? 'Write a haiku' ) ) // phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- benchmark only.
	->using_provider( (string) ( $_GET['provider'] ?? 'openai' ) ) // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	->using_model_preference( 'gpt-4.1-mini' )
	->using_max_tokens( 50 )
	->generate_text_result();
$aipuffer_replayed  = empty( $_GET['replay'] ) ? 0 : aipuffer_bench_replay(); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
$aipuffer_prompt_ms = ( hrtime( true ) - $aipuffer_started ) / 1e6;
$aipuffer_cpu_ms    = ( aipuffer_bench_cpu_s() - $aipuffer_cpu ) * 1e3;
$aipuffer_samples   = null;
if ( null !== $aipuffer_profiler ) {
	$aipuffer_profiler->stop();
	$aipuffer_samples = $aipuffer_profiler->getLog()->formatCollapsed();
}

$aipuffer_kept = null;
if ( ! empty( $_GET['capture'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	try {
		$aipuffer_kept = aipuffer_bench_keep_statements( array_slice( AIPuffer_Bench_Wpdb::$sent, $aipuffer_sent ) );
	} catch ( RuntimeException $e ) {
		$aipuffer_kept = $e->getMessage(); // Reported by the benchmark, which stops.
	}
}

header( 'Content-Type: application/json' );
echo wp_json_encode(
	array(
		'text'          => is_wp_error( $aipuffer_result ) ? null : $aipuffer_result->toText(),
		'error'         => is_wp_error( $aipuffer_result ) ? $aipuffer_result->get_error_code() . ' ' . $aipuffer_result->get_error_message() : null,
		'prompt_ms'     => $aipuffer_prompt_ms,
		'prompt_cpu_ms' => $aipuffer_cpu_ms,
		'transactions'  => class_exists( 'AIPuffer_Bench_Wpdb' ) ? array_slice( AIPuffer_Bench_Wpdb::$transactions, $aipuffer_transactions ) : null,
		'rolled_back'   => class_exists( 'AIPuffer_Bench_Wpdb' ) ? AIPuffer_Bench_Wpdb::$rolled_back : null,
		// The statements the prompt sent outside any transaction (option reads, the pricing rules).
		'outside'       => class_exists( 'AIPuffer_Bench_Wpdb' ) ? array_slice( AIPuffer_Bench_Wpdb::$outside, $aipuffer_outside ) : null,
		'http'          => class_exists( 'AIPuffer_Bench_Http_Timer' ) ? AIPuffer_Bench_Http_Timer::$calls : null,
		'kept'          => $aipuffer_kept,
		'replayed'      => $aipuffer_replayed,
		'samples'       => $aipuffer_samples,
		'sample_ms'     => AIPUFFER_BENCH_SAMPLE_S * 1e3,
		'pid'           => getmypid(),
	)
);
