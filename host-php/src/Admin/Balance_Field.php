<?php
/**
 * Users > Edit user: the user's AI Puffer credit balance, the last entries of the ledger, and —
 * for an administrator — a field to add or take away credits. The change goes through the engine
 * like a charge (balance read under the user's lock, an `adjustment` ledger row in the same
 * transaction), so it can never overwrite a debit made at the same moment.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Task_Runner;

defined( 'ABSPATH' ) || exit;

final class Balance_Field {

	public function register(): void {
		add_action( 'show_user_profile', array( $this, 'render' ) );
		add_action( 'edit_user_profile', array( $this, 'render' ) );
		add_action( 'personal_options_update', array( $this, 'save' ) );
		add_action( 'edit_user_profile_update', array( $this, 'save' ) );
		add_action( 'admin_notices', array( $this, 'notice' ) );
	}

	private static function notice_key(): string {
		return 'aipuffer_connectors_balance_notice_' . get_current_user_id();
	}

	public function render( \WP_User $user ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		global $wpdb;
		$balance = (string) get_user_meta( $user->ID, '_aipkit_token_balance', true );
		$entries = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- AI Puffer's ledger.
			$wpdb->prepare( "SELECT created_at, module, entry_type, credits_delta, meta FROM {$wpdb->prefix}aipkit_token_ledger WHERE user_id = %d ORDER BY id DESC LIMIT 5", $user->ID ),
			ARRAY_A
		);
		echo '<h2 id="aipuffer-credits">' . esc_html__( 'AI Puffer credits', 'aipuffer-connectors' ) . '</h2><table class="form-table" role="presentation">';
		echo '<tr><th scope="row">' . esc_html__( 'Balance', 'aipuffer-connectors' ) . '</th><td><strong class="aipuffer-balance">' . esc_html( number_format_i18n( (int) $balance ) ) . '</strong> ' . esc_html__( 'credits', 'aipuffer-connectors' );
		if ( is_array( $entries ) && array() !== $entries ) {
			echo '<ul class="aipuffer-balance-entries">';
			foreach ( $entries as $entry ) {
				$meta = json_decode( (string) $entry['meta'], true );
				$what = 'adjustment' === $entry['entry_type']
					/* translators: %s: the administrator's note */
					? sprintf( __( 'Adjusted by an administrator: %s', 'aipuffer-connectors' ), (string) ( $meta['note'] ?? '' ) )
					/* translators: %s: AI Puffer module */
					: sprintf( __( 'Used by %s', 'aipuffer-connectors' ), 'wp_ai_client' === $entry['module'] ? __( 'WordPress AI Client', 'aipuffer-connectors' ) : (string) $entry['module'] );
				printf( '<li>%1$s — %2$s: %3$s</li>', esc_html( get_date_from_gmt( (string) $entry['created_at'], get_option( 'date_format' ) . ' ' . get_option( 'time_format' ) ) ), esc_html( $what ), esc_html( sprintf( '%+d', (int) $entry['credits_delta'] ) ) );
			}
			echo '</ul>';
		}
		echo '</td></tr>';
		echo '<tr><th scope="row"><label for="aipuffer-adjust-credits">' . esc_html__( 'Add or take away credits', 'aipuffer-connectors' ) . '</label></th><td>';
		echo '<input type="number" step="1" id="aipuffer-adjust-credits" name="aipuffer_adjust_credits" class="small-text" /> ';
		echo '<label for="aipuffer-adjust-note" class="screen-reader-text">' . esc_html__( 'Note', 'aipuffer-connectors' ) . '</label>';
		echo '<input type="text" id="aipuffer-adjust-note" name="aipuffer_adjust_note" class="regular-text" placeholder="' . esc_attr__( 'Why (kept in the ledger)', 'aipuffer-connectors' ) . '" maxlength="500" />';
		echo '<p class="description">' . esc_html__( 'A negative number takes credits away (never below zero). The change is written to AI Puffer\'s ledger with your name when you update the user.', 'aipuffer-connectors' ) . '</p></td></tr></table>';
	}

	/** Runs after WordPress checked the profile form's own nonce (`update-user_{id}`). */
	public function save( int $user_id ): void {
		if ( ! current_user_can( 'manage_options' ) || ! current_user_can( 'edit_user', $user_id ) ) {
			return;
		}
		check_admin_referer( 'update-user_' . $user_id );
		$credits = isset( $_POST['aipuffer_adjust_credits'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['aipuffer_adjust_credits'] ) ) ) : '';
		if ( '' === $credits ) {
			return;
		}
		if ( ! preg_match( '/^[+-]?\d{1,15}$/', $credits ) || 0 === (int) $credits ) {
			set_transient( self::notice_key(), array( 'error', __( 'The credits to add or take away are a whole number other than 0. The balance was not changed.', 'aipuffer-connectors' ) ), 60 );
			return;
		}
		$note = isset( $_POST['aipuffer_adjust_note'] ) ? sanitize_text_field( wp_unslash( $_POST['aipuffer_adjust_note'] ) ) : '';
		try {
			( new Task_Runner() )->adjust_balance( $user_id, (int) $credits, $note );
			/* translators: 1: credits added or taken (signed), 2: the new balance */
			$message = sprintf( __( 'Credits changed by %1$s. The balance is now %2$s.', 'aipuffer-connectors' ), sprintf( '%+d', (int) $credits ), number_format_i18n( (int) get_user_meta( $user_id, '_aipkit_token_balance', true ) ) );
			set_transient( self::notice_key(), array( 'success', $message ), 60 );
		} catch ( \Throwable $e ) {
			/* translators: %s: what went wrong */
			set_transient( self::notice_key(), array( 'error', sprintf( __( 'The balance was not changed: %s', 'aipuffer-connectors' ), $e->getMessage() ) ), 60 );
		}
	}

	public function notice(): void {
		$notice = get_transient( self::notice_key() );
		if ( ! is_array( $notice ) ) {
			return;
		}
		delete_transient( self::notice_key() );
		printf( '<div class="notice notice-%1$s is-dismissible aipuffer-balance-notice"><p>%2$s</p></div>', esc_attr( 'error' === $notice[0] ? 'error' : 'success' ), esc_html( (string) $notice[1] ) );
	}
}
