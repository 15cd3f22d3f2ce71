<?php
/**
 * The one exception type the engine runtime throws.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Runtime;

/**
 * A failure to load or run the WebAssembly engine.
 *
 * The message is safe to show to a site's users and admins: it never carries wasmtime's raw error
 * text, which names guest functions and prints a wasm backtrace. That raw text is kept in
 * `$diagnostic` for logs and tests.
 */
final class Engine_Error extends \RuntimeException {

	/** The guest trapped (panic, `unreachable`, out-of-bounds access, stack exhaustion …). */
	public const KIND_TRAP = 'trap';

	/** The guest used up its fuel budget: a runaway loop or an input far larger than expected. */
	public const KIND_FUEL = 'fuel';

	/** The guest ran out of its memory budget: an input too large for it. */
	public const KIND_MEMORY = 'memory';

	/** The runtime could not be set up: no FFI, no wasmtime library, no or a broken component. */
	public const KIND_LOAD = 'load';

	/** The caller's input was refused before it reached wasmtime (e.g. not UTF-8). */
	public const KIND_INPUT = 'input';

	/**
	 * What went wrong, one of the KIND_* constants, so callers can pick a status or a notice
	 * without parsing the message.
	 *
	 * @var string
	 */
	public string $kind;

	/**
	 * The full raw error text (wasmtime's message with its backtrace, an FFI exception message,
	 * a filesystem error). For debug logs and tests only: never show it to users.
	 *
	 * @var string
	 */
	public string $diagnostic = '';

	/**
	 * @param string          $kind       One of the KIND_* constants.
	 * @param string          $message    User-safe message.
	 * @param string          $diagnostic Raw details for debugging.
	 * @param \Throwable|null $previous   The exception that caused this one, if any.
	 */
	public function __construct( string $kind, string $message, string $diagnostic = '', ?\Throwable $previous = null ) {
		parent::__construct( $message, 0, $previous );
		$this->kind       = $kind;
		$this->diagnostic = $diagnostic;
	}
}
