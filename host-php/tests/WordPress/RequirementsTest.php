<?php
/**
 * What the installed plugin needs from its server, and what it says when something is missing:
 * the library per architecture, the exact configuration line per PHP SAPI, a library that does not
 * load, the compiled-engine cache when wp-content is not writable, *Check again*, uninstall.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Requirements_Screen;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Server_Setup;

final class RequirementsTest extends Site_Test_Case {

	/** Debian's php-fpm with PHP's default ffi.enable. */
	private const FPM = array(
		'os'         => 'Linux',
		'machine'    => 'x86_64',
		'sapi'       => 'fpm-fcgi',
		'php'        => '8.2',
		'ini_file'   => '/etc/php/8.2/fpm/php.ini',
		'ini_dir'    => '/etc/php/8.2/fpm',
		'fpm_pool'   => 'www',
		'pool_file'  => '/etc/php/8.2/fpm/pool.d/www.conf',
		'ffi_loaded' => true,
		'ffi_enable' => 'preload',
	);

	protected function tearDown(): void {
		remove_all_filters( 'wp_die_handler' );
		remove_all_filters( 'wp_redirect' );
		unset( $_POST['_wpnonce'], $_REQUEST['_wpnonce'] );
		parent::tearDown();
	}

	/** The first fix's lines and where they go, as one text. */
	private static function fix_text( ?array $problem ): string {
		self::assertNotNull( $problem );
		return implode( "\n", array_map( fn ( $fix ) => $fix['where'] . "\n" . implode( "\n", $fix['lines'] ) . "\n" . $fix['then'], $problem['fixes'] ) );
	}

	public function test_architecture_names_follow_the_lib_folders(): void {
		$this->assertSame( 'x86_64', Server_Setup::architecture( 'x86_64' ) );
		$this->assertSame( 'x86_64', Server_Setup::architecture( 'AMD64' ) );
		$this->assertSame( 'aarch64', Server_Setup::architecture( 'aarch64' ) );
		$this->assertSame( 'aarch64', Server_Setup::architecture( 'arm64' ) );
		$this->assertSame( 'riscv64', Server_Setup::architecture( 'riscv64' ) );
		$this->assertSame( array( 'x86_64', 'aarch64' ), Requirements::SHIPPED_ARCHITECTURES );
	}

	public function test_php_fpm_with_the_default_preload_gets_the_pool_line_for_its_pool_file(): void {
		$problem = Server_Setup::ffi_problem( self::FPM, false );
		$this->assertSame( 'ffi_disabled', $problem['id'] );
		$this->assertStringContainsString( 'ffi.enable=preload', $problem['message'] );
		$text = self::fix_text( $problem );
		$this->assertStringContainsString( "/etc/php/8.2/fpm/pool.d/www.conf (pool [www]):\nphp_admin_value[ffi.enable] = 1\n", $text );
		$this->assertStringContainsString( 'systemctl reload php8.2-fpm', $text );
		$this->assertStringContainsString( "/etc/php/8.2/fpm/php.ini:\nffi.enable = 1", $text, 'the php.ini this PHP loaded, as the alternative' );

		$unknown_file = Server_Setup::ffi_problem( array( 'pool_file' => '', 'fpm_pool' => 'site' ) + self::FPM, false );
		$this->assertStringContainsString( '(pool [site]; Debian and Ubuntu keep pools in /etc/php/8.2/fpm/pool.d/)', self::fix_text( $unknown_file ) );

		$this->assertNull( Server_Setup::ffi_problem( self::FPM, true ), 'preloaded declarations work under preload' );
		$this->assertNull( Server_Setup::ffi_problem( array( 'ffi_enable' => '1' ) + self::FPM, false ) );
		$this->assertNull( Server_Setup::ffi_problem( array( 'ffi_enable' => 'true' ) + self::FPM, false ) );
	}

	public function test_other_sapis_get_the_line_for_their_own_configuration(): void {
		$apache = self::fix_text( Server_Setup::ffi_problem( array( 'sapi' => 'apache2handler', 'ini_file' => '/etc/php/8.2/apache2/php.ini', 'ffi_enable' => '0' ) + self::FPM, false ) );
		$this->assertStringContainsString( "/etc/php/8.2/apache2/php.ini:\nffi.enable = 1", $apache );
		$this->assertStringContainsString( 'php_admin_value ffi.enable 1', $apache );
		$this->assertStringContainsString( 'restart Apache', $apache );

		$cgi = Server_Setup::ffi_problem( array( 'sapi' => 'cgi-fcgi', 'ini_file' => '', 'ini_dir' => '/usr/local/lib', 'ffi_enable' => 'preload' ) + self::FPM, false );
		$this->assertStringContainsString( '/usr/local/lib/php.ini (PHP reads no php.ini yet: create it)', self::fix_text( $cgi ) );

		$cli_off = Server_Setup::ffi_problem( array( 'sapi' => 'cli', 'ini_file' => '/etc/php/8.2/cli/php.ini', 'ffi_enable' => '0' ) + self::FPM, false );
		$this->assertStringContainsString( "/etc/php/8.2/cli/php.ini (PHP on the command line):\nffi.enable = 1", self::fix_text( $cli_off ) );
		$this->assertNull( Server_Setup::ffi_problem( array( 'sapi' => 'cli' ) + self::FPM, false ), 'preload allows FFI on the command line' );

		$missing = Server_Setup::ffi_problem( array( 'ffi_loaded' => false ) + self::FPM, false );
		$this->assertSame( 'ffi_missing', $missing['id'] );
		$this->assertStringContainsString( "/etc/php/8.2/fpm/php.ini:\nextension=ffi", self::fix_text( $missing ) );
	}

	public function test_an_unshipped_architecture_is_told_to_name_a_library_in_wp_config(): void {
		$report = self::in_fresh_process(
			'$env = array( "machine" => "riscv64" ) + AIPuffer\Connectors\Server_Setup::environment();
			return array( "path" => AIPuffer\Connectors\Requirements::library_path(), "problems" => AIPuffer\Connectors\Requirements::diagnosis( false, $env ),
				"registered" => WordPress\AiClient\AiClient::defaultRegistry()->hasProvider( "openai" ) );',
			array(),
			"define( 'AIPUFFER_WASMTIME_LIBRARY', '' );" // As on a site without the constant.
		);
		$this->assertStringEndsWith( '/aipuffer-connectors/lib/' . Server_Setup::architecture( php_uname( 'm' ) ) . '/libwasmtime.so', $report['path'], 'the shipped library of this machine' );
		$this->assertSame( 'architecture', $report['problems'][0]['id'] );
		$this->assertStringContainsString( 'riscv64', $report['problems'][0]['message'] );
		$this->assertStringContainsString( "define( 'AIPUFFER_WASMTIME_LIBRARY', '/path/to/libwasmtime.so' );", self::fix_text( $report['problems'][0] ) );
		$this->assertFalse( $report['registered'], 'the dev layout ships no lib/: nothing registered, no fatal' );
	}

	public function test_a_library_that_does_not_load_is_reported_with_the_loaders_reason_and_remembered(): void {
		$bogus = tempnam( sys_get_temp_dir(), 'aipuffer-not-a-library-' );
		file_put_contents( $bogus, 'not an ELF file' );
		$report_code = 'ob_start(); wp_set_current_user( 1 ); do_action( "admin_notices" ); $notice = ob_get_clean();
			return array( "problems" => AIPuffer\Connectors\Requirements::diagnosis(), "check" => get_option( AIPuffer\Connectors\Requirements::LIBRARY_CHECK_OPTION ),
				"registered" => WordPress\AiClient\AiClient::defaultRegistry()->hasProvider( "openai" ), "notice" => $notice );';
		try {
			$report = self::in_fresh_process( $report_code, array(), "define( 'AIPUFFER_WASMTIME_LIBRARY', " . var_export( $bogus, true ) . ' );' );
			$this->assertSame( 'library_load', $report['problems'][0]['id'] );
			$this->assertStringContainsString( $bogus, $report['problems'][0]['message'] );
			$this->assertStringContainsString( 'AIPUFFER_WASMTIME_LIBRARY', self::fix_text( $report['problems'][0] ) );
			$this->assertNotSame( '', $report['check']['error'], 'the failed load is remembered for this file' );
			$this->assertFalse( $report['registered'] );
			$this->assertStringContainsString( 'does not load on this server', $report['notice'] );
			$this->assertStringContainsString( 'page=aipuffer-connectors-server', $report['notice'], 'the notice links to the server check' );
		} finally {
			unlink( $bogus );
			delete_option( Requirements::LIBRARY_CHECK_OPTION );
		}
	}

	public function test_the_compiled_engine_falls_back_to_a_private_temporary_folder_then_to_none(): void {
		$code = 'add_filter( "aipuffer_connectors_engine_cache_dir", fn () => "/proc/aipuffer-cannot-write-here" );
			AIPuffer\Connectors\Requirements::forget_checks(); // Loading WordPress chose the folder already.
			AIPuffer\Connectors\Requirements::use_engine( null );
			$engine = AIPuffer\Connectors\Requirements::engine();
			$version = $engine->version();
			require_once ABSPATH . "wp-admin/includes/class-wp-site-health.php";
			$health = call_user_func( WP_Site_Health::get_tests()["direct"]["aipuffer_connectors_cache"]["test"] );
			$cache = AIPuffer\Connectors\Requirements::cache();
			return array( "cache" => $cache, "notice" => AIPuffer\Connectors\Requirements::cache_notice(), "status" => $engine->cache_status(),
				"version" => $version, "perms" => "" === $cache["dir"] ? 0 : fileperms( $cache["dir"] ) & 0777, "health" => $health["status"], "health_text" => $health["description"] );';

		$temp = self::in_fresh_process( $code );
		try {
			$this->assertSame( 'temp', $temp['cache']['kind'] );
			$this->assertStringStartsWith( rtrim( get_temp_dir(), '/' ) . '/aipuffer-connectors-', $temp['cache']['dir'] );
			$this->assertSame( 0700, $temp['perms'], 'private to the PHP user: nobody else plants native code there' );
			$this->assertStringContainsString( '/proc/aipuffer-cannot-write-here', $temp['notice'] );
			$this->assertStringContainsString( 'temporary folder', $temp['notice'] );
			$this->assertSame( 'written', $temp['status'] );
			$this->assertMatchesRegularExpression( '/^\d+\.\d+\.\d+/', $temp['version'] );
			$this->assertSame( 'recommended', $temp['health'] );
			$this->assertNotEmpty( glob( $temp['cache']['dir'] . '/engine-*.cwasm' ) );
		} finally {
			array_map( 'unlink', (array) glob( $temp['cache']['dir'] . '/*' ) );
			@rmdir( $temp['cache']['dir'] ); // phpcs:ignore
		}

		$none = self::in_fresh_process( $code, array(), "define( 'WP_TEMP_DIR', '/proc/aipuffer-no-temp/' );" );
		$this->assertSame( 'none', $none['cache']['kind'] );
		$this->assertStringContainsString( 'cannot be cached', $none['notice'] );
		$this->assertStringStartsWith( 'unwritable: ', $none['status'], 'compiled in memory' );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+\.\d+/', $none['version'], 'the engine still runs' );
		$this->assertStringContainsString( 'every request', $none['health_text'] );
	}

	public function test_check_again_needs_the_capability_and_the_nonce_and_then_forgets_the_remembered_check(): void {
		$screen = new Requirements_Screen();
		$died   = static function () {
			throw new \RuntimeException( 'wp_die' );
		};
		add_filter( 'wp_die_handler', static fn () => $died );
		add_filter(
			'wp_redirect',
			static function ( $location ) {
				throw new \RuntimeException( 'redirect ' . $location );
			}
		);
		update_option( Requirements::LIBRARY_CHECK_OPTION, array( 'key' => 'x', 'error' => '' ) );

		$attempt = static function () use ( $screen ): string {
			try {
				$screen->check_again();
			} catch ( \RuntimeException $e ) {
				return $e->getMessage();
			}
			return 'returned';
		};

		wp_set_current_user( $this->subscriber() );
		$_POST['_wpnonce'] = $_REQUEST['_wpnonce'] = wp_create_nonce( Requirements_Screen::CHECK_ACTION ); // phpcs:ignore
		$this->assertSame( 'wp_die', $attempt(), 'a subscriber is refused' );

		wp_set_current_user( 1 );
		$_POST['_wpnonce'] = $_REQUEST['_wpnonce'] = 'forged'; // phpcs:ignore
		$this->assertSame( 'wp_die', $attempt(), 'a forged nonce is refused' );
		$this->assertNotFalse( get_option( Requirements::LIBRARY_CHECK_OPTION ) );

		$_POST['_wpnonce'] = $_REQUEST['_wpnonce'] = wp_create_nonce( Requirements_Screen::CHECK_ACTION ); // phpcs:ignore
		$this->assertStringContainsString( 'page=aipuffer-connectors-server&checked=1', $attempt() );
		$this->assertFalse( get_option( Requirements::LIBRARY_CHECK_OPTION ), 'the library is loaded again on the next look' );
	}

	public function test_the_server_check_shows_the_versions_and_that_the_gateway_can_run(): void {
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		wp_set_current_user( 1 );
		ob_start();
		( new Requirements_Screen() )->render();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'The gateway can run on this server.', $html );
		$this->assertMatchesRegularExpression( '#data-fact="engine"><th scope="row">Engine version</th><td><code>\d+\.\d+\.\d+#', $html );
		$this->assertStringContainsString( '<code>50.0.1</code>', $html );
		$this->assertStringContainsString( '<code>' . \AIPuffer\Connectors\Plugin::VERSION . '</code>', $html );
		$this->assertStringContainsString( 'name="_wpnonce"', $html, 'Check again carries a nonce' );
		$this->assertStringContainsString( 'value="' . Requirements_Screen::CHECK_ACTION . '"', $html );
	}

	public function test_uninstall_removes_transients_and_the_temporary_cache_and_keeps_ai_puffers_options(): void {
		$kept = array();
		foreach ( array( 'aipuffer_connectors_schema_version', 'aipuffer_connectors_demo_configured' ) as $name ) {
			$kept[ $name ] = get_option( $name );
		}
		$banner = get_option( 'aipkit_wp_ai_client_banner_dismissed', null );
		update_option( 'aipkit_wp_ai_client_banner_dismissed', 1 );
		set_transient( 'aipuffer_connectors_test_probe', 'x', HOUR_IN_SECONDS );
		$temporary = Requirements::temporary_cache_dir();
		wp_mkdir_p( $temporary );
		file_put_contents( $temporary . '/engine-0123-50.0.1-fuel.cwasm', 'compiled' );

		$left = self::in_fresh_process(
			'define( "WP_UNINSTALL_PLUGIN", "aipuffer-connectors/aipuffer-connectors.php" );
			include WP_PLUGIN_DIR . "/aipuffer-connectors/uninstall.php";
			global $wpdb;
			return $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE \"%aipuffer\\_connectors\\_%\" OR option_name LIKE \"aipkit\\_wp\\_ai\\_client\\_%\"" );'
		);
		wp_cache_flush();
		\AIPuffer\Connectors\Gateway\Directory::reset();
		foreach ( $kept as $name => $value ) {
			update_option( $name, $value, true );
		}
		null === $banner ? delete_option( 'aipkit_wp_ai_client_banner_dismissed' ) : update_option( 'aipkit_wp_ai_client_banner_dismissed', $banner );

		sort( $left );
		$this->assertSame( array( 'aipkit_wp_ai_client_banner_dismissed', 'aipkit_wp_ai_client_gateway_mode' ), $left, 'only AI Puffer\'s own options are left' );
		$this->assertDirectoryDoesNotExist( $temporary );
		$this->assertNotFalse( get_option( 'aipkit_options' ) );
	}

	private function subscriber(): int {
		$id = username_exists( 'aipuffer-requirements-subscriber' );
		return $id ? (int) $id : (int) wp_insert_user(
			array(
				'user_login' => 'aipuffer-requirements-subscriber',
				'user_pass'  => wp_generate_password(),
				'role'       => 'subscriber',
			)
		);
	}
}
