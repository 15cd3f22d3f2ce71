<?php
/**
 * A failed statement, classified by MySQL/MariaDB error number.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Database_Error extends \RuntimeException {

	/** ER_DUP_ENTRY: a unique key already holds the value. */
	public const DUPLICATE = 1062;

	/** ER_LOCK_WAIT_TIMEOUT. */
	public const LOCK_WAIT_TIMEOUT = 1205;

	/** ER_LOCK_DEADLOCK: InnoDB rolled the whole transaction back. */
	public const DEADLOCK = 1213;

	/** ER_NO_SUCH_TABLE. */
	public const NO_SUCH_TABLE = 1146;

	/** @param \wpdb $wpdb After the failed statement. */
	public static function from_wpdb( $wpdb ): self {
		$text  = (string) $wpdb->last_error;
		$errno = $wpdb->dbh instanceof \mysqli ? mysqli_errno( $wpdb->dbh ) : 0;
		if ( 0 === $errno ) {
			// Another database drop-in: the server's message still says what happened.
			$errno = self::errno_from_text( $text );
		}
		return new self( '' === $text ? 'the database refused a statement' : $text, $errno );
	}

	private static function errno_from_text( string $text ): int {
		if ( false !== stripos( $text, 'Deadlock found' ) ) {
			return self::DEADLOCK;
		}
		if ( false !== stripos( $text, 'Lock wait timeout' ) ) {
			return self::LOCK_WAIT_TIMEOUT;
		}
		if ( false !== stripos( $text, 'Duplicate entry' ) ) {
			return self::DUPLICATE;
		}
		if ( false !== stripos( $text, "doesn't exist" ) ) {
			return self::NO_SUCH_TABLE;
		}
		return 0;
	}

	/** Retrying the whole transaction can succeed. */
	public function is_transient(): bool {
		return in_array( $this->getCode(), array( self::DEADLOCK, self::LOCK_WAIT_TIMEOUT ), true );
	}

	public function is_duplicate(): bool {
		return self::DUPLICATE === $this->getCode();
	}

	public function is_missing_table(): bool {
		return self::NO_SUCH_TABLE === $this->getCode();
	}
}
