<?php
/**
 * The PHP call stack, innermost frame first, each file said to be WordPress core, a plugin
 * (by its basename), a must-use plugin, a theme, or something else — with its path inside that
 * plugin or theme. Only converts: which frame counts as the caller is the engine's decision.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Approvals;

use AIPuffer\Connectors\Plugin;

defined( 'ABSPATH' ) || exit;

final class Stack_Frames {

	/** @var array<string, array{kind: string, basename: string, name: string}> By plugin/theme folder, filled on demand. */
	private array $owners = array();

	/** @var array<string, string>|null The folders files are told apart by, normalised once (not once per frame). */
	private ?array $roots = null;

	/** @return list<array{kind: string, basename: string, name: string, path: string}> */
	public function collect(): array {
		$frames = array();
		foreach ( debug_backtrace( DEBUG_BACKTRACE_IGNORE_ARGS ) as $frame ) { // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_debug_backtrace -- the caller is who asked for AI.
			if ( isset( $frame['file'] ) ) {
				$frames[] = $this->classify( wp_normalize_path( (string) $frame['file'] ) );
			}
		}
		return $frames;
	}

	/**
	 * Whose code a file is, as a frame of that file would say (the admin preview names its
	 * callers with this, so they match the callers real requests are attributed to).
	 *
	 * @return array{kind: string, basename: string, name: string, path: string}
	 */
	public function classify( string $file ): array {
		$roots = $this->roots();
		foreach ( array( 'mu-plugin', 'plugin', 'theme' ) as $kind ) {
			$root = $roots[ $kind ];
			if ( 0 === strpos( $file, $root ) ) {
				$relative = substr( $file, strlen( $root ) );
				$folder   = strtok( $relative, '/' );
				$owner    = $this->owner( $kind, (string) $folder, $relative );
				return $owner + array( 'path' => false === strpos( $relative, '/' ) ? $relative : substr( $relative, strlen( (string) $folder ) + 1 ) );
			}
		}
		if ( 0 === strpos( $file, $roots['core'] ) ) {
			return array( 'kind' => 'core', 'basename' => '', 'name' => '', 'path' => substr( $file, strlen( $roots['core'] ) ) );
		}
		return array( 'kind' => 'other', 'basename' => '', 'name' => '', 'path' => basename( $file ) );
	}

	/** @return array{mu-plugin: string, plugin: string, theme: string, core: string} */
	private function roots(): array {
		if ( null === $this->roots ) {
			$this->roots = array(
				'mu-plugin' => wp_normalize_path( WPMU_PLUGIN_DIR ) . '/',
				'plugin'    => wp_normalize_path( WP_PLUGIN_DIR ) . '/',
				'theme'     => wp_normalize_path( get_theme_root() ) . '/',
				'core'      => wp_normalize_path( ABSPATH ),
			);
		}
		return $this->roots;
	}

	/**
	 * Whose code a plugin/mu-plugin/theme folder (or single file) is: its basename as the AI
	 * plugin keys approvals (`slug/main.php` for plugins) and its name.
	 *
	 * @return array{kind: string, basename: string, name: string}
	 */
	private function owner( string $kind, string $folder, string $relative ): array {
		$key = $kind . ':' . $folder;
		if ( ! isset( $this->owners[ $key ] ) ) {
			$this->owners[ $key ] = array( 'kind' => str_replace( '-', '_', $kind ), 'basename' => $folder, 'name' => $folder );
			if ( 'plugin' === $kind && 0 === strpos( Plugin::basename(), $folder . '/' ) ) {
				// The gateway's own frames, in every prompt's stack: no header to read for them.
				$this->owners[ $key ] = array( 'kind' => 'plugin', 'basename' => Plugin::basename(), 'name' => Plugin::NAME );
			} elseif ( 'plugin' === $kind ) {
				$this->owners[ $key ] = $this->plugin( $folder, $relative ) ?? $this->owners[ $key ];
			} elseif ( 'theme' === $kind ) {
				$theme                        = wp_get_theme( $folder );
				$this->owners[ $key ]['name'] = $theme->exists() ? (string) $theme->get( 'Name' ) : $folder;
			}
		}
		return $this->owners[ $key ];
	}

	/**
	 * A plugin folder's basename and name. Every prompt asks this, so it looks among the active
	 * plugins first and reads that one file's header; only code of an inactive plugin costs
	 * the scan of every plugin's header that `get_plugins()` makes.
	 *
	 * @return array{kind: string, basename: string, name: string}|null
	 */
	private function plugin( string $folder, string $relative ): ?array {
		if ( ! function_exists( 'get_plugin_data' ) ) {
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
		}
		$matches = static fn ( string $basename ): bool => $basename === $relative || 0 === strpos( $basename, $folder . '/' );
		$active  = array_merge( (array) get_option( 'active_plugins', array() ), array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) );
		foreach ( $active as $basename ) {
			if ( is_string( $basename ) && $matches( $basename ) && is_readable( WP_PLUGIN_DIR . '/' . $basename ) ) {
				$name = (string) ( get_plugin_data( WP_PLUGIN_DIR . '/' . $basename, false, false )['Name'] ?? '' );
				return array( 'kind' => 'plugin', 'basename' => $basename, 'name' => '' === $name ? $folder : $name );
			}
		}
		foreach ( get_plugins() as $basename => $data ) {
			if ( $matches( (string) $basename ) ) {
				return array( 'kind' => 'plugin', 'basename' => (string) $basename, 'name' => (string) ( $data['Name'] ?? $folder ) );
			}
		}
		return null;
	}
}
