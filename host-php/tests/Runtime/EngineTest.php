<?php
/**
 * The engine component run through wasmtime from PHP: calls, the compiled cache, failures.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Tests\Runtime;

use AIPuffer\Connectors\Runtime\Engine;
use AIPuffer\Connectors\Runtime\Engine_Error;
use AIPuffer\Connectors\Runtime\Wasmtime_Library;
use PHPUnit\Framework\TestCase;

/**
 * Compiling the component takes ≈0.5 s, so only the cache tests compile; the others share one
 * cache folder filled once per run.
 */
final class EngineTest extends TestCase {

	/** @var string Cache folder shared by the tests that do not test the cache. */
	private static string $shared_cache;

	/** @var string[] Folders to delete after the class. */
	private static array $folders = array();

	public static function setUpBeforeClass(): void {
		self::$shared_cache = self::temporary_folder();
	}

	public static function tearDownAfterClass(): void {
		foreach ( self::$folders as $folder ) {
			self::remove( $folder );
		}
	}

	protected function setUp(): void {
		$this->assertFileExists( AIPUFFER_TEST_WASMTIME_LIBRARY, 'wasmtime 50.0.1 is missing: run /tmp/wtproto/fetch-wasmtime.sh or set AIPUFFER_WASMTIME_LIBRARY.' );
		$this->assertFileExists( AIPUFFER_TEST_ENGINE_COMPONENT, 'The engine component is missing: build pkg/engine.wasm or set AIPUFFER_ENGINE_COMPONENT.' );
	}

	public function test_version_is_a_non_empty_string(): void {
		$version = $this->engine()->version();
		$this->assertIsString( $version );
		$this->assertNotSame( '', trim( $version ) );
	}

	public function test_advance_with_an_empty_object_returns_a_fail_step(): void {
		$step = json_decode( $this->engine()->advance( '{}' ), true, 512, JSON_THROW_ON_ERROR );
		$this->assertSame( 'fail', $step['step'] );
	}

	public function test_advance_with_broken_json_returns_a_fail_step(): void {
		$step = json_decode( $this->engine()->advance( '{"snapshot":' ), true, 512, JSON_THROW_ON_ERROR );
		$this->assertSame( 'fail', $step['step'] );
	}

	public function test_advance_with_an_empty_string_returns_a_fail_step(): void {
		$step = json_decode( $this->engine()->advance( '' ), true, 512, JSON_THROW_ON_ERROR );
		$this->assertSame( 'fail', $step['step'] );
	}

	public function test_prepare_with_an_empty_site_lists_the_connectors(): void {
		$prepared = json_decode( $this->engine()->prepare( '{}' ), true, 512, JSON_THROW_ON_ERROR );
		$this->assertSame( 'aipuffer', $prepared['directory']['providers'][0]['id'], 'the default routes come first' );
		$this->assertSame( 'openai', $prepared['directory']['providers'][1]['id'] );
		$this->assertFalse( $prepared['site']['connectors'][0]['available'] );
	}

	public function test_the_manifest_names_what_to_read_and_every_sentence(): void {
		$manifest = json_decode( $this->engine()->manifest(), true, 512, JSON_THROW_ON_ERROR );
		$this->assertSame( 2, $manifest['protocol'] );
		$this->assertSame( array( 'model', 'base_url', 'api_version', 'api_mode' ), $manifest['settings']['OpenAI'] );
		$this->assertContains( 'aipkit_model_registry_openai', $manifest['catalog_options'] );
		$this->assertArrayHasKey( 'provider_server_error', $manifest['messages'] );
	}

