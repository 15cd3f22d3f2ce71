<?php
/**
 * The conformance vectors through the PHP host's engine (the component, run by wasmtime): every
 * step must equal what the Rust and Node runners get — compared strictly, as canonical JSON
 * (object keys sorted; `1` ≠ `1.0` ≠ `"1"`, `null` ≠ `false`, `{}` ≠ `[]`).
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Continuation;
use AIPuffer\Connectors\Gateway\Json;
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
		$this->assertGreaterThanOrEqual( 20, count( $this->vectors() ) );
	}

	/** @dataProvider vectors */
	public function test_vector( string $file ): void {
		// Objects stay objects (an empty one must stay `{}`).
		$vector   = json_decode( (string) file_get_contents( $file ), false, 512, JSON_THROW_ON_ERROR );
		$name     = basename( $file );
		$prepared = null;
		if ( isset( $vector->stored ) ) {
			$prepared = json_decode( self::$engine->prepare( self::encode( $vector->stored ) ), false, 512, JSON_THROW_ON_ERROR );
			if ( isset( $vector->prepared ) ) {
				$this->assertSame( self::canonical( $vector->prepared ), self::canonical( $prepared ), "$name prepare" );
			}
		}
		if ( isset( $vector->raw_input ) ) {
			$input = $vector->raw_input;
		} elseif ( isset( $vector->start ) ) {
			// The site first, as Task_Runner writes it.
			$input = null === $prepared ? clone $vector->start : (object) array_merge( array( 'site' => $prepared->site ), get_object_vars( $vector->start ) );
		} else {
			return;
		}
		foreach ( $vector->steps as $i => $step ) {
			$text   = is_string( $input ) ? $input : self::encode( $input );
			$answer = self::$engine->advance( $text );
			$output = json_decode( $answer, false, 512, JSON_THROW_ON_ERROR );
			$this->assertSame( self::canonical( $step->expect ), self::canonical( $output ), "$name step $i" );
			// The host cuts the state off the answer as written (Json::decode_step): the cut must
			// give exactly the state, the rest must be the step without it.
			$cut   = Json::decode_step( $answer );
			$state = $cut['state'] ?? null;
			unset( $cut['state'] );
			$rest = clone $output;
			unset( $rest->state );
			$this->assertSame( Json::decode_object( Json::encode( $rest ) ), $cut, "$name step $i without its state" );
			if ( isset( $output->state ) ) {
				$this->assertInstanceOf( Continuation::class, $state, "$name step $i: its state is cut off" );
				$this->assertSame( $output->state, $state->text(), "$name step $i state" );
			} else {
				$this->assertNull( $state, "$name step $i: nothing is cut off a step without a state" );
			}
			if ( isset( $step->resume ) ) {
				$members = get_object_vars( $step->resume );
				// As the host resumes: the state as written, then the one member the step asked for.
				$input = 1 === count( $members )
					? $state->resume( (string) key( $members ), current( $members ) )
					: (object) array_merge( array( 'state' => $output->state ), $members );
			}
		}
	}

	/** @param mixed $value */
	private static function encode( $value ): string {
		return (string) json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR );
	}

	/**
	 * JSON text with object keys sorted: equal exactly when the two values are the same JSON.
	 *
	 * @param mixed $value Decoded with objects as stdClass.
	 */
	private static function canonical( $value ): string {
		$sort = static function ( $v ) use ( &$sort ) {
			if ( $v instanceof \stdClass ) {
				$fields = get_object_vars( $v );
				ksort( $fields, SORT_STRING );
				return (object) array_map( $sort, $fields );
			}
			return is_array( $v ) ? array_map( $sort, $v ) : $v;
		};
		return self::encode( $sort( $value ) );
	}
}
