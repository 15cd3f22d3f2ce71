<?php
/**
 * Plugin Name: Page view timer (AI Puffer Connectors benchmark)
 * Description: For bench/http/page-view.mjs: a front-end request with `?aipuffer_page_view=1`
 * answers, once WordPress has loaded (`wp_loaded`), how long loading took from this must-use
 * plugin on, and how long the plugin's own start (AIPuffer\Connectors\Plugin::load) took in it.
 * With `&without_plugin=1` the request loads WordPress without the plugin (filtered out of
 * `active_plugins` for this request only), so both sides run on the same workers, interleaved.
 * Installed as a must-use plugin by scripts/bench only.
 */

if ( empty( $_GET['aipuffer_page_view'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	return;
}

$GLOBALS['aipuffer_bench_page_view'] = array( 'started' => hrtime( true ), 'plugin_load_ns' => null );

if ( ! empty( $_GET['without_plugin'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- benchmark only.
	add_filter(
		'option_active_plugins',
		static fn ( $plugins ) => array_values( array_diff( (array) $plugins, array( 'aipuffer-connectors/aipuffer-connectors.php' ) ) )
	);
}

// The plugin's start, timed by running it in place of its own registration.
add_action(
	'plugins_loaded',
	static function (): void {
		$load = array( 'AIPuffer\\Connectors\\Plugin', 'load' );
		if ( false === has_action( 'plugins_loaded', $load ) ) {
			return;
		}
		remove_action( 'plugins_loaded', $load );
		add_action(
			'plugins_loaded',
			static function () use ( $load ): void {
				$started = hrtime( true );
				$load();
				$GLOBALS['aipuffer_bench_page_view']['plugin_load_ns'] = hrtime( true ) - $started;
			}
		);
	},
	PHP_INT_MIN
);

add_action(
	'wp_loaded',
	static function (): void {
		$timer = $GLOBALS['aipuffer_bench_page_view'];
		header( 'Content-Type: application/json' );
		echo wp_json_encode(
			array(
				'loaded_ms'      => ( hrtime( true ) - $timer['started'] ) / 1e6,
				'plugin_load_ms' => null === $timer['plugin_load_ns'] ? null : $timer['plugin_load_ns'] / 1e6,
				'plugin_classes' => count( array_filter( get_declared_classes(), static fn ( $c ) => 0 === strpos( $c, 'AIPuffer\\Connectors\\' ) ) ),
			)
		);
		exit;
	},
	PHP_INT_MAX
);
