<?php
/**
 * The checks every admin action owes before it changes anything: the `manage_options`
 * capability and the action's nonce. A refused AJAX request gets JSON with HTTP 403; a refused
 * form post stops with a 403 page.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

defined( 'ABSPATH' ) || exit;

final class Admin_Guard {

	/**
	 * For an AJAX action whose nonce has the action's name (field `_ajax_nonce`).
	 *
	 * @param string $refused What a user without the capability is told.
	 */
	public static function ajax( string $action, string $refused ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_send_json_error( array( 'message' => $refused ), 403 );
		}
		if ( false === check_ajax_referer( $action, '_ajax_nonce', false ) ) {
			wp_send_json_error( array( 'message' => __( 'The page has expired. Reload it and try again.', 'aipuffer-connectors' ) ), 403 );
		}
	}

	/**
	 * For a screen, or (with `$action`) a form posted to admin-post.php with that nonce.
	 */
	public static function screen( string $action = '' ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to manage AI Puffer Connectors.', 'aipuffer-connectors' ), 403 );
		}
		if ( '' !== $action ) {
			check_admin_referer( $action );
		}
	}
}
