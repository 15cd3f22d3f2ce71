<?php
/**
 * The AI Puffer engine (a WebAssembly component) run in-process through wasmtime.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Runtime;

/**
 * Calls the engine component's exports — `advance`, `prepare`, `manifest`, `version`, JSON text
 * in and out — through wasmtime's C API and PHP FFI.
 *
 * Everything is set up lazily on the first call, so constructing an Engine on every request
 * costs nothing until the engine is needed:
 *
 * - the wasmtime engine is created with fuel metering on, so a runaway guest is stopped by a
 *   budget instead of by PHP (max_execution_time does not interrupt native code: the worker is
 *   killed and the visitor gets a 502);
 * - the component is loaded from a compiled-code cache file (≈0.07 ms), or compiled (0.25–0.5 s
 *   for the 330 KB engine on two cores) and written to that cache;
 * - a store and an instance are made (or, in a php-fpm worker with the declarations preloaded,
 *   the ones the worker kept from its last request are taken: Worker_Handles), and the exported
 *   functions are looked up once.
 *
 * Every call gets the full fuel budget again. After a trap the store refuses to be entered again,
 * so any failed call throws the store and instance away; the next call builds new ones from the
 * compiled component, which is kept.
 *
 * Does not call WordPress: the paths come from the caller, so benchmarks and tests run it from
 * plain CLI PHP.
 */
final class Engine {

	/**
	 * Fuel per call. Measured: a real first step costs ≈120 fuel per input byte and the guest
	 * burns 4–7 billion fuel per second, so this admits tens of MB of JSON yet stops an infinite
	 * loop after about a second, well inside PHP's max_execution_time.
	 */
	public const DEFAULT_FUEL = 5_000_000_000;

	/**
	 * The most linear memory a store may grow to by default. The engine needs a few times the
	 * size of its input (provider bodies are capped per request by the engine itself); a guest
	 * asking for more traps instead of taking the worker's memory.
	 */
	public const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

	/** The exported functions, looked up once per instance. */
	private const EXPORTS = array( 'advance', 'prepare', 'manifest', 'version' );

	/**
	 * A call whose input and output together pass this many bytes leaves the kept store behind:
	 * guest memory only grows, and a worker should not hold a large request's high-water mark.
	 */
	private const KEEP_STORE_LIMIT = 1024 * 1024;

	/** WASMTIME_COMPONENT_STRING in wasmtime.h (checked by LayoutTest); a constant saves a lookup per call. */
	private const STRING_KIND = 12;

	/** @var string Absolute path of libwasmtime.so. */
	private string $library_path;

	/** @var string Absolute path of the engine component (engine.wasm). */
	private string $component_path;

	/** @var string Folder for compiled components; created if missing. */
	private string $cache_dir;

	/** @var int Fuel given to the guest before each call. */
	private int $fuel;

	/** @var int Bytes of linear memory a store may grow to. */
	private int $memory_limit;

	/** @var \FFI|null The wasmtime binding, set once loaded. */
	private ?\FFI $ffi = null;

	/** @var \FFI\CData|null wasm_engine_t*. */
	private $engine = null;

	/** @var \FFI\CData|null wasmtime_component_t*. */
	private $component = null;

	/** @var \FFI\CData|null wasmtime_component_linker_t*. */
	private $linker = null;

	/**
	 * Component-level export indices (wasmtime_component_export_index_t*): they need no store,
	 * so they live as long as the component.
	 *
	 * @var array<string, \FFI\CData>
	 */
	private array $export_indices = array();

	/** @var \FFI\CData|null wasmtime_store_t*, null until a call needs one or after a failure. */
	private $store = null;

	/** @var \FFI\CData|null wasmtime_context_t* of $store. */
	private $context = null;

	/** @var \FFI\CData|null wasmtime_component_instance_t. */
	private $instance = null;

