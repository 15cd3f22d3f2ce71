<?php
/**
 * A key saved through WordPress's own Connectors settings (`connectors_ai_{id}_api_key`, e.g.
 * entered on the core screen before AI Puffer took over, or set by a deployment script) is
 * copied into AI Puffer's provider settings (`aipkit_options.providers[Name].api_key`), where the
 * gateway reads keys — as AI Puffer does. An empty value copies nothing: clearing core's field
 * never deletes AI Puffer's key.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Admin\Settings_Page;

defined( 'ABSPATH' ) || exit;

final class Key_Copy {

	public function register(): void {
		add_action( 'added_option', array( $this, 'added' ), 10, 2 );
		add_action( 'updated_option', array( $this, 'updated' ), 10, 3 );
	}

	/**
	 * @param string $option
	 * @param mixed  $value
	 */
	public function added( $option, $value ): void {
		$this->copy( (string) $option, $value );
	}

	/**
	 * @param string $option
	 * @param mixed  $old
	 * @param mixed  $value
	 */
	public function updated( $option, $old, $value ): void {
		$this->copy( (string) $option, $value );
	}

	/**
	 * @param mixed $value
	 */
	private function copy( string $option, $value ): void {
		if ( ! preg_match( '/^connectors_ai_([a-z0-9_]+)_api_key$/', $option, $m ) || ! is_string( $value ) || '' === trim( $value ) ) {
			return;
		}
		foreach ( Settings_Page::manifest_connectors() as $connector ) {
			if ( str_replace( '-', '_', (string) $connector['id'] ) !== $m[1] || empty( $connector['needs_key'] ) ) {
				continue;
			}
			$options  = get_option( 'aipkit_options', array() );
			$options  = is_array( $options ) ? $options : array();
			$provider = (string) $connector['provider'];
			if ( ( $options['providers'][ $provider ]['api_key'] ?? null ) === trim( $value ) ) {
				return;
			}
			$options['providers'][ $provider ]['api_key'] = trim( $value );
			update_option( 'aipkit_options', $options );
			return;
		}
	}
}
