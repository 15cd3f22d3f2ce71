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

	/** CR_SERVER_GONE_ERROR: the connection was already gone when the statement was sent. */
	public const SERVER_GONE = 2006;

	/** CR_SERVER_LOST: the connection broke while the statement ran. */
	public const SERVER_LOST = 2013;

	/** ER_NO_SUCH_TABLE. */
	public const NO_SUCH_TABLE = 1146;

	/** The connection broke inside a transaction (see Database::begin()). */
	public static function connection_lost(): self {
		return new self( __( 'the connection to the database was lost', 'aipuffer-connectors' ), self::SERVER_GONE );
	}

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
		if ( false !== stripos( $text, 'server has gone away' ) ) {
			return self::SERVER_GONE;
		}
		if ( false !== stripos( $text, 'Lost connection' ) ) {
			return self::SERVER_LOST;
		}
		if ( false !== stripos( $text, "doesn't exist" ) ) {
			return self::NO_SUCH_TABLE;
		}
		return 0;
	}

	/** Retrying the whole transaction can succeed. */
	public function is_transient(): bool {
		return in_array( $this->getCode(), array( self::DEADLOCK, self::LOCK_WAIT_TIMEOUT ), true ) || $this->is_connection_lost();
	}

	/**
	 * The connection to the database broke (a restart, a network blip, a killed connection): the
	 * server rolled the open transaction back, and nothing can be read or written until a new
	 * connection is made.
	 */
	public function is_connection_lost(): bool {
		return in_array( $this->getCode(), array( self::SERVER_GONE, self::SERVER_LOST ), true );
	}

	public function is_duplicate(): bool {
		return self::DUPLICATE === $this->getCode();
	}

	public function is_missing_table(): bool {
		return self::NO_SUCH_TABLE === $this->getCode();
	}
}
