<?php
/**
 * Benchmark endpoint (copied into the bench site's root by scripts/bench): the commit floor of
 * this database, through wpdb as the gateway's transaction goes. Two COMMITs, each timed alone:
 * - an empty transaction's (START TRANSACTION; COMMIT) — the round trip, nothing to make durable;
 * - a one-row transaction's (START TRANSACTION; INSERT; COMMIT) — one durable commit: InnoDB
 *   flushes its log on COMMIT (innodb_flush_log_at_trx_commit = 1, the default), as it must for
 *   the gateway's ledger row.
 * The row goes to a bench-only table in the bench site's database.
 * Beside them, one round trip (`SELECT 1`) and the CPU time this worker spends in it: right after
 * another statement, and after 2 ms of PHP work (as a request's statements follow its other work).
 * On a virtual machine whose idle CPUs sleep, the second is several times the first, in CPU too.
 */
require __DIR__ . '/wp-load.php';

global $wpdb;
$aipuffer_table = $wpdb->prefix . 'aipuffer_bench_commit';
$wpdb->query( "CREATE TABLE IF NOT EXISTS {$aipuffer_table} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, at bigint NOT NULL) ENGINE=InnoDB" ); // phpcs:ignore WordPress.DB -- a bench table.

/** Milliseconds one COMMIT takes, after `$statements` ran in a fresh transaction. */
function aipuffer_bench_commit_ms( array $statements ): float {
	global $wpdb;
	$wpdb->query( 'START TRANSACTION' );
	foreach ( $statements as $sql ) {
		$wpdb->query( $sql ); // phpcs:ignore WordPress.DB -- fixed bench statements.
	}
	$started = hrtime( true );
	$wpdb->query( 'COMMIT' );
	return ( hrtime( true ) - $started ) / 1e6;
}

/** One `SELECT 1` after `$work_ms` of PHP work since the statement before it: wall and CPU ms. */
function aipuffer_bench_round_trip( float $work_ms ): array {
	global $wpdb;
	$wpdb->query( 'SELECT 1' );
	$until = hrtime( true ) + $work_ms * 1e6;
	while ( hrtime( true ) < $until ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement -- busy, as PHP work is.
	}
	$usage   = getrusage();
	$started = hrtime( true );
	$wpdb->query( 'SELECT 1' );
	$ended = hrtime( true );
	$after = getrusage();
	$cpu   = static fn( array $u ): float => ( $u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec'] ) * 1e3 + ( $u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec'] ) / 1e3;
	return array(
		'ms'     => ( $ended - $started ) / 1e6,
		'cpu_ms' => $cpu( $after ) - $cpu( $usage ),
	);
}

header( 'Content-Type: application/json' );
echo wp_json_encode(
	array(
		'empty_commit_ms'   => aipuffer_bench_commit_ms( array() ),
		'durable_commit_ms' => aipuffer_bench_commit_ms( array( $wpdb->prepare( "INSERT INTO {$aipuffer_table} (at) VALUES (%d)", hrtime( true ) ) ) ), // phpcs:ignore WordPress.DB -- a bench table.
		'round_trip'        => array(
			'hot'        => aipuffer_bench_round_trip( 0 ),
			'after_work' => aipuffer_bench_round_trip( 2 ),
		),
	)
);
