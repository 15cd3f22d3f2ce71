<?php
/**
 * The conformance vectors through the PHP host's engine (the component, run by wasmtime): every
 * step must equal what the Rust and Node runners get.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Runtime\Engine;
use PHPUnit\Framework\TestCase;

final class VectorsTest extends TestCase {

	private static ?Engine $engine = null;

	public static function setUpBeforeClass(): void {
		self::$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, sys_get_temp_dir() . '/aipuffer-test-cache' );
	}

	/** @return array<string, array{string}> */
	public function vectors(): array {
		$files = glob( dirname( __DIR__, 3 ) . '/tests/vectors/*.json' );
		$cases = array();
		foreach ( $files as $file ) {
			$cases[ basename( $file ) ] = array( $file );
		}
		return $cases;
	}

	public function test_there_are_vectors(): void {
		$this->assertGreaterThanOrEqual( 10, count( $this->vectors() ) );
	}

	/** @dataProvider vectors */
	public function test_vector( string $file ): void {
		// Objects, not arrays, for what goes in: an empty JSON object must stay `{}`.
		$vector = json_decode( (string) file_get_contents( $file ), false, 512, JSON_THROW_ON_ERROR );
		$input  = $vector->raw_input ?? (object) array(
			'snapshot' => $vector->snapshot,
			'call'     => $vector->call,
		);
		foreach ( $vector->steps as $i => $step ) {
			$text   = is_string( $input ) ? $input : json_encode( $input, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION );
			$output = json_decode( self::$engine->advance( $text ), false, 512, JSON_THROW_ON_ERROR );
			$this->assertEquals( $step->expect, $output, basename( $file ) . " step $i" );
			if ( isset( $step->responses ) ) {
				$input->state     = $output->state;
				$input->responses = $step->responses;
			}
		}
	}
}
