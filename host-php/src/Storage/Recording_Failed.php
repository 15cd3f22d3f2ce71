<?php
/**
 * A record that could not be written (after every retry); nothing of it was kept. When the
 * reason is a database that cannot be reached, the record can wait (Pending_Records).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Recording_Failed extends \RuntimeException {

	private bool $database_unavailable = false;

	public static function database_unavailable( Database_Error $lost ): self {
		$failure                       = new self( $lost->getMessage(), 0, $lost );
		$failure->database_unavailable = true;
		return $failure;
	}

	/** The database could not be reached at all: the same record may be written later. */
	public function is_database_unavailable(): bool {
		return $this->database_unavailable;
	}
}
