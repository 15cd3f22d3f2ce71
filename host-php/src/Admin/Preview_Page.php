<?php
/**
 * AI Puffer > Preview: the engine itself, compiled for the browser, runs in the page on a snapshot
 * of this site — settings, synced catalogs, routes, pricing rules, prices — with every secret
 * left out, and shows what a request would do: the connector and model and why, the request the
 * provider would receive (credentials named, never present), the estimated tokens, credits and
 * dollars. Nothing is sent and nothing is saved.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Gateway\Site_Snapshot;
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
	 * "has one"), the pricing rules and the price list, and where the browser engine is.
	 *
	 * @return array<string, mixed>
	 */
	public static function snapshot(): array {
		return array(
			'stored'        => Site_Snapshot::stored_for_preview(),
			'pricing_rules' => Pricing_Rules::all(),
			'prices'        => (object) Price_List::entries(),
			'engine'        => plugins_url( 'engine/web/aipuffer_js.js', Plugin::file() ),
			'wasm'          => plugins_url( 'engine/web/aipuffer_js_bg.wasm', Plugin::file() ),
			'labels'        => self::labels(),
		);
	}

	/** @return array<string, string> The page's words, translated here (the module has no i18n). */
	private static function labels(): array {
		return array(
			'served_by'    => __( 'Served by', 'aipuffer-connectors' ),
			'why'          => __( 'Why', 'aipuffer-connectors' ),
			'named'        => __( 'The request names this model.', 'aipuffer-connectors' ),
			'request'      => __( 'What the provider would receive', 'aipuffer-connectors' ),
			'redacted'     => __( '(the API key, added when the request is sent)', 'aipuffer-connectors' ),
			'tokens'       => __( 'Estimated tokens', 'aipuffer-connectors' ),
			'tokens_value' => __( '%1$s input + %2$s output (the provider reports the real usage)', 'aipuffer-connectors' ),
			'credits'      => __( 'Credits', 'aipuffer-connectors' ),
			'no_rule'      => __( 'no pricing rule: one credit per token', 'aipuffer-connectors' ),
			'rule'         => __( 'pricing rule #%1$s (%2$s)', 'aipuffer-connectors' ),
			'trial_rule'   => __( 'the rule you are trying (%s)', 'aipuffer-connectors' ),
			'usd'          => __( 'US dollars', 'aipuffer-connectors' ),
			'no_price'     => __( 'no price: the price list does not know this model', 'aipuffer-connectors' ),
			'price_entry'  => __( 'price list entry %s', 'aipuffer-connectors' ),
			'error'        => __( 'This request would fail:', 'aipuffer-connectors' ),
			'ready'        => __( 'Preview ready in %s ms.', 'aipuffer-connectors' ),
			'no_engine'    => __( 'The browser could not load the engine:', 'aipuffer-connectors' ),
		);
	}

	public function render(): void {
		Admin_Guard::screen();
		echo '<div class="wrap aipuffer-settings aipuffer-preview"><h1>' . esc_html__( 'Request preview', 'aipuffer-connectors' ) . '</h1>';
		echo '<p>' . esc_html__( 'What a WordPress AI Client request would do on this site, worked out in this page by the same engine that serves real requests: which connector and model would answer and why, what the provider would receive, and what it would cost. Nothing is sent and nothing is saved; API keys are not in this page.', 'aipuffer-connectors' ) . '</p>';
		// JSON in a script element of its own type: data, never run; `</` cannot close it early.
		echo '<script type="application/json" id="aipuffer-preview-data">' . str_replace( '</', '<\/', Json::encode( self::snapshot() ) ) . '</script>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- JSON data, '</' escaped.
		?>
		<form class="aipuffer-preview-form" onsubmit="return false">
			<p><label for="aipuffer-preview-prompt"><strong><?php esc_html_e( 'Prompt', 'aipuffer-connectors' ); ?></strong></label><br />
			<textarea id="aipuffer-preview-prompt" rows="3" class="large-text"><?php esc_html_e( 'Write a short product description for a ceramic teapot.', 'aipuffer-connectors' ); ?></textarea></p>
			<div class="aipuffer-preview-options">
				<label><?php esc_html_e( 'Request type', 'aipuffer-connectors' ); ?>
					<select id="aipuffer-preview-type">
						<option value="text"><?php esc_html_e( 'Text', 'aipuffer-connectors' ); ?></option>
						<option value="fast"><?php esc_html_e( 'Fast text', 'aipuffer-connectors' ); ?></option>
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
		</form>
		<div id="aipuffer-preview-output" aria-live="polite"><p><?php esc_html_e( 'Loading the engine…', 'aipuffer-connectors' ); ?></p></div>
		<?php
		echo '</div>';
	}
}
