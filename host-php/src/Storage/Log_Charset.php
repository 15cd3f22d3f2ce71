<?php
/**
 * The log table's charset, known without asking the database on every request.
 *
 * wpdb checks a query holding non-ASCII text against its table's charset, and reads that charset
 * (SHOW FULL COLUMNS, ≈0.4 ms measured) on a request's first such query for the table. Every log
 * row has some — people's prompts, the route's explanation — so every managed prompt paid it.
 * When wpdb's answer is utf8mb4, which stores any valid UTF-8, it is kept in a file beside the
 * site snapshot and handed to wpdb through its `pre_get_table_charset` filter. Any other answer
 * is not kept: wpdb reads it again each request, as before, but ahead of the transaction. A write
 * the database refuses forgets it, and a new site snapshot removes the file (Snapshot_File).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

use AIPuffer\Connectors\Gateway\Snapshot_File;

defined( 'ABSPATH' ) || exit;

final class Log_Charset {

	/** The only answer kept: every valid UTF-8 text fits, so wpdb's check can refuse nothing. */
	private const KEPT = 'utf8mb4';

	/** The log table the filter answers for (this blog's, when it was primed). */
	private static string $table = '';

	/**
	 * Makes sure wpdb knows the log table's charset before the recording transaction opens: from
	 * the kept file, else by asking wpdb now (and keeping a utf8mb4 answer). Call it under the
	 * database guard: it may query.
	 */
	public static function prime(): void {
		global $wpdb;
		$table = $wpdb->prefix . 'aipkit_chat_logs';
		if ( has_filter( 'pre_get_table_charset', array( self::class, 'answer' ) ) ) {
			return;
		}
		$file = self::file();
		if ( '' !== $file && self::KEPT === Snapshot_File::load( $file ) ) {
			self::$table = $table;
			add_filter( 'pre_get_table_charset', array( self::class, 'answer' ), 10, 2 );
			return;
		}
		// A column the table does not have: wpdb answers with the table's own charset.
		if ( self::KEPT === $wpdb->get_col_charset( $table, '' ) && '' !== $file ) {
			Snapshot_File::store( $file, "// AI Puffer Connectors: the charset of the log table, as wpdb reads it.\nreturn '" . self::KEPT . "';" );
		}
	}

	/**
	 * The `pre_get_table_charset` filter: the kept charset for the log table, nothing for others.
	 *
	 * @param string|null $charset What an earlier filter answered.
	 * @param string      $table   The table wpdb asks about.
	 * @return string|null
	 */
	public static function answer( $charset, $table ) {
		return null === $charset && 0 === strcasecmp( (string) $table, self::$table ) ? self::KEPT : $charset;
	}

	/** Forgets the kept charset: the database refused a write, so wpdb should look again. */
	public static function forget(): void {
		remove_filter( 'pre_get_table_charset', array( self::class, 'answer' ), 10 );
		$file = self::file();
		if ( '' !== $file ) {
			@unlink( $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- it may not exist.
		}
	}

	/** The kept file, or '' without a cache folder. */
	private static function file(): string {
		$prefix = Snapshot_File::prefix();
		return '' === $prefix ? '' : $prefix . 'log-charset.php';
	}
}
