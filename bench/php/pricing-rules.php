<?php
/**
 * What the size of the pricing rules table costs a request: the recording transaction reads the
 * rules of the call's module, provider, model and operation (Lock_Reader, the plugin's own code,
 * on the bench site's database), with 1 → 10,000 rules in the table, all but one for other models.
 * Should be flat: the read goes through the table's `lookup` index (its EXPLAIN is printed). The
 * rules are inserted in one transaction that is rolled back at the end: nothing stays.
 *
 * Usage: WP_PATH=<bench site> php bench/php/pricing-rules.php
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Storage\Database;
use AIPuffer\Connectors\Storage\Lock_Reader;

$_SERVER['HTTP_HOST'] = 'localhost';
require getenv( 'WP_PATH' ) . '/wp-load.php';
require __DIR__ . '/lib/results.php';

global $wpdb;
$table = $wpdb->prefix . 'aipkit_pricing_rules';
$lock  = array( 'id' => 'pricing_rules', 'lock' => 'pricing_rules', 'module' => 'chat', 'provider' => 'openai', 'model' => 'aipuffer-bench-model', 'operation' => 'chat' );
if ( ! $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) ) {
	fwrite( STDERR, "no {$table} in the bench site\n" );
	exit( 1 );
}

/** Inserts rules `$from` … `$to` − 1: rule 0 is the call's, the rest other providers' models. */
function aipuffer_bench_insert_rules( string $table, int $from, int $to ): void {
	global $wpdb;
	for ( $batch = $from; $batch < $to; $batch += 500 ) {
		$values = array();
		for ( $i = $batch; $i < min( $to, $batch + 500 ); $i++ ) {
			$values[] = $wpdb->prepare( "('global', 0, 'chat', %s, %s, 'chat', 'per_1k_tokens', '1.500000', '6.000000', NULL, 1)", 0 === $i ? 'openai' : array( 'openai', 'claude', 'google', 'openrouter' )[ $i % 4 ], 0 === $i ? 'aipuffer-bench-model' : "aipuffer-bench-other-{$i}" );
		}
		$wpdb->query( "INSERT INTO {$table} (scope_type, scope_id, module, provider, model, operation, billing_method, input_rate, output_rate, unit_rate, enabled) VALUES " . implode( ',', $values ) ); // phpcs:ignore WordPress.DB -- bench rows, prepared above.
	}
}

$reader = new Lock_Reader( new Database() );
$wpdb->query( 'START TRANSACTION' );
printf( "%8s %12s %8s\n", 'rules', 'read µs', 'rows' );
$points = array();
$had    = 0;
foreach ( array( 1, 10, 100, 1000, 10000 ) as $n ) {
	aipuffer_bench_insert_rules( $table, $had, $n );
	$had = $n;
	$us  = array();
	for ( $i = 0; $i < 501; $i++ ) {
		$started = hrtime( true );
		$read    = $reader->read( array( $lock ) );
		$us[]    = ( hrtime( true ) - $started ) / 1e3;
	}
	sort( $us );
	$points[] = array( $n, $us[ 250 ] );
	printf( "%8d %12.1f %8d\n", $n, $us[ 250 ], count( $read[0]['value'] ) );
}
$explain = $wpdb->get_row( $wpdb->prepare( "EXPLAIN SELECT id FROM {$table} WHERE module = %s AND provider = %s AND model = %s AND operation = %s", 'chat', 'openai', 'aipuffer-bench-model', 'chat' ), ARRAY_A ); // phpcs:ignore WordPress.DB -- the bench's EXPLAIN.
$wpdb->query( 'ROLLBACK' );

// Flat means no growth anywhere, so the exponent is taken over the whole curve (1 → 10,000),
// where the noise of two medians moves it by a few hundredths at most.
[ $n1, $t1 ] = $points[0];
[ $n2, $t2 ] = end( $points );
$k           = log( $t2 / $t1 ) / log( $n2 / $n1 );
printf( "EXPLAIN: key %s, type %s, rows %s\n", $explain['key'] ?? 'none', $explain['type'] ?? '?', $explain['rows'] ?? '?' );
printf( "growth 1 → 10,000 rules (cost ∝ n^k): k = %.2f\n", $k );
aipuffer_bench_record( 'pricing rules 1 → 10,000 in the table: flat (k ≤ 0.1)', $k, 'k', 0.1 );