	/**
	 * The exported functions of the current instance (wasmtime_component_func_t by name).
	 *
	 * @var array<string, \FFI\CData>
	 */
	private array $funcs = array();

	/** @var bool Whether engine, component, linker and indices are kept for the worker's life (Worker_Handles). */
	private bool $resident = false;

	/** @var bool Whether $store is the one the worker keeps between requests (Worker_Handles::take_store()). */
	private bool $kept_store = false;

	/** @var string See instance_status(). */
	private string $instance_status = 'none';

	/** @var string|null The cache file name, once the component's content was hashed. */
	private ?string $cache_file = null;

	/** @var string See cache_status(). */
	private string $cache_status = 'not loaded';

	/**
	 * A load failure is remembered so that a broken setup does not recompile or re-read files on
	 * every call of the same request.
	 *
	 * @var Engine_Error|null
	 */
	private ?Engine_Error $load_error = null;

	/**
	 * @param string $library_path   Absolute path of wasmtime's shared library (version Wasmtime_Library::VERSION).
	 * @param string $component_path Absolute path of the engine component.
	 * @param string $cache_dir      Folder for the compiled component (native code: keep it out of
	 *                               upload folders, writable only by the site's PHP user).
	 * @param int    $fuel           Fuel budget per call (see DEFAULT_FUEL).
	 * @param int    $memory_limit   Bytes of guest memory per store (see DEFAULT_MEMORY_LIMIT).
	 */
	public function __construct( string $library_path, string $component_path, string $cache_dir, int $fuel = self::DEFAULT_FUEL, int $memory_limit = self::DEFAULT_MEMORY_LIMIT ) {
		if ( $fuel < 1 || $memory_limit < 1 ) {
			throw new \InvalidArgumentException( 'The fuel budget and the memory limit must be positive.' );
		}
		$this->memory_limit = $memory_limit;
		$this->library_path   = $library_path;
		$this->component_path = $component_path;
		$this->cache_dir      = rtrim( $cache_dir, '/' );
		$this->fuel           = $fuel;
	}

	/**
	 * Advances one task by one step (see wit/engine.wit).
	 *
	 * @param string $json The step input as JSON text.
	 * @return string The step as JSON text.
	 * @throws Engine_Error When the engine cannot be loaded, the input is not UTF-8, or the guest traps.
	 */
	public function advance( string $json ): string {
		return $this->call( 'advance', $json );
	}

	/**
	 * The site snapshot and the AI Client directory for what the host read (see wit/engine.wit).
	 *
	 * @param string $json The stored site as JSON text.
	 * @return string JSON text.
	 * @throws Engine_Error When the engine cannot be loaded, the input is not UTF-8, or the guest traps.
	 */
	public function prepare( string $json ): string {
		return $this->call( 'prepare', $json );
	}

	/**
	 * What the host must read for prepare(), and every sentence the engine can say.
	 *
	 * @return string JSON text.
	 * @throws Engine_Error When the engine cannot be loaded or the guest traps.
	 */
	public function manifest(): string {
		return $this->call( 'manifest', null );
	}

	/**
	 * The engine's version.
	 *
	 * @return string
	 * @throws Engine_Error When the engine cannot be loaded or the guest traps.
	 */
	public function version(): string {
		return $this->call( 'version', null );
	}

	/**
	 * Where the compiled component came from, for an admin notice.
	 *
	 * @return string 'not loaded' before the first call; 'hit' (loaded from the cache file),
	 *                'written' (compiled and cached, e.g. first run, new component, or a stale or
	 *                corrupt cache file replaced), or 'unwritable: <reason>' (compiled in memory:
	 *                every request pays the compilation until the folder is fixed);
	 *                'resident' (kept from an earlier request of this worker process);
	 *                'failed' when loading failed.
	 */
	public function cache_status(): string {
		return $this->cache_status;
	}

