<?php
/**
 * The facts of one request that the engine cannot know: the time, a fresh request id, and who
 * is calling — a logged-in user (id and roles), or a guest keyed by a salted hash of IP and user
 * agent as AI Puffer keys them (computed here: it needs the site's secret salt) — and, for a
 * prompt, the call stack the engine names the calling plugin or theme from.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Approvals\Stack_Frames;
use AIPuffer\Connectors\Plugin;

defined( 'ABSPATH' ) || exit;

final class Request_Context {

	/** @return array{now: int, request_id: string, actor: array{user_id: int, session_id: string, roles: list<string>}} */
	public static function current(): array {
		return array(
			'now'        => time(),
			'request_id' => wp_generate_uuid4(),
			'actor'      => self::actor(),
		);
	}

	/**
	 * This plugin (the gateway, never the caller) and the call stack, each file classified.
	 *
	 * @return array{gateway: string, gateway_name: string, frames: list<array<string, string>>}
	 */
	public static function caller(): array {
		return self::gateway() + array( 'frames' => ( new Stack_Frames() )->collect() );
	}

	/**
	 * This plugin as the approvals name it: it sends every provider request, so it is never the caller.
	 *
	 * @return array{gateway: string, gateway_name: string}
	 */
	public static function gateway(): array {
		return array(
			'gateway'      => Plugin::basename(),
			'gateway_name' => Plugin::NAME,
		);
	}

	/** @return array{user_id: int, session_id: string, roles: list<string>} */
	private static function actor(): array {
		$user_id = get_current_user_id();
		if ( $user_id > 0 ) {
			$user = get_userdata( $user_id );
			return array(
				'user_id'    => $user_id,
				'session_id' => '',
				'roles'      => $user ? array_values( array_map( 'strval', (array) $user->roles ) ) : array(),
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
		);
	}
}
