<?php
/**
 * The managed request whose engine work the PHP benchmarks time, shared by bench/php/engine.php
 * (CLI) and bench/php/engine-endpoint.php (inside php-fpm): the OpenAI Chat Completions user-debit
 * vector, its call padded with chat history to ≈2 KB, and the three engine calls the host makes
 * for it. Needs the Engine class loaded (by hand in the CLI, by the plugin's autoloader in a site).
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Runtime\Engine;

/**
 * The vector, prepared: `[start input (the site snapshot + a ≈2 KB call), outcomes of its http
 * step, locked values of its record step]`.
 *
 * @return array{0: string, 1: array<int, mixed>, 2: array<int, mixed>}
 */
function aipuffer_bench_case( Engine $engine, string $vector ): array {
	if ( ! is_file( $vector ) ) {
		throw new RuntimeException( "missing: {$vector}" );
	}
	$case = json_decode( (string) file_get_contents( $vector ), true );
	// The host keeps the snapshot as the text the engine made and splices it in (Task_Runner); an
	// array round trip would turn its empty objects into lists.
	$prepared  = json_decode( $engine->prepare( (string) json_encode( $case['stored'] ) ), false );
	$site_json = (string) json_encode( $prepared->site, JSON_PRESERVE_ZERO_FRACTION );
	$start     = $case['start'];
	unset( $start['site'] );
	$turn = 0;
	while ( strlen( (string) json_encode( $start['call'] ) ) < 2048 ) {
		array_unshift(
			$start['call']['messages'],
			array(
				'role'  => 0 === $turn % 2 ? 'user' : 'model',
				'parts' => array( array( 'channel' => 'content', 'type' => 'text', 'text' => "Earlier turn {$turn}: a few words of history to make the request realistic." ) ),
			)
		);
		$turn++;
	}
	$input = '{"site":' . $site_json . ',' . substr( (string) json_encode( $start, JSON_PRESERVE_ZERO_FRACTION ), 1 );
	return array( $input, $case['steps'][0]['resume']['outcomes'], $case['steps'][1]['resume']['locked'] );
}

/**
 * One managed request's engine work as the PHP host does it: start, resume with the provider's
 * outcome, resume with the locked balance — each answer decoded but for its state, which is cut
 * off as written and sent back as it is (Json::decode_step, Continuation).
 *
 * @param array{0: string, 1: array<int, mixed>, 2: array<int, mixed>} $case
 * @return float[] µs of each of the three steps (JSON included), for a breakdown.
 */
function aipuffer_bench_request( Engine $engine, array $case ): array {
	$laps   = array( hrtime( true ) );
	$http   = Json::decode_step( $engine->advance( $case[0] ) );
	$laps[] = hrtime( true );
	$record = Json::decode_step( $engine->advance( $http['state']->resume( 'outcomes', $case[1] ) ) );
	$laps[] = hrtime( true );
	$write  = Json::decode_step( $engine->advance( $record['state']->resume( 'locked', $case[2] ) ) );
	$laps[] = hrtime( true );
	if ( 'write' !== ( $write['step'] ?? '' ) ) {
		throw new RuntimeException( 'unexpected step: ' . json_encode( $write ) );
	}
	return array( ( $laps[1] - $laps[0] ) / 1e3, ( $laps[2] - $laps[1] ) / 1e3, ( $laps[3] - $laps[2] ) / 1e3 );
}
