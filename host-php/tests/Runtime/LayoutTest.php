<?php
/**
 * The hand-written wasmtime.h against the layouts gcc measured from wasmtime's own headers.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Tests\Runtime;

use AIPuffer\Connectors\Runtime\Wasmtime_Library;
use PHPUnit\Framework\TestCase;

/**
 * A wrong size or offset would not fail loudly at run time: wasmtime would read the wrong bytes.
 * So every struct in wasmtime-layout.json is checked here.
 */
final class LayoutTest extends TestCase {

	/** @var array{sizes: array<string,int>, offsets: array<string,int>, wasmtime_version: string} */
	private static array $layout;

	private \FFI $ffi;

	public static function setUpBeforeClass(): void {
		$json = file_get_contents( dirname( __DIR__, 2 ) . '/src/Runtime/wasmtime-layout.json' );
		self::$layout = json_decode( (string) $json, true, 512, JSON_THROW_ON_ERROR );
	}

	protected function setUp(): void {
		$this->assertFileExists( AIPUFFER_TEST_WASMTIME_LIBRARY, 'wasmtime 50.0.1 is missing: run /tmp/wtproto/fetch-wasmtime.sh or set AIPUFFER_WASMTIME_LIBRARY.' );
		$this->ffi = Wasmtime_Library::ffi( AIPUFFER_TEST_WASMTIME_LIBRARY );
	}

	public function test_library_is_usable_and_resolves_every_declared_function(): void {
		$this->assertSame( array(), Wasmtime_Library::problems( AIPUFFER_TEST_WASMTIME_LIBRARY ) );
	}

	public function test_layout_file_is_for_the_pinned_wasmtime(): void {
		$this->assertSame( Wasmtime_Library::VERSION, self::$layout['wasmtime_version'] );
		$this->assertNotEmpty( self::$layout['sizes'] );
	}

	public function test_every_struct_has_the_size_gcc_measured(): void {
		$wrong = array();
		foreach ( self::$layout['sizes'] as $type => $size ) {
			$actual = \FFI::sizeof( $this->ffi->type( $type ) );
			if ( $actual !== $size ) {
				$wrong[] = "{$type}: FFI {$actual}, gcc {$size}";
			}
		}
		$this->assertSame( array(), $wrong );
	}

	public function test_every_field_has_the_offset_gcc_measured(): void {
		$wrong = array();
		foreach ( self::$layout['offsets'] as $path => $offset ) {
			$fields = explode( '.', $path );
			$type   = array_shift( $fields );
			$actual = $this->offset_of( $type, $fields );
			if ( $actual !== $offset ) {
				$wrong[] = "{$path}: FFI {$actual}, gcc {$offset}";
			}
		}
		$this->assertSame( array(), $wrong );
	}

	public function test_enum_values_the_engine_hardcodes(): void {
		// Engine::STRING_KIND.
		$this->assertSame( 12, $this->ffi->WASMTIME_COMPONENT_STRING );
		$this->assertSame( 11, $this->ffi->WASMTIME_TRAP_CODE_OUT_OF_FUEL );
	}

	public function test_problems_names_a_missing_library(): void {
		$problems = Wasmtime_Library::problems( '/nonexistent/libwasmtime.so' );
		$this->assertCount( 1, $problems );
		$this->assertStringContainsString( 'wasmtime library not found at /nonexistent/libwasmtime.so', $problems[0] );
	}

	public function test_problems_names_the_missing_symbol_of_another_library(): void {
		$other = $this->any_other_shared_library();
		$problems = Wasmtime_Library::problems( $other );
		$this->assertCount( 1, $problems );
		$this->assertMatchesRegularExpression( '/is not wasmtime 50\.0\.1 \(missing symbol \w+\)/', $problems[0] );
	}

	public function test_problems_does_not_throw_for_a_file_that_is_not_a_library(): void {
		$problems = Wasmtime_Library::problems( __FILE__ );
		$this->assertCount( 1, $problems );
		$this->assertStringContainsString( 'could not be loaded', $problems[0] );
	}

	/**
	 * FFI has no offsetof(): take the address of the field in a zeroed value (passing a field
	 * by reference to FFI::addr() yields a CData into the struct, even for scalar fields).
	 *
	 * @param string   $type   Type name.
	 * @param string[] $fields Field path (1 to 3 names).
	 * @return int
	 */
	private function offset_of( string $type, array $fields ): int {
		$value = $this->ffi->new( $type );
		$base  = \FFI::cast( 'uintptr_t', \FFI::addr( $value ) )->cdata;
		switch ( count( $fields ) ) {
			case 1:
				$field = \FFI::addr( $value->{$fields[0]} );
				break;
			case 2:
				$field = \FFI::addr( $value->{$fields[0]}->{$fields[1]} );
				break;
			case 3:
				$field = \FFI::addr( $value->{$fields[0]}->{$fields[1]}->{$fields[2]} );
				break;
			default:
				$this->fail( 'unsupported field path depth: ' . implode( '.', $fields ) );
		}
		return \FFI::cast( 'uintptr_t', $field )->cdata - $base;
	}

	private function any_other_shared_library(): string {
		foreach ( array( '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/aarch64-linux-gnu/libz.so.1', '/usr/lib/aarch64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libm.so.6', '/lib/aarch64-linux-gnu/libm.so.6' ) as $path ) {
			if ( is_file( $path ) ) {
				return $path;
			}
		}
		$this->fail( 'no system shared library found to stand in for a wrong wasmtime' );
	}
}
