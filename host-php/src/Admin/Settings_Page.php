<?php
/**
 * AI Puffer > Settings: the AI tab (main provider; per provider its API key, write-only, its
 * declared settings, the saved model from the synced list and *Test connection*) and the
 * Developers tab (the WordPress AI Client toggle). Settings live where AI Puffer keeps them,
 * `aipkit_options` (`provider`, `providers[Name][key]`); saving changes only the fields shown and
 * keeps every other key. What each provider asks for comes from the engine's manifest.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Failure_Messages;
use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Plugin;
use AIPuffer\Connectors\Requirements;

defined( 'ABSPATH' ) || exit;

final class Settings_Page {

	public const SLUG = 'aipuffer-connectors';

	public const SAVE_ACTION = 'aipuffer_connectors_save_settings';

	public const MODE_ACTION = 'aipuffer_connectors_save_developers';

	/** @var string[] What stops the gateway (Requirements::problems()). */
	private array $problems;

	/**
	 * @param string[] $problems
	 */
	public function __construct( array $problems ) {
		$this->problems = $problems;
	}

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ) );
		add_action( 'admin_post_' . self::SAVE_ACTION, array( $this, 'save' ) );
		add_action( 'admin_post_' . self::MODE_ACTION, array( $this, 'save_developers' ) );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
	}

	/** The settings screen's URL, on a tab, scrolled to a connector. */
	public static function url( string $tab, string $connector = '' ): string {
		$url = add_query_arg( array( 'page' => self::SLUG, 'tab' => $tab ), admin_url( 'admin.php' ) );
		return '' === $connector ? $url : $url . '#aipuffer-provider-' . $connector;
	}

	public function menu(): void {
		add_menu_page( __( 'AI Puffer Connectors', 'aipuffer-connectors' ), __( 'AI Puffer', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ), 'dashicons-cloud', 81 );
		add_submenu_page( self::SLUG, __( 'AI Puffer Connectors settings', 'aipuffer-connectors' ), __( 'Settings', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ) );
	}

	public function enqueue( string $hook ): void {
		if ( 'toplevel_page_' . self::SLUG !== $hook ) {
			return;
		}
		wp_enqueue_style( 'aipuffer-connectors-admin', plugins_url( 'admin/admin.css', Plugin::file() ), array(), Plugin::VERSION );
		wp_enqueue_script( 'aipuffer-connectors-settings', plugins_url( 'admin/settings.js', Plugin::file() ), array(), Plugin::VERSION, true );
		wp_localize_script(
			'aipuffer-connectors-settings',
			'aipufferConnectorsSettings',
			array(
				'ajaxUrl' => admin_url( 'admin-ajax.php' ),
				'action'  => Connection_Test::ACTION,
				'nonce'   => wp_create_nonce( Connection_Test::ACTION ),
				'testing' => __( 'Testing…', 'aipuffer-connectors' ),
				'syncAction' => Model_Sync::ACTION,
				'syncNonce'  => wp_create_nonce( Model_Sync::ACTION ),
				'syncing'    => __( 'Syncing… (large lists take a few seconds per page)', 'aipuffer-connectors' ),
				'failed'  => __( 'The test could not run:', 'aipuffer-connectors' ),
			)
		);
	}

	private static function tab(): string {
		$tab = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : 'ai'; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- navigation only.
		return in_array( $tab, array( 'ai', 'images', 'developers' ), true ) ? $tab : 'ai';
	}

	public function render(): void {
		Admin_Guard::screen();
		$tab  = self::tab();
		$tabs = array(
			'ai'         => __( 'AI', 'aipuffer-connectors' ),
			'images'     => __( 'Images', 'aipuffer-connectors' ),
			'developers' => __( 'Developers', 'aipuffer-connectors' ),
		);
		echo '<div class="wrap aipuffer-settings"><h1>' . esc_html__( 'AI Puffer Connectors', 'aipuffer-connectors' ) . '</h1>';
		echo '<nav class="nav-tab-wrapper" aria-label="' . esc_attr__( 'Settings sections', 'aipuffer-connectors' ) . '">';
		foreach ( $tabs as $id => $label ) {
			$current = $id === $tab;
			printf(
				'<a href="%1$s" class="nav-tab%2$s"%3$s>%4$s</a>',
				esc_url( self::url( $id ) ),
				$current ? ' nav-tab-active' : '',
				$current ? ' aria-current="page"' : '',
				esc_html( $label )
			);
		}
		echo '</nav>';
		if ( isset( $_GET['updated'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a message after our own redirect.
			echo '<div class="notice notice-success is-dismissible"><p>' . esc_html__( 'Settings saved.', 'aipuffer-connectors' ) . '</p></div>';
		}
		$this->render_problems();
		if ( 'developers' === $tab ) {
			$this->render_developers();
		} elseif ( 'images' === $tab ) {
			$this->render_images();
		} else {
			$this->render_ai();
		}
		/* translators: 1: plugin version, 2: wasmtime version */
		echo '<p class="description">' . esc_html( sprintf( __( 'AI Puffer Connectors %1$s, wasmtime %2$s. Versions and checks: Tools > Site Health.', 'aipuffer-connectors' ), Plugin::VERSION, \AIPuffer\Connectors\Runtime\Wasmtime_Library::VERSION ) ) . '</p>';
		echo '</div>';
	}

	private function render_problems(): void {
		if ( array() === $this->problems ) {
			return;
		}
		echo '<div class="notice notice-error inline"><p><strong>' . esc_html__( 'The gateway cannot run on this server yet.', 'aipuffer-connectors' ) . '</strong> ';
		echo esc_html__( 'The WordPress AI Client keeps working without it. To turn it on:', 'aipuffer-connectors' ) . '</p><ul class="ul-disc">';
		foreach ( $this->problems as $problem ) {
			echo '<li>' . esc_html( $problem ) . '</li>';
		}
		echo '</ul></div>';
	}

	private function render_developers(): void {
		$managed = Management::managed();
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::MODE_ACTION ) . '" />';
		wp_nonce_field( self::MODE_ACTION );
		echo '<h2>' . esc_html__( 'WordPress AI Connectors', 'aipuffer-connectors' ) . '</h2>';
		echo '<p>' . esc_html__( 'When AI Puffer manages the WordPress AI Client, every wp_ai_client_prompt() request — from WordPress, the AI plugin or any other plugin — goes to the providers configured on the AI tab, with AI Puffer\'s default models, connector approvals, pricing rules, credits and usage logs. The Connectors screen then lists the providers as "… via AI Puffer".', 'aipuffer-connectors' ) . '</p>';
		echo '<p>' . esc_html__( 'Turning it off gives WordPress its own connectors back on the next request. No provider setting, key or log is deleted.', 'aipuffer-connectors' ) . '</p>';
		echo '<table class="form-table" role="presentation"><tr><th scope="row">' . esc_html__( 'AI Client gateway', 'aipuffer-connectors' ) . '</th><td>';
		echo '<label for="aipuffer-managed"><input type="checkbox" id="aipuffer-managed" name="managed" value="1"' . checked( $managed, true, false ) . ' /> ';
		echo esc_html__( 'Let AI Puffer manage the WordPress AI Client connectors', 'aipuffer-connectors' ) . '</label>';
		if ( array() !== $this->problems ) {
			echo '<p class="description">' . esc_html__( 'Until the problems above are fixed, the AI Client keeps its own connectors even when this is on.', 'aipuffer-connectors' ) . '</p>';
		}
		echo '</td></tr></table>';
		submit_button( __( 'Save', 'aipuffer-connectors' ) );
		echo '</form>';
	}

	/** The Images tab: the default image route — what serves it, why, and its pin. */
	private function render_images(): void {
		if ( array() !== $this->problems ) {
			return;
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::SAVE_ACTION ) . '" />';
		echo '<input type="hidden" name="tab" value="images" />';
		wp_nonce_field( self::SAVE_ACTION );
		$this->render_routes( self::manifest_connectors(), array( 'image' ) );
		echo '<p class="description">' . esc_html__( 'Image models come from each provider\'s image catalog (Sync models on the AI tab). The gateway makes images through OpenAI (GPT Image, DALL·E 3) so far.', 'aipuffer-connectors' ) . '</p>';
		submit_button( __( 'Save', 'aipuffer-connectors' ) );
		echo '</form>';
	}

	private function render_ai(): void {
		if ( array() !== $this->problems ) {
			return;
		}
		try {
			$connectors = self::manifest_connectors();
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( $e->getMessage() ) . '</p></div>';
			return;
		}
		$options = self::options();
		$main    = is_scalar( $options['provider'] ?? null ) ? (string) $options['provider'] : '';
		if ( ! Management::managed() ) {
			echo '<div class="notice notice-info inline"><p>';
			echo esc_html__( 'AI Puffer does not manage the WordPress AI Client yet. Configure and test your providers here, then turn management on under Developers or on the Connectors screen.', 'aipuffer-connectors' );
			echo '</p></div>';
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" autocomplete="off">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::SAVE_ACTION ) . '" />';
		wp_nonce_field( self::SAVE_ACTION );
		$this->render_routes( $connectors );
		$this->render_fallback( $connectors );
		echo '<h2>' . esc_html__( 'Providers', 'aipuffer-connectors' ) . '</h2>';
		echo '<table class="form-table" role="presentation"><tr><th scope="row"><label for="aipuffer-main-provider">' . esc_html__( 'Main provider', 'aipuffer-connectors' ) . '</label></th><td>';
		echo '<select id="aipuffer-main-provider" name="aipuffer[provider]">';
		foreach ( $connectors as $connector ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $connector['provider'] ), selected( $main, $connector['provider'], false ), esc_html( $connector['label'] ) );
		}
		echo '</select><p class="description">' . esc_html__( 'Tried first when a request names no model.', 'aipuffer-connectors' ) . '</p></td></tr></table>';
		foreach ( $connectors as $connector ) {
			$this->render_provider( $connector, (array) ( $options['providers'][ $connector['provider'] ] ?? array() ) );
		}
		submit_button( __( 'Save settings', 'aipuffer-connectors' ) );
		echo '</form>';
	}

	/**
	 * The default routes: what each serves, why (one translated sentence per step), and a pin.
	 *
	 * @param list<array<string, mixed>> $connectors From the manifest.
	 * @param string[]                   $kinds      The routes to show.
	 */
	private function render_routes( array $connectors, array $kinds = array( 'text', 'fast', 'image' ) ): void {
		$labels = array(
			'text'  => __( 'Default text model', 'aipuffer-connectors' ),
			'fast'  => __( 'Fast text model', 'aipuffer-connectors' ),
			'image' => __( 'Default image model', 'aipuffer-connectors' ),
		);
		echo '<h2 id="aipuffer-routes-heading">' . esc_html__( 'Default models', 'aipuffer-connectors' ) . '</h2>';
		echo '<p>' . esc_html__( 'Requests that name no model go to the default text model (images: the default image model); requests for aipuffer-fast-text get the fast one. AI Puffer infers them from the provider settings below, and says why. Pin one to a synced model to choose it yourself.', 'aipuffer-connectors' ) . '</p>';
		echo '<table class="widefat striped aipuffer-routes" aria-labelledby="aipuffer-routes-heading"><thead><tr>';
		foreach ( array( __( 'Route', 'aipuffer-connectors' ), __( 'Serves', 'aipuffer-connectors' ), __( 'Why', 'aipuffer-connectors' ), __( 'Pin', 'aipuffer-connectors' ) ) as $heading ) {
			echo '<th scope="col">' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		$labels_by_id = array_column( $connectors, 'label', 'id' );
		foreach ( Site_Snapshot::routes() as $route ) {
			$kind = (string) ( $route['kind'] ?? '' );
			if ( ! isset( $labels[ $kind ] ) || ! in_array( $kind, $kinds, true ) ) {
				continue;
			}
			$connector = (string) ( $route['connector'] ?? '' );
			$model     = (string) ( $route['model'] ?? '' );
			echo '<tr id="aipuffer-route-' . esc_attr( $kind ) . '"><th scope="row">' . esc_html( $labels[ $kind ] ) . '<br /><code>' . esc_html( (string) $route['alias'] ) . '</code></th><td class="aipuffer-route-target">';
			if ( '' === $connector ) {
				echo '<strong>' . esc_html__( 'Nothing can serve it yet', 'aipuffer-connectors' ) . '</strong>';
			} else {
				echo '<strong>' . esc_html( ( $labels_by_id[ $connector ] ?? $connector ) . ' / ' . $model ) . '</strong>';
				if ( ! empty( $route['pinned'] ) ) {
					echo '<br /><span class="aipuffer-status">' . esc_html__( 'Pinned', 'aipuffer-connectors' ) . '</span>';
				}
			}
			echo '</td><td><ol class="aipuffer-route-why">';
			foreach ( (array) ( $route['why'] ?? array() ) as $step ) {
				echo '<li>' . esc_html( Failure_Messages::render( (array) $step ) ) . '</li>';
			}
			echo '</ol></td><td>';
			$this->render_pin( $kind, $labels[ $kind ], $connectors, ! empty( $route['pinned'] ) ? $connector . '|' . $model : '' );
			echo '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * Fallback: off by default; when on, the providers to try next, in order.
	 *
	 * @param list<array<string, mixed>> $connectors From the manifest.
	 */
	private function render_fallback( array $connectors ): void {
		$saved   = (array) get_option( Site_Snapshot::FALLBACK_OPTION, array() );
		$order   = array_values( array_filter( (array) ( $saved['order'] ?? array() ), 'is_string' ) );
		$enabled = ! empty( $saved['enabled'] );
		echo '<h2 id="aipuffer-fallback-heading">' . esc_html__( 'Fallback', 'aipuffer-connectors' ) . '</h2>';
		echo '<table class="form-table" role="presentation"><tr><th scope="row">' . esc_html__( 'When a provider fails', 'aipuffer-connectors' ) . '</th><td>';
		echo '<label for="aipuffer-fallback-enabled"><input type="checkbox" id="aipuffer-fallback-enabled" name="aipuffer_fallback[enabled]" value="1"' . checked( $enabled, true, false ) . ' /> ';
		echo esc_html__( 'Send the request to the next provider below when one fails for a moment (network, timeout, rate limit, server error)', 'aipuffer-connectors' ) . '</label>';
		echo '<p class="description">' . esc_html__( 'A refused key, a bad request, an approval or a cap never falls back. The next provider is used with its saved model, and only if that model offers everything the request asks for (functions, JSON schema, images…). The log records every failed attempt; only the answer is charged.', 'aipuffer-connectors' ) . '</p>';
		echo '</td></tr><tr><th scope="row">' . esc_html__( 'Order', 'aipuffer-connectors' ) . '</th><td><ul class="aipuffer-fallback-order">';
		$ids = array_column( $connectors, 'id' );
		usort(
			$connectors,
			static function ( $a, $b ) use ( $order, $ids ) {
				$rank = static fn ( $c ) => false === array_search( $c['id'], $order, true ) ? 100 + (int) array_search( $c['id'], $ids, true ) : (int) array_search( $c['id'], $order, true );
				return $rank( $a ) <=> $rank( $b );
			}
		);
		foreach ( $connectors as $position => $connector ) {
			$id    = (string) $connector['id'];
			$field = 'aipuffer-fallback-' . $id;
			echo '<li><label for="' . esc_attr( $field ) . '-position" class="screen-reader-text">';
			/* translators: %s: provider name */
			echo esc_html( sprintf( __( 'Position of %s', 'aipuffer-connectors' ), $connector['label'] ) ) . '</label>';
			echo '<input type="number" class="small-text" min="1" max="' . count( $connectors ) . '" id="' . esc_attr( $field ) . '-position" name="aipuffer_fallback[position][' . esc_attr( $id ) . ']" value="' . esc_attr( (string) ( $position + 1 ) ) . '" /> ';
			echo '<label for="' . esc_attr( $field ) . '"><input type="checkbox" id="' . esc_attr( $field ) . '" name="aipuffer_fallback[use][' . esc_attr( $id ) . ']" value="1"' . checked( in_array( $id, $order, true ), true, false ) . ' /> <span class="screen-reader-text">' . esc_html__( 'Fall back to', 'aipuffer-connectors' ) . ' </span>' . esc_html( $connector['label'] ) . '</label></li>';
		}
		echo '</ul></td></tr></table>';
	}

	/**
	 * A route's pin: "Inferred", or a synced model of a configured connector.
	 *
	 * @param list<array<string, mixed>> $connectors
	 */
	private function render_pin( string $kind, string $label, array $connectors, string $pinned ): void {
		$field = 'aipuffer-pin-' . $kind;
		/* translators: %s: route name, e.g. "Default text model" */
		echo '<label class="screen-reader-text" for="' . esc_attr( $field ) . '">' . esc_html( sprintf( __( 'Pin the %s', 'aipuffer-connectors' ), $label ) ) . '</label>';
		echo '<select id="' . esc_attr( $field ) . '" name="aipuffer_routes[' . esc_attr( $kind ) . ']">';
		echo '<option value="">' . esc_html__( 'Inferred (recommended)', 'aipuffer-connectors' ) . '</option>';
		foreach ( $connectors as $connector ) {
			$entry = Site_Snapshot::connector( (string) $connector['id'] );
			if ( empty( $entry['configured'] ) ) {
				continue;
			}
			$models = self::models( (string) $connector['id'], 'image' === $kind ? 'image_models' : 'models' );
			if ( array() === $models ) {
				continue;
			}
			echo '<optgroup label="' . esc_attr( $connector['label'] ) . '">';
			foreach ( $models as $model ) {
				$value = $connector['id'] . '|' . $model['id'];
				printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $value ), selected( $pinned, $value, false ), esc_html( $connector['label'] . ' / ' . $model['id'] ) );
			}
			echo '</optgroup>';
		}
		echo '</select>';
	}

	/**
	 * @param array<string, mixed> $connector From the manifest.
	 * @param array<string, mixed> $saved     `aipkit_options.providers[Name]`.
	 */
	private function render_provider( array $connector, array $saved ): void {
		$id   = (string) $connector['id'];
		$name = 'aipuffer[providers][' . $connector['provider'] . ']';
		$html = 'aipuffer-' . $id . '-';
		echo '<section class="aipuffer-provider" id="aipuffer-provider-' . esc_attr( $id ) . '" aria-labelledby="' . esc_attr( $html ) . 'heading">';
		echo '<h2 id="' . esc_attr( $html ) . 'heading">' . esc_html( $connector['label'] ) . '</h2>';
		echo '<table class="form-table" role="presentation">';
		if ( ! empty( $connector['needs_key'] ) ) {
			$key = is_string( $saved['api_key'] ?? null ) ? trim( $saved['api_key'] ) : '';
			echo '<tr><th scope="row"><label for="' . esc_attr( $html ) . 'api-key">' . esc_html__( 'API key', 'aipuffer-connectors' ) . '</label></th><td>';
			echo '<input type="password" class="regular-text" id="' . esc_attr( $html ) . 'api-key" name="' . esc_attr( $name ) . '[api_key]" value="" autocomplete="new-password" spellcheck="false" aria-describedby="' . esc_attr( $html ) . 'api-key-status" />';
			echo '<p class="description" id="' . esc_attr( $html ) . 'api-key-status">';
			if ( '' === $key ) {
				echo esc_html__( 'No key is saved.', 'aipuffer-connectors' );
			} elseif ( strlen( $key ) > 8 ) {
				/* translators: %s: the last four characters of the saved API key */
				echo esc_html( sprintf( __( 'A key is saved, ending in %s. Leave the field empty to keep it.', 'aipuffer-connectors' ), substr( $key, -4 ) ) );
			} else {
				echo esc_html__( 'A key is saved. Leave the field empty to keep it.', 'aipuffer-connectors' );
			}
			if ( ! empty( $connector['credentials_url'] ) ) {
				echo ' <a href="' . esc_url( $connector['credentials_url'] ) . '" target="_blank" rel="noopener noreferrer">' . esc_html__( 'Get a key', 'aipuffer-connectors' ) . '</a>';
			}
			echo '</p>';
			if ( '' !== $key ) {
				echo '<p><label><input type="checkbox" name="' . esc_attr( $name ) . '[remove_key]" value="1" /> ' . esc_html__( 'Remove the saved key', 'aipuffer-connectors' ) . '</label></p>';
			}
			echo '</td></tr>';
		}
		foreach ( (array) $connector['settings'] as $setting ) {
			$this->render_setting( $connector, (array) $setting, $saved, $name, $html );
		}
		$synced_at = (int) ( Site_Snapshot::connector( $id )['synced_at'] ?? 0 );
		echo '<tr><th scope="row">' . esc_html__( 'Models', 'aipuffer-connectors' ) . '</th><td>';
		echo '<button type="button" class="button aipuffer-sync" data-connector="' . esc_attr( $id ) . '" aria-describedby="' . esc_attr( $html ) . 'sync-result">' . esc_html__( 'Sync models', 'aipuffer-connectors' ) . '</button>';
		echo '<span class="aipuffer-test-result" id="' . esc_attr( $html ) . 'sync-result" role="status" aria-live="polite"></span>';
		echo '<p class="description" id="' . esc_attr( $html ) . 'synced-at">';
		echo esc_html(
			$synced_at > 0
				/* translators: %s: date and time */
				? sprintf( __( 'Last synced %s. Lists older than 7 days are refreshed once a day.', 'aipuffer-connectors' ), wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $synced_at ) )
				: __( 'Never synced from the provider: the list is AI Puffer\'s stored one. Save the key, then sync.', 'aipuffer-connectors' )
		);
		echo '</p></td></tr>';
		echo '<tr><th scope="row">' . esc_html__( 'Connection', 'aipuffer-connectors' ) . '</th><td>';
		echo '<button type="button" class="button aipuffer-test" data-connector="' . esc_attr( $id ) . '" aria-describedby="' . esc_attr( $html ) . 'test-result">' . esc_html__( 'Test connection', 'aipuffer-connectors' ) . '</button>';
		echo '<span class="aipuffer-test-result" id="' . esc_attr( $html ) . 'test-result" role="status" aria-live="polite"></span>';
		echo '<p class="description">' . esc_html__( 'Sends one tiny request with the saved settings (save changes first).', 'aipuffer-connectors' ) . '</p>';
		echo '</td></tr></table></section>';
	}

	/**
	 * One declared setting: the saved model as a choice from the synced list, choices as a
	 * select, anything else as text with its default as the placeholder.
	 *
	 * @param array<string, mixed> $connector
	 * @param array<string, mixed> $setting `{key, default, choices?}`.
	 * @param array<string, mixed> $saved
	 */
	private function render_setting( array $connector, array $setting, array $saved, string $name, string $html ): void {
		$key     = (string) $setting['key'];
		$value   = is_scalar( $saved[ $key ] ?? null ) ? trim( (string) $saved[ $key ] ) : '';
		$field   = $html . str_replace( '_', '-', $key );
		$input   = $name . '[' . $key . ']';
		$choices = (array) ( $setting['choices'] ?? array() );
		echo '<tr><th scope="row"><label for="' . esc_attr( $field ) . '">' . esc_html( self::setting_label( $key ) ) . '</label></th><td>';
		if ( 'model' === $key ) {
			$models = self::models( (string) $connector['id'] );
			if ( array() === $models ) {
				echo '<input type="text" class="regular-text" id="' . esc_attr( $field ) . '" name="' . esc_attr( $input ) . '" value="' . esc_attr( $value ) . '" />';
				echo '<p class="description">' . esc_html__( 'No models are synced for this provider yet: type a model id.', 'aipuffer-connectors' ) . '</p>';
			} else {
				echo '<select id="' . esc_attr( $field ) . '" name="' . esc_attr( $input ) . '">';
				$listed = false;
				foreach ( $models as $model ) {
					$listed = $listed || $model['id'] === $value;
					printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $model['id'] ), selected( $value, $model['id'], false ), esc_html( $model['name'] === $model['id'] ? $model['id'] : $model['name'] . ' (' . $model['id'] . ')' ) );
				}
				if ( '' !== $value && ! $listed ) {
					/* translators: %s: model id */
					printf( '<option value="%1$s" selected>%2$s</option>', esc_attr( $value ), esc_html( sprintf( __( '%s (not in the synced list)', 'aipuffer-connectors' ), $value ) ) );
				}
				echo '</select>';
				/* translators: %d: number of models */
				echo '<p class="description">' . esc_html( sprintf( _n( '%d synced model. Requests that name no model use this one.', '%d synced models. Requests that name no model use this one.', count( $models ), 'aipuffer-connectors' ), count( $models ) ) ) . '</p>';
			}
		} elseif ( array() !== $choices ) {
			$current = '' === $value ? (string) $setting['default'] : $value;
			echo '<select id="' . esc_attr( $field ) . '" name="' . esc_attr( $input ) . '">';
			foreach ( $choices as $choice ) {
				printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $choice ), selected( $current, $choice, false ), esc_html( self::choice_label( (string) $choice ) ) );
			}
			echo '</select>';
		} else {
			echo '<input type="text" class="regular-text code" id="' . esc_attr( $field ) . '" name="' . esc_attr( $input ) . '" value="' . esc_attr( $value ) . '" placeholder="' . esc_attr( (string) $setting['default'] ) . '" spellcheck="false" />';
			if ( '' !== (string) $setting['default'] ) {
				/* translators: %s: the default value */
				echo '<p class="description">' . esc_html( sprintf( __( 'Empty: %s', 'aipuffer-connectors' ), $setting['default'] ) ) . '</p>';
			} elseif ( ( $connector['required_setting'] ?? null ) === $key ) {
				echo '<p class="description">' . esc_html__( 'Required.', 'aipuffer-connectors' ) . '</p>';
			}
		}
		echo '</td></tr>';
	}

	private static function setting_label( string $key ): string {
		$labels = array(
			'model'                 => __( 'Model', 'aipuffer-connectors' ),
			'base_url'              => __( 'Base URL', 'aipuffer-connectors' ),
			'api_version'           => __( 'API version', 'aipuffer-connectors' ),
			'api_mode'              => __( 'API', 'aipuffer-connectors' ),
			'endpoint'              => __( 'Endpoint', 'aipuffer-connectors' ),
			'api_version_inference' => __( 'API version (inference)', 'aipuffer-connectors' ),
			'api_version_authoring' => __( 'API version (deployment list)', 'aipuffer-connectors' ),
		);
		return $labels[ $key ] ?? $key;
	}

	private static function choice_label( string $choice ): string {
		$labels = array(
			'responses'        => __( 'Responses API', 'aipuffer-connectors' ),
			'chat_completions' => __( 'Chat Completions', 'aipuffer-connectors' ),
		);
		return $labels[ $choice ] ?? $choice;
	}

	/**
	 * The connectors the engine offers, as its manifest describes them.
	 *
	 * @return list<array<string, mixed>>
	 */
	public static function manifest_connectors(): array {
		return array_values( array_filter( (array) ( Json::decode_object( Requirements::engine()->manifest() )['connectors'] ?? array() ), 'is_array' ) );
	}

	/**
	 * A connector's synced models, `{id, name}` in directory order.
	 *
	 * @param string $list `models` (text) or `image_models`.
	 * @return list<array{id: string, name: string}>
	 */
	public static function models( string $id, string $list = 'models' ): array {
		$models = array();
		foreach ( (array) ( Site_Snapshot::connector( $id )[ $list ] ?? array() ) as $row ) {
			if ( is_array( $row ) && isset( $row['id'] ) ) {
				$models[] = array( 'id' => (string) $row['id'], 'name' => (string) ( $row['name'] ?? $row['id'] ) );
			}
		}
		return $models;
	}

	/** @return array<string, mixed> */
	private static function options(): array {
		$options = get_option( 'aipkit_options', array() );
		return is_array( $options ) ? $options : array();
	}

	/** Saves the AI tab: only the fields it shows; every other key of `aipkit_options` stays. */
	public function save(): void {
		Admin_Guard::screen( self::SAVE_ACTION );
		$posted = isset( $_POST['aipuffer'] ) && is_array( $_POST['aipuffer'] ) ? wp_unslash( $_POST['aipuffer'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- each field is sanitized below.
		$connectors = self::manifest_connectors();
		update_option( 'aipkit_options', self::merge( self::options(), $posted, $connectors ) );
		// Each form saves what it shows: the pins of the routes it lists, fallback where it is.
		$routes = isset( $_POST['aipuffer_routes'] ) && is_array( $_POST['aipuffer_routes'] ) ? wp_unslash( $_POST['aipuffer_routes'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parsed by pins().
		$kept   = array_diff_key( (array) get_option( Site_Snapshot::ROUTES_OPTION, array() ), $routes );
		update_option( Site_Snapshot::ROUTES_OPTION, array_merge( $kept, self::pins( $routes, $connectors ) ), false );
		if ( isset( $_POST['aipuffer_fallback'] ) && is_array( $_POST['aipuffer_fallback'] ) ) {
			update_option( Site_Snapshot::FALLBACK_OPTION, self::fallback( wp_unslash( $_POST['aipuffer_fallback'] ), $connectors ), false ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parsed by fallback().
		}
		$tab = isset( $_POST['tab'] ) && 'images' === $_POST['tab'] ? 'images' : 'ai';
		wp_safe_redirect( add_query_arg( 'updated', '1', self::url( $tab ) ) );
		exit;
	}

	/**
	 * The options after a save: each connector's declared settings and key from the form,
	 * sanitized; an empty key field keeps the saved key.
	 *
	 * @param array<string, mixed>       $options    `aipkit_options` as stored.
	 * @param array<string, mixed>       $posted     The form's `aipuffer` fields, unslashed.
	 * @param list<array<string, mixed>> $connectors From the manifest.
	 * @return array<string, mixed>
	 */
	public static function merge( array $options, array $posted, array $connectors ): array {
		$names = array_column( $connectors, 'provider' );
		if ( isset( $posted['provider'] ) && in_array( $posted['provider'], $names, true ) ) {
			$options['provider'] = $posted['provider'];
		}
		$providers = is_array( $options['providers'] ?? null ) ? $options['providers'] : array();
		foreach ( $connectors as $connector ) {
			$provider = (string) $connector['provider'];
			$form     = is_array( $posted['providers'][ $provider ] ?? null ) ? $posted['providers'][ $provider ] : array();
			$settings = is_array( $providers[ $provider ] ?? null ) ? $providers[ $provider ] : array();
			foreach ( (array) $connector['settings'] as $setting ) {
				$key = (string) $setting['key'];
				if ( ! isset( $form[ $key ] ) || ! is_string( $form[ $key ] ) ) {
					continue;
				}
				$value   = trim( sanitize_text_field( $form[ $key ] ) );
				$choices = (array) ( $setting['choices'] ?? array() );
				if ( array() !== $choices && ! in_array( $value, $choices, true ) ) {
					continue;
				}
				if ( in_array( $key, array( 'base_url', 'endpoint' ), true ) && '' !== $value ) {
					$value = esc_url_raw( $value, array( 'http', 'https' ) );
				}
				$settings[ $key ] = $value;
			}
			if ( ! empty( $form['remove_key'] ) ) {
				$settings['api_key'] = '';
			} elseif ( isset( $form['api_key'] ) && is_string( $form['api_key'] ) && '' !== trim( $form['api_key'] ) ) {
				$settings['api_key'] = trim( sanitize_text_field( $form['api_key'] ) );
			}
			$providers[ $provider ] = $settings;
		}
		$options['providers'] = $providers;
		return $options;
	}

	/**
	 * The pins from the form: `connector|model` per route, or empty for "inferred".
	 *
	 * @param array<string, mixed>       $posted     `aipuffer_routes`, unslashed.
	 * @param list<array<string, mixed>> $connectors From the manifest.
	 * @return array<string, array{connector: string, model: string}>
	 */
	public static function pins( array $posted, array $connectors ): array {
		$ids  = array_column( $connectors, 'id' );
		$pins = array();
		foreach ( array( 'text', 'fast', 'image' ) as $kind ) {
			$value = is_string( $posted[ $kind ] ?? null ) ? sanitize_text_field( $posted[ $kind ] ) : '';
			$parts = explode( '|', $value, 2 );
			if ( 2 === count( $parts ) && in_array( $parts[0], $ids, true ) && '' !== trim( $parts[1] ) ) {
				$pins[ $kind ] = array( 'connector' => $parts[0], 'model' => trim( $parts[1] ) );
			}
		}
		return $pins;
	}

	/**
	 * The fallback setting from the form: on or off, and the providers ticked, by position.
	 *
	 * @param array<string, mixed>       $posted     `aipuffer_fallback`, unslashed.
	 * @param list<array<string, mixed>> $connectors From the manifest.
	 * @return array{enabled: bool, order: list<string>}
	 */
	public static function fallback( array $posted, array $connectors ): array {
		$positions = array();
		foreach ( array_column( $connectors, 'id' ) as $index => $id ) {
			if ( empty( $posted['use'][ $id ] ) ) {
				continue;
			}
			$position           = $posted['position'][ $id ] ?? '';
			$positions[ $id ] = array( is_numeric( $position ) ? (int) $position : PHP_INT_MAX, $index );
		}
		uasort( $positions, static fn ( $a, $b ) => $a <=> $b );
		return array( 'enabled' => ! empty( $posted['enabled'] ), 'order' => array_keys( $positions ) );
	}

	/** Saves the Developers tab: the AI Client toggle. */
	public function save_developers(): void {
		Admin_Guard::screen( self::MODE_ACTION );
		Management::set( empty( $_POST['managed'] ) ? 'observe' : 'managed' );
		wp_safe_redirect( add_query_arg( 'updated', '1', self::url( 'developers' ) ) );
		exit;
	}
}
