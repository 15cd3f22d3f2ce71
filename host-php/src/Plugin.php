<?php
/**
 * Bootstrap: checks what the gateway needs, then lets each feature register its hooks.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors;

use AIPuffer\Connectors\Admin\Recording_Failures_Notice;
use AIPuffer\Connectors\Admin\Requirements_Notice;
use AIPuffer\Connectors\Gateway\Gateway;
use AIPuffer\Connectors\Storage\Schema;

defined( 'ABSPATH' ) || exit;

final class Plugin {

	public const VERSION = '0.1.0';

	/** Absolute path of the main plugin file. */
	private static string $file = '';

	public static function boot( string $file ): void {
		self::$file = $file;
		register_activation_hook( $file, array( Schema::class, 'install' ) );
		add_action( 'plugins_loaded', array( self::class, 'load' ) );
	}

	public static function file(): string {
		return self::$file;
	}

	public static function dir(): string {
		return dirname( self::$file );
	}

	/**
	 * Without the AI Client, FFI or the engine the plugin only explains what is missing; it never
	 * registers a provider it could not run, so the AI Client keeps working without it.
	 */
	public static function load(): void {
		load_plugin_textdomain( 'aipuffer-connectors', false, dirname( plugin_basename( self::$file ) ) . '/languages' );
		Schema::maybe_upgrade();
		( new Recording_Failures_Notice() )->register();
		$problems = Requirements::problems();
		if ( array() !== $problems ) {
			( new Requirements_Notice( $problems ) )->register();
			return;
		}
		( new Gateway() )->register();
	}
}
