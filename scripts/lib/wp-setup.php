<?php
/**
 * Installs WordPress (no wp-cli exists in any registry), activates the plugin and, for the demo,
 * configures it once: management on, the eight connectors pointed at the loopback provider.
 * Environment: WP_PATH, WP_URL, ADMIN_USER, ADMIN_PASS, PROVIDER_URL, DEMO_KEYS (JSON).
 */

$env = static fn ( string $name ): string => (string) getenv( $name );

// wp_install() builds URLs from the request; a CLI run has none.
$_SERVER['HTTP_HOST']   = (string) parse_url( $env( 'WP_URL' ), PHP_URL_HOST ) . ':' . (string) parse_url( $env( 'WP_URL' ), PHP_URL_PORT );
$_SERVER['REQUEST_URI'] = '/';

define( 'WP_INSTALLING', true );
require $env( 'WP_PATH' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

global $wpdb;
if ( '1' !== (string) $wpdb->get_var( 'SELECT 1' ) ) {
	fwrite( STDERR, "The WordPress database does not answer.\n" );
	exit( 1 );
}

// No mail on this machine: the install's notification would only log a sendmail error.
add_filter( 'pre_wp_mail', '__return_false' );

if ( ! is_blog_installed() ) {
	$result = wp_install( 'AI Puffer Connectors demo', $env( 'ADMIN_USER' ), 'admin@example.com', false, '', wp_slash( $env( 'ADMIN_PASS' ) ) );
	if ( is_wp_error( $result ) || empty( $result['user_id'] ) ) {
		fwrite( STDERR, "wp_install failed.\n" );
		exit( 1 );
	}
	update_option( 'siteurl', $env( 'WP_URL' ) );
	update_option( 'home', $env( 'WP_URL' ) );
	update_option( 'permalink_structure', '/%postname%/' );
	fwrite( STDERR, "    WordPress {$GLOBALS['wp_version']} installed\n" );
}

// A fresh site (the package test) gets its plugin from the zip, through the Plugins screen.
if ( '0' === $env( 'AIPUFFER_SETUP_PLUGIN' ) ) {
	exit( 0 );
}

$plugin = 'aipuffer-connectors/aipuffer-connectors.php';
$active = activate_plugin( $plugin );
if ( is_wp_error( $active ) ) {
	fwrite( STDERR, 'Activating the plugin failed: ' . $active->get_error_message() . "\n" );
	exit( 1 );
}

// The demo configuration, once per version of it: management on, all eight connectors pointed
// at the loopback provider (scripts/lib/demo-connectors.php).
const AIPUFFER_DEMO_VERSION = '4';
if ( AIPUFFER_DEMO_VERSION !== get_option( 'aipuffer_connectors_demo_configured' ) ) {
	require __DIR__ . '/demo-connectors.php';
	$demo    = aipuffer_demo_connectors( $env( 'PROVIDER_URL' ), (array) json_decode( $env( 'DEMO_KEYS' ), true ) );
	$options = get_option( 'aipkit_options', array() );
	$options = is_array( $options ) ? $options : array();
	update_option( 'aipkit_options', array_merge( $options, $demo['options'] ), false );
	foreach ( $demo['registries'] as $name => $registry ) {
		update_option( $name, $registry + array( 'updated_at' => time() ), false );
	}
	update_option( 'aipkit_wp_ai_client_gateway_mode', 'managed' );
	update_option( 'aipuffer_connectors_demo_configured', AIPUFFER_DEMO_VERSION );
	fwrite( STDERR, '    demo configured: management on, eight connectors → ' . $env( 'PROVIDER_URL' ) . "\n" );
}
