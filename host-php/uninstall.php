<?php
/**
 * Uninstall (Plugins > Delete): removes only this plugin's own things — its `aipuffer_connectors_*`
 * options and transients, its scheduled catalog refresh, the compiled engine cache — and nothing
 * of AI Puffer's data: the `aipkit_*` tables and options (settings, catalogs, ledger, logs,
 * balances, the AI Client gateway mode) belong to the site and stay.
 *
 * @package AIPuffer\Connectors
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/src/autoload.php';

/**
 * Removes this plugin's options and transients from the current site.
 */
function aipuffer_connectors_uninstall_site(): void {
	global $wpdb;
	$names = $wpdb->get_col(
		$wpdb->prepare(
			"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( 'aipuffer_connectors_' ) . '%',
			$wpdb->esc_like( '_transient_aipuffer_connectors_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_aipuffer_connectors_' ) . '%'
		)
	);
	foreach ( $names as $name ) {
		delete_option( $name ); // Also clears the object cache's copy.
	}
	wp_clear_scheduled_hook( 'aipuffer_connectors_refresh_catalogs' );

	// The compiled engine (native code) and the kept site snapshots (Gateway/Snapshot_File): the
	// folder in wp-content and the temporary fallback.
	foreach ( array( AIPuffer\Connectors\Requirements::preferred_cache_dir(), AIPuffer\Connectors\Requirements::temporary_cache_dir() ) as $dir ) {
		if ( '' === $dir || ! is_dir( $dir ) ) {
			continue;
		}
		foreach ( array_merge( (array) glob( $dir . '/engine-*.cwasm*' ), (array) glob( $dir . '/site-*.php*' ) ) as $file ) {
			wp_delete_file( $file );
		}
		if ( array() === array_diff( (array) scandir( $dir ), array( '.', '..' ) ) ) {
			rmdir( $dir ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir -- our own empty folder.
		}
	}
}

/**
 * The folder of records waiting for the database goes only when none waits: a waiting record is
 * a delivered answer whose credits are not yet taken, and stays for the site owner to see.
 */
function aipuffer_connectors_uninstall_pending(): void {
	$dir = AIPuffer\Connectors\Storage\Pending_Records::dir();
	if ( ! is_dir( $dir ) || array() !== array_diff( (array) scandir( $dir ), array( '.', '..', 'index.php', '.htaccess' ) ) ) {
		return;
	}
	wp_delete_file( $dir . '/index.php' );
	wp_delete_file( $dir . '/.htaccess' );
	rmdir( $dir ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir -- our own empty folder.
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $aipuffer_site ) {
		switch_to_blog( (int) $aipuffer_site );
		aipuffer_connectors_uninstall_site();
		restore_current_blog();
	}
	global $wpdb;
	$aipuffer_network = $wpdb->get_col(
		$wpdb->prepare(
			"SELECT meta_key FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s OR meta_key LIKE %s",
			$wpdb->esc_like( '_site_transient_aipuffer_connectors_' ) . '%',
			$wpdb->esc_like( 'aipuffer_connectors_' ) . '%'
		)
	);
	foreach ( $aipuffer_network as $aipuffer_name ) {
		delete_site_option( $aipuffer_name );
	}
} else {
	aipuffer_connectors_uninstall_site();
}
aipuffer_connectors_uninstall_pending();
