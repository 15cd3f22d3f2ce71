<?php
/**
 * Gathers what the engine needs to know about the site for one call: stored settings, model
 * catalogs, who is calling, the time and a request id. API keys are left out — the engine only
 * learns which providers have one.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Snapshot_Builder {

	public const MODE_OPTION = 'aipkit_wp_ai_client_gateway_mode';

	/** @var array<string, mixed>|null The site part, read once per request. */
	private static ?array $site = null;

	/** @return array<string, mixed> */
	public static function build(): array {
		$snapshot               = self::site();
		$snapshot['now']        = time();
		$snapshot['request_id'] = wp_generate_uuid4();
		$snapshot['actor']      = self::actor();
		return $snapshot;
	}

	/** Forgets what was read (after settings change within a request, and in tests). */
	public static function reset(): void {
		self::$site = null;
	}

	/**
	 * Settings and catalogs: the parts that don't change during a request.
	 *
	 * @return array<string, mixed>
	 */
	public static function site(): array {
		if ( null === self::$site ) {
			$options     = get_option( 'aipkit_options', array() );
			$options     = is_array( $options ) ? $options : array();
			$credentials = array();
			$providers   = is_array( $options['providers'] ?? null ) ? $options['providers'] : array();
			foreach ( $providers as $name => $settings ) {
				if ( ! is_array( $settings ) ) {
					continue;
				}
				if ( is_string( $settings['api_key'] ?? null ) && '' !== trim( $settings['api_key'] ) ) {
					$credentials[] = (string) $name;
				}
				unset( $providers[ $name ]['api_key'] );
			}
			self::$site = array(
				'gmt_offset'  => (int) round( (float) get_option( 'gmt_offset', 0 ) * HOUR_IN_SECONDS ),
				'managed'     => self::managed(),
				'options'     => array(
					'provider'  => $options['provider'] ?? '',
					'providers' => (object) $providers,
				),
				'credentials' => $credentials,
				'catalogs'    => (object) self::catalog_options(),
			);
		}
		return self::$site;
	}

	/** Whether AI Puffer manages the AI Client (an autoloaded option: free to read). */
	public static function managed(): bool {
		return 'managed' === get_option( self::MODE_OPTION, 'observe' );
	}

	/**
	 * AI Puffer's model registry snapshots and legacy model lists, by option name, in one query
	 * (they are not autoloaded, so reading them one by one would cost a query each).
	 *
	 * @return array<string, mixed>
	 */
	private static function catalog_options(): array {
		global $wpdb;
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
				$wpdb->esc_like( 'aipkit_model_registry_' ) . '%',
				$wpdb->esc_like( 'aipkit_' ) . '%' . $wpdb->esc_like( '_model_list' )
			)
		);
		$catalogs = array();
		foreach ( (array) $rows as $row ) {
			$catalogs[ $row->option_name ] = maybe_unserialize( $row->option_value );
		}
		return $catalogs;
	}

	/**
	 * Who is calling, as AI Puffer records it: a logged-in user (with roles and credit balance),
	 * or a guest keyed by a salted hash of IP and user agent (computed here: it needs the salt).
	 *
	 * @return array<string, mixed>
	 */
	private static function actor(): array {
		$user_id = get_current_user_id();
		if ( $user_id > 0 ) {
			$user    = get_userdata( $user_id );
			$balance = metadata_exists( 'user', $user_id, '_aipkit_token_balance' )
				? (string) get_user_meta( $user_id, '_aipkit_token_balance', true )
				: null;
			return array(
				'user_id'    => $user_id,
				'session_id' => '',
				'roles'      => $user ? array_values( (array) $user->roles ) : array(),
				'balance'    => $balance,
			);
		}
		// phpcs:disable WordPress.Security.ValidatedSanitizedInput.InputNotValidated
		$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		$ua = isset( $_SERVER['HTTP_USER_AGENT'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ) ) : '';
		// phpcs:enable
		$session = '' === $ip
			? 'wp-ai-client-system'
			: 'wp-ai-client-' . substr( hash_hmac( 'sha256', $ip . '|' . $ua, wp_salt( 'auth' ) ), 0, 40 );
		return array(
			'user_id'    => 0,
			'session_id' => $session,
			'roles'      => array(),
			'balance'    => null,
		);
	}
}
