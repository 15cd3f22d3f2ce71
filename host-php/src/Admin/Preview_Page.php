<?php
/**
 * AI Puffer > Preview: the engine itself, compiled for the browser, runs in the page on a snapshot
 * of this site — settings, synced catalogs, routes, pricing rules, prices, the spending caps with
 * what each has spent this period, the Connector Approvals — with every secret left out, and shows
 * what a request from a chosen caller would do: the connector and model and why, the request the
 * provider would receive (credentials named, never present), the estimated tokens, credits and
 * dollars, the caps' headroom and the approvals it needs. Saved models and pinned routes can be
 * changed in the form to see their effect at once. Nothing is sent and nothing is saved.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Approvals\Approval_State;
use AIPuffer\Connectors\Approvals\Stack_Frames;
use AIPuffer\Connectors\Gateway\Failure_Messages;
use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Gateway\Request_Context;
use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Gateway\Task_Runner;
use AIPuffer\Connectors\Plugin;
use AIPuffer\Connectors\Storage\Price_List;
use AIPuffer\Connectors\Storage\Pricing_Rules;

defined( 'ABSPATH' ) || exit;

final class Preview_Page {

	public const SLUG = 'aipuffer-connectors-preview';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 22 );
	}

	public function menu(): void {
		$hook = add_submenu_page( Settings_Page::SLUG, __( 'Request preview', 'aipuffer-connectors' ), __( 'Preview', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ) );
		add_action( 'admin_print_styles-' . $hook, array( $this, 'enqueue' ) );
	}

	public function enqueue(): void {
		wp_enqueue_style( 'aipuffer-connectors-admin', plugins_url( 'admin/admin.css', Plugin::file() ), array(), Plugin::VERSION );
		wp_enqueue_script_module( 'aipuffer-connectors-preview', plugins_url( 'admin/preview.js', Plugin::file() ), array(), Plugin::VERSION );
	}

	/**
	 * What the page's engine starts from: the stored settings `prepare` reads (keys reduced to
	 * "has one"; the caps among them), the pricing rules and the price list, the callers a
	 * preview can be run for, the request context a real call carries (the gateway and the
	 * Connector Approvals state; the caller's frame is the form's choice), what each cap has
	 * spent this period, and where the browser engine is.
	 *
	 * @return array<string, mixed>
	 */
	public static function snapshot(): array {
		return array(
			'stored'        => Site_Snapshot::stored_for_preview(),
			'pricing_rules' => Pricing_Rules::all(),
			'prices'        => (object) Price_List::entries(),
			'callers'       => self::callers(),
			'context'       => Request_Context::gateway() + array( 'approval' => Approval_State::collect() ),
			'cap_spend'     => self::cap_spend(),
			'settings_url'  => Settings_Page::url( 'ai' ),
			'engine'        => plugins_url( 'engine/web/aipuffer_js.js', Plugin::file() ),
			'wasm'          => plugins_url( 'engine/web/aipuffer_js_bg.wasm', Plugin::file() ),
			'labels'        => self::labels(),
		);
	}

	/**
	 * Who a preview can be run for besides WordPress itself: each active plugin and must-use
	 * plugin and the active theme, each as a frame of its own main file — classified as a real
	 * call's stack is, so the engine names and matches them (caps, approvals) exactly as it
	 * names a real caller. This plugin is left out: it is the gateway, never the caller.
	 *
	 * @return list<array{kind: string, basename: string, name: string, path: string}>
	 */
	public static function callers(): array {
		if ( ! function_exists( 'get_mu_plugins' ) ) {
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
		}
		$files  = array();
		$active = array_merge( (array) get_option( 'active_plugins', array() ), array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) );
		foreach ( array_unique( array_filter( $active, 'is_string' ) ) as $basename ) {
			if ( Plugin::basename() !== $basename ) {
				$files[] = WP_PLUGIN_DIR . '/' . $basename;
			}
		}
		foreach ( array_keys( get_mu_plugins() ) as $file ) {
			$files[] = WPMU_PLUGIN_DIR . '/' . $file;
		}
		$files[] = get_stylesheet_directory() . '/style.css';
		$frames  = new Stack_Frames();
		$callers = array();
		foreach ( $files as $file ) {
			$frame = $frames->classify( wp_normalize_path( $file ) );
			if ( in_array( $frame['kind'], array( 'plugin', 'mu_plugin', 'theme' ), true ) && '' !== $frame['basename'] ) {
				$callers[] = $frame;
			}
		}
		return $callers;
	}

	/**
	 * What each spending cap has spent this period (`cap-{i}` per cap, as `cap_status` reads it);
	 * null when it could not be read — the page then says so instead of guessing.
	 *
	 * @return list<array<string, mixed>>|null
	 */
	private static function cap_spend(): ?array {
		if ( array() === (array) get_option( Site_Snapshot::CAPS_OPTION, array() ) ) {
			return array();
		}
		try {
			return ( new Task_Runner() )->cap_spend();
		} catch ( \Throwable $e ) {
			return null;
		}
	}

	/** @return array<string, string> The page's words, translated here (the module has no i18n). */
	private static function labels(): array {
		return array(
			'served_by'      => __( 'Served by', 'aipuffer-connectors' ),
			'why'            => __( 'Why', 'aipuffer-connectors' ),
			'named'          => __( 'The request names this model.', 'aipuffer-connectors' ),
			'request'        => __( 'What the provider would receive', 'aipuffer-connectors' ),
			'redacted'       => __( '(the API key, added when the request is sent)', 'aipuffer-connectors' ),
			'tokens'         => __( 'Estimated tokens', 'aipuffer-connectors' ),
			'tokens_value'   => __( '%1$s input + %2$s output (the provider reports the real usage)', 'aipuffer-connectors' ),
			/* translators: 1: input tokens, 2: output tokens, 3: the part of the input that is the prompt's images. */
			'tokens_value_images' => __( '%1$s input (%3$s of them for the images, an estimate) + %2$s output (the provider reports the real usage)', 'aipuffer-connectors' ),
			'credits'        => __( 'Credits', 'aipuffer-connectors' ),
			'no_rule'        => __( 'no pricing rule: one credit per token', 'aipuffer-connectors' ),
			'rule'           => __( 'pricing rule #%1$s (%2$s)', 'aipuffer-connectors' ),
			'trial_rule'     => __( 'the rule you are trying (%s)', 'aipuffer-connectors' ),
			'usd'            => __( 'US dollars', 'aipuffer-connectors' ),
			'no_price'       => __( 'no price: the price list does not know this model', 'aipuffer-connectors' ),
			'price_entry'    => __( 'price list entry %s', 'aipuffer-connectors' ),
			'error'          => __( 'This request would fail:', 'aipuffer-connectors' ),
			'ready'          => __( 'Preview ready in %s ms.', 'aipuffer-connectors' ),
			'no_engine'      => __( 'The browser could not load the engine:', 'aipuffer-connectors' ),
			'no_spend'       => __( 'What the spending caps have spent this period could not be read from the database, so the caps cannot be shown.', 'aipuffer-connectors' ),
			'refused'        => __( 'This request would be refused before anything is sent:', 'aipuffer-connectors' ),
			'caller'         => __( 'Caller', 'aipuffer-connectors' ),
			'wordpress'      => __( 'WordPress itself (no plugin or theme)', 'aipuffer-connectors' ),
			/* translators: %s: a plugin's name */
			'kind_plugin'    => __( 'Plugin: %s', 'aipuffer-connectors' ),
			/* translators: %s: a must-use plugin's file name */
			'kind_mu-plugin' => __( 'Must-use plugin: %s', 'aipuffer-connectors' ),
			/* translators: %s: a theme's name */
			'kind_theme'     => __( 'Theme: %s', 'aipuffer-connectors' ),
			'caps'           => __( 'Spending caps', 'aipuffer-connectors' ),
			'no_caps'        => __( 'No spending cap applies to this caller.', 'aipuffer-connectors' ),
			'cap_all'        => __( 'All callers together', 'aipuffer-connectors' ),
			'cap_own'        => __( 'This caller', 'aipuffer-connectors' ),
			'day'            => __( 'daily', 'aipuffer-connectors' ),
			'month'          => __( 'monthly', 'aipuffer-connectors' ),
			/* translators: 1: who the cap is for, 2: daily or monthly, 3: amount spent, 4: the cap, 5: what is left */
			'cap_line'       => __( '%1$s, %2$s cap of %4$s: %3$s spent, %5$s left.', 'aipuffer-connectors' ),
			/* translators: %s: an amount in credits or dollars */
			'cap_this'       => __( 'This request: about %s.', 'aipuffer-connectors' ),
			'cap_unknown'    => __( 'This request: cost unknown (the price list does not know this model).', 'aipuffer-connectors' ),
			'cap_refuses'    => __( 'Reached: requests from this caller are refused until the period ends.', 'aipuffer-connectors' ),
			'cap_after'      => __( 'This request would still be answered, and would use up what is left: the next one is refused.', 'aipuffer-connectors' ),
			'approvals'      => __( 'Connector Approvals', 'aipuffer-connectors' ),
			'approvals_off'  => __( 'Not needed: Connector Approvals (the WordPress AI plugin) are not active on this site.', 'aipuffer-connectors' ),
			/* translators: 1: a plugin or theme name, 2: a connector id such as openai */
			'approved'       => __( '%1$s: approved for the %2$s connector.', 'aipuffer-connectors' ),
			/* translators: 1: a plugin or theme name, 2: a connector id such as openai */
			'needs_approval' => __( '%1$s: needs approval for the %2$s connector (Tools > Connector Approvals).', 'aipuffer-connectors' ),
			/* translators: %s: a plugin name */
			'not_needed'     => __( '%s: not needed (the approvals guard skips the plugin that provides the connector).', 'aipuffer-connectors' ),
			/* translators: %s: a plugin name */
			'as_gateway'     => __( '%s (sends every request)', 'aipuffer-connectors' ),
			/* translators: %s: the number of characters */
			'shortened'      => __( '… [%s characters in all; shortened here]', 'aipuffer-connectors' ),
			'shortened_note' => __( 'Long image data (base64) is shortened above for display only; the provider would receive all of it.', 'aipuffer-connectors' ),
			'sample_image'   => __( 'the built-in sample (a small teapot)', 'aipuffer-connectors' ),
			/* translators: %s: a file name */
			'picked_image'   => __( 'your file %s (read in this browser, never uploaded)', 'aipuffer-connectors' ),
			'inferred'       => __( '(inferred)', 'aipuffer-connectors' ),
			'bad_settings'   => __( 'The engine could not prepare these settings:', 'aipuffer-connectors' ),
			// The engine's refusals in the site's language (the same templates the server uses).
			'messages'       => self::messages( array( 'approval_caller_needed', 'approval_gateway_needed', 'cap_reached', 'site_cap_reached' ) ),
		);
	}

	/**
	 * @param string[] $reasons
	 * @return array<string, string> Each reason's translated template, `{name}` placeholders kept.
	 */
	private static function messages( array $reasons ): array {
		$templates = array();
		foreach ( $reasons as $reason ) {
			$template = Failure_Messages::template( $reason );
			if ( null !== $template ) {
				$templates[ $reason ] = $template;
			}
		}
		return $templates;
	}

	public function render(): void {
		Admin_Guard::screen();
		echo '<div class="wrap aipuffer-settings aipuffer-preview"><h1>' . esc_html__( 'Request preview', 'aipuffer-connectors' ) . '</h1>';
		echo '<p>' . esc_html__( 'What a WordPress AI Client request would do on this site, worked out in this page by the same engine that serves real requests: which connector and model would answer and why, what the provider would receive, what it would cost, how much of the caller\'s spending caps is left and which approvals it needs. Nothing is sent and nothing is saved; API keys are not in this page.', 'aipuffer-connectors' ) . '</p>';
		// JSON in a script element of its own type: data, never run; `</` cannot close it early.
		echo '<script type="application/json" id="aipuffer-preview-data">' . str_replace( '</', '<\/', Json::encode( self::snapshot() ) ) . '</script>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON data, '</' escaped.
		?>
		<form class="aipuffer-preview-form" onsubmit="return false">
			<p><label for="aipuffer-preview-prompt"><strong><?php esc_html_e( 'Prompt', 'aipuffer-connectors' ); ?></strong></label><br />
			<textarea id="aipuffer-preview-prompt" rows="3" class="large-text"><?php esc_html_e( 'Write a short product description for a ceramic teapot.', 'aipuffer-connectors' ); ?></textarea></p>
			<div class="aipuffer-preview-options">
				<label><?php esc_html_e( 'Caller', 'aipuffer-connectors' ); ?>
					<select id="aipuffer-preview-caller"></select></label>
				<label><?php esc_html_e( 'Request type', 'aipuffer-connectors' ); ?>
					<select id="aipuffer-preview-type">
						<option value="text"><?php esc_html_e( 'Text', 'aipuffer-connectors' ); ?></option>
						<option value="fast"><?php esc_html_e( 'Fast text', 'aipuffer-connectors' ); ?></option>
						<option value="vision"><?php esc_html_e( 'Text with an image', 'aipuffer-connectors' ); ?></option>
						<option value="json"><?php esc_html_e( 'Text as JSON with a schema', 'aipuffer-connectors' ); ?></option>
						<option value="tools"><?php esc_html_e( 'Text with a function (tool) to call', 'aipuffer-connectors' ); ?></option>
						<option value="image"><?php esc_html_e( 'Image generation', 'aipuffer-connectors' ); ?></option>
					</select></label>
				<label><?php esc_html_e( 'Model preference', 'aipuffer-connectors' ); ?>
					<select id="aipuffer-preview-model"><option value=""><?php esc_html_e( '(none: the default route)', 'aipuffer-connectors' ); ?></option></select></label>
				<label><?php esc_html_e( 'Max tokens', 'aipuffer-connectors' ); ?> <input type="number" id="aipuffer-preview-max-tokens" min="1" value="300" class="small-text" /></label>
				<label><?php esc_html_e( 'Temperature', 'aipuffer-connectors' ); ?> <input type="number" id="aipuffer-preview-temperature" min="0" max="2" step="0.1" value="0.7" class="small-text" /></label>
				<label><?php esc_html_e( 'Candidates', 'aipuffer-connectors' ); ?> <input type="number" id="aipuffer-preview-candidates" min="1" max="4" value="1" class="small-text" /></label>
			</div>
			<fieldset class="aipuffer-preview-rule aipuffer-preview-image" id="aipuffer-preview-image" hidden><legend><?php esc_html_e( 'The image sent with the prompt', 'aipuffer-connectors' ); ?></legend>
				<img id="aipuffer-preview-image-thumb" alt="" height="48" />
				<span id="aipuffer-preview-image-name"></span>
				<label><?php esc_html_e( 'Use your own image instead', 'aipuffer-connectors' ); ?> <input type="file" id="aipuffer-preview-image-file" accept="image/png,image/jpeg,image/webp,image/gif" /></label>
				<button type="button" class="button" id="aipuffer-preview-image-sample"><?php esc_html_e( 'Use the sample', 'aipuffer-connectors' ); ?></button>
			</fieldset>
			<fieldset class="aipuffer-preview-rule"><legend><?php esc_html_e( 'Try a pricing rule for this model (not saved)', 'aipuffer-connectors' ); ?></legend>
				<label><?php esc_html_e( 'Billing method', 'aipuffer-connectors' ); ?>
					<select id="aipuffer-preview-rule-method">
						<option value=""><?php esc_html_e( '(the site\'s rules)', 'aipuffer-connectors' ); ?></option>
						<option value="per_1k_tokens"><?php esc_html_e( 'Per 1,000 tokens', 'aipuffer-connectors' ); ?></option>
						<option value="flat"><?php esc_html_e( 'Flat, per request', 'aipuffer-connectors' ); ?></option>
						<option value="per_image"><?php esc_html_e( 'Per image', 'aipuffer-connectors' ); ?></option>
					</select></label>
				<label><?php esc_html_e( 'Input rate', 'aipuffer-connectors' ); ?> <input type="text" inputmode="decimal" id="aipuffer-preview-rule-input" class="small-text" /></label>
				<label><?php esc_html_e( 'Output rate', 'aipuffer-connectors' ); ?> <input type="text" inputmode="decimal" id="aipuffer-preview-rule-output" class="small-text" /></label>
				<label><?php esc_html_e( 'Unit rate', 'aipuffer-connectors' ); ?> <input type="text" inputmode="decimal" id="aipuffer-preview-rule-unit" class="small-text" /></label>
			</fieldset>
			<fieldset class="aipuffer-preview-settings"><legend><?php esc_html_e( 'Try other saved models and pinned routes (not saved)', 'aipuffer-connectors' ); ?></legend>
				<p class="description">
					<?php
					printf(
						/* translators: %s: link to the Settings screen */
						esc_html__( 'Changes here only re-run the preview in this page. To keep them, save them on the %s screen.', 'aipuffer-connectors' ),
						'<a href="' . esc_url( Settings_Page::url( 'ai' ) ) . '">' . esc_html__( 'Settings', 'aipuffer-connectors' ) . '</a>'
					);
					?>
				</p>
				<div class="aipuffer-preview-pins">
					<label><?php esc_html_e( 'Default text route', 'aipuffer-connectors' ); ?> <select id="aipuffer-preview-pin-text" data-pin="text"></select></label>
					<label><?php esc_html_e( 'Fast text route', 'aipuffer-connectors' ); ?> <select id="aipuffer-preview-pin-fast" data-pin="fast"></select></label>
					<label><?php esc_html_e( 'Default image route', 'aipuffer-connectors' ); ?> <select id="aipuffer-preview-pin-image" data-pin="image"></select></label>
				</div>
				<p><strong><?php esc_html_e( 'Saved model of each connector', 'aipuffer-connectors' ); ?></strong></p>
				<div class="aipuffer-preview-saved-models" id="aipuffer-preview-saved-models"></div>
				<p><button type="button" class="button" id="aipuffer-preview-settings-reset"><?php esc_html_e( 'Back to the saved settings', 'aipuffer-connectors' ); ?></button></p>
			</fieldset>
		</form>
		<div id="aipuffer-preview-output" aria-live="polite"><p><?php esc_html_e( 'Loading the engine…', 'aipuffer-connectors' ); ?></p></div>
		<?php
		echo '</div>';
	}
}
