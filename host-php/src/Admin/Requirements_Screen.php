<?php
/**
 * AI Puffer > Server check: whether the gateway can run on this server, and if not, the exact
 * lines to add and where (for this PHP SAPI, in the files this PHP reads); the versions of the
 * plugin, the engine and wasmtime; where the compiled engine is cached. *Check again* loads the
 * library again after a change.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Plugin;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Server_Setup;

defined( 'ABSPATH' ) || exit;

final class Requirements_Screen {

	public const SLUG = 'aipuffer-connectors-server';

	public const CHECK_ACTION = 'aipuffer_connectors_check_again';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 30 ); // After the parent menu and the other screens: last in the list.
		add_action( 'admin_post_' . self::CHECK_ACTION, array( $this, 'check_again' ) );
		add_filter( 'plugin_action_links_' . Plugin::basename(), array( $this, 'action_links' ) );
	}

	public static function url(): string {
		return add_query_arg( array( 'page' => self::SLUG ), admin_url( 'admin.php' ) );
	}

	public function menu(): void {
		add_submenu_page( Settings_Page::SLUG, __( 'AI Puffer Connectors: server check', 'aipuffer-connectors' ), __( 'Server check', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ) );
	}

	/**
	 * @param string[] $links
	 * @return string[]
	 */
	public function action_links( $links ): array {
		$links   = (array) $links;
		$links[] = '<a href="' . esc_url( self::url() ) . '">' . esc_html__( 'Server check', 'aipuffer-connectors' ) . '</a>';
		return $links;
	}

	/** *Check again*: forgets what was remembered about the library and shows the screen anew. */
	public function check_again(): void {
		Admin_Guard::screen( self::CHECK_ACTION );
		Requirements::forget_checks();
		wp_safe_redirect( add_query_arg( 'checked', '1', self::url() ) );
		exit;
	}

	public function render(): void {
		Admin_Guard::screen();
		$problems = Requirements::diagnosis( true );
		$ready    = array() === $problems;
		$versions = Requirements::versions( $ready );
		$env      = Server_Setup::environment();
		$env      = Server_Setup::pool( $env ) + $env;
		$cache    = Requirements::cache();

		echo '<div class="wrap aipuffer-server-check"><h1>' . esc_html__( 'AI Puffer Connectors: server check', 'aipuffer-connectors' ) . '</h1>';
		if ( isset( $_GET['checked'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a message after our own redirect.
			echo '<div class="notice notice-info is-dismissible"><p>' . esc_html__( 'Checked again just now.', 'aipuffer-connectors' ) . '</p></div>';
		}
		if ( $ready ) {
			echo '<div class="notice notice-success inline" id="aipuffer-server-ready"><p><strong>' . esc_html__( 'The gateway can run on this server.', 'aipuffer-connectors' ) . '</strong> ';
			echo esc_html__( 'PHP\'s FFI, the wasmtime library and the engine are in place.', 'aipuffer-connectors' ) . '</p></div>';
		} else {
			echo '<div class="notice notice-error inline" id="aipuffer-server-problems"><p><strong>' . esc_html__( 'The gateway cannot run on this server yet.', 'aipuffer-connectors' ) . '</strong> ';
			echo esc_html__( 'The WordPress AI Client keeps working without it. To turn it on:', 'aipuffer-connectors' ) . '</p>';
			foreach ( $problems as $problem ) {
				self::render_problem( $problem );
			}
			echo '</div>';
		}
		$notice = Requirements::cache_notice();
		if ( '' !== $notice ) {
			echo '<div class="notice notice-warning inline" id="aipuffer-server-cache"><p>' . esc_html( $notice ) . '</p></div>';
		}

		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::CHECK_ACTION ) . '" />';
		wp_nonce_field( self::CHECK_ACTION );
		submit_button( __( 'Check again', 'aipuffer-connectors' ), 'primary', 'submit', false );
		echo '</form>';

		$library = Requirements::library_path() . ' (' . ( Requirements::library_overridden()
			? __( 'named by AIPUFFER_WASMTIME_LIBRARY', 'aipuffer-connectors' )
			: __( 'shipped with the plugin', 'aipuffer-connectors' ) ) . ')';
		$cache_text = 'none' === $cache['kind'] ? __( 'none: compiled on every request', 'aipuffer-connectors' ) : $cache['dir'];
		$rows       = array(
			'plugin'   => array( __( 'Plugin version', 'aipuffer-connectors' ), $versions['plugin'] ),
			'engine'   => array( __( 'Engine version', 'aipuffer-connectors' ), $versions['engine'] ),
			'wasmtime' => array( __( 'wasmtime version', 'aipuffer-connectors' ), $versions['wasmtime'] ),
			'library'  => array( __( 'wasmtime library', 'aipuffer-connectors' ), $library ),
			'server'   => array( __( 'Server', 'aipuffer-connectors' ), sprintf( '%1$s %2$s, PHP %3$s (%4$s), ffi.enable=%5$s', $env['os'], $env['machine'], PHP_VERSION, $env['sapi'], '' === $env['ffi_enable'] ? '0' : $env['ffi_enable'] ) ),
			'ini'      => array( __( 'PHP configuration file', 'aipuffer-connectors' ), '' !== $env['ini_file'] ? $env['ini_file'] : __( 'none', 'aipuffer-connectors' ) ),
			'cache'    => array( __( 'Compiled engine cache', 'aipuffer-connectors' ), $cache_text ),
		);
		if ( '' !== $env['fpm_pool'] ) {
			$rows['pool'] = array( __( 'php-fpm pool', 'aipuffer-connectors' ), $env['fpm_pool'] . ( '' !== $env['pool_file'] ? ' (' . $env['pool_file'] . ')' : '' ) );
		}
		echo '<h2>' . esc_html__( 'Versions and paths', 'aipuffer-connectors' ) . '</h2><table class="widefat striped" id="aipuffer-server-facts" style="max-width:60em"><tbody>';
		foreach ( $rows as $id => $row ) {
			printf( '<tr data-fact="%1$s"><th scope="row">%2$s</th><td><code>%3$s</code></td></tr>', esc_attr( $id ), esc_html( $row[0] ), esc_html( $row[1] ) );
		}
		echo '</tbody></table>';
		echo '<p class="description">' . esc_html__( 'The same check runs in Tools > Site Health.', 'aipuffer-connectors' ) . '</p>';
		echo '</div>';
	}

	/**
	 * One problem: what is wrong, then each way to fix it with the exact lines to add.
	 *
	 * @param array{id: string, message: string, fixes: list<array{where: string, lines: string[], then: string}>} $problem
	 */
	public static function render_problem( array $problem ): void {
		echo '<div class="aipuffer-problem" data-problem="' . esc_attr( $problem['id'] ) . '"><p>' . esc_html( $problem['message'] ) . '</p>';
		foreach ( $problem['fixes'] as $fix ) {
			echo '<p>' . esc_html( $fix['where'] ) . '</p>';
			echo '<pre class="aipuffer-fix-line" style="background:#f6f7f7;padding:.5em 1em;user-select:all">' . esc_html( implode( "\n", $fix['lines'] ) ) . '</pre>';
			if ( '' !== $fix['then'] ) {
				echo '<p>' . esc_html( $fix['then'] ) . '</p>';
			}
		}
		echo '</div>';
	}
}
