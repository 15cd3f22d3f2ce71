<?php
/**
 * Bootstrap: checks what the gateway needs, then lets each feature register its hooks.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors;

use AIPuffer\Connectors\Admin\Balance_Field;
use AIPuffer\Connectors\Admin\Caps_Notice;
use AIPuffer\Connectors\Admin\Connection_Test;
use AIPuffer\Connectors\Admin\Connectors_Screen;
use AIPuffer\Connectors\Admin\Logs_Page;
use AIPuffer\Connectors\Admin\Management;
use AIPuffer\Connectors\Admin\Model_Sync;
use AIPuffer\Connectors\Admin\Preview_Page;
use AIPuffer\Connectors\Admin\Pricing_Rules_Page;
use AIPuffer\Connectors\Admin\Recording_Failures_Notice;
use AIPuffer\Connectors\Admin\Requirements_Notice;
use AIPuffer\Connectors\Admin\Requirements_Screen;
use AIPuffer\Connectors\Admin\Settings_Page;
use AIPuffer\Connectors\Admin\Site_Health;
use AIPuffer\Connectors\Gateway\Gateway;
use AIPuffer\Connectors\Gateway\Key_Copy;
use AIPuffer\Connectors\Storage\Schema;

defined( 'ABSPATH' ) || exit;

final class Plugin {

	public const VERSION = '0.1.0';

	/** The plugin's name, as its header says (not translated: it names the code, as a basename does). */
	public const NAME = 'AI Puffer Connectors';

	/** Absolute path of the main plugin file. */
	private static string $file = '';

	public static function boot( string $file ): void {
		self::$file = $file;
		register_activation_hook( $file, array( Schema::class, 'install' ) );
		register_deactivation_hook( $file, array( Admin\Model_Sync::class, 'unschedule' ) );
		add_action( 'plugins_loaded', array( self::class, 'load' ) );
	}

	public static function file(): string {
		return self::$file;
	}

	/** The plugin's basename (`aipuffer-connectors/aipuffer-connectors.php` where installed as shipped). */
	public static function basename(): string {
		return plugin_basename( self::$file );
	}

	public static function dir(): string {
		return dirname( self::$file );
	}

	/**
	 * Without the AI Client, FFI or the engine the plugin only explains what is missing (a notice
	 * and its settings screen); it never registers a provider it could not run, so the AI Client
	 * keeps working without it. The on/off switch works either way.
	 */
	public static function load(): void {
		load_plugin_textdomain( 'aipuffer-connectors', false, dirname( self::basename() ) . '/languages' );
		Schema::maybe_upgrade();
		$problems = Requirements::problems();
		if ( self::serves_admin() ) {
			self::register_admin( $problems );
		}
		// Outside wp-admin too: the Connectors registry is built for REST requests, and Site
		// Health's tests run from REST and from its scheduled check.
		( new Connectors_Screen( array() === $problems ) )->register();
		( new Site_Health( $problems ) )->register();
		if ( array() !== $problems ) {
			return;
		}
		( new Model_Sync() )->register(); // Its refresh runs from WP-Cron.
		( new Key_Copy() )->register();
		( new Gateway() )->register();
	}

	/**
	 * Whether this request can show an admin screen or post to one: wp-admin, admin-ajax.php and
	 * admin-post.php (is_admin()), or the command line (WP-CLI, and the tests that drive the
	 * screens' handlers in one process). A visitor's page view, a REST or a cron request loads
	 * none of the screens' classes: measured in php-fpm, that takes the plugin's start on a page
	 * view from ≈0.31 to ≈0.21 ms.
	 */
	private static function serves_admin(): bool {
		return is_admin() || 'cli' === PHP_SAPI;
	}

	/**
	 * The admin screens, notices and their admin-post and AJAX handlers, which only wp-admin runs.
	 *
	 * @param string[] $problems What stops the gateway (Requirements::problems()).
	 */
	private static function register_admin( array $problems ): void {
		( new Recording_Failures_Notice() )->register();
		( new Management() )->register();
		( new Settings_Page( $problems ) )->register();
		( new Logs_Page() )->register();
		( new Requirements_Screen() )->register();
		if ( array() !== $problems ) {
			( new Requirements_Notice( $problems ) )->register();
			return;
		}
		( new Connection_Test() )->register();
		( new Pricing_Rules_Page() )->register();
		( new Balance_Field() )->register();
		( new Caps_Notice() )->register();
		( new Preview_Page() )->register();
	}
}
