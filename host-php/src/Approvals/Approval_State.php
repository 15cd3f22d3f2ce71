<?php
/**
 * What the engine needs to check Connector Approvals (the WordPress AI plugin's experiment):
 * nothing at all while its guard is not hooked; otherwise which guard is installed and the
 * approvals as stored (the call stack comes with every prompt's context: Request_Context).
 * Which frame is the caller, who must be approved and what goes on the pending list are the
 * engine's decisions.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Approvals;

defined( 'ABSPATH' ) || exit;

final class Approval_State {

	/** The AI plugin's guard class, hooked on `pre_http_request` while the experiment is on. */
	public const GUARD_CLASS = 'WordPress\\AI\\Connector_Approval\\Http_Guard';

	public const APPROVALS_OPTION = 'wpai_connector_approvals';

	/**
	 * @return array<string, mixed>|null Null when no guard is active.
	 */
	public static function collect(): ?array {
		$guard = self::guard();
		if ( null === $guard ) {
			return null;
		}
		$approvals = get_option( self::APPROVALS_OPTION, array() );
		return array(
			// Newer guards skip the plugin that registered a connector's provider (us) as plumbing.
			'guard_skips_provider_plugin' => method_exists( $guard, 'provider_plugin_slugs' ),
			'approvals'                   => (object) ( is_array( $approvals ) ? $approvals : array() ),
		);
	}

	/** The hooked guard instance, if any. */
	private static function guard(): ?object {
		global $wp_filter;
		$hook = $wp_filter['pre_http_request'] ?? null;
		if ( ! $hook instanceof \WP_Hook ) {
			return null;
		}
		foreach ( $hook->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$function = $callback['function'] ?? null;
				if ( is_array( $function ) && is_object( $function[0] ?? null ) && is_a( $function[0], self::GUARD_CLASS ) ) {
					return $function[0];
				}
			}
		}
		return null;
	}
}
