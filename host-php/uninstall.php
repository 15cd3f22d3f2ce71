<?php
/**
 * Uninstall: removes only this plugin's own things — its options, the compiled engine cache —
 * and nothing of AI Puffer's data (settings, catalogs, ledger, logs, balances), which belongs to
 * the site.
 *
 * @package AIPuffer\Connectors
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

foreach ( array(
	'aipuffer_connectors_schema_version',
	'aipuffer_connectors_demo_configured',
	'aipuffer_connectors_directory',
	'aipuffer_connectors_site',
	'aipuffer_connectors_generation',
	'aipuffer_connectors_recording_failures',
	'aipuffer_connectors_routes',
	'aipuffer_connectors_fallback',
) as $aipuffer_option ) {
	delete_option( $aipuffer_option );
}
delete_transient( 'aipuffer_connectors_directory' ); // Kept by versions before 0.2.
wp_clear_scheduled_hook( 'aipuffer_connectors_refresh_catalogs' );

// The compiled engine (native code) in the folder the plugin used.
$aipuffer_cache = (string) apply_filters( 'aipuffer_connectors_engine_cache_dir', WP_CONTENT_DIR . '/cache/aipuffer-connectors' );
foreach ( (array) glob( $aipuffer_cache . '/engine-*.cwasm' ) as $aipuffer_file ) {
	wp_delete_file( $aipuffer_file );
}
if ( is_dir( $aipuffer_cache ) && array() === array_diff( (array) scandir( $aipuffer_cache ), array( '.', '..' ) ) ) {
	rmdir( $aipuffer_cache ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir -- our own empty folder.
}
