<?php
/**
 * Requests whose answer was delivered but whose usage could not be recorded. The caller never
 * sees these (an answer the provider produced is never thrown away because of bookkeeping); the
 * site owner does: each one goes to the PHP error log and to a short list with its request id,
 * which Admin\Recording_Failures_Notice shows until an administrator dismisses it.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Recording_Failures {

	public const OPTION = 'aipuffer_connectors_recording_failures';

	/** The newest entries kept. */
	private const KEEP = 50;

	public static function remember( string $request_id, string $reason ): void {
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the site owner's record of lost bookkeeping.
		error_log( sprintf( 'AI Puffer Connectors: the answer to request %1$s was delivered, but its usage was not recorded: %2$s', $request_id, $reason ) );
		// When the database is what failed, the error log above has it; the request goes on.
		( new Database() )->attempt(
			static function () use ( $request_id, $reason ): void {
				$entries = self::all();
				array_unshift( $entries, array( 'request_id' => $request_id, 'time' => time(), 'reason' => $reason ) );
				update_option( self::OPTION, array_slice( $entries, 0, self::KEEP ), false );
			}
		);
	}

	/** @return list<array{request_id: string, time: int, reason: string}> Newest first. */
	public static function all(): array {
		$entries = get_option( self::OPTION, array() );
		return is_array( $entries ) ? array_values( $entries ) : array();
	}

	public static function clear(): void {
		delete_option( self::OPTION );
	}
}
