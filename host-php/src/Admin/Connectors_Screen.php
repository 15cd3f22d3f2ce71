<?php
/**
 * Settings > Connectors while AI Puffer is installed:
 *
 * - managed, the AI Client's connectors are AI Puffer's: each is re-registered (core's
 *   documented unregister → register takeover, `wp_connectors_init` at 1000, after every
 *   provider plugin) as "{Name} via AI Puffer" with no key of its own — keys live in AI Puffer's
 *   settings — and this plugin as its plugin, so the screen asks to install no provider plugin;
 * - on the screen, a script module adds the AI Puffer banner (Enable / Learn more / Dismiss, or
 *   "Managed by AI Puffer" with Configure / Stop) and a card per connector that shows whether it
 *   is connected and leads to its settings. Core renders only connectors with an API-key or
 *   application-password form; ours have neither, so without the cards they would be invisible.
 *
 * Stopped, nothing here runs: core's connectors and any provider plugin's are back.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Providers\Aipuffer_Provider;
use AIPuffer\Connectors\Plugin;

defined( 'ABSPATH' ) || exit;

final class Connectors_Screen {

	public const MODULE = 'aipuffer-connectors-screen';

	/** Whether the gateway can run here (the requirements are met). */
	private bool $ready;

	public function __construct( bool $ready ) {
		$this->ready = $ready;
	}

	public function register(): void {
		if ( $this->ready ) {
			add_action( 'wp_connectors_init', array( $this, 'take_over' ), 1000 );
		}
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
		add_filter( 'script_module_data_' . self::MODULE, array( $this, 'data' ) );
	}

	/**
	 * @param \WP_Connector_Registry $registry
	 */
	public function take_over( $registry ): void {
		if ( ! Management::managed() || ! is_object( $registry ) || ! method_exists( $registry, 'unregister' ) ) {
			return;
		}
		// The default routes are a provider, not a connector a site owner sets up: WordPress made
		// one of it (every registered provider becomes one), which is taken away again.
		if ( $registry->is_registered( Aipuffer_Provider::ID ) ) {
			$registry->unregister( Aipuffer_Provider::ID );
		}
		foreach ( self::connectors() as $id => $provider ) {
			$metadata = (array) ( $provider['metadata'] ?? array() );
			$existing = $registry->is_registered( $id ) ? $registry->unregister( $id ) : null;
			$registry->register(
				$id,
				array(
					'name'           => (string) ( $metadata['name'] ?? $id ),
					'description'    => (string) ( $metadata['description'] ?? '' ),
					'logo_url'       => is_array( $existing ) ? ( $existing['logo_url'] ?? null ) : null,
					'type'           => 'ai_provider',
					'authentication' => array( 'method' => 'none' ),
					'plugin'         => array(
						'file'      => Plugin::basename(),
						'is_active' => '__return_true',
					),
				)
			);
		}
	}

	/**
	 * The directory's connectors (every provider but the default routes).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function connectors(): array {
		$providers = Directory::providers();
		unset( $providers[ Aipuffer_Provider::ID ] );
		return $providers;
	}

	public function enqueue( string $hook ): void {
		if ( 'options-connectors.php' !== $hook || ! current_user_can( 'manage_options' ) || ! function_exists( 'wp_register_script_module' ) ) {
			return;
		}
		wp_register_script_module(
			self::MODULE,
			plugins_url( 'admin/connectors-screen.js', Plugin::file() ),
			array( '@wordpress/connectors' ),
			Plugin::VERSION
		);
		wp_enqueue_script_module( self::MODULE );
		wp_enqueue_script( 'wp-element' );
		wp_enqueue_script( 'wp-components' );
		wp_enqueue_style( 'wp-components' );
		wp_enqueue_style( 'aipuffer-connectors-admin', plugins_url( 'admin/admin.css', Plugin::file() ), array(), Plugin::VERSION );
	}

	/**
	 * What the module shows, every string translated here.
	 *
	 * @param array<string, mixed> $data
	 * @return array<string, mixed>
	 */
	public function data( $data ): array {
		$managed    = Management::managed();
		$connectors = array();
		if ( $managed && $this->ready ) {
			foreach ( self::connectors() as $id => $provider ) {
				$connectors[ $id ] = array(
					'connected' => (bool) ( $provider['configured'] ?? false ),
					'editUrl'   => Settings_Page::url( 'ai', $id ),
				);
			}
		}
		return array(
			'managed'    => $managed,
			'dismissed'  => Management::banner_dismissed(),
			'ajaxUrl'    => admin_url( 'admin-ajax.php' ),
			'action'     => Management::ACTION,
			'nonce'      => wp_create_nonce( Management::ACTION ),
			'configure'  => Settings_Page::url( 'ai' ),
			'learnMore'  => Settings_Page::url( 'developers' ),
			'connectors' => (object) $connectors,
			'text'       => array(
				'invite'      => __( 'Route every WordPress AI Client request through AI Puffer: your providers, default models, connector approvals, pricing rules, credits and usage logs.', 'aipuffer-connectors' ),
				'managed'     => __( 'Managed by AI Puffer.', 'aipuffer-connectors' ),
				'managedHelp' => __( 'The AI Client uses the providers configured in AI Puffer. Stop to give WordPress its own connectors back; no setting is deleted.', 'aipuffer-connectors' ),
				'enable'      => __( 'Enable', 'aipuffer-connectors' ),
				'learnMore'   => __( 'Learn more', 'aipuffer-connectors' ),
				'dismiss'     => __( 'Dismiss', 'aipuffer-connectors' ),
				'configure'   => __( 'Configure', 'aipuffer-connectors' ),
				'stop'        => __( 'Stop', 'aipuffer-connectors' ),
				'connected'   => __( 'Connected', 'aipuffer-connectors' ),
				'notSetUp'    => __( 'Not set up', 'aipuffer-connectors' ),
				'edit'        => __( 'Edit', 'aipuffer-connectors' ),
				'setUp'       => __( 'Set up', 'aipuffer-connectors' ),
				/* translators: %s: connector name */
				'editLabel'   => __( 'Edit %s in AI Puffer settings', 'aipuffer-connectors' ),
				'failed'      => __( 'The change was not saved:', 'aipuffer-connectors' ),
				'banner'      => __( 'AI Puffer', 'aipuffer-connectors' ),
			),
		);
	}
}
