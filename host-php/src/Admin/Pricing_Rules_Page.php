<?php
/**
 * AI Puffer > Pricing rules: what WordPress AI Client requests cost in credits. Rules live in AI
 * Puffer's own table, so AI Puffer's screens see the same rules; this screen lists the rules of
 * the two pricing modules the gateway uses (text: `chat`, images: `image_generator`) and adds,
 * edits, enables, disables and deletes them. Which rule prices a request is the engine's decision.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Gateway\Site_Snapshot;
use AIPuffer\Connectors\Storage\Pricing_Rules;
use AIPuffer\Connectors\Storage\Usage_Log;

defined( 'ABSPATH' ) || exit;

final class Pricing_Rules_Page {

	public const SLUG = 'aipuffer-connectors-pricing';

	public const SAVE_ACTION = 'aipuffer_connectors_save_pricing_rule';

	public const CHANGE_ACTION = 'aipuffer_connectors_change_pricing_rule';

	public const CAPS_ACTION = 'aipuffer_connectors_save_caps';

	/** A DECIMAL(20,6) the table can hold exactly: up to 14 whole digits and 6 decimals, not negative. */
	private const RATE = '/^\d{1,14}(\.\d{1,6})?$/';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 20 );
		add_action( 'admin_post_' . self::SAVE_ACTION, array( $this, 'save' ) );
		add_action( 'admin_post_' . self::CHANGE_ACTION, array( $this, 'change' ) );
		add_action( 'admin_post_' . self::CAPS_ACTION, array( $this, 'save_caps' ) );
	}

	public function menu(): void {
		$hook = add_submenu_page( Settings_Page::SLUG, __( 'Pricing rules', 'aipuffer-connectors' ), __( 'Pricing rules', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ) );
		add_action(
			'admin_print_styles-' . $hook,
			static function (): void {
				wp_enqueue_style( 'aipuffer-connectors-admin', plugins_url( 'admin/admin.css', \AIPuffer\Connectors\Plugin::file() ), array(), \AIPuffer\Connectors\Plugin::VERSION );
			}
		);
	}

	public static function url( array $args = array() ): string {
		return add_query_arg( array( 'page' => self::SLUG ) + $args, admin_url( 'admin.php' ) );
	}

	/**
	 * The providers a rule can name: AI Puffer's provider key (`openai`, `claude`…) → label.
	 *
	 * @return array<string, string>
	 */
	private static function providers(): array {
		$providers = array();
		foreach ( Settings_Page::manifest_connectors() as $connector ) {
			$providers[ strtolower( (string) $connector['provider'] ) ] = (string) $connector['label'];
		}
		return $providers;
	}

	/**
	 * A posted rule, checked: the rule to save, or what is wrong with it.
	 *
	 * @param array<string, mixed>  $posted    The form's `rule` fields, unslashed.
	 * @param array<string, string> $providers From providers().
	 * @return array<string, mixed>|\WP_Error
	 */
	public static function parse( array $posted, array $providers ) {
		$field = static fn ( string $key ): string => is_scalar( $posted[ $key ] ?? null ) ? trim( sanitize_text_field( (string) $posted[ $key ] ) ) : '';
		$rule  = array(
			'scope_type'     => $field( 'scope_type' ),
			'module'         => $field( 'module' ),
			'provider'       => $field( 'provider' ),
			'model'          => $field( 'model' ),
			'billing_method' => $field( 'billing_method' ),
			'enabled'        => ! empty( $posted['enabled'] ),
		);
		if ( ! isset( $providers[ $rule['provider'] ] ) ) {
			return new \WP_Error( 'provider', __( 'Choose one of the providers.', 'aipuffer-connectors' ) );
		}
		if ( '' === $rule['model'] || strlen( $rule['model'] ) > 191 ) {
			return new \WP_Error( 'model', __( 'Enter the model id exactly as the provider names it (at most 191 characters).', 'aipuffer-connectors' ) );
		}
		if ( ! isset( Pricing_Rules::MODULES[ $rule['module'] ] ) || ! in_array( $rule['scope_type'], Pricing_Rules::SCOPES, true ) || ! in_array( $rule['billing_method'], Pricing_Rules::METHODS, true ) ) {
			return new \WP_Error( 'choice', __( 'Choose a request type, a scope and a billing method from the lists.', 'aipuffer-connectors' ) );
		}
		foreach ( array( 'input_rate', 'output_rate', 'unit_rate' ) as $key ) {
			$value = $field( $key );
			if ( '' !== $value && ! preg_match( self::RATE, $value ) ) {
				return new \WP_Error( 'rate', __( 'Rates are credits written as a number that is not negative, with at most six decimals (for example 0.5 or 12.000125).', 'aipuffer-connectors' ) );
			}
			$rule[ $key ] = '' === $value ? null : $value;
		}
		if ( 'per_1k_tokens' === $rule['billing_method'] ? null === $rule['input_rate'] && null === $rule['output_rate'] : null === $rule['unit_rate'] ) {
			return new \WP_Error( 'missing_rate', __( 'Enter the rate the billing method uses: input and output rates per 1,000 tokens, or the rate per request or per image.', 'aipuffer-connectors' ) );
		}
		return $rule;
	}

	public function save(): void {
		Admin_Guard::screen( self::SAVE_ACTION );
		$posted = isset( $_POST['rule'] ) && is_array( $_POST['rule'] ) ? wp_unslash( $_POST['rule'] ) : array(); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parse() sanitizes each field.
		$id     = isset( $_POST['rule_id'] ) ? absint( $_POST['rule_id'] ) : 0;
		$rule   = self::parse( $posted, self::providers() );
		if ( is_wp_error( $rule ) ) {
			set_transient( self::notice_key(), $rule->get_error_message(), 60 );
			wp_safe_redirect( self::url( $id > 0 ? array( 'edit' => $id, 'error' => 1 ) : array( 'error' => 1 ) ) );
			exit;
		}
		$saved = Pricing_Rules::save( $rule, $id );
		wp_safe_redirect( self::url( 0 === $saved ? array( 'failed' => 1 ) : array( 'saved' => $saved ) ) );
		exit;
	}

	/** Enable, disable or delete one rule. */
	public function change(): void {
		Admin_Guard::screen( self::CHANGE_ACTION );
		$id   = isset( $_POST['rule_id'] ) ? absint( $_POST['rule_id'] ) : 0;
		$what = isset( $_POST['change'] ) ? sanitize_key( wp_unslash( $_POST['change'] ) ) : '';
		$done = false;
		if ( $id > 0 && 'delete' === $what ) {
			$done = Pricing_Rules::delete( $id );
		} elseif ( $id > 0 && in_array( $what, array( 'enable', 'disable' ), true ) ) {
			$done = Pricing_Rules::set_enabled( $id, 'enable' === $what );
		}
		wp_safe_redirect( self::url( $done ? array( $what . 'd' => $id ) : array( 'failed' => 1 ) ) );
		exit;
	}

	/** The validation message travels to the next page load of this user only. */
	private static function notice_key(): string {
		return 'aipuffer_connectors_pricing_error_' . get_current_user_id();
	}

	public function render(): void {
		Admin_Guard::screen();
		echo '<div class="wrap aipuffer-settings aipuffer-pricing"><h1>' . esc_html__( 'Pricing rules', 'aipuffer-connectors' ) . '</h1>';
		echo '<p>' . esc_html__( 'What each WordPress AI Client request costs in AI Puffer credits, taken from a logged-in user\'s balance after the answer (guests and system calls are recorded, not charged). A rule matches a provider, a model and a request type exactly. Module rules come before global ones; among rules of one scope the last changed wins. Without a rule a request costs one credit per token.', 'aipuffer-connectors' ) . '</p>';
		$this->render_messages();
		try {
			$providers = self::providers();
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( $e->getMessage() ) . '</p></div></div>';
			return;
		}
		$editing = isset( $_GET['edit'] ) ? Pricing_Rules::find( absint( $_GET['edit'] ) ) : null; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- navigation only.
		// The list first; a rule being edited puts its form on top.
		if ( null !== $editing ) {
			$this->render_form( $providers, $editing );
		}
		$this->render_rules( $providers );
		if ( null === $editing ) {
			$this->render_form( $providers, null );
			$this->render_caps();
		}
		echo '</div>';
	}

	private function render_messages(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- messages after our own redirects.
		$messages = array(
			'saved'    => array( 'success', __( 'Pricing rule saved. It prices requests from now on.', 'aipuffer-connectors' ) ),
			'enabled'  => array( 'success', __( 'Pricing rule enabled.', 'aipuffer-connectors' ) ),
			'disabled' => array( 'success', __( 'Pricing rule disabled.', 'aipuffer-connectors' ) ),
			'deleted'  => array( 'success', __( 'Pricing rule deleted.', 'aipuffer-connectors' ) ),
			'capped'   => array( 'success', __( 'Spending caps saved. They apply from the next request.', 'aipuffer-connectors' ) ),
			'failed'   => array( 'error', __( 'The database refused the change. Nothing was changed.', 'aipuffer-connectors' ) ),
		);
		foreach ( $messages as $key => $message ) {
			if ( isset( $_GET[ $key ] ) ) {
				printf( '<div class="notice notice-%1$s is-dismissible"><p>%2$s</p></div>', esc_attr( $message[0] ), esc_html( $message[1] ) );
			}
		}
		if ( isset( $_GET['error'] ) ) {
			$error = get_transient( self::notice_key() );
			delete_transient( self::notice_key() );
			echo '<div class="notice notice-error"><p>' . esc_html( is_string( $error ) ? $error : __( 'The rule was not saved.', 'aipuffer-connectors' ) ) . '</p></div>';
		}
		// phpcs:enable
	}

	/**
	 * The add (or edit) form.
	 *
	 * @param array<string, string>            $providers
	 * @param array<string, string|null>|null $rule The rule being edited.
	 */
	private function render_form( array $providers, ?array $rule ): void {
		$value = static fn ( string $key, string $default = '' ): string => null === $rule ? $default : (string) ( $rule[ $key ] ?? $default );
		$rate  = static fn ( string $key ): string => null === $rule || null === $rule[ $key ] ? '' : self::plain( (string) $rule[ $key ] );
		echo '<h2>' . esc_html( null === $rule ? __( 'Add a rule', 'aipuffer-connectors' ) : __( 'Edit rule', 'aipuffer-connectors' ) ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="aipuffer-pricing-form">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::SAVE_ACTION ) . '" />';
		echo '<input type="hidden" name="rule_id" value="' . esc_attr( null === $rule ? '0' : (string) $rule['id'] ) . '" />';
		wp_nonce_field( self::SAVE_ACTION );
		echo '<table class="form-table" role="presentation">';
		$this->select_row( 'provider', __( 'Provider', 'aipuffer-connectors' ), $providers, $value( 'provider', 'openai' ) );
		$models = array();
		foreach ( Settings_Page::manifest_connectors() as $connector ) {
			foreach ( array( 'models', 'image_models' ) as $list ) {
				foreach ( Settings_Page::models( (string) $connector['id'], $list ) as $model ) {
					$models[ $model['id'] ] = true;
				}
			}
		}
		echo '<tr><th scope="row"><label for="aipuffer-rule-model">' . esc_html__( 'Model', 'aipuffer-connectors' ) . '</label></th><td>';
		echo '<input type="text" class="regular-text" id="aipuffer-rule-model" name="rule[model]" list="aipuffer-rule-models" required maxlength="191" value="' . esc_attr( $value( 'model' ) ) . '" />';
		echo '<datalist id="aipuffer-rule-models">';
		foreach ( array_keys( $models ) as $model ) {
			echo '<option value="' . esc_attr( (string) $model ) . '"></option>';
		}
		echo '</datalist><p class="description">' . esc_html__( 'The model id as the provider names it; synced models are suggested.', 'aipuffer-connectors' ) . '</p></td></tr>';
		$this->select_row(
			'module',
			__( 'Request type', 'aipuffer-connectors' ),
			array(
				'chat'            => __( 'Text (also text with images)', 'aipuffer-connectors' ),
				'image_generator' => __( 'Image generation', 'aipuffer-connectors' ),
			),
			$value( 'module', 'chat' )
		);
		$this->select_row(
			'scope_type',
			__( 'Scope', 'aipuffer-connectors' ),
			array(
				'module' => __( 'Module', 'aipuffer-connectors' ),
				'global' => __( 'Global', 'aipuffer-connectors' ),
			),
			$value( 'scope_type', 'module' ),
			__( 'Module rules come first; they also price AI Puffer\'s own chatbots and image generator where those have no rule of their own. Global rules apply when no module rule matches.', 'aipuffer-connectors' )
		);
		$this->select_row(
			'billing_method',
			__( 'Billing method', 'aipuffer-connectors' ),
			array(
				'per_1k_tokens' => __( 'Per 1,000 tokens (input and output rates)', 'aipuffer-connectors' ),
				'flat'          => __( 'Flat, per request', 'aipuffer-connectors' ),
				'per_image'     => __( 'Per image', 'aipuffer-connectors' ),
			),
			$value( 'billing_method', 'per_1k_tokens' )
		);
		$rates = array(
			'input_rate'  => __( 'Input rate (credits per 1,000 input tokens)', 'aipuffer-connectors' ),
			'output_rate' => __( 'Output rate (credits per 1,000 output tokens)', 'aipuffer-connectors' ),
			'unit_rate'   => __( 'Unit rate (credits per request or per image)', 'aipuffer-connectors' ),
		);
		foreach ( $rates as $key => $label ) {
			printf(
				'<tr><th scope="row"><label for="aipuffer-rule-%1$s">%2$s</label></th><td><input type="text" inputmode="decimal" class="aipuffer-rate" id="aipuffer-rule-%1$s" name="rule[%1$s]" value="%3$s" pattern="\d{1,14}(\.\d{1,6})?" /></td></tr>',
				esc_attr( $key ),
				esc_html( $label ),
				esc_attr( $rate( $key ) )
			);
		}
		printf(
			'<tr><th scope="row">%1$s</th><td><label><input type="checkbox" name="rule[enabled]" value="1"%2$s /> %3$s</label></td></tr>',
			esc_html__( 'Status', 'aipuffer-connectors' ),
			checked( null === $rule || '1' === (string) $rule['enabled'], true, false ),
			esc_html__( 'Enabled', 'aipuffer-connectors' )
		);
		echo '</table>';
		submit_button( null === $rule ? __( 'Add rule', 'aipuffer-connectors' ) : __( 'Save rule', 'aipuffer-connectors' ) );
		if ( null !== $rule ) {
			echo ' <a href="' . esc_url( self::url() ) . '">' . esc_html__( 'Cancel', 'aipuffer-connectors' ) . '</a>';
		}
		echo '</form>';
	}

	/** @param array<string, string> $choices */
	private function select_row( string $key, string $label, array $choices, string $current, string $description = '' ): void {
		printf( '<tr><th scope="row"><label for="aipuffer-rule-%1$s">%2$s</label></th><td><select id="aipuffer-rule-%1$s" name="rule[%1$s]">', esc_attr( $key ), esc_html( $label ) );
		foreach ( $choices as $choice => $text ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( (string) $choice ), selected( $current, (string) $choice, false ), esc_html( $text ) );
		}
		echo '</select>';
		if ( '' !== $description ) {
			echo '<p class="description">' . esc_html( $description ) . '</p>';
		}
		echo '</td></tr>';
	}

	/** @param array<string, string> $providers */
	private function render_rules( array $providers ): void {
		$rules = Pricing_Rules::all();
		echo '<h2>' . esc_html__( 'Rules for WordPress AI Client requests', 'aipuffer-connectors' ) . '</h2>';
		if ( array() === $rules ) {
			echo '<p>' . esc_html__( 'No rules yet: every request costs one credit per token.', 'aipuffer-connectors' ) . '</p>';
			return;
		}
		echo '<table class="widefat striped aipuffer-rules"><thead><tr>';
		foreach ( array( __( 'Provider', 'aipuffer-connectors' ), __( 'Model', 'aipuffer-connectors' ), __( 'Request type', 'aipuffer-connectors' ), __( 'Scope', 'aipuffer-connectors' ), __( 'Price', 'aipuffer-connectors' ), __( 'Status', 'aipuffer-connectors' ), __( 'Actions', 'aipuffer-connectors' ) ) as $heading ) {
			echo '<th scope="col">' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $rules as $rule ) {
			$id      = (int) $rule['id'];
			$ours    = in_array( (string) $rule['scope_type'], Pricing_Rules::SCOPES, true ) || '' === (string) $rule['scope_type'];
			$enabled = '1' === (string) $rule['enabled'];
			echo '<tr data-rule-id="' . esc_attr( (string) $id ) . '">';
			echo '<td>' . esc_html( $providers[ strtolower( (string) $rule['provider'] ) ] ?? (string) $rule['provider'] ) . '</td>';
			echo '<td><code>' . esc_html( (string) $rule['model'] ) . '</code></td>';
			echo '<td>' . esc_html( 'image_generator' === $rule['module'] ? __( 'Image generation', 'aipuffer-connectors' ) : __( 'Text', 'aipuffer-connectors' ) ) . '</td>';
			echo '<td>' . esc_html( self::scope_label( $rule ) ) . '</td>';
			echo '<td>' . esc_html( self::price_label( $rule ) ) . '</td>';
			echo '<td>' . ( $enabled ? '<span class="aipuffer-status aipuffer-status--connected">' . esc_html__( 'Enabled', 'aipuffer-connectors' ) . '</span>' : '<span class="aipuffer-status">' . esc_html__( 'Disabled', 'aipuffer-connectors' ) . '</span>' ) . '</td>';
			echo '<td class="aipuffer-rule-actions">';
			if ( $ours ) {
				echo '<a class="button button-small" href="' . esc_url( self::url( array( 'edit' => $id ) ) ) . '">' . esc_html__( 'Edit', 'aipuffer-connectors' ) . '</a> ';
			}
			$this->change_button( $id, $enabled ? 'disable' : 'enable', $enabled ? __( 'Disable', 'aipuffer-connectors' ) : __( 'Enable', 'aipuffer-connectors' ) );
			$this->change_button( $id, 'delete', __( 'Delete', 'aipuffer-connectors' ) );
			echo '</td></tr>';
		}
		echo '</tbody></table>';
	}

	private function change_button( int $id, string $change, string $label ): void {
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="aipuffer-inline-form">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::CHANGE_ACTION ) . '" />';
		echo '<input type="hidden" name="rule_id" value="' . esc_attr( (string) $id ) . '" />';
		echo '<input type="hidden" name="change" value="' . esc_attr( $change ) . '" />';
		wp_nonce_field( self::CHANGE_ACTION );
		printf( '<button type="submit" class="button button-small%1$s">%2$s</button></form> ', 'delete' === $change ? ' button-link-delete' : '', esc_html( $label ) );
	}

	/** @param array<string, string|null> $rule */
	private static function scope_label( array $rule ): string {
		switch ( (string) $rule['scope_type'] ) {
			case 'module':
				return __( 'Module', 'aipuffer-connectors' );
			case 'global':
			case '':
				return __( 'Global', 'aipuffer-connectors' );
			default:
				/* translators: 1: AI Puffer scope (chatbot, ai_form), 2: its id */
				return sprintf( __( '%1$s #%2$s (AI Puffer; not used by the WordPress AI Client)', 'aipuffer-connectors' ), (string) $rule['scope_type'], (string) $rule['scope_id'] );
		}
	}

	/** @param array<string, string|null> $rule */
	private static function price_label( array $rule ): string {
		$rate = static fn ( string $key ): string => null === $rule[ $key ] ? '0' : self::plain( (string) $rule[ $key ] );
		switch ( (string) $rule['billing_method'] ) {
			case 'per_1k_tokens':
				/* translators: 1: credits per 1,000 input tokens, 2: credits per 1,000 output tokens */
				return sprintf( __( '%1$s in / %2$s out credits per 1,000 tokens', 'aipuffer-connectors' ), $rate( 'input_rate' ), $rate( 'output_rate' ) );
			case 'flat':
				/* translators: %s: credits */
				return sprintf( __( '%s credits a request', 'aipuffer-connectors' ), $rate( 'unit_rate' ) );
			case 'per_image':
				/* translators: %s: credits */
				return sprintf( __( '%s credits an image', 'aipuffer-connectors' ), $rate( 'unit_rate' ) );
			default:
				/* translators: %s: AI Puffer billing method */
				return sprintf( __( '%s (billed one credit per token here)', 'aipuffer-connectors' ), (string) $rule['billing_method'] );
		}
	}

	/**
	 * The caps as stored, each readable.
	 *
	 * @return list<array{caller: string, period: string, unit: string, limit: string}>
	 */
	public static function caps(): array {
		$caps = array();
		foreach ( (array) get_option( Site_Snapshot::CAPS_OPTION, array() ) as $cap ) {
			if ( is_array( $cap ) && isset( $cap['period'], $cap['unit'], $cap['limit'] ) ) {
				$caps[] = array( 'caller' => (string) ( $cap['caller'] ?? '' ), 'period' => (string) $cap['period'], 'unit' => (string) $cap['unit'], 'limit' => (string) $cap['limit'] );
			}
		}
		return $caps;
	}

	/**
	 * A posted cap, checked.
	 *
	 * @param array<string, mixed> $posted
	 * @return array{caller: string, period: string, unit: string, limit: string}|\WP_Error
	 */
	public static function parse_cap( array $posted ) {
		$field = static fn ( string $key ): string => is_scalar( $posted[ $key ] ?? null ) ? trim( sanitize_text_field( (string) $posted[ $key ] ) ) : '';
		$cap   = array( 'caller' => $field( 'caller' ), 'period' => $field( 'period' ), 'unit' => $field( 'unit' ), 'limit' => $field( 'limit' ) );
		if ( ! in_array( $cap['period'], array( 'day', 'month' ), true ) || ! in_array( $cap['unit'], array( 'credits', 'usd' ), true ) ) {
			return new \WP_Error( 'choice', __( 'Choose a period and a unit from the lists.', 'aipuffer-connectors' ) );
		}
		if ( ! preg_match( self::RATE, $cap['limit'] ) ) {
			return new \WP_Error( 'limit', __( 'The limit is a number that is not negative, with at most six decimals (for example 100 or 2.5).', 'aipuffer-connectors' ) );
		}
		if ( strlen( $cap['caller'] ) > 191 ) {
			return new \WP_Error( 'caller', __( 'The caller is a plugin (folder/file.php), a must-use plugin file or a theme folder.', 'aipuffer-connectors' ) );
		}
		return $cap;
	}

	/** Adds a cap (replacing one for the same caller, period and unit) or removes one. */
	public function save_caps(): void {
		Admin_Guard::screen( self::CAPS_ACTION );
		$caps = self::caps();
		if ( isset( $_POST['remove'] ) ) {
			unset( $caps[ absint( $_POST['remove'] ) ] );
		} else {
			$cap = self::parse_cap( isset( $_POST['cap'] ) && is_array( $_POST['cap'] ) ? wp_unslash( $_POST['cap'] ) : array() ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- parse_cap() sanitizes each field.
			if ( is_wp_error( $cap ) ) {
				set_transient( self::notice_key(), $cap->get_error_message(), 60 );
				wp_safe_redirect( self::url( array( 'error' => 1 ) ) . '#aipuffer-caps' );
				exit;
			}
			$caps   = array_filter( $caps, static fn ( $c ) => ! ( $c['caller'] === $cap['caller'] && $c['period'] === $cap['period'] && $c['unit'] === $cap['unit'] ) );
			$caps[] = $cap;
		}
		update_option( Site_Snapshot::CAPS_OPTION, array_values( $caps ), false );
		wp_safe_redirect( self::url( array( 'capped' => 1 ) ) . '#aipuffer-caps' );
		exit;
	}

	private function render_caps(): void {
		$names = Usage_Log::callers( 'wp_ai_client' );
		echo '<h2 id="aipuffer-caps">' . esc_html__( 'Spending caps', 'aipuffer-connectors' ) . '</h2>';
		echo '<p>' . esc_html__( 'A cap stops a plugin, a theme or all callers together from starting AI requests once they have spent a limit in a day or a month (the site\'s time zone), in credits or in US dollars. The caller then gets an error naming the cap; nothing is sent to the provider. A request that starts below the cap is answered and charged in full.', 'aipuffer-connectors' ) . '</p>';
		$caps = self::caps();
		if ( array() !== $caps ) {
			echo '<table class="widefat striped aipuffer-caps"><thead><tr><th scope="col">' . esc_html__( 'Caller', 'aipuffer-connectors' ) . '</th><th scope="col">' . esc_html__( 'Limit', 'aipuffer-connectors' ) . '</th><th scope="col">' . esc_html__( 'Actions', 'aipuffer-connectors' ) . '</th></tr></thead><tbody>';
			foreach ( $caps as $index => $cap ) {
				$who = '' === $cap['caller'] ? __( 'All callers together', 'aipuffer-connectors' ) : ( $names[ $cap['caller'] ] ?? $cap['caller'] );
				/* translators: 1: amount, 2: unit (credits or USD), 3: day or month */
				$limit = sprintf( __( '%1$s %2$s a %3$s', 'aipuffer-connectors' ), self::plain( $cap['limit'] ), 'usd' === $cap['unit'] ? 'USD' : __( 'credits', 'aipuffer-connectors' ), 'day' === $cap['period'] ? __( 'day', 'aipuffer-connectors' ) : __( 'month', 'aipuffer-connectors' ) );
				echo '<tr><td>' . esc_html( $who ) . ( '' === $cap['caller'] ? '' : ' <code>' . esc_html( $cap['caller'] ) . '</code>' ) . '</td><td>' . esc_html( $limit ) . '</td><td>';
				echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="aipuffer-inline-form"><input type="hidden" name="action" value="' . esc_attr( self::CAPS_ACTION ) . '" /><input type="hidden" name="remove" value="' . esc_attr( (string) $index ) . '" />';
				wp_nonce_field( self::CAPS_ACTION );
				echo '<button type="submit" class="button button-small button-link-delete">' . esc_html__( 'Remove', 'aipuffer-connectors' ) . '</button></form></td></tr>';
			}
			echo '</tbody></table>';
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="aipuffer-cap-form">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::CAPS_ACTION ) . '" />';
		wp_nonce_field( self::CAPS_ACTION );
		echo '<label>' . esc_html__( 'Caller', 'aipuffer-connectors' ) . ' <input type="text" name="cap[caller]" list="aipuffer-cap-callers" class="regular-text" placeholder="' . esc_attr__( 'empty: all callers together', 'aipuffer-connectors' ) . '" /></label>';
		echo '<datalist id="aipuffer-cap-callers">';
		$known = $names + array_fill_keys( array_merge( (array) get_option( 'active_plugins', array() ), array( (string) get_stylesheet() ) ), '' );
		foreach ( $known as $basename => $name ) {
			echo '<option value="' . esc_attr( (string) $basename ) . '">' . esc_html( (string) $name ) . '</option>';
		}
		echo '</datalist> ';
		echo '<label>' . esc_html__( 'Limit', 'aipuffer-connectors' ) . ' <input type="text" inputmode="decimal" name="cap[limit]" class="aipuffer-rate" required pattern="\d{1,14}(\.\d{1,6})?" /></label> ';
		echo '<select name="cap[unit]" aria-label="' . esc_attr__( 'Unit', 'aipuffer-connectors' ) . '"><option value="credits">' . esc_html__( 'credits', 'aipuffer-connectors' ) . '</option><option value="usd">USD</option></select> ';
		echo '<select name="cap[period]" aria-label="' . esc_attr__( 'Period', 'aipuffer-connectors' ) . '"><option value="day">' . esc_html__( 'a day', 'aipuffer-connectors' ) . '</option><option value="month">' . esc_html__( 'a month', 'aipuffer-connectors' ) . '</option></select> ';
		submit_button( __( 'Add cap', 'aipuffer-connectors' ), 'secondary', '', false );
		echo '</form>';
	}

	/** `12.500000` → `12.5`, `3.000000` → `3`: the decimal text without its trailing zeros. */
	private static function plain( string $decimal ): string {
		return false === strpos( $decimal, '.' ) ? $decimal : rtrim( rtrim( $decimal, '0' ), '.' );
	}
}
