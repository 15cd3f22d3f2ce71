<?php
/**
 * Benchmark endpoint (copied into the bench site's root by scripts/bench): the commit floor of
 * this database, through wpdb as the gateway's transaction goes. Two COMMITs, each timed alone:
 * - an empty transaction's (START TRANSACTION; COMMIT) — the round trip, nothing to make durable;
 * - a one-row transaction's (START TRANSACTION; INSERT; COMMIT) — one durable commit: InnoDB
 *   flushes its log on COMMIT (innodb_flush_log_at_trx_commit = 1, the default), as it must for
 *   the gateway's ledger row.
 * The row goes to a bench-only table in the bench site's database.
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

header( 'Content-Type: application/json' );
echo wp_json_encode(
	array(
		'empty_commit_ms'   => aipuffer_bench_commit_ms( array() ),
		'durable_commit_ms' => aipuffer_bench_commit_ms( array( $wpdb->prepare( "INSERT INTO {$aipuffer_table} (at) VALUES (%d)", hrtime( true ) ) ) ), // phpcs:ignore WordPress.DB -- a bench table.
	)
);
