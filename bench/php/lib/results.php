<?php
/**
 * The PHP side of bench/lib/results.mjs: hands a measured target to scripts/bench's summary
 * table (one JSON line in the file named by BENCH_RESULTS; nothing when run alone).
 *
 * @package AIPuffer\Connectors
 */

/**
 * @param string $target   What is measured and its limit, as the table shows it.
 * @param float  $measured The figure, in `$unit`.
 * @param float  $limit    The target's limit, in `$unit`.
 * @param string $better   'lower' or 'higher': which side of the limit meets the target.
 */
function aipuffer_bench_record( string $target, float $measured, string $unit, float $limit, string $better = 'lower' ): void {
	$file = getenv( 'BENCH_RESULTS' );
	if ( $file ) {
		file_put_contents( $file, json_encode( compact( 'target', 'measured', 'unit', 'limit', 'better' ), JSON_UNESCAPED_UNICODE ) . "\n", FILE_APPEND );
	}
}
