<?php
/**
 * The models a caller preferred (`using_model_preference()`). The AI Client picks among them
 * itself and, when none is available, falls back to the first model it knows — our default text
 * route — without telling the model what was asked. Just before every generation it shows a copy
 * of the prompt builder to the `wp_ai_client_prevent_prompt` filter; the preferences are read from
 * that copy here and handed to the engine with the next prompt, so the log can say which were
 * not available. Reading them needs the builder's internals: where that fails (another AI Client
 * version), nothing is known and nothing else changes.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Asked_Preferences {

	/** @var list<array{provider: string, model: string}>|null What the last builder shown asked for. */
	private static ?array $last = null;

	public function register(): void {
		add_filter( 'wp_ai_client_prevent_prompt', array( $this, 'observe' ), PHP_INT_MAX, 2 );
	}

	/**
	 * Notes the builder's preferences; never changes whether the prompt runs.
	 *
	 * @param mixed $prevent
	 * @param mixed $builder A copy of the WP_AI_Client_Prompt_Builder about to generate.
	 * @return mixed
	 */
	public function observe( $prevent, $builder = null ) {
		self::$last = is_object( $builder ) ? self::read( $builder ) : null;
		return $prevent;
	}

	/**
	 * The preferences of the builder that is generating now, once: a prompt started another way
	 * gets none.
	 *
	 * @return list<array{provider: string, model: string}>
	 */
	public static function take(): array {
		$preferences = self::$last ?? array();
		self::$last  = null;
		return $preferences;
	}

	/** @return list<array{provider: string, model: string}> */
	private static function read( object $builder ): array {
		try {
			$inner = self::property( $builder, 'builder' );
			$keys  = is_object( $inner ) ? self::property( $inner, 'modelPreferenceKeys' ) : null;
		} catch ( \ReflectionException $e ) {
			return array();
		}
		$preferences = array();
		foreach ( is_array( $keys ) ? $keys : array() as $key ) {
			// The AI Client's keys: `model::{id}` and `providerModel::{provider}::{id}`.
			$parts = explode( '::', (string) $key );
			if ( 'model' === $parts[0] && 2 === count( $parts ) ) {
				$preferences[] = array( 'provider' => '', 'model' => $parts[1] );
			} elseif ( 'providerModel' === $parts[0] && 3 === count( $parts ) ) {
				$preferences[] = array( 'provider' => $parts[1], 'model' => $parts[2] );
			}
		}
		return $preferences;
	}

	/**
	 * @return mixed
	 * @throws \ReflectionException When the class has no such property.
	 */
	private static function property( object $of, string $name ) {
		$property = new \ReflectionProperty( $of, $name );
		$property->setAccessible( true ); // Needed before PHP 8.1.
		return $property->getValue( $of );
	}
}
