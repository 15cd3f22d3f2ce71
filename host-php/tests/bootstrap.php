<?php
/**
 * PHPUnit bootstrap: the runtime's paths, then a real WordPress with the plugin active (the test
 * site scripts/test starts; its site.env is exported). Without WP_PATH the WordPress suites fail
 * loudly rather than skip.
 *
 * @package AIPuffer\Connectors
 */

require __DIR__ . '/bootstrap-runtime.php';

$wp_path = getenv( 'WP_PATH' );
if ( ! $wp_path || ! is_file( $wp_path . '/wp-load.php' ) ) {
	fwrite( STDERR, "WP_PATH must point at the test site's WordPress (scripts/test php sets it).\n" );
	exit( 1 );
}
// wp-load.php reads these to build URLs and to tell a visitor from the CLI.
$_SERVER['HTTP_HOST']   = (string) wp_parse_url_fallback( (string) getenv( 'WP_URL' ) );
$_SERVER['REQUEST_URI'] = '/';
require $wp_path . '/wp-load.php';

/** `host:port` of a URL, before WordPress (and wp_parse_url) is loaded. */
function wp_parse_url_fallback( string $url ): string {
	$parts = parse_url( $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url -- WordPress is not loaded yet.
	return ( $parts['host'] ?? 'localhost' ) . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
}

require __DIR__ . '/WordPress/Site_Test_Case.php';
