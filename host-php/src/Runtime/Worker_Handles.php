<?php
/**
 * Keeps the wasmtime engine, compiled component, linker and export indices alive for the whole
 * life of a PHP worker process, instead of rebuilding them on every request.
 *
 * Why: rebuilding them (engine, mapping the compiled component, linker) was most of the gateway's
 * per-request cost under php-fpm (0.5–0.9 ms measured), while instantiating a fresh store from
 * them takes ≈0.02 ms. PHP frees every object at the end of a request, but native memory that
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

	private static function read(): ?string {
		$value = self::libc()->getenv( self::ENV );
		if ( null === $value ) {
			return null;
		}
		$text = \FFI::string( $value );
		return '' === $text ? null : $text;
	}

	private static function write( string $value ): void {
		self::libc()->setenv( self::ENV, $value, 1 );
	}

	private static function libc(): \FFI {
		if ( null === self::$libc ) {
			// No library named: the symbols resolve in the process, where libc always is.
			self::$libc = \FFI::cdef( 'char *getenv(const char *name); int setenv(const char *name, const char *value, int overwrite);' );
		}
		return self::$libc;
	}
}
