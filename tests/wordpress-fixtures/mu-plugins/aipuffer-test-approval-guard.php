<?php
/**
 * Plugin Name: Connector Approvals guard fixture (AI Puffer Connectors tests)
 * Description: Stands in for the WordPress AI plugin's Connector Approvals guard, following its
 *   documented contract (spec §2): class WordPress\AI\Connector_Approval\Http_Guard hooked on
 *   pre_http_request at priority 5; a request carrying a connector's key is checked against the
 *   option wpai_connector_approvals for the outermost identifiable caller (plugin, mu-plugin or
 *   theme, plumbing skipped); unapproved → pending entry in wpai_connector_approval_pending and
 *   WP_Error wpai_connector_not_approved (403). Active only while the option
 *   aipuffer_test_approval_guard is "classic" or "skips-provider-plugin" (the newer guard that
 *   treats the plugin that registered the connector's provider as plumbing). Not for production.
 */

namespace WordPress\AI\Connector_Approval;

class Http_Guard {

	/** Paths that are plumbing, relative to wp-content or ABSPATH (the AI plugin's skip list). */
	private const PLUMBING = array( 'wp-includes/', 'wp-admin/', 'wp-settings.php', 'wp-load.php', 'wp-config.php', 'plugins/ai/includes/Connector_Approval/', 'plugins/ai/includes/Logging/', 'plugins/ai/includes/Settings/', 'plugins/ai/includes/helpers.php' );

	public function register(): void {
		add_filter( 'pre_http_request', array( $this, 'guard' ), 5, 3 );
	}

	/** Plugin folders that are plumbing for this connector's requests (none in this version). */
	protected function skipped_plugins( string $connector_id ): array {
		unset( $connector_id );
		return array();
	}

	/** @param false|array|\WP_Error $pre */
	public function guard( $pre, array $args, string $url ) {
		if ( false !== $pre ) {
			return $pre;
		}
		$connector_id = $this->connector_for( $args, $url );
		if ( null === $connector_id ) {
			return $pre;
		}
		$caller = $this->identify( $this->skipped_plugins( $connector_id ) );
		if ( null === $caller ) {
			return $pre;
		}
		$approvals = (array) get_option( 'wpai_connector_approvals', array() );
		if ( ! empty( $approvals[ $caller['basename'] ][ $connector_id ] ) ) {
			return $pre;
		}
		$pending = (array) get_option( 'wpai_connector_approval_pending', array() );
		$key     = $caller['basename'] . '::' . $connector_id;
		$entry   = $pending[ $key ] ?? array( 'caller_type' => $caller['type'], 'caller_basename' => $caller['basename'], 'caller_name' => $caller['name'], 'connector_id' => $connector_id, 'attempts' => 0, 'first_seen' => time() );
		$entry['attempts']++;
		$entry['last_seen'] = time();
		$pending[ $key ]    = $entry;
		update_option( 'wpai_connector_approval_pending', $pending, false );
		return new \WP_Error(
			'wpai_connector_not_approved',
			sprintf( 'The "%1$s" AI connector has not been approved for use by "%2$s".', $connector_id, $caller['name'] ),
			array( 'status' => 403, 'connector_id' => $connector_id, 'caller' => $caller )
		);
	}

	/** The connector whose stored key appears in the URL or a header (the demo's OpenAI key). */
	private function connector_for( array $args, string $url ): ?string {
		$options = (array) get_option( 'aipkit_options', array() );
		$key     = (string) ( $options['providers']['OpenAI']['api_key'] ?? '' );
		if ( strlen( $key ) < 10 ) {
			return null;
		}
		foreach ( array_merge( array( $url ), array_map( 'strval', (array) ( $args['headers'] ?? array() ) ) ) as $haystack ) {
			if ( false !== strpos( $haystack, $key ) || false !== strpos( $haystack, rawurlencode( $key ) ) ) {
				return 'openai';
			}
		}
		return null;
	}

	/** The outermost plugin, mu-plugin or theme frame, plumbing skipped. */
	private function identify( array $also_skip ): ?array {
		$content = wp_normalize_path( WP_CONTENT_DIR ) . '/';
		$found   = null;
		foreach ( debug_backtrace( DEBUG_BACKTRACE_IGNORE_ARGS ) as $frame ) {
			$file = wp_normalize_path( (string) ( $frame['file'] ?? '' ) );
			if ( 0 !== strpos( $file, $content ) || __FILE__ === $frame['file'] ) {
				continue;
			}
			$rel   = substr( $file, strlen( $content ) );
			$parts = explode( '/', $rel );
			if ( array_filter( self::PLUMBING, static fn ( $p ) => 0 === strpos( $rel, $p ) ) ) {
				continue;
			}
			if ( 'plugins' === $parts[0] && isset( $parts[1] ) && ! in_array( $parts[1], $also_skip, true ) ) {
				$found = array( 'type' => 'plugin', 'basename' => self::plugin_basename( $parts[1] ), 'name' => $parts[1] );
			} elseif ( 'mu-plugins' === $parts[0] && isset( $parts[1] ) && 'aipuffer-test-approval-guard.php' !== $parts[1] ) {
				$found = array( 'type' => 'mu-plugin', 'basename' => $parts[1], 'name' => $parts[1] );
			} elseif ( 'themes' === $parts[0] && isset( $parts[1] ) ) {
				$found = array( 'type' => 'theme', 'basename' => $parts[1], 'name' => $parts[1] );
			}
		}
		return $found;
	}

	private static function plugin_basename( string $slug ): string {
		foreach ( array_keys( function_exists( 'get_plugins' ) ? get_plugins() : array() ) as $basename ) {
			if ( 0 === strpos( $basename, $slug . '/' ) ) {
				return $basename;
			}
		}
		return $slug . '/' . $slug . '.php';
	}
}

/**
 * The newer guard: "The connector's own provider plugin is plumbing for its requests" — it
 * finds the plugin that registered the connector's provider class and skips its frames.
 */
class Http_Guard_Skipping_Provider_Plugin extends Http_Guard {

	public function provider_plugin_slugs( string $connector_id ): array {
		$class = \WordPress\AiClient\AiClient::defaultRegistry()->getProviderClassName( $connector_id );
		$file  = wp_normalize_path( ( new \ReflectionClass( $class ) )->getFileName() );
		$rel   = substr( $file, strlen( wp_normalize_path( WP_PLUGIN_DIR ) ) + 1 );
		return array( strtok( $rel, '/' ) );
	}

	protected function skipped_plugins( string $connector_id ): array {
		return $this->provider_plugin_slugs( $connector_id );
	}
}

switch ( get_option( 'aipuffer_test_approval_guard' ) ) {
	case 'classic':
		( new Http_Guard() )->register();
		break;
	case 'skips-provider-plugin':
		( new Http_Guard_Skipping_Provider_Plugin() )->register();
		break;
}
