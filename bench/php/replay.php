<?php
/**
 * The gateway's statements, kept once and sent again by a plain provider's request (bench only,
 * required by bench/php/prompt-endpoint.php): the "plain + the gateway's statements" side of the
 * concurrency benchmark, which shows how much throughput the database work alone costs — the
 * option read for the key, the pricing rules, and the ledger and log transaction with its durable
 * commit — apart from the engine and the plugin's PHP.
 *
 * Kept: the statement texts one gateway prompt sent (bench/php/db.php), as a PHP file OPcache
 * serves, written and read the way the plugin keeps its snapshot file (Snapshot_File). Sent again: the same texts through $wpdb, with the task's UUID replaced by a new one
 * (the ledger's idempotency key and the log's conversation are unique per request).
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Snapshot_File;

defined( 'ABSPATH' ) || exit;

/** The task's UUID in a ledger row's idempotency key (`wp-ai-client-<uuid>`). */
const AIPUFFER_BENCH_TASK_UUID = '/wp-ai-client-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/';

/**
 * Keeps the statements of one gateway prompt for aipuffer_bench_replay().
 *
 * @param list<string> $statements
 * @return list<string> What was kept, each as its verb and table (AIPuffer_Bench_Wpdb::label()).
 * @throws RuntimeException When they are not one recorded prompt (a transaction with a ledger row) or cannot be written.
 */
function aipuffer_bench_keep_statements( array $statements ): array {
	$verbs = array_map( array( AIPuffer_Bench_Wpdb::class, 'verb' ), $statements );
	if ( 1 !== count( array_keys( $verbs, 'START', true ) ) || 1 !== count( array_keys( $verbs, 'COMMIT', true ) ) || ! preg_match( AIPUFFER_BENCH_TASK_UUID, implode( "\n", $statements ) ) ) {
		throw new RuntimeException( 'Not the statements of one recorded prompt: ' . implode( ', ', $verbs ) );
	}
	if ( ! Snapshot_File::store( AIPUFFER_BENCH_REPLAY_FILE, 'return ' . var_export( $statements, true ) . ';' ) ) { // phpcs:ignore WordPress.PHP.DevelopmentFunctions -- writes PHP code.
		throw new RuntimeException( 'Cannot write ' . AIPUFFER_BENCH_REPLAY_FILE );
	}
	return array_map( array( AIPuffer_Bench_Wpdb::class, 'label' ), $verbs, $statements );
}

/**
 * Sends the kept statements again, with a new task UUID.
 *
 * @return int How many were sent.
 * @throws RuntimeException When none are kept or one fails.
 */
function aipuffer_bench_replay(): int {
	global $wpdb;
	$statements = Snapshot_File::load( AIPUFFER_BENCH_REPLAY_FILE );
	if ( ! is_array( $statements ) || ! preg_match( AIPUFFER_BENCH_TASK_UUID, implode( "\n", $statements ), $m ) ) {
		throw new RuntimeException( 'No gateway statements kept: request ?capture=1 first.' );
	}
	$uuid = wp_generate_uuid4();
	foreach ( $statements as $sql ) {
		if ( false === $wpdb->query( str_replace( $m[1], $uuid, $sql ) ) ) { // phpcs:ignore WordPress.DB -- the gateway's own statements, sent again.
			$wpdb->query( 'ROLLBACK' );
			throw new RuntimeException( 'A kept statement failed: ' . $wpdb->last_error );
		}
	}
	return count( $statements );
}
