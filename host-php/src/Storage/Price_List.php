<?php
/**
 * The vendored price list (`data/prices.php`, generated from LiteLLM's list): the entry of the
 * first key the engine names. A PHP file, so opcache keeps it compiled and a lookup costs no
 * parsing. Which keys to try and what a price means are the engine's decisions.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

use AIPuffer\Connectors\Plugin;

defined( 'ABSPATH' ) || exit;

final class Price_List {

	/** @var array{source: string, prices: array<string, array<string, mixed>>}|null */
	private static ?array $list = null;

	/**
	 * @param list<string> $keys
	 * @return array{found: bool, value: array<string, mixed>|null}
	 */
	public static function lookup( array $keys ): array {
		$list = self::list();
		foreach ( $keys as $key ) {
			if ( is_string( $key ) && isset( $list['prices'][ $key ] ) ) {
				return array( 'found' => true, 'value' => array( 'key' => $key, 'source' => $list['source'] ) + $list['prices'][ $key ] );
			}
		}
		return array( 'found' => false, 'value' => null );
	}

	/**
	 * Every entry, each with its key and the list's source, for the admin preview's snapshot.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function entries(): array {
		$list = self::list();
		$all  = array();
		foreach ( $list['prices'] as $key => $entry ) {
			$all[ $key ] = array( 'key' => (string) $key, 'source' => $list['source'] ) + $entry;
		}
		return $all;
	}

	/** @return array{source: string, prices: array<string, array<string, mixed>>} */
	private static function list(): array {
		if ( null === self::$list ) {
			$file       = Plugin::dir() . '/data/prices.php';
			$list       = is_readable( $file ) ? require $file : null;
			self::$list = is_array( $list ) && is_array( $list['prices'] ?? null ) ? $list : array( 'source' => '', 'prices' => array() );
		}
		return self::$list;
	}
}
