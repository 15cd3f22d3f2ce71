<?php
/**
 * Base for tests inside the real test site: the demo configuration (OpenAI connector → loopback
 * provider, management on) is put in place before each test and the site's options restored after.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Continuation;
use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Storage\Recorder;
use PHPUnit\Framework\TestCase;

abstract class Site_Test_Case extends TestCase {

	/** @var array<string, mixed> Options as they were before the test. */
	private array $saved_options = array();

	protected const OPTIONS = array(
		'aipkit_options',
		'aipkit_wp_ai_client_gateway_mode',
		'aipkit_model_registry_openai',
		'aipkit_model_registry_google',
		'aipkit_model_registry_claude',
		'aipkit_model_registry_openrouter',
		'aipkit_model_registry_azure',
		'aipkit_model_registry_deepseek',
		'aipkit_model_registry_xai',
		'aipkit_model_registry_ollama',
		'aipuffer_connectors_routes',
		'aipuffer_connectors_fallback',
		'aipuffer_connectors_caps',
		// What a model sync writes besides the registry snapshots.
		'aipkit_model_registry_manifest',
		'aipkit_model_sync_timestamps',
		'aipkit_openai_model_list',
		'aipkit_google_model_list',
		'aipkit_claude_model_list',
		'aipkit_openrouter_model_list',
		'aipkit_azure_deployment_list',
		'aipkit_deepseek_model_list',
		'aipkit_xai_model_list',
		'aipkit_ollama_model_list',
	);

	protected function setUp(): void {
		foreach ( self::OPTIONS as $name ) {
			$this->saved_options[ $name ] = get_option( $name, null );
		}
		// Re-added, not updated: the mode is read on every page load, so it must stay autoloaded.
		delete_option( 'aipkit_wp_ai_client_gateway_mode' );
		add_option( 'aipkit_wp_ai_client_gateway_mode', 'managed' );
		update_option( 'aipkit_options', self::demo_options(), false );
		delete_option( 'aipuffer_connectors_routes' );
		delete_option( 'aipuffer_connectors_fallback' );
		delete_option( 'aipuffer_connectors_caps' );
		foreach ( self::demo()['registries'] as $name => $registry ) {
			update_option( $name, $registry, false );
		}
		wp_set_current_user( 0 );
		Directory::reset();
	}

	protected function tearDown(): void {
		foreach ( $this->saved_options as $name => $value ) {
			null === $value ? delete_option( $name ) : update_option( $name, $value );
		}
		wp_set_current_user( 0 );
		Directory::reset();
	}

	/**
	 * All eight connectors against the test site's loopback provider (the demo's configuration).
	 *
	 * @return array{options: array<string, mixed>, registries: array<string, array<string, mixed>>}
	 */
	protected static function demo(): array {
		require_once dirname( __DIR__, 3 ) . '/scripts/lib/demo-connectors.php';
		$keys = json_decode( (string) getenv( 'DEMO_KEYS' ), true );
		self::assertIsArray( $keys, 'DEMO_KEYS must come from the test site.env' );
		return aipuffer_demo_connectors( (string) getenv( 'PROVIDER_URL' ), $keys );
	}

	/**
	 * `aipkit_options` of the demo, OpenAI's settings changed by `$openai`.
	 *
	 * @return array<string, mixed>
	 */
	protected static function demo_options( array $openai = array() ): array {
		$options                        = self::demo()['options'];
		$options['providers']['OpenAI'] = array_merge( $options['providers']['OpenAI'], $openai );
		return $options;
	}

	protected static function demo_key(): string {
		$key = (string) getenv( 'DEMO_OPENAI_KEY' );
		self::assertNotSame( '', $key, 'DEMO_OPENAI_KEY must come from the test site.env' );
		return $key;
	}

	protected function set_openai( array $settings ): void {
		update_option( 'aipkit_options', self::demo_options( $settings ), false );
		Directory::reset();
	}

	/**
	 * The `record` step of the Chat Completions vector (24 tokens) for a real user: what the
	 * engine hands over once the provider has answered.
	 *
	 * @param string $first_reply The first candidate's text, instead of the vector's "Teal".
	 * @return array{locks: array<int, array<string, mixed>>, state: Continuation, request_id: string}
	 */
	protected function record_step( int $user_id, string $first_reply = 'Teal' ): array {
		$vector     = json_decode( (string) file_get_contents( dirname( __DIR__, 3 ) . '/tests/vectors/openai-chat-completions-user-debit.json' ) );
		$engine     = Requirements::engine();
		$prepared   = json_decode( $engine->prepare( wp_json_encode( $vector->stored ) ) );
		$request_id = wp_generate_uuid4();
		$start      = $vector->start;
		$start->site                      = $prepared->site;
		$start->context->request_id       = $request_id;
		$start->context->actor->user_id   = $user_id;
		$http       = json_decode( $engine->advance( wp_json_encode( $start ) ) );
		$outcomes   = $vector->steps[0]->resume->outcomes;
		$outcomes[0]->body = str_replace( '"Teal"', (string) wp_json_encode( $first_reply, JSON_UNESCAPED_UNICODE ), $outcomes[0]->body );
		$resume     = (object) array( 'state' => $http->state, 'outcomes' => $outcomes );
		$record     = Json::decode_step( $engine->advance( wp_json_encode( $resume ) ) );
		$this->assertSame( 'record', $record['step'] );
		return array( 'locks' => $record['locks'], 'state' => $record['state'], 'request_id' => $request_id );
	}

	protected function record( array $step ): void {
		( new Recorder( Requirements::engine() ) )->record( $step['locks'], $step['state'] );
	}

	protected static function ledger_count( string $request_id ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}aipkit_token_ledger WHERE idempotency_key = %s", 'wp-ai-client-' . $request_id ) );
	}

	protected static function log_count( string $request_id ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}aipkit_chat_logs WHERE conversation_uuid = %s", $request_id ) );
	}
	protected static function table_count( string $table ): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}{$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}

	/** @return array<string, mixed>|null */
	protected static function ledger_row( string $request_id ): ?array {
		global $wpdb;
		return $wpdb->get_row(
			$wpdb->prepare( "SELECT * FROM {$wpdb->prefix}aipkit_token_ledger WHERE idempotency_key = %s", 'wp-ai-client-' . $request_id ),
			ARRAY_A
		);
	}

	/** @return array<string, mixed>|null */
	protected static function chat_log_row( string $request_id ): ?array {
		global $wpdb;
		return $wpdb->get_row(
			$wpdb->prepare( "SELECT * FROM {$wpdb->prefix}aipkit_chat_logs WHERE conversation_uuid = %s", $request_id ),
			ARRAY_A
		);
	}

	/** @return list<array<string, mixed>> What the loopback provider received (keys redacted by it). */
	protected static function provider_requests(): array {
		$response = wp_remote_get( getenv( 'PROVIDER_URL' ) . '/__loopback/requests' );
		self::assertNotWPError( $response );
		return json_decode( wp_remote_retrieve_body( $response ), true );
	}

	protected static function clear_provider_requests(): void {
		wp_remote_request( getenv( 'PROVIDER_URL' ) . '/__loopback/requests', array( 'method' => 'DELETE' ) );
	}

	/** A new user with a role and a raw `_aipkit_token_balance`. */
	/**
	 * Runs an admin-post handler as a form post with `$fields` and the action's nonce (or a forged
	 * one): the redirect it ends with (`redirect:<url>`) or that it died (`die:<message>`).
	 */
	protected function post_form( callable $handler, string $nonce_action, array $fields, bool $forge = false ): string {
		$_POST                = $fields + array( '_wpnonce' => $forge ? 'forged1234' : wp_create_nonce( $nonce_action ) );
		$_REQUEST['_wpnonce'] = $_POST['_wpnonce'];
		add_filter(
			'wp_redirect',
			static function ( $location ) {
				throw new \RuntimeException( 'redirect:' . $location );
			}
		);
		add_filter(
			'wp_die_handler',
			static fn () => static function ( $message ) {
				throw new \RuntimeException( 'die:' . ( is_string( $message ) ? $message : 'wp_die' ) );
			}
		);
		try {
			$handler();
		} catch ( \RuntimeException $e ) {
			return $e->getMessage();
		} finally {
			remove_all_filters( 'wp_redirect' );
			remove_all_filters( 'wp_die_handler' );
			$_POST = array();
			unset( $_REQUEST['_wpnonce'] );
		}
		$this->fail( 'the handler neither redirected nor died' );
	}

	protected function user_with_balance( string $role, string $balance ): int {
		$user_id = wp_insert_user(
			array(
				'user_login' => $role . '-' . wp_generate_password( 8, false ),
				'user_pass'  => wp_generate_password(),
				'role'       => $role,
			)
		);
		$this->assertIsInt( $user_id );
		update_user_meta( $user_id, '_aipkit_token_balance', $balance );
		return $user_id;
	}

	/**
	 * Strict equality of JSON data whatever the key order (the engine writes object keys sorted).
	 *
	 * @param mixed $expected
	 * @param mixed $actual
	 */
	protected static function assertSameData( $expected, $actual, string $message = '' ): void {
		$sort = static function ( $value ) use ( &$sort ) {
			if ( ! is_array( $value ) ) {
				return $value;
			}
			if ( ! array_is_list( $value ) ) {
				ksort( $value, SORT_STRING );
			}
			return array_map( $sort, $value );
		};
		self::assertSame( $sort( $expected ), $sort( $actual ), $message );
	}

	/** @param mixed $value */
	protected static function assertNotWPError( $value, string $message = '' ): void {
		self::assertFalse( is_wp_error( $value ), $message . ( is_wp_error( $value ) ? ' WP_Error: ' . $value->get_error_code() . ': ' . $value->get_error_message() : '' ) );
	}

	/**
	 * Runs PHP code in a fresh process that loads this WordPress, for behaviour decided at load
	 * time (requirements, provider registration). The code's last expression is printed as JSON.
	 *
	 * @param string[] $php_args e.g. array( '-d', 'ffi.enable=0' ).
	 * @return array<string, mixed>
	 */
	protected static function in_fresh_process( string $code, array $php_args = array(), string $before_wordpress = '' ): array {
		$script = tempnam( sys_get_temp_dir(), 'aipuffer-test-' ) . '.php';
		file_put_contents(
			$script,
			"<?php\n{$before_wordpress}\n\$_SERVER['HTTP_HOST'] = 'localhost';\n\$_SERVER['REQUEST_URI'] = '/';\nrequire getenv('WP_PATH') . '/wp-load.php';\n\$out = (function () { {$code} })();\necho \"\\n@@RESULT@@\" . json_encode(\$out);\n"
		);
		$command = array_merge( array( PHP_BINARY ), $php_args, array( $script ) );
		$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$stdout  = stream_get_contents( $pipes[1] );
		$stderr  = stream_get_contents( $pipes[2] );
		$status  = proc_close( $process );
		unlink( $script );
		self::assertSame( 0, $status, "fresh process failed:\n$stdout\n$stderr" );
		$marker = strrpos( (string) $stdout, '@@RESULT@@' );
		self::assertNotFalse( $marker, "no result printed:\n$stdout\n$stderr" );
		return json_decode( substr( $stdout, $marker + 10 ), true ) ?? array();
	}
}