	public function test_the_cache_is_keyed_by_the_components_content(): void {
		$copy = sys_get_temp_dir() . '/aipuffer-engine-content-' . getmypid() . '.wasm';
		copy( AIPUFFER_TEST_ENGINE_COMPONENT, $copy );
		try {
			$same    = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, $copy, self::$shared_cache );
			$this->assertSame( $this->cache_file( self::$shared_cache ), $same->cache_file(), 'same bytes elsewhere: same compiled code' );
			$this->assertNotSame( $this->engine()->identity(), $same->identity(), 'but another file identity' );
			file_put_contents( $copy, 'x', FILE_APPEND );
			$changed = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, $copy, self::$shared_cache );
			$this->assertNotSame( $same->cache_file(), $changed->cache_file(), 'one more byte: another cache file' );
		} finally {
			unlink( $copy );
		}
	}

	public function test_a_guest_that_outgrows_its_memory_limit_traps_and_the_next_call_works(): void {
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, Engine::DEFAULT_FUEL, 4 * 1024 * 1024 );
		$big    = '{"x":"' . str_repeat( 'a', 8 * 1024 * 1024 ) . '"}';
		try {
			$engine->advance( $big );
			$this->fail( 'an 8 MB input fitted in 4 MB of guest memory' );
		} catch ( Engine_Error $e ) {
			$this->assertSame( Engine_Error::KIND_MEMORY, $e->kind );
			$this->assertSame( 'The AI Puffer engine stopped: a request or answer of 8.0 MB is too large for its memory budget of 4 MB.', $e->getMessage() );
		}
		$this->assertSame( 'fail', json_decode( $engine->advance( '{}' ), true )['step'] );
		$this->assertSame( 256 * 1024 * 1024, Engine::DEFAULT_MEMORY_LIMIT );
	}

	public function test_non_ascii_text_round_trips(): void {
		$engine = $this->engine();
		$this->assertSame( 'fail', json_decode( $engine->advance( '{"x":"héllo wörld — 日本語 🙂"}' ), true )['step'] );
	}

	public function test_first_engine_compiles_and_writes_the_cache_file(): void {
		$cache  = self::temporary_folder();
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$this->assertSame( 'not loaded', $engine->cache_status() );
		$engine->version();
		$this->assertSame( 'written', $engine->cache_status() );

		$file = $this->cache_file( $cache );
		$this->assertFileExists( $file );
		$this->assertMatchesRegularExpression( '/\/engine-[0-9a-f]{32}-50\.0\.1-fuel\.cwasm$/', $file );
		$this->assertSame( "\x7fELF", file_get_contents( $file, false, null, 0, 4 ) );
		$this->assertSame( array( basename( $file ) ), $this->files_in( $cache ), 'no temporary files are left behind' );

		$second = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$this->assertSame( 'fail', json_decode( $second->advance( '{}' ), true )['step'] );
		$this->assertSame( 'hit', $second->cache_status() );
	}

	public function test_a_new_process_loads_from_the_cache(): void {
		$this->engine()->version(); // Fills the shared cache if no earlier test did.
		$script = sprintf(
			'require %s; $e = new AIPuffer\Connectors\Runtime\Engine(%s, %s, %s); $s = json_decode($e->advance("{}"), true)["step"]; echo $e->cache_status(), " ", $s;',
			var_export( dirname( __DIR__ ) . '/bootstrap-runtime.php', true ),
			var_export( AIPUFFER_TEST_WASMTIME_LIBRARY, true ),
			var_export( AIPUFFER_TEST_ENGINE_COMPONENT, true ),
			var_export( self::$shared_cache, true )
		);
		$output = shell_exec( escapeshellarg( PHP_BINARY ) . ' -d ffi.enable=1 -r ' . escapeshellarg( $script ) . ' 2>&1' );
		$this->assertSame( 'hit fail', $output );
	}

	/**
	 * With the declarations preloaded (as php-fpm runs them), a worker keeps the engine, and a
	 * store with its instance, for its next requests: later Engines reuse them; a second Engine
	 * alive at the same time gets a store of its own; a trap or a large call leaves the kept
	 * store behind (deleted) and harms none of the others; a new engine build replaces both.
	 */
	public function test_a_preloaded_worker_keeps_the_engine_between_requests(): void {
		$this->engine()->version();
		$header = tempnam( sys_get_temp_dir(), 'aipuffer-preload-' );
		file_put_contents( $header, \AIPuffer\Connectors\Runtime\Wasmtime_Library::preload_header( AIPUFFER_TEST_WASMTIME_LIBRARY ) );
		$copy = sys_get_temp_dir() . '/aipuffer-engine-copy-' . getmypid() . '.wasm';
		copy( AIPUFFER_TEST_ENGINE_COMPONENT, $copy );
		// Another build: the same engine with one more (custom) section, so other bytes.
		file_put_contents( $copy, "\x00\x04\x03abc", FILE_APPEND );
		$script = sprintf(
			'require %1$s; use AIPuffer\Connectors\Runtime\Engine;
			$make = fn ($component, $fuel = Engine::DEFAULT_FUEL) => new Engine(%2$s, $component, %3$s, $fuel);
			$seen = array();
			foreach (array(1, 2, 3) as $request) { $e = $make(%4$s); $e->version(); $seen[] = $e->cache_status() . "/" . $e->instance_status(); unset($e); }
			$e = $make(%4$s); $e->version(); $other = $make(%4$s); $other->version();
			$seen[] = "two at once/" . $e->instance_status() . "+" . $other->instance_status(); unset($other);
			$seen[] = "first still " . json_decode($e->advance("{}"), true)["step"]; unset($e);
			$tiny = $make(%4$s, 1000);
			try { $tiny->prepare("{}"); $seen[] = "no trap"; } catch (Throwable $t) { $seen[] = "trap/" . $tiny->instance_status(); }
			unset($tiny);
			$e = $make(%4$s); $seen[] = json_decode($e->advance("{}"), true)["step"] . "/" . $e->cache_status() . "/" . $e->instance_status(); unset($e);
			$e = $make(%4$s); $e->version(); $seen[] = $e->instance_status(); $e->advance(str_repeat(" ", 1100000) . "{}"); $seen[] = "large/" . $e->instance_status(); unset($e);
			$e = $make(%4$s); $e->version(); $seen[] = $e->instance_status(); unset($e);
			$e = $make(%5$s); $e->version(); $seen[] = "new build/" . $e->cache_status() . "/" . $e->instance_status(); unset($e);
			$e = $make(%5$s); $e->version(); $seen[] = $e->cache_status() . "/" . $e->instance_status();
			echo implode(",", $seen);',
			var_export( dirname( __DIR__ ) . '/bootstrap-runtime.php', true ),
			var_export( AIPUFFER_TEST_WASMTIME_LIBRARY, true ),
			var_export( self::$shared_cache, true ),
			var_export( AIPUFFER_TEST_ENGINE_COMPONENT, true ),
			var_export( $copy, true )
		);
		$output = shell_exec( escapeshellarg( PHP_BINARY ) . ' -d ffi.enable=1 -d ffi.preload=' . escapeshellarg( $header ) . ' -r ' . escapeshellarg( $script ) . ' 2>&1' );
		unlink( $header );
		unlink( $copy );
		$this->assertSame(
			'hit/new,resident/kept,resident/kept,two at once/kept+new,first still fail,trap/none,fail/resident/new,kept,large/none,new,new build/written/new,resident/kept',
			$output
		);
	}

	public function test_without_preloading_nothing_is_kept(): void {
		$engine = $this->engine();
		$engine->version();
		$this->assertFalse( \AIPuffer\Connectors\Runtime\Wasmtime_Library::is_resident( AIPUFFER_TEST_WASMTIME_LIBRARY ) );
		$this->assertNotSame( 'resident', $engine->cache_status() );
	}

	public function test_corrupt_cache_file_is_recompiled_and_replaced(): void {
		$cache = self::temporary_folder();
		$file  = $this->cache_file( $cache );
		file_put_contents( $file, "\x7fELF" . str_repeat( "\0garbage", 1000 ) );

		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$this->assertSame( 'fail', json_decode( $engine->advance( '{}' ), true )['step'] );
		$this->assertSame( 'written', $engine->cache_status() );
		$this->assertStringNotContainsString( 'garbage', (string) file_get_contents( $file ) );

		$again = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$again->version();
		$this->assertSame( 'hit', $again->cache_status() );
	}

	public function test_cache_compiled_without_fuel_is_recompiled(): void {
		// The same file name, but code compiled by an engine without fuel metering, e.g. from a
		// build that keyed its cache wrongly: wasmtime refuses it, so it must be replaced.
		$cache = self::temporary_folder();
		$file  = $this->cache_file( $cache );
		$ffi   = Wasmtime_Library::ffi( AIPUFFER_TEST_WASMTIME_LIBRARY );
		$raw   = $ffi->wasm_engine_new_with_config( $ffi->wasm_config_new() );
		$wasm  = (string) file_get_contents( AIPUFFER_TEST_ENGINE_COMPONENT );
		$component = $ffi->new( 'wasmtime_component_t*' );
		$this->assertNull( $ffi->wasmtime_component_new( $raw, $wasm, strlen( $wasm ), \FFI::addr( $component ) ) );
		$bytes = $ffi->new( 'wasm_byte_vec_t' );
		$this->assertNull( $ffi->wasmtime_component_serialize( $component, \FFI::addr( $bytes ) ) );
		$without_fuel = \FFI::string( $bytes->data, $bytes->size );
		file_put_contents( $file, $without_fuel );
		$ffi->wasm_byte_vec_delete( \FFI::addr( $bytes ) );
		$ffi->wasmtime_component_delete( $component );
		$ffi->wasm_engine_delete( $raw );

		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$this->assertNotSame( '', $engine->version() );
		$this->assertSame( 'written', $engine->cache_status() );
		$this->assertNotSame( $without_fuel, file_get_contents( $file ) );
	}

	public function test_cache_folder_that_cannot_be_created_still_runs_the_engine(): void {
		// A path below a regular file cannot be created, even by root (tests often run as root,
		// which ignores permission bits).
		$blocker = self::temporary_folder() . '/blocker';
		file_put_contents( $blocker, '' );
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $blocker . '/cache' );
		$this->assertSame( 'fail', json_decode( $engine->advance( '{}' ), true )['step'] );
		$this->assertStringStartsWith( 'unwritable: cannot create ' . $blocker . '/cache', $engine->cache_status() );
	}

	public function test_read_only_cache_folder_still_runs_the_engine(): void {
		if ( function_exists( 'posix_geteuid' ) && 0 === posix_geteuid() ) {
			// Root may write anywhere; the folder-below-a-file case above covers the behaviour.
			$this->addToAssertionCount( 1 );
			return;
		}
		$cache = self::temporary_folder();
		chmod( $cache, 0555 );
		try {
			$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
			$this->assertNotSame( '', $engine->version() );
			$this->assertStringStartsWith( 'unwritable: ', $engine->cache_status() );
		} finally {
			chmod( $cache, 0755 );
		}
	}

	public function test_missing_cache_folder_is_created(): void {
		$cache  = self::temporary_folder() . '/a/b';
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		$engine->version();
		$this->assertDirectoryExists( $cache );
		$this->assertContains( $engine->cache_status(), array( 'written', 'hit' ) );
		$this->assertFileExists( $this->cache_file( $cache ) );
	}

	public function test_invalid_utf8_is_refused_before_wasmtime_and_the_process_goes_on(): void {
		$engine = $this->engine();
		foreach ( array( "\xff\xfe", "{\"x\":\"\xc3\"}", "\xed\xa0\x80" ) as $input ) {
			try {
				$engine->advance( $input );
				$this->fail( 'invalid UTF-8 was accepted: ' . bin2hex( $input ) );
			} catch ( Engine_Error $e ) {
				$this->assertSame( Engine_Error::KIND_INPUT, $e->kind );
			}
		}
		$this->assertSame( 'fail', json_decode( $engine->advance( '{}' ), true )['step'] );
	}

	public function test_fuel_exhaustion_is_a_safe_fuel_error_and_a_fresh_engine_works(): void {
		$starved = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, 1000 );
		try {
			$starved->prepare( '{}' );
			$this->fail( 'prepare() finished with 1000 fuel' );
		} catch ( Engine_Error $e ) {
			$this->assertSame( Engine_Error::KIND_FUEL, $e->kind );
			$this->assertSame( 'The AI Puffer engine stopped: it ran out of its time budget (fuel).', $e->getMessage() );
			$this->assertStringNotContainsStringIgnoringCase( 'wasm', $e->getMessage() );
			$this->assertStringContainsString( 'all fuel consumed', $e->diagnostic );
			$this->assertStringContainsString( 'wasm backtrace', $e->diagnostic );
		}

		$fresh = $this->engine();
		$this->assertArrayHasKey( 'directory', json_decode( $fresh->prepare( '{}' ), true ) );
	}

	public function test_after_a_trap_the_next_call_gets_a_fresh_store(): void {
		// version() needs under 500 fuel, prepare('{}') about 420,000 (eight connectors, every one
		// skipped by route inference with its reason).
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, 5000 );
		$this->assertNotSame( '', $engine->version() );
		try {
			$engine->prepare( '{}' );
			$this->fail( 'prepare() finished with 5000 fuel' );
		} catch ( Engine_Error $e ) {
			$this->assertSame( Engine_Error::KIND_FUEL, $e->kind );
		}
		// The trapped store would say "cannot enter component instance".
		$this->assertNotSame( '', $engine->version() );
		$this->assertNotSame( '', $engine->version() );
	}

	public function test_fuel_budget_is_restored_before_every_call(): void {
		// 600,000 covers one prepare('{}') but not two: leftover fuel must not be what runs out.
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, 600000 );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertArrayHasKey( 'directory', json_decode( $engine->prepare( '{}' ), true ) );
		}
	}

	public function test_a_guest_trap_is_reported_without_guest_details(): void {
		// The engine never traps on purpose, so feed the classifier wasmtime's text for a panic.
		$text   = "error while executing at wasm backtrace:\n    0:  0x1234 - engine!core::panicking::panic_fmt\n    1:  0x5678 - engine!aipuffer_engine::advance_fuel_meter\n\nCaused by:\n    wasm trap: wasm `unreachable` instruction executed";
		$method = new \ReflectionMethod( Engine::class, 'call_error' );
		$method->setAccessible( true );
		$error = $method->invoke( null, 'advance', $text );
		$this->assertSame( Engine_Error::KIND_TRAP, $error->kind, 'a guest function name containing "fuel" must not make it a fuel error' );
		$this->assertSame( 'The AI Puffer engine stopped unexpectedly (trap).', $error->getMessage() );
		$this->assertStringContainsString( 'unreachable', $error->diagnostic );
	}

	public function test_missing_component_is_a_load_error_every_time(): void {
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, '/nonexistent/engine.wasm', self::$shared_cache );
		for ( $i = 0; $i < 2; $i++ ) {
			try {
				$engine->advance( '{}' );
				$this->fail( 'a missing component loaded' );
			} catch ( Engine_Error $e ) {
				$this->assertSame( Engine_Error::KIND_LOAD, $e->kind );
				$this->assertStringNotContainsString( '/nonexistent', $e->getMessage() );
				$this->assertStringContainsString( '/nonexistent/engine.wasm', $e->diagnostic );
			}
		}
		$this->assertSame( 'failed', $engine->cache_status() );
	}

	public function test_missing_library_is_a_load_error(): void {
		$engine = new Engine( '/nonexistent/libwasmtime.so', AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache );
		try {
			$engine->version();
			$this->fail( 'a missing library loaded' );
		} catch ( Engine_Error $e ) {
			$this->assertSame( Engine_Error::KIND_LOAD, $e->kind );
			$this->assertStringContainsString( 'wasmtime library not found at /nonexistent/libwasmtime.so', $e->diagnostic );
		}
	}

	public function test_a_component_that_is_not_wasm_is_a_load_error(): void {
		$folder = self::temporary_folder();
		file_put_contents( $folder . '/engine.wasm', 'not wasm' );
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, $folder . '/engine.wasm', $folder );
		try {
			$engine->version();
			$this->fail( 'garbage compiled' );
		} catch ( Engine_Error $e ) {
			$this->assertSame( Engine_Error::KIND_LOAD, $e->kind );
		}
	}

	public function test_fuel_must_be_positive(): void {
		$this->expectException( \InvalidArgumentException::class );
		new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, 0 );
	}

	public function test_500_calls_do_not_leak(): void {
		$engine = $this->engine();
		$input  = $this->step_input();
		for ( $i = 0; $i < 50; $i++ ) {
			$engine->advance( $input );
		}
		$php_before  = memory_get_usage();
		$heap_before = self::native_heap_bytes();
		for ( $i = 0; $i < 500; $i++ ) {
			$step = $engine->advance( $input );
		}
		$this->assertSame( 'http', json_decode( $step, true )['step'] );
		$this->assertLessThan( 16 * 1024, memory_get_usage() - $php_before, 'PHP memory grew: a CData or buffer is kept per call' );
		// ≈0.5 KB out per call: an unfreed result string would add ≈250 KB.
		$this->assertLessThan( 64 * 1024, self::native_heap_bytes() - $heap_before, 'the C heap grew: a wasmtime value or error is not freed per call' );
	}

	public function test_engines_created_and_dropped_per_request_do_not_leak(): void {
		$input = $this->step_input();
		for ( $i = 0; $i < 100; $i++ ) {
			( $this->engine() )->advance( $input );
		}
		$php_before  = memory_get_usage();
		$heap_before = self::native_heap_bytes();
		for ( $i = 0; $i < 500; $i++ ) {
			( $this->engine() )->advance( $input );
		}
		$this->assertLessThan( 16 * 1024, memory_get_usage() - $php_before );
		// Measured: ≤ 10 KB of allocator noise; forgetting the three export indices adds ≈50 KB,
		// forgetting the store ≈25 MB.
		$this->assertLessThan( 25 * 1024, self::native_heap_bytes() - $heap_before, 'an Engine does not free all it allocates' );
	}

	public function test_failed_calls_do_not_leak(): void {
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache, 5000 );
		$fail   = static function () use ( $engine ): void {
			try {
				$engine->prepare( '{}' );
			} catch ( Engine_Error $e ) {
				return;
			}
			self::fail( 'prepare() finished with 5000 fuel' );
		};
		for ( $i = 0; $i < 20; $i++ ) {
			$fail();
		}
		$heap_before = self::native_heap_bytes();
		for ( $i = 0; $i < 200; $i++ ) {
			$fail();
		}
		// An unfreed wasmtime_error_t (with its backtrace) is ≈1.7 KB.
		$this->assertLessThan( 32 * 1024, self::native_heap_bytes() - $heap_before, 'a wasmtime error or store is not freed after a trap' );
	}

	private function engine(): Engine {
		return new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, self::$shared_cache );
	}

	/**
	 * A real first step (one HTTP request planned) from a conformance vector, when available.
	 */
	private function step_input(): string {
		$vector = dirname( __DIR__, 3 ) . '/tests/vectors/openai-responses-text.json';
		if ( is_file( $vector ) ) {
			$case     = json_decode( (string) file_get_contents( $vector ), false );
			$prepared = json_decode( $this->engine()->prepare( (string) json_encode( $case->stored ) ), false );
			$start    = $case->start;
			$start->site = $prepared->site;
			return (string) json_encode( $start, JSON_PRESERVE_ZERO_FRACTION );
		}
		$this->fail( "conformance vector missing: {$vector}" );
	}

	private function cache_file( string $cache ): string {
		$engine = new Engine( AIPUFFER_TEST_WASMTIME_LIBRARY, AIPUFFER_TEST_ENGINE_COMPONENT, $cache );
		return $engine->cache_file();
	}

	/** @return string[] */
	private function files_in( string $folder ): array {
		return array_values( array_diff( (array) scandir( $folder ), array( '.', '..' ) ) );
	}

	private static function temporary_folder(): string {
		$folder = sys_get_temp_dir() . '/aipuffer-engine-test-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		mkdir( $folder, 0755, true );
		self::$folders[] = $folder;
		return $folder;
	}

	private static function remove( string $path ): void {
		if ( is_dir( $path ) && ! is_link( $path ) ) {
			chmod( $path, 0755 );
			foreach ( array_diff( (array) scandir( $path ), array( '.', '..' ) ) as $entry ) {
				self::remove( $path . '/' . $entry );
			}
			rmdir( $path );
		} elseif ( file_exists( $path ) || is_link( $path ) ) {
			unlink( $path );
		}
	}

	/**
	 * Bytes in use on the C heap (glibc's mallinfo2(), all arenas), where wasmtime allocates the
	 * values it hands back. RSS is useless here: a compile earlier in the process leaves freed
	 * but resident heap that small leaks silently reuse.
	 */
	private static function native_heap_bytes(): int {
		static $libc = null;
		if ( null === $libc ) {
			try {
				$libc = \FFI::cdef( 'struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost; }; struct mallinfo2 mallinfo2(void);', 'libc.so.6' );
			} catch ( \FFI\Exception $e ) {
				self::fail( 'glibc mallinfo2() is needed to measure native leaks: ' . $e->getMessage() );
			}
		}
		$info = $libc->mallinfo2();
		return $info->uordblks + $info->hblkhd;
	}
}