	/**
	 * How the current instance came about: 'kept' (the store and instance this worker kept from
	 * an earlier request), 'new' (instantiated for this Engine), or 'none' (no call yet, or the
	 * last one failed or was large and its store was deleted).
	 */
	public function instance_status(): string {
		return null === $this->store ? 'none' : $this->instance_status;
	}

	/**
	 * The component file's identity (path, size, modification time, inode), or '' when it is
	 * missing: cheap (one stat), and any deploy of a new engine changes it. Keys what a worker
	 * keeps between requests and what callers cache per engine build.
	 *
	 * @return string
	 */
	public function identity(): string {
		clearstatcache( true, $this->component_path );
		$stat = @stat( $this->component_path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- a missing file is reported by the caller.
		if ( false === $stat ) {
			return '';
		}
		return hash( 'xxh128', $this->component_path . '|' . $stat['size'] . '|' . $stat['mtime'] . '|' . $stat['ino'] );
	}

	/**
	 * The file the compiled component is cached in, or '' when the component file is missing.
	 *
	 * Keyed by a hash of the component's content (xxh128, ≈0.1 ms for the 0.5 MB engine, paid
	 * only when a worker loads the engine, never while it keeps it), the wasmtime version and the
	 * fuel setting, so compiled code can never belong to another build.
	 *
	 * @return string
	 */
	public function cache_file(): string {
		if ( null === $this->cache_file ) {
			$hash = @hash_file( 'xxh128', $this->component_path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- a missing file is reported by the caller.
			if ( false === $hash ) {
				return '';
			}
			$this->cache_file = $this->cache_dir . '/engine-' . $hash . '-' . Wasmtime_Library::VERSION . '-fuel.cwasm';
		}
		return $this->cache_file;
	}

	/**
	 * Frees every wasmtime object, store first (it refers to the engine).
	 */
	public function __destruct() {
		$this->free_native();
	}

	/**
	 * Deletes every native object this Engine holds; safe to call twice.
	 */
	private function free_native(): void {
		$this->discard_instance( true );
		if ( $this->resident ) {
			// Kept for the worker's next requests; only this object's references go.
			$this->export_indices = array();
			$this->linker         = null;
			$this->component      = null;
			$this->engine         = null;
			return;
		}
		if ( null === $this->ffi ) {
			return;
		}
		foreach ( $this->export_indices as $index ) {
			$this->ffi->wasmtime_component_export_index_delete( $index );
		}
		$this->export_indices = array();
		if ( null !== $this->linker ) {
			$this->ffi->wasmtime_component_linker_delete( $this->linker );
			$this->linker = null;
		}
		if ( null !== $this->component ) {
			$this->ffi->wasmtime_component_delete( $this->component );
			$this->component = null;
		}
		if ( null !== $this->engine ) {
			$this->ffi->wasm_engine_delete( $this->engine );
			$this->engine = null;
		}
	}

	/**
	 * A copy would share the native handles and free them twice.
	 */
	private function __clone() {
	}

	/**
	 * Calls one export with one string argument (or none) and returns its string result.
	 *
	 * @param string      $name  Export name.
	 * @param string|null $input The argument, or null for a function without parameters.
	 * @return string
	 * @throws Engine_Error See the public methods.
	 */
	private function call( string $name, ?string $input ): string {
		// wasmtime converts the argument with String::from_utf8(…).unwrap(): invalid UTF-8 is a
		// Rust panic inside the C API, which aborts the whole PHP process (exit 134).
		if ( null !== $input && 1 !== preg_match( '//u', $input ) ) {
			throw new Engine_Error( Engine_Error::KIND_INPUT, 'The AI Puffer engine was given text that is not valid UTF-8.', "{$name}(): input of " . strlen( $input ) . ' bytes is not valid UTF-8' );
		}
		$this->load();
		$this->instantiate();
		$ffi = $this->ffi;
		$this->set_fuel();

		$args   = null;
		$count  = 0;
		$buffer = null;
		if ( null !== $input ) {
			$length = strlen( $input );
			$args   = $ffi->new( 'wasmtime_component_val_t[1]' );

			$args[0]->kind             = self::STRING_KIND;
			$args[0]->of->string->size = $length;
			if ( $length > 0 ) {
				// wasmtime copies the argument into guest memory; $buffer only has to outlive the call.
				$buffer = $ffi->new( "char[{$length}]" );
				\FFI::memcpy( $buffer, $input, $length );
				$args[0]->of->string->data = $ffi->cast( 'char*', \FFI::addr( $buffer ) );
			}
			$count = 1;
		}
		// Must be zeroed (FFI::new does): wasmtime drops whatever value the slot holds first.
		$results = $ffi->new( 'wasmtime_component_val_t[1]' );

		$error = $ffi->wasmtime_component_func_call( \FFI::addr( $this->funcs[ $name ] ), $this->context, $args, $count, $results, 1 );
		if ( null !== $error ) {
			$text = $this->take_error( $error );
			$this->discard_instance();
			throw self::call_error( $name, $text, strlen( (string) $input ), $this->memory_limit );
		}

		$kind   = $results[0]->kind;
		$output = '';
		if ( self::STRING_KIND === $kind && $results[0]->of->string->size > 0 ) {
			$output = \FFI::string( $results[0]->of->string->data, $results[0]->of->string->size );
		}
		$ffi->wasmtime_component_val_delete( \FFI::addr( $results[0] ) );
		if ( self::STRING_KIND !== $kind ) {
			$this->discard_instance();
			throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine component does not match this plugin.', "{$name}() returned a value of kind {$kind}, not a string" );
		}

		// A no-op in wasmtime 50, but the canonical ABI requires it before the next call.
		$error = $ffi->wasmtime_component_func_post_return( \FFI::addr( $this->funcs[ $name ] ), $this->context );
		if ( null !== $error ) {
			$text = $this->take_error( $error );
			$this->discard_instance();
			throw self::call_error( $name, $text );
		}
		if ( $this->kept_store && strlen( (string) $input ) + strlen( $output ) > self::KEEP_STORE_LIMIT ) {
			$this->discard_instance();
		}
		return $output;
	}

	/**
	 * Creates the wasmtime engine, the compiled component, the linker and the export indices.
	 *
	 * @throws Engine_Error With kind 'load'.
	 */
	private function load(): void {
		if ( null !== $this->load_error ) {
			throw $this->load_error;
		}
		if ( null !== $this->component ) {
			return;
		}
		try {
			$this->load_component();
		} catch ( Engine_Error $e ) {
			$this->load_error   = $e;
			$this->cache_status = 'failed';
			$this->free_native();
			throw $e;
		}
	}

	/**
	 * The body of load(), which remembers and cleans up after its failures.
	 *
	 * @throws Engine_Error With kind 'load'.
	 */
	private function load_component(): void {
		try {
			$ffi = Wasmtime_Library::ffi( $this->library_path );
		} catch ( \Throwable $e ) {
			$problems = Wasmtime_Library::problems( $this->library_path );
			throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be loaded: the wasmtime runtime is not available.', $problems ? implode( "\n", $problems ) : $e->getMessage(), $e );
		}
		$this->ffi = $ffi;

		$key = $this->identity();
		if ( '' === $key || ! is_readable( $this->component_path ) ) {
			throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be loaded: its component file is missing or unreadable.', "cannot read the engine component at {$this->component_path}" );
		}

		$resident = Wasmtime_Library::is_resident( $this->library_path );
		if ( $resident ) {
			$kept = Worker_Handles::get( $ffi, $key, self::EXPORTS );
			if ( null !== $kept ) {
				$this->engine         = $kept['engine'];
				$this->component      = $kept['component'];
				$this->linker         = $kept['linker'];
				$this->export_indices = $kept['indices'];
				$this->resident       = true;
				$this->cache_status   = 'resident';
				return;
			}
		}

		$config = $ffi->wasm_config_new();
		$ffi->wasmtime_config_consume_fuel_set( $config, true );
		$this->engine = $ffi->wasm_engine_new_with_config( $config ); // Takes ownership of $config.

		$cache_file = $this->cache_file();
		if ( '' === $cache_file ) {
			throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be loaded: its component file is missing or unreadable.', "cannot read the engine component at {$this->component_path}" );
		}

		$unwritable = $this->prepare_cache_dir();
		if ( is_file( $cache_file ) ) {
			$component = $ffi->new( 'wasmtime_component_t*' );
			$error     = $ffi->wasmtime_component_deserialize_file( $this->engine, $cache_file, \FFI::addr( $component ) );
			if ( null === $error ) {
				$this->component    = $component;
				$this->cache_status = 'hit';
			} else {
				// Truncated or corrupt file, or compiled with other settings ('Module was
				// compiled without fuel support'): recompile below and overwrite it.
				$this->take_error( $error );
			}
		}

		if ( null === $this->component ) {
			$bytes = (string) file_get_contents( $this->component_path );
			if ( '' === $bytes ) {
				throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be loaded: its component file is missing or unreadable.', "cannot read the engine component at {$this->component_path}" );
			}
			$component = $ffi->new( 'wasmtime_component_t*' );
			$error     = $ffi->wasmtime_component_new( $this->engine, $bytes, strlen( $bytes ), \FFI::addr( $component ) );
			if ( null !== $error ) {
				$text = $this->take_error( $error );
				throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be loaded: its component file is not a valid engine.', "compiling {$this->component_path}: {$text}" );
			}
			$this->component = $component;
			if ( null === $unwritable ) {
				$unwritable = $this->write_cache( $cache_file );
			}
			$this->cache_status = null === $unwritable ? 'written' : 'unwritable: ' . $unwritable;
		}

		$this->linker = $ffi->wasmtime_component_linker_new( $this->engine );
		foreach ( self::EXPORTS as $name ) {
			$index = $ffi->wasmtime_component_get_export_index( $this->component, null, $name, strlen( $name ) );
			if ( null === $index ) {
				throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine component does not match this plugin.', "the component at {$this->component_path} does not export {$name}" );
			}
			$this->export_indices[ $name ] = $index;
		}
		if ( $resident ) {
			Worker_Handles::put(
				$key,
				array(
					'engine'    => $this->engine,
					'component' => $this->component,
					'linker'    => $this->linker,
					'indices'   => $this->export_indices,
				)
			);
			$this->resident = true;
		}
	}

	/**
	 * Makes sure the cache folder exists and is writable.
	 *
	 * @return string|null Null when usable, else why not.
	 */
	private function prepare_cache_dir(): ?string {
		if ( '' === $this->cache_dir ) {
			return 'no cache folder configured';
		}
		if ( ! is_dir( $this->cache_dir ) ) {
			error_clear_last();
			if ( ! @mkdir( $this->cache_dir, 0755, true ) && ! is_dir( $this->cache_dir ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors -- the reason is reported via cache_status().
				return "cannot create {$this->cache_dir}" . self::last_php_error();
			}
		}
		if ( ! is_writable( $this->cache_dir ) ) {
			return "{$this->cache_dir} is not writable by the PHP user";
		}
		return null;
	}

	/**
	 * Serializes the compiled component into the cache: a temporary file, then a rename, so a
	 * concurrent request never maps a half-written file (wasmtime mmaps it).
	 *
	 * @param string $cache_file Destination.
	 * @return string|null Null on success, else why not.
	 */
	private function write_cache( string $cache_file ): ?string {
		$ffi   = $this->ffi;
		$bytes = $ffi->new( 'wasm_byte_vec_t' );
		$error = $ffi->wasmtime_component_serialize( $this->component, \FFI::addr( $bytes ) );
		if ( null !== $error ) {
			return 'serializing failed: ' . $this->take_error( $error );
		}
		$data = \FFI::string( $bytes->data, $bytes->size );
		$ffi->wasm_byte_vec_delete( \FFI::addr( $bytes ) );

		$temporary = $cache_file . '.' . getmypid() . '.' . uniqid( '', true ) . '.tmp';
		error_clear_last();
		// phpcs:disable WordPress.PHP.NoSilencedErrors -- failures are reported via cache_status().
		if ( strlen( $data ) !== @file_put_contents( $temporary, $data ) ) {
			$reason = "cannot write {$temporary}" . self::last_php_error();
			@unlink( $temporary );
			return $reason;
		}
		@chmod( $temporary, 0644 );
		if ( ! @rename( $temporary, $cache_file ) ) {
			$reason = "cannot rename into {$cache_file}" . self::last_php_error();
			@unlink( $temporary );
			return $reason;
		}
		// phpcs:enable
		return null;
	}

	/**
	 * Makes a store with fuel, instantiates the component and looks up the exports.
	 *
	 * @throws Engine_Error When instantiation fails (kinds 'fuel', 'trap' or 'load').
	 */
	private function instantiate(): void {
		if ( null !== $this->store ) {
			return;
		}
		$ffi = $this->ffi;
		if ( $this->resident ) {
			$kept = Worker_Handles::take_store( $ffi, $this->store_key() );
			if ( null !== $kept ) {
				$this->store           = $kept['store'];
				$this->context         = $ffi->wasmtime_store_context( $this->store );
				$this->instance        = $kept['instance'];
				$this->kept_store      = true;
				$this->instance_status = 'kept';
				$this->look_up_funcs();
				return;
			}
		}
		$this->store = $ffi->wasmtime_store_new( $this->engine, null, null );
		// Memory only; -1 keeps wasmtime's defaults for tables and instance counts.
		$ffi->wasmtime_store_limiter( $this->store, $this->memory_limit, -1, -1, -1, -1 );
		$this->context = $ffi->wasmtime_store_context( $this->store );
		$this->set_fuel();

		$instance = $ffi->new( 'wasmtime_component_instance_t' );
		$error    = $ffi->wasmtime_component_linker_instantiate( $this->linker, $this->context, $this->component, \FFI::addr( $instance ) );
		if ( null !== $error ) {
			$text = $this->take_error( $error );
			$this->discard_instance();
			throw self::call_error( 'instantiate', $text );
		}
		$this->instance        = $instance;
		$this->instance_status = 'new';
		if ( $this->resident && Worker_Handles::can_keep_store() ) {
			Worker_Handles::keep_store( $this->store_key(), $this->store, $this->instance );
			$this->kept_store = true;
		}
		$this->look_up_funcs();
	}

	/**
	 * The key a kept store must match: the engine build (its handles' key) and this store's
	 * memory limit, set when the store was made.
	 */
	private function store_key(): string {
		return $this->identity() . '|' . $this->memory_limit;
	}

	/**
	 * Looks up the exported functions of the current instance.
	 *
	 * @throws Engine_Error When the component does not export them as functions.
	 */
	private function look_up_funcs(): void {
		$ffi = $this->ffi;
		foreach ( $this->export_indices as $name => $index ) {
			$func = $ffi->new( 'wasmtime_component_func_t' );
			if ( ! $ffi->wasmtime_component_instance_get_func( \FFI::addr( $this->instance ), $this->context, $index, \FFI::addr( $func ) ) ) {
				$this->discard_instance();
				throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine component does not match this plugin.', "the export {$name} is not a function" );
			}
			$this->funcs[ $name ] = $func;
		}
	}

	/**
	 * Gives the store the full budget: fuel left over from an earlier call must not decide
	 * whether this one finishes.
	 *
	 * @throws Engine_Error With kind 'load' (only if the engine was built without fuel).
	 */
	private function set_fuel(): void {
		$error = $this->ffi->wasmtime_context_set_fuel( $this->context, $this->fuel );
		if ( null !== $error ) {
			$text = $this->take_error( $error );
			$this->discard_instance();
			throw new Engine_Error( Engine_Error::KIND_LOAD, 'The AI Puffer engine could not be started.', "set_fuel: {$text}" );
		}
	}

	/**
	 * Deletes the store, and with it the instance and its functions. The compiled component,
	 * linker and engine stay. The store the worker keeps is only handed back when this Engine
	 * is done with it (`$release`), and deleted and forgotten after a failure or a large call.
	 */
	private function discard_instance( bool $release = false ): void {
		if ( null !== $this->store ) {
			if ( $this->kept_store && $release ) {
				Worker_Handles::give_back_store();
			} else {
				$this->ffi->wasmtime_store_delete( $this->store );
				if ( $this->kept_store ) {
					Worker_Handles::forget_store();
				}
			}
		}
		$this->kept_store = false;
		$this->store    = null;
		$this->context  = null;
		$this->instance = null;
		$this->funcs    = array();
	}

	/**
	 * The text of an owned wasmtime_error_t*, which is freed.
	 *
	 * @param \FFI\CData $error wasmtime_error_t*.
	 * @return string
	 */
	private function take_error( $error ): string {
		$ffi     = $this->ffi;
		$message = $ffi->new( 'wasm_name_t' );
		$ffi->wasmtime_error_message( $error, \FFI::addr( $message ) );
		$text = $message->size > 0 ? \FFI::string( $message->data, $message->size ) : '';
		$ffi->wasm_byte_vec_delete( \FFI::addr( $message ) );
		$ffi->wasmtime_error_delete( $error );
		return $text;
	}

	/**
	 * The user-safe exception for a failed call or instantiation.
	 *
	 * wasmtime's text starts with a wasm backtrace naming guest functions; the cause is in the
	 * `Caused by:` lines after it, so only those are looked at (a guest function's name could
	 * contain any word).
	 *
	 * A guest that cannot grow its memory aborts (`unreachable`) with nothing to say why; the engine
	 * parses its input into a tree beside the text, so a trap on an input of a quarter of the
	 * memory budget or more is the budget.
	 *
	 * @param string $what         What was being done (export name or 'instantiate').
	 * @param string $text         wasmtime's error message.
	 * @param int    $input_bytes  The size of the call's input.
	 * @param int    $memory_limit The guest's memory budget in bytes.
	 * @return Engine_Error
	 */
	private static function call_error( string $what, string $text, int $input_bytes = 0, int $memory_limit = PHP_INT_MAX ): Engine_Error {
		$at     = strpos( $text, 'Caused by:' );
		$causes = false === $at ? $text : substr( $text, $at );
		$raw    = "{$what}: {$text}";
		if ( false !== stripos( $causes, 'all fuel consumed' ) || false !== stripos( $causes, 'out of fuel' ) ) {
			return new Engine_Error( Engine_Error::KIND_FUEL, 'The AI Puffer engine stopped: it ran out of its time budget (fuel).', $raw );
		}
		if ( false !== stripos( $causes, 'unreachable' ) && $input_bytes >= intdiv( $memory_limit, 4 ) ) {
			return new Engine_Error(
				Engine_Error::KIND_MEMORY,
				sprintf( 'The AI Puffer engine stopped: a request or answer of %1$s MB is too large for its memory budget of %2$s MB.', number_format( $input_bytes / 1048576, 1 ), number_format( $memory_limit / 1048576 ) ),
				$raw
			);
		}
		return new Engine_Error( Engine_Error::KIND_TRAP, 'The AI Puffer engine stopped unexpectedly (trap).', $raw );
	}

	/**
	 * The last PHP warning's text, for cache_status() reasons.
	 *
	 * @return string ': <message>' or ''.
	 */
	private static function last_php_error(): string {
		$last = error_get_last();
		return null === $last ? '' : ': ' . $last['message'];
	}
}
