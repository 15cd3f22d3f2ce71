<?php
/**
 * Fuzzing through the component as the PHP host runs it (wasmtime through FFI, fuel and memory
 * limits on): the inputs a host sends while driving the vectors, mutated in their structure (also
 * inside the continuation text) and bytes, 10,000 of them, plus the kept corpus
 * (tests/fuzz-corpus/). Every answer must be one well-formed step: no trap, no engine error, no
 * text that is not a step. (The native fuzzer in crates/engine/tests/fuzz.rs runs a million.)
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Runtime\Engine;
use PHPUnit\Framework\TestCase;

final class FuzzTest extends TestCase {

	private const INPUTS = 10000;

	private const STEPS = array( 'read', 'http', 'record', 'store', 'write', 'retry', 'done', 'fail' );

	private static ?Engine $engine = null;

	public static function setUpBeforeClass(): void {
		self::$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, sys_get_temp_dir() . '/aipuffer-test-cache' );
	}

	/** @return list<string> Every input a host sends while driving the vectors, as text. */
	private static function seeds(): array {
		$seeds = array();
		foreach ( glob( dirname( __DIR__, 3 ) . '/tests/vectors/*.json' ) as $file ) {
			// Objects stay objects: an empty one must stay `{}`.
			$vector = json_decode( (string) file_get_contents( $file ), false, 512, JSON_THROW_ON_ERROR );
			if ( ! isset( $vector->start ) ) {
				continue;
			}
			$input = clone $vector->start;
			if ( isset( $vector->stored ) ) {
				$seeds[]  = self::encode( $vector->stored );
				$prepared = json_decode( self::$engine->prepare( end( $seeds ) ) );
				if ( isset( $prepared->site ) ) {
					$input->site = $prepared->site;
				}
			}
			foreach ( $vector->steps as $step ) {
				$seeds[] = self::encode( $input );
				$output  = json_decode( self::$engine->advance( end( $seeds ) ) );
				if ( ! isset( $step->resume, $output->state ) ) {
					break;
				}
				$input = (object) array_merge( array( 'state' => $output->state ), get_object_vars( $step->resume ) );
			}
		}
		return $seeds;
	}

	/** @param mixed $value */
	private static function encode( $value ): string {
		return (string) json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION );
	}

	/** @return mixed A value of another type, or an extreme. */
	private static function odd_value() {
		$values = array( null, true, -1, 0, PHP_INT_MAX, -0.5, 1e308, '', "\u{0}\u{ffff}", str_repeat( 'x', mt_rand( 0, 4000 ) ), array(), array( 'a' => array() ), array( null, 1, 'a' ), '{"prompt":{}}' );
		return $values[ mt_rand( 0, count( $values ) - 1 ) ];
	}

	/**
	 * Changes one node somewhere in `$value` (objects decoded as objects, so `{}` stays `{}`);
	 * continuation text is mutated as JSON.
	 *
	 * @param mixed $value
	 * @return mixed
	 */
	private static function mutate( $value, int $depth = 0 ) {
		$descend = $depth < 12 && 0 !== mt_rand( 0, 3 );
		if ( $value instanceof \stdClass && $descend && array() !== get_object_vars( $value ) ) {
			$value = clone $value;
			$keys  = array_keys( get_object_vars( $value ) );
			$key   = $keys[ mt_rand( 0, count( $keys ) - 1 ) ];
			switch ( mt_rand( 0, 9 ) ) {
				case 0:
					unset( $value->$key );
					break;
				case 1:
					$value->{'k' . mt_rand( 0, 99 )} = self::odd_value();
					break;
				default:
					$value->$key = self::mutate( $value->$key, $depth + 1 );
			}
			return $value;
		}
		if ( is_array( $value ) && array() !== $value && $descend ) {
			$keys = array_keys( $value );
			$key  = $keys[ mt_rand( 0, count( $keys ) - 1 ) ];
			switch ( mt_rand( 0, 9 ) ) {
				case 0:
					unset( $value[ $key ] );
					return array_is_list( $keys ) ? array_values( $value ) : $value;
				case 1:
					return array_is_list( $keys ) ? array_merge( $value, array_fill( 0, mt_rand( 0, 40 ), $value[ $key ] ) ) : $value + array( 'k' . mt_rand( 0, 99 ) => self::odd_value() );
				default:
					$value[ $key ] = self::mutate( $value[ $key ], $depth + 1 );
					return $value;
			}
		}
		if ( is_string( $value ) && $descend && 0 === strpos( $value, '{' ) ) {
			$inner = json_decode( $value );
			if ( $inner instanceof \stdClass ) {
				return self::encode( self::mutate( $inner, $depth + 1 ) );
			}
		}
		if ( is_string( $value ) && '' !== $value && 0 === mt_rand( 0, 2 ) ) {
			return mb_substr( $value, 0, mt_rand( 0, mb_strlen( $value ) ) );
		}
		// Half the time a value of the same type: the input keeps its shape and goes deeper.
		if ( 0 === mt_rand( 0, 1 ) ) {
			if ( is_bool( $value ) ) {
				return ! $value;
			}
			if ( is_int( $value ) || is_float( $value ) ) {
				return array( 0, 1, -7, 2, 4294967296, 0.25, 999999 )[ mt_rand( 0, 6 ) ];
			}
			if ( is_string( $value ) ) {
				return array( $value . $value, $value . "\u{e9}\u{1f600}", 'openai', 'gpt-4.1-mini', 'user', 'application/json' )[ mt_rand( 0, 5 ) ];
			}
		}
		return self::odd_value();
	}

	/** A slice replaced by JSON debris, cut at characters (invalid UTF-8 is refused before the engine: EngineTest). */
	private static function mutate_bytes( string $text ): string {
		$debris = array( '', 'null', '-1', '1e309', '"', '[', '}', '\\u0000' );
		$at     = mt_rand( 0, mb_strlen( $text ) );
		return mb_substr( $text, 0, $at ) . $debris[ mt_rand( 0, count( $debris ) - 1 ) ] . mb_substr( $text, $at + mt_rand( 0, 15 ) );
	}

	private function assertStep( string $input ): string {
		$output = self::$engine->advance( $input );
		$step   = json_decode( $output, true );
		$this->assertIsArray( $step, 'the engine answered JSON' );
		$this->assertContains( $step['step'] ?? null, self::STEPS );
		if ( 'fail' === $step['step'] ) {
			$this->assertIsString( $step['error']['message'] ?? null );
		}
		return (string) $step['step'];
	}

	public function test_ten_thousand_mutated_inputs_and_the_kept_corpus_get_well_formed_steps(): void {
		foreach ( glob( dirname( __DIR__, 3 ) . '/tests/fuzz-corpus/*.json' ) as $file ) {
			$this->assertStep( (string) file_get_contents( $file ) );
		}
		$seeds = self::seeds();
		$this->assertGreaterThan( 100, count( $seeds ) );
		mt_srand( 20261201 );
		$steps = array();
		for ( $i = 0; $i < self::INPUTS; $i++ ) {
			$input = json_decode( $seeds[ $i % count( $seeds ) ] );
			for ( $n = mt_rand( 1, 3 ); $n > 0; $n-- ) {
				$input = self::mutate( $input );
			}
			$text = self::encode( $input );
			if ( 0 === mt_rand( 0, 7 ) ) {
				$text = self::mutate_bytes( $text );
			}
			$step           = $this->assertStep( $text );
			$steps[ $step ] = ( $steps[ $step ] ?? 0 ) + 1;
		}
		ksort( $steps );
		$this->assertArrayHasKey( 'fail', $steps );
		$this->assertArrayHasKey( 'http', $steps, 'mutated inputs still reach provider requests, not only refusals' );
		fwrite( STDERR, sprintf( "\n  fuzz through the component: %d inputs; steps %s\n", self::INPUTS, (string) json_encode( $steps ) ) );
	}
}
