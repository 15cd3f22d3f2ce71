<?php
/**
 * *Sync models*: per provider from the settings screen (an AJAX action), and once a day for
 * every configured provider whose catalog is stale (WP-Cron; the engine decides staleness from
 * the time passed in). Never inside a visitor's prompt. One sync per provider at a time, across
 * every PHP worker: a lock row in the options table, added atomically. A failed sync keeps the
 * old list and says why.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Providers\Aipuffer_Provider;
use AIPuffer\Connectors\Gateway\Task_Runner;

defined( 'ABSPATH' ) || exit;

final class Model_Sync {

	public const ACTION = 'aipuffer_connectors_sync_models';

	public const CRON_HOOK = 'aipuffer_connectors_refresh_catalogs';

	/** A lock older than this belongs to a worker that died. */
	private const LOCK_TTL = 600;

	public function register(): void {
		add_action( 'wp_ajax_' . self::ACTION, array( $this, 'handle' ) );
		add_action( self::CRON_HOOK, array( $this, 'refresh_stale' ) );
		add_action( 'init', array( self::class, 'schedule' ) );
	}

	public static function schedule(): void {
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', self::CRON_HOOK );
		}
	}

	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	public function handle(): void {
		Admin_Guard::ajax( self::ACTION, __( 'You are not allowed to sync AI Puffer models.', 'aipuffer-connectors' ) );
		$connector = isset( $_POST['connector'] ) ? sanitize_key( wp_unslash( $_POST['connector'] ) ) : '';
		try {
			$result = self::sync( $connector, false );
		} catch ( \Throwable $e ) {
			wp_send_json_error( array( 'message' => $e->getMessage() ), 200 );
		}
		wp_send_json_success( array( 'message' => self::summary( (array) $result ) ) + (array) $result );
	}

	/** The scheduled refresh: every configured connector whose catalog is stale. */
	public function refresh_stale(): void {
		foreach ( Directory::providers() as $id => $provider ) {
			if ( Aipuffer_Provider::ID === $id ) {
				continue;
			}
			try {
				self::sync( (string) $id, true );
			} catch ( \Throwable $e ) {
				// A provider that is not configured or answers badly keeps its list; the next
				// run tries again. The reason goes to the PHP error log for the site owner.
				error_log( sprintf( 'AI Puffer Connectors: the scheduled model sync of %1$s failed: %2$s', $id, $e->getMessage() ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log
			}
		}
	}

	/**
	 * One sync under the connector's lock.
	 *
	 * @return array<string, mixed>|null Null when the catalog was fresh (scheduled refresh).
	 * @throws \RuntimeException When another sync of the connector is running.
	 */
	public static function sync( string $connector, bool $only_if_stale ): ?array {
		$lock = 'aipuffer_connectors_sync_lock_' . $connector;
		$held = (int) get_option( $lock, 0 );
		if ( $held > 0 && time() - $held > self::LOCK_TTL ) {
			delete_option( $lock );
		}
		if ( ! add_option( $lock, (string) time(), '', false ) ) {
			throw new \RuntimeException( __( 'A sync of this provider is already running. Try again in a minute.', 'aipuffer-connectors' ) );
		}
		try {
			return ( new Task_Runner() )->sync_models( $connector, $only_if_stale );
		} finally {
			delete_option( $lock );
		}
	}

	/** @param array<string, mixed> $result */
	private static function summary( array $result ): string {
		$text  = (int) ( $result['text_models'] ?? 0 );
		$image = (int) ( $result['image_models'] ?? 0 );
		return sprintf(
			/* translators: 1: number of text models, 2: number of image models */
			_n( 'Synced: %1$d text model and %2$d image models.', 'Synced: %1$d text models and %2$d image models.', $text, 'aipuffer-connectors' ),
			$text,
			$image
		);
	}
}
