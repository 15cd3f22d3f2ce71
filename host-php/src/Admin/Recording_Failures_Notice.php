<?php
/**
 * Tells administrators about answers that were delivered but not recorded (Storage\Recording_Failures),
 * and about records waiting for the database (Storage\Pending_Records).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Storage\Pending_Records;
use AIPuffer\Connectors\Storage\Recording_Failures;

defined( 'ABSPATH' ) || exit;

final class Recording_Failures_Notice {

	private const DISMISS_ACTION = 'aipuffer_connectors_dismiss_recording_failures';

	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
		add_action( 'admin_post_' . self::DISMISS_ACTION, array( $this, 'dismiss' ) );
	}

	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$this->render_pending();
		$entries = Recording_Failures::all();
		if ( array() === $entries ) {
			return;
		}
		$latest = $entries[0];
		echo '<div class="notice notice-warning"><p><strong>';
		echo esc_html(
			sprintf(
				/* translators: %d: number of requests */
				_n( 'AI Puffer Connectors could not record the usage of %d AI request.', 'AI Puffer Connectors could not record the usage of %d AI requests.', count( $entries ), 'aipuffer-connectors' ),
				count( $entries )
			)
		);
		echo '</strong> ';
		echo esc_html__( 'The answers were delivered, but their ledger entries, credit debits and logs are missing.', 'aipuffer-connectors' );
		echo '</p><p>';
		echo esc_html(
			sprintf(
				/* translators: 1: request id, 2: date and time, 3: reason */
				__( 'Latest: request %1$s at %2$s: %3$s', 'aipuffer-connectors' ),
				$latest['request_id'],
				wp_date( 'Y-m-d H:i:s', (int) $latest['time'] ),
				$latest['reason']
			)
		);
		echo '</p><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '"><p>';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::DISMISS_ACTION ) . '" />';
		wp_nonce_field( self::DISMISS_ACTION );
		echo '<button type="submit" class="button">' . esc_html__( 'Dismiss', 'aipuffer-connectors' ) . '</button>';
		echo '</p></form></div>';
	}

	private function render_pending(): void {
		$pending = Pending_Records::count();
		if ( 0 === $pending ) {
			return;
		}
		echo '<div class="notice notice-info"><p>';
		echo esc_html(
			sprintf(
				/* translators: %d: number of requests */
				_n( 'The usage of %d answered AI request is waiting to be recorded: the database could not be reached when it finished.', 'The usage of %d answered AI requests is waiting to be recorded: the database could not be reached when they finished.', $pending, 'aipuffer-connectors' ),
				$pending
			)
		);
		echo ' ' . esc_html__( 'It is written, with its credits, with the next AI request this web server records.', 'aipuffer-connectors' );
		echo '</p></div>';
	}

	public function dismiss(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'aipuffer-connectors' ), 403 );
		}
		check_admin_referer( self::DISMISS_ACTION );
		Recording_Failures::clear();
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}
}
