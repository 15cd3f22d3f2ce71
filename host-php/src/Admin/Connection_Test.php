<?php
/**
 * *Test connection* on the settings screen: the engine's `connection_test` task (one tiny
 * request with the saved settings), answered as JSON with the provider's answer or the same
 * actionable error a caller would get, in the site's language. Never the key.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Task_Runner;

defined( 'ABSPATH' ) || exit;

final class Connection_Test {

	public const ACTION = 'aipuffer_connectors_test_connection';

	public function register(): void {
		add_action( 'wp_ajax_' . self::ACTION, array( $this, 'handle' ) );
	}

	public function handle(): void {
		Admin_Guard::ajax( self::ACTION, __( 'You are not allowed to test AI Puffer connections.', 'aipuffer-connectors' ) );
		$connector = isset( $_POST['connector'] ) ? sanitize_key( wp_unslash( $_POST['connector'] ) ) : '';
		try {
			$result = ( new Task_Runner() )->test_connection( $connector );
		} catch ( \Throwable $e ) {
			wp_send_json_error( array( 'message' => $e->getMessage() ), 200 );
		}
		$answer = trim( (string) ( $result['answer'] ?? '' ) );
		wp_send_json_success(
			array(
				'model'   => (string) ( $result['model'] ?? '' ),
				'answer'  => $answer,
				'message' => '' === $answer
					/* translators: %s: model id */
					? sprintf( __( 'Connected: %s accepted the request (it used the few tokens allowed for thinking).', 'aipuffer-connectors' ), $result['model'] ?? '' )
					/* translators: 1: model id, 2: the model's answer */
					: sprintf( __( 'Connected: %1$s answered "%2$s".', 'aipuffer-connectors' ), $result['model'] ?? '', mb_substr( $answer, 0, 200 ) ),
			)
		);
	}
}
