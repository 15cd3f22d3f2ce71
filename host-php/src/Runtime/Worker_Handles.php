<?php
/**
 * Keeps the wasmtime engine, compiled component, linker and export indices alive for the whole
 * life of a PHP worker process, instead of rebuilding them on every request — and one store with
 * its instance of the engine, for one Engine at a time.
 *
 * Why: rebuilding them (engine, mapping the compiled component, linker) was most of the gateway's
 * per-request cost under php-fpm (0.5–0.9 ms measured). A fresh store and instance on top, with
 * the first touch of its memory and its deletion, still cost a request ≈0.12–0.16 ms of the
 * engine's ≈0.6–0.8 ms (measured side by side in php-fpm, bench/http/engine-work.mjs).
 * PHP frees every object at the end of a request, but native memory that
 * wasmtime allocated survives; only its address has to be remembered. It is kept in the process
 * environment through libc's setenv() (PHP's own putenv() is undone after each request).
 *
 * Only safe when the wasmtime library itself stays loaded for the life of the process, i.e. when
 * its declarations were preloaded (`ffi.preload`, scope Wasmtime_Library::SCOPE). A library
 * loaded with FFI::cdef() is unloaded when the request ends, and with it any code the addresses
 * point into; Engine therefore asks Wasmtime_Library::is_resident() first.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Runtime;

final class Worker_Handles {

	private const ENV = 'AIPUFFER_WASMTIME_HANDLES';

	/** The C types of the kept handles, in the order they are stored. */
	private const TYPES = array(
		'engine'    => 'wasm_engine_t*',
		'component' => 'wasmtime_component_t*',
		'linker'    => 'wasmtime_component_linker_t*',
	);

	private const INDEX_TYPE = 'wasmtime_component_export_index_t*';

	/** Where the kept store and its instance are remembered: `key pid store store_id private`. */
	private const STORE_ENV = 'AIPUFFER_WASMTIME_STORE';

	/** @var bool Whether an Engine of this request holds the kept store (statics end with the request). */
	private static bool $store_taken = false;

	/** @var \FFI|null libc's getenv/setenv. */
	private static ?\FFI $libc = null;

	/**
	 * The handles kept by this process for `$key`, or null. Handles kept for another key (a new
	 * engine build was deployed) are freed.
	 *
	 * @param \FFI     $ffi     The resident wasmtime binding.
	 * @param string   $key     Identity of the component and settings (the cache file name).
	 * @param string[] $exports Export names, in the order put() stored their indices.
	 * @return array{engine: \FFI\CData, component: \FFI\CData, linker: \FFI\CData, indices: array<string, \FFI\CData>}|null
	 */
	public static function get( \FFI $ffi, string $key, array $exports ): ?array {
		$stored = self::read();
		if ( null === $stored ) {
			return null;
		}
		$parts = explode( ' ', $stored );
		if ( count( $parts ) !== 2 + count( self::TYPES ) + count( $exports ) || (int) $parts[1] !== getmypid() ) {
			return null; // Not ours (written by a parent process) or not in this version's format.
		}
		$handles = self::from_addresses( $ffi, array_slice( $parts, 2 ), $exports );
		if ( $parts[0] !== $key ) {
			self::drop_store( $ffi ); // It belongs to the engine about to be freed.
			self::free( $ffi, $handles );
			self::write( '' );
			return null;
		}
		return $handles;
	}

	/**
	 * Remembers the handles for the rest of this process's life.
	 *
	 * @param array{engine: \FFI\CData, component: \FFI\CData, linker: \FFI\CData, indices: array<string, \FFI\CData>} $handles
	 */
	public static function put( string $key, array $handles ): void {
		$addresses = array( $key, (string) getmypid() );
		foreach ( array_keys( self::TYPES ) as $name ) {
			$addresses[] = (string) self::address( $handles[ $name ] );
		}
		foreach ( $handles['indices'] as $index ) {
			$addresses[] = (string) self::address( $index );
		}
		self::write( implode( ' ', $addresses ) );
	}

	/**
	 * The store (and its engine instance) this worker kept for `$key`, for one Engine at a time.
	 * Null when none is kept, when another Engine of this request holds it, or when it was kept
	 * for another key (it is then deleted).
	 *
	 * Why keep it: instantiating the component, the first touch of its fresh memory and deleting
	 * it again cost a request more than the engine's own work in its first step. The engine is
	 * stateless between calls (every call gets its input and answers its output), so a later
	 * request finds nothing of an earlier one but freed memory the engine never reads.
	 *
	 * @return array{store: \FFI\CData, instance: \FFI\CData}|null
	 */
	public static function take_store( \FFI $ffi, string $key ): ?array {
		$stored = self::$store_taken ? null : self::read( self::STORE_ENV );
		if ( null === $stored ) {
			return null;
		}
		$parts = explode( ' ', $stored );
		if ( 5 !== count( $parts ) || (int) $parts[1] !== getmypid() ) {
			return null; // Not ours (written by a parent process) or not in this version's format.
		}
		if ( $parts[0] !== $key ) {
			self::drop_store( $ffi );
			return null;
		}
		$instance            = $ffi->new( 'wasmtime_component_instance_t' );
		$instance->store_id  = (int) $parts[3];
		$instance->__private = (int) $parts[4];
		self::$store_taken   = true;
		return array(
			'store'    => self::pointer( $ffi, 'wasmtime_store_t*', (int) $parts[2] ),
			'instance' => $instance,
		);
	}

	/** Whether a new store may be kept: none is kept now (one per worker is enough). */
	public static function can_keep_store(): bool {
		return ! self::$store_taken && null === self::read( self::STORE_ENV );
	}

	/**
	 * Keeps a store and its instance for the worker's next requests; the calling Engine holds it.
	 *
	 * @param \FFI\CData $store    wasmtime_store_t*.
	 * @param \FFI\CData $instance wasmtime_component_instance_t.
	 */
	public static function keep_store( string $key, $store, $instance ): void {
		self::write( implode( ' ', array( $key, (string) getmypid(), (string) self::address( $store ), (string) $instance->store_id, (string) $instance->__private ) ), self::STORE_ENV );
		self::$store_taken = true;
	}

	/** The Engine holding the kept store is done with it for this request. */
	public static function give_back_store(): void {
		self::$store_taken = false;
	}

	/** The kept store was deleted by the Engine holding it (after a failure or a large call). */
	public static function forget_store(): void {
		self::write( '', self::STORE_ENV );
		self::$store_taken = false;
	}

	/** Deletes the kept store, if this process kept one. */
	private static function drop_store( \FFI $ffi ): void {
		$parts = explode( ' ', (string) self::read( self::STORE_ENV ) );
		if ( 5 === count( $parts ) && (int) $parts[1] === getmypid() ) {
			$ffi->wasmtime_store_delete( self::pointer( $ffi, 'wasmtime_store_t*', (int) $parts[2] ) );
		}
		self::forget_store();
	}

	/**
	 * Frees kept handles (their owner is gone or they are stale).
	 *
	 * @param array{engine: \FFI\CData, component: \FFI\CData, linker: \FFI\CData, indices: array<string, \FFI\CData>} $handles
	 */
	private static function free( \FFI $ffi, array $handles ): void {
		foreach ( $handles['indices'] as $index ) {
			$ffi->wasmtime_component_export_index_delete( $index );
		}
		$ffi->wasmtime_component_linker_delete( $handles['linker'] );
		$ffi->wasmtime_component_delete( $handles['component'] );
		$ffi->wasm_engine_delete( $handles['engine'] );
	}

	/**
	 * @param string[] $addresses Decimal addresses: the TYPES in order, then one per export.
	 * @param string[] $exports
	 * @return array{engine: \FFI\CData, component: \FFI\CData, linker: \FFI\CData, indices: array<string, \FFI\CData>}
	 */
	private static function from_addresses( \FFI $ffi, array $addresses, array $exports ): array {
		$handles = array();
		foreach ( array_keys( self::TYPES ) as $i => $name ) {
			$handles[ $name ] = self::pointer( $ffi, self::TYPES[ $name ], (int) $addresses[ $i ] );
		}
		$handles['indices'] = array();
		foreach ( $exports as $i => $name ) {
			$handles['indices'][ $name ] = self::pointer( $ffi, self::INDEX_TYPE, (int) $addresses[ count( self::TYPES ) + $i ] );
		}
		return $handles;
	}

	/**
	 * The value of a pointer as an integer. (FFI::cast('uintptr_t', $pointer) would give the
	 * address of PHP's copy of the pointer, not the pointer itself.)
	 *
	 * @param \FFI\CData $pointer Any C pointer.
	 */
	private static function address( $pointer ): int {
		$slot    = \FFI::new( 'void*[1]' );
		$slot[0] = $pointer;
		return \FFI::cast( 'uintptr_t*', \FFI::addr( $slot[0] ) )[0];
	}

	/**
	 * A typed C pointer holding `$address`, in storage of its own. (FFI::cast() only re-types
	 * existing memory: a cast of a local buffer dangles once the buffer is freed.)
	 */
	private static function pointer( \FFI $ffi, string $type, int $address ): \FFI\CData {
		$holder       = $ffi->new( $type );
		$value        = \FFI::new( 'uintptr_t' );
		$value->cdata = $address;
		\FFI::memcpy( \FFI::addr( $holder ), \FFI::addr( $value ), \FFI::sizeof( $value ) );
		return $holder;
	}

	private static function read( string $name = self::ENV ): ?string {
		$value = self::libc()->getenv( $name );
		if ( null === $value ) {
			return null;
		}
		$text = \FFI::string( $value );
		return '' === $text ? null : $text;
	}

	private static function write( string $value, string $name = self::ENV ): void {
		self::libc()->setenv( $name, $value, 1 );
	}

	private static function libc(): \FFI {
		if ( null === self::$libc ) {
			// No library named: the symbols resolve in the process, where libc always is.
			self::$libc = \FFI::cdef( 'char *getenv(const char *name); int setenv(const char *name, const char *value, int overwrite);' );
		}
		return self::$libc;
	}
}
