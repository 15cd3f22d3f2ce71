<?php
/**
 * Bench-only WordPress database drop-in (installed as wp-content/db.php in the bench site by
 * scripts/bench, never shipped): wpdb with a stopwatch on transactions, so the gateway's ledger and
 * log transaction can be timed without touching the plugin. A transaction is timed from just
 * before its START TRANSACTION is sent to just after its COMMIT returns (the statements
 * host-php/src/Storage/Database.php issues), and each statement in it alone: the rest of the span
 * is PHP between them (the engine's decision, the price list, JSON), and the COMMIT can be set
 * against the commit floor (bench/php/commit-floor-endpoint.php). Rolled-back transactions are
 * counted apart: a retried one would otherwise look like a fast one. Statements sent outside any
 * transaction are timed one by one too (`$outside`): the gateway's reads before its transaction
 * (its key's option, the pricing rules) are set against what a plain provider's prompt sends.
 * Every statement's text is kept too (`$sent`), in order: the prompt endpoint can keep the ones
 * the gateway's prompt sent, so the plain side can send the same ones (bench/php/replay.php).
 *
 * @package AIPuffer\Connectors
 */

defined( 'ABSPATH' ) || exit;

final class AIPuffer_Bench_Wpdb extends wpdb {

	/** @var list<array{ms: float, sql_ms: float, statements: int, each: list<array{0: string, 1: float}>}> Committed transactions of this request. */
	public static array $transactions = array();

	/** @var list<array{0: string, 1: float}> Statements sent outside any transaction: verb and table (and the option's name), ms. */
	public static array $outside = array();

	/** @var list<string> Every statement this request sent, in order. */
	public static array $sent = array();

	/** @var int Transactions of this request that were rolled back. */
	public static int $rolled_back = 0;

	/** @var int|null hrtime() when the open transaction started, else null. */
	private ?int $started = null;

	/** @var int Statements sent since START TRANSACTION, both ends included. */
	private int $statements = 0;

	/** @var int Nanoseconds spent in those statements (the rest of the span is PHP: the engine's decision, JSON). */
	private int $sql_ns = 0;

	/** @var list<array{0: string, 1: float}> Each statement's verb and table, and its ms. */
	private array $each = array();

	/**
	 * @param string $query
	 * @return int|bool
	 */
	public function query( $query ) {
		$verb         = self::verb( (string) $query );
		self::$sent[] = (string) $query;
		if ( 'START' === $verb || 'BEGIN' === $verb ) {
			$this->started    = hrtime( true );
			$this->statements = 0;
			$this->sql_ns     = 0;
			$this->each       = array();
		}
		$before = hrtime( true );
		$result = parent::query( $query );
		$after  = hrtime( true );
		if ( null === $this->started ) {
			self::$outside[] = array( self::label( $verb, (string) $query ), ( $after - $before ) / 1e6 );
			return $result;
		}
		$this->statements++;
		$this->sql_ns += $after - $before;
		$this->each[]  = array( self::label( $verb, (string) $query ), ( $after - $before ) / 1e6 );
		if ( 'COMMIT' === $verb ) {
			self::$transactions[] = array(
				'ms'         => ( $after - $this->started ) / 1e6,
				'sql_ms'     => $this->sql_ns / 1e6,
				'statements' => $this->statements,
				'each'       => $this->each,
			);
			$this->started = null;
		} elseif ( 'ROLLBACK' === $verb ) {
			self::$rolled_back++;
			$this->started = null;
		}
		return $result;
	}

	/** A statement's first word, upper case: `START`, `SELECT`, `COMMIT`… */
	public static function verb( string $query ): string {
		return strtoupper( (string) strtok( ltrim( $query ), " \t\r\n;" ) );
	}

	/** A statement's verb and table, and for a single option its name: what a row of the bench prints. */
	public static function label( string $verb, string $query ): string {
		$label = $verb . ( preg_match( '/\b(?:FROM|INTO|UPDATE)\s+`?(\w+)/i', $query, $m ) ? ' ' . $m[1] : '' );
		return preg_match( "/\\boption_name = '([^']*)'/", $query, $m ) ? "{$label} '{$m[1]}'" : $label;
	}
}

// Inside require_wp_db(), where $wpdb is the global: WordPress uses this one instead of its own.
$wpdb = new AIPuffer_Bench_Wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
