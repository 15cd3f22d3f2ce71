<?php
/**
 * Uninstall: removes only this plugin's own bookkeeping. AI Puffer's options and tables (settings,
 * ledger, logs) belong to the site's AI Puffer data and are kept.
 *
 * @package AIPuffer\Connectors
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'aipuffer_connectors_schema_version' );
delete_option( 'aipuffer_connectors_demo_configured' );
delete_transient( 'aipuffer_connectors_directory' );
