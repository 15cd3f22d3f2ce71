<?php
/**
 * Whether AI Puffer manages the WordPress AI Client, and the one place that turns it on and off:
 * AI Puffer's own option names and AJAX action (`aipkit_wp_ai_client_set_mode`, its nonce of the
 * same name), so a site that ran AI Puffer keeps its state and its screens keep working.
 * Stopping deletes nothing: every provider setting stays, WordPress gets its connectors back on
 * the next request.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Site_Snapshot;

defined( 'ABSPATH' ) || exit;

final class Management {

	public const ACTION = 'aipkit_wp_ai_client_set_mode';

	public const DISMISSED_OPTION = 'aipkit_wp_ai_client_banner_dismissed';

	public function register(): void {
		add_action( 'wp_ajax_' . self::ACTION, array( $this, 'handle' ) );
	}

	public static function managed(): bool {
		return Site_Snapshot::managed();
	}

	public static function banner_dismissed(): bool {
		return '1' === (string) get_option( self::DISMISSED_OPTION, '0' );
	}

	/**
	 * Applies `managed`, `observe` or `dismiss`. Both options are autoloaded: every page load
	 * reads the mode.
	 *
	 * @return bool False for an unknown mode (nothing changed).
	 */
	public static function set( string $mode ): bool {
		switch ( $mode ) {
			case 'managed':
			case 'observe':
				update_option( Site_Snapshot::MODE_OPTION, $mode, true );
				return true;
			case 'dismiss':
				update_option( self::DISMISSED_OPTION, '1', true );
				return true;
			default:
				return false;
		}
	}

	/**
	 * The AJAX action. A form posted without JavaScript carries `_wp_http_referer` and is sent
	 * back to its page; a script gets JSON.
	 */
	public function handle(): void {
		Admin_Guard::ajax( self::ACTION, __( 'You are not allowed to change how AI Puffer manages the AI Client.', 'aipuffer-connectors' ) );
		$mode = isset( $_POST['mode'] ) ? sanitize_key( wp_unslash( $_POST['mode'] ) ) : '';
		if ( ! self::set( $mode ) ) {
			wp_send_json_error( array( 'message' => __( 'Unknown mode: use managed, observe or dismiss.', 'aipuffer-connectors' ) ), 400 );
		}
		if ( isset( $_POST['_wp_http_referer'] ) ) {
			wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url( 'options-connectors.php' ) );
			exit;
		}
		wp_send_json_success(
			array(
				'mode'      => self::managed() ? 'managed' : 'observe',
				'dismissed' => self::banner_dismissed(),
			)
		);
	}
}
