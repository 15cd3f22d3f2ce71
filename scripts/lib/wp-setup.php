<?php
/**
 * Installs WordPress (no wp-cli exists in any registry), activates the plugin and, for the demo,
 * configures it once: management on, the OpenAI connector pointed at the loopback provider.
 * Environment: WP_PATH, WP_URL, ADMIN_USER, ADMIN_PASS, PROVIDER_URL, DEMO_OPENAI_KEY.
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

$plugin = 'aipuffer-connectors/aipuffer-connectors.php';
$active = activate_plugin( $plugin );
if ( is_wp_error( $active ) ) {
	fwrite( STDERR, 'Activating the plugin failed: ' . $active->get_error_message() . "\n" );
	exit( 1 );
}

if ( ! get_option( 'aipuffer_connectors_demo_configured' ) ) {
	$options = get_option( 'aipkit_options', array() );
	$options = is_array( $options ) ? $options : array();
	$options['provider']            = 'OpenAI';
	$options['providers']['OpenAI'] = array(
		'api_key'     => $env( 'DEMO_OPENAI_KEY' ),
		'model'       => 'gpt-4.1-mini',
		'base_url'    => $env( 'PROVIDER_URL' ),
		'api_version' => 'v1',
		'api_mode'    => 'responses',
	);
	update_option( 'aipkit_options', $options, false );
	$now = time();
	update_option(
		'aipkit_model_registry_openai',
		array(
			'schema_version' => 1,
			'provider'       => 'OpenAI',
			'revision'       => $now . '-demo',
			'updated_at'     => $now,
			'catalogs'       => array(
				'OpenAI' => array(
					array( 'id' => 'gpt-4.1-mini', 'name' => 'GPT-4.1 mini' ),
					array( 'id' => 'gpt-4.1-nano', 'name' => 'GPT-4.1 nano' ),
					array( 'id' => 'gpt-4o-mini', 'name' => 'GPT-4o mini' ),
				),
			),
			'sync'           => array( 'OpenAI' => array( 'status' => 'ready', 'last_attempt' => $now, 'last_success' => $now, 'error_code' => '', 'error_message' => '' ) ),
		),
		false
	);
	update_option( 'aipkit_wp_ai_client_gateway_mode', 'managed' );
	update_option( 'aipuffer_connectors_demo_configured', '1' );
	fwrite( STDERR, "    demo configured: management on, OpenAI → " . $env( 'PROVIDER_URL' ) . "\n" );
}
