<?php
/**
 * Tells administrators, on every admin screen, when a spending cap is 80 % used and when it is
 * reached (requests of that caller are then refused until the period ends). How far a cap is
 * used, and whether that is worth telling, is the engine's answer (task `cap_status`); this only
 * shows it.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Gateway\Task_Runner;
use AIPuffer\Connectors\Storage\Usage_Log;

defined( 'ABSPATH' ) || exit;

final class Caps_Notice {

	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
	}

	public function render(): void {
		// Nothing to ask when no cap is set (the usual case): one autoloaded option read.
		if ( ! current_user_can( 'manage_options' ) || array() === (array) get_option( Site_Snapshot::CAPS_OPTION, array() ) ) {
			return;
		}
		try {
			$statuses = ( new Task_Runner() )->cap_status();
		} catch ( \Throwable $e ) {
			return; // The caps screen says more; a notice must never break an admin page.
		}
		$names = null;
		foreach ( $statuses as $status ) {
			if ( 'ok' === ( $status['level'] ?? 'ok' ) ) {
				continue;
			}
			$names  ??= Usage_Log::callers( 'wp_ai_client' );
			$caller   = (string) ( $status['cap']['caller'] ?? '' );
			$who      = '' === $caller ? __( 'All callers together', 'aipuffer-connectors' ) : ( $names[ $caller ] ?? $caller );
			$period   = 'month' === ( $status['cap']['period'] ?? '' ) ? __( 'monthly', 'aipuffer-connectors' ) : __( 'daily', 'aipuffer-connectors' );
			$reached  = 'reached' === $status['level'];
			$message  = $reached
				/* translators: 1: plugin, theme or "All callers together", 2: daily or monthly, 3: amount spent, 4: the cap */
				? __( '%1$s reached the %2$s AI spending cap (%3$s of %4$s): its AI requests are refused until the period ends.', 'aipuffer-connectors' )
				/* translators: 1: plugin, theme or "All callers together", 2: daily or monthly, 3: amount spent, 4: the cap */
				: __( '%1$s has used %3$s of its %2$s AI spending cap of %4$s.', 'aipuffer-connectors' );
			printf(
				'<div class="notice notice-%1$s aipuffer-cap-notice"><p>%2$s <a href="%3$s">%4$s</a></p></div>',
				esc_attr( $reached ? 'error' : 'warning' ),
				esc_html( sprintf( $message, $who, $period, (string) $status['spent'], (string) $status['limit'] ) ),
				esc_url( Pricing_Rules_Page::url() . '#aipuffer-caps' ),
				esc_html__( 'Spending caps', 'aipuffer-connectors' )
			);
		}
	}
}
