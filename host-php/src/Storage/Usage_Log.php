<?php
/**
 * Reads the usage AI Puffer's ledger holds for the logs screen and its CSV export: one row per
 * request (the ledger entry, with its conversation log where one exists), filtered by module,
 * caller, provider, model, user and date, and totals per caller, provider and model. Read only;
 * every value comes from the rows the engine decided.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Usage_Log {

	public const PER_PAGE = 50;

	/** Filter fields as the screen's form and the export post them. */
	public const FILTERS = array( 'module', 'caller', 'provider', 'model', 'user', 'from', 'to' );

	/**
	 * Filters from a request's fields, sanitized; dates are `Y-m-d` in the site's time zone.
	 *
	 * @param array<string, mixed> $fields
	 * @return array<string, string>
	 */
	public static function filters( array $fields ): array {
		$filters = array();
		foreach ( self::FILTERS as $key ) {
			$value           = is_scalar( $fields[ $key ] ?? null ) ? trim( sanitize_text_field( (string) $fields[ $key ] ) ) : '';
			$filters[ $key ] = $value;
		}
		$filters['module'] = '' === $filters['module'] ? 'wp_ai_client' : sanitize_key( $filters['module'] );
		foreach ( array( 'from', 'to' ) as $key ) {
			if ( '' !== $filters[ $key ] && ! preg_match( '/^\d{4}-\d{2}-\d{2}$/', $filters[ $key ] ) ) {
				$filters[ $key ] = '';
			}
		}
		$filters['user'] = '' === $filters['user'] ? '' : (string) absint( $filters['user'] );
		return $filters;
	}

	/**
	 * The WHERE clause of the filters, prepared.
	 *
	 * @param array<string, string> $filters From filters().
	 */
	private static function where( array $filters ): string {
		global $wpdb;
		$sql = $wpdb->prepare( "l.entry_type = 'usage' AND l.module = %s", $filters['module'] );
		if ( '' !== $filters['provider'] ) {
			$sql .= $wpdb->prepare( ' AND l.provider = %s', $filters['provider'] );
		}
		if ( '' !== $filters['model'] ) {
			$sql .= $wpdb->prepare( ' AND l.model = %s', $filters['model'] );
		}
		if ( '' !== $filters['user'] ) {
			$sql .= $wpdb->prepare( ' AND l.user_id = %d', (int) $filters['user'] );
		}
		if ( '-' === $filters['caller'] ) {
			$sql .= " AND JSON_VALUE(l.meta, '$.caller.basename') IS NULL";
		} elseif ( '' !== $filters['caller'] ) {
			$sql .= $wpdb->prepare( " AND JSON_VALUE(l.meta, '$.caller.basename') = %s", $filters['caller'] );
		}
		// Rows are stored in UTC; the screen's dates are the site's.
		if ( '' !== $filters['from'] ) {
			$sql .= $wpdb->prepare( ' AND l.created_at >= %s', get_gmt_from_date( $filters['from'] . ' 00:00:00' ) );
		}
		if ( '' !== $filters['to'] ) {
			$sql .= $wpdb->prepare( ' AND l.created_at <= %s', get_gmt_from_date( $filters['to'] . ' 23:59:59' ) );
		}
		return $sql;
	}

	/**
	 * One page of requests, newest first.
	 *
	 * @param array<string, string> $filters
	 * @return array{rows: list<array<string, mixed>>, total: int}
	 */
	public static function page( array $filters, int $page ): array {
		global $wpdb;
		$where  = self::where( $filters );
		$ledger = $wpdb->prefix . 'aipkit_token_ledger';
		$total  = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$ledger} l WHERE {$where}" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- prepared in where(); the table name is ours.
		$rows   = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- AI Puffer's ledger.
			$wpdb->prepare( "SELECT l.* FROM {$ledger} l WHERE {$where} ORDER BY l.created_at DESC, l.id DESC LIMIT %d OFFSET %d", self::PER_PAGE, max( 0, $page - 1 ) * self::PER_PAGE ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- prepared in where().
			ARRAY_A
		);
		return array(
			'rows'  => array_map( array( self::class, 'request' ), is_array( $rows ) ? $rows : array() ),
			'total' => $total,
		);
	}

	/**
	 * Every filtered request, newest first, for the CSV export (at most `$limit`).
	 *
	 * @param array<string, string> $filters
	 * @return list<array<string, mixed>>
	 */
	public static function all( array $filters, int $limit = 100000 ): array {
		global $wpdb;
		$ledger = $wpdb->prefix . 'aipkit_token_ledger';
		$rows   = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- AI Puffer's ledger.
			$wpdb->prepare( "SELECT l.* FROM {$ledger} l WHERE " . self::where( $filters ) . ' ORDER BY l.created_at DESC, l.id DESC LIMIT %d', $limit ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- prepared in where().
			ARRAY_A
		);
		return array_map( array( self::class, 'request' ), is_array( $rows ) ? $rows : array() );
	}

	/**
	 * Credits, tokens and requests per caller, per provider and per model.
	 *
	 * @param array<string, string> $filters
	 * @return array<string, list<array{key: string, label: string, requests: int, tokens: int, credits: int, usd: ?string, unpriced: int}>>
	 */
	public static function totals( array $filters ): array {
		global $wpdb;
		$ledger  = $wpdb->prefix . 'aipkit_token_ledger';
		$where   = self::where( $filters );
		$columns = array(
			'caller'   => "COALESCE(JSON_VALUE(l.meta, '$.caller.basename'), '')",
			'provider' => 'l.provider',
			'model'    => 'l.model',
		);
		$totals  = array();
		foreach ( $columns as $name => $column ) {
			$label = 'caller' === $name ? "MAX(COALESCE(JSON_VALUE(l.meta, '$.caller.name'), ''))" : $column;
			// Dollars are summed as DECIMAL in SQL: exact, never through a PHP float.
			$rows = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- AI Puffer's ledger.
				"SELECT {$column} AS k, {$label} AS label, COUNT(*) AS requests, COALESCE(SUM(l.usage_total_units), 0) AS tokens, COALESCE(SUM(CAST(JSON_VALUE(l.meta, '$.billed_credits') AS UNSIGNED)), 0) AS credits, SUM(CAST(JSON_VALUE(l.meta, '$.usd_cost') AS DECIMAL(30,12))) AS usd, SUM(JSON_VALUE(l.meta, '$.usd_cost') IS NULL) AS unpriced FROM {$ledger} l WHERE {$where} GROUP BY k ORDER BY credits DESC, requests DESC LIMIT 20", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQL.NotPrepared -- prepared in where(); fixed columns.
				ARRAY_A
			);
			$totals[ $name ] = array();
			foreach ( is_array( $rows ) ? $rows : array() as $row ) {
				$totals[ $name ][] = array(
					'key'      => (string) $row['k'],
					'label'    => (string) $row['label'],
					'requests' => (int) $row['requests'],
					'tokens'   => (int) $row['tokens'],
					'credits'  => (int) $row['credits'],
					'usd'      => null === $row['usd'] ? null : (string) $row['usd'],
					'unpriced' => (int) $row['unpriced'],
				);
			}
		}
		return $totals;
	}

	/**
	 * The AI Puffer modules with usage in the ledger (for the filter): `wp_ai_client` first.
	 *
	 * @return list<string>
	 */
	public static function modules(): array {
		global $wpdb;
		$ledger  = $wpdb->prefix . 'aipkit_token_ledger';
		$modules = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT module FROM {$ledger} WHERE entry_type = %s ORDER BY module LIMIT 50", 'usage' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- AI Puffer's ledger.
		return array_values( array_unique( array_merge( array( 'wp_ai_client' ), array_map( 'strval', (array) $modules ) ) ) );
	}

	/**
	 * The callers seen in the ledger (for the filter), basename → name.
	 *
	 * @return array<string, string>
	 */
	public static function callers( string $module ): array {
		global $wpdb;
		$ledger  = $wpdb->prefix . 'aipkit_token_ledger';
		$rows    = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- AI Puffer's ledger.
			$wpdb->prepare( "SELECT JSON_VALUE(meta, '$.caller.basename') AS basename, MAX(JSON_VALUE(meta, '$.caller.name')) AS name FROM {$ledger} WHERE module = %s AND JSON_VALUE(meta, '$.caller.basename') IS NOT NULL GROUP BY basename ORDER BY name LIMIT 200", $module ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
			ARRAY_A
		);
		$callers = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$callers[ (string) $row['basename'] ] = (string) $row['name'];
		}
		return $callers;
	}

	/**
	 * One request: its ledger entry and, for the details view, its conversation log.
	 *
	 * @return array<string, mixed>|null
	 */
	public static function find( string $request_id, bool $with_log = true ): ?array {
		global $wpdb;
		$ledger = $wpdb->prefix . 'aipkit_token_ledger';
		$row    = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$ledger} WHERE idempotency_key = %s", 'wp-ai-client-' . $request_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- AI Puffer's ledger.
		if ( ! is_array( $row ) ) {
			return null;
		}
		$request = self::request( $row );
		if ( $with_log ) {
			$logs            = $wpdb->prefix . 'aipkit_chat_logs';
			$log             = $wpdb->get_var( $wpdb->prepare( "SELECT messages FROM {$logs} WHERE conversation_uuid = %s AND module = %s", $request_id, 'wp_ai_client' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- AI Puffer's logs.
			$decoded         = is_string( $log ) ? json_decode( $log, true ) : null;
			$request['turns'] = is_array( $decoded['messages'] ?? null ) ? $decoded['messages'] : array();
		}
		return $request;
	}

	/**
	 * A ledger row as the screen shows it.
	 *
	 * @param array<string, string|null> $row
	 * @return array<string, mixed>
	 */
	private static function request( array $row ): array {
		$meta = json_decode( (string) $row['meta'], true );
		$meta = is_array( $meta ) ? $meta : array();
		$key  = (string) $row['idempotency_key'];
		return array(
			'request_id' => 0 === strpos( $key, 'wp-ai-client-' ) ? substr( $key, strlen( 'wp-ai-client-' ) ) : $key,
			'created_at' => (string) $row['created_at'],
			'user_id'    => (int) $row['user_id'],
			'session_id' => (string) $row['session_id'],
			'module'     => (string) $row['module'],
			'provider'   => (string) $row['provider'],
			'model'      => (string) $row['model'],
			'operation'  => (string) $row['operation'],
			'input'      => (int) $row['usage_input_units'],
			'output'     => (int) $row['usage_output_units'],
			'total'      => (int) $row['usage_total_units'],
			'credits'    => (int) ( $meta['billed_credits'] ?? 0 ),
			'debited'    => -(int) $row['credits_delta'],
			'method'     => (string) ( $meta['billing_method'] ?? '' ),
			'rule_id'    => isset( $meta['resolved_rule_id'] ) ? (int) $meta['resolved_rule_id'] : null,
			'estimated'  => ! empty( $meta['usage_estimated'] ),
			'images'     => (int) ( $meta['unit_count'] ?? 0 ),
			'caller'     => is_array( $meta['caller'] ?? null ) ? $meta['caller'] : null,
			'usd'        => is_string( $meta['usd_cost'] ?? null ) ? $meta['usd_cost'] : null,
			'usd_price'  => is_array( $meta['usd_price'] ?? null ) ? $meta['usd_price'] : null,
		);
	}
}
