<?php
/**
 * AI Puffer's pricing rules table (`{prefix}aipkit_pricing_rules`) for the admin screen: list,
 * save, enable or disable, delete. The engine decides which rule prices a call; this only keeps
 * the rows. Saving a rule for a scope, module, provider, model and operation that already has
 * one updates that row, as AI Puffer's own screen does.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Pricing_Rules {

	/** The WP AI Client's pricing modules and the operation each is priced as. */
	public const MODULES = array(
		'chat'            => 'chat',
		'image_generator' => 'generate',
	);

	public const METHODS = array( 'per_1k_tokens', 'flat', 'per_image' );

	/** Scopes a WP AI Client rule can have (chatbot and form rules are AI Puffer's). */
	public const SCOPES = array( 'module', 'global' );

	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'aipkit_pricing_rules';
	}

	/**
	 * The rules of the WP AI Client's pricing modules, newest first within each model.
	 *
	 * @return list<array<string, string|null>>
	 */
	public static function all(): array {
		global $wpdb;
		$table = self::table();
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the admin list of a custom table.
			$wpdb->prepare( "SELECT * FROM {$table} WHERE module IN (%s, %s) ORDER BY provider, model, module, updated_at DESC, id DESC", 'chat', 'image_generator' ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
			ARRAY_A
		);
		return is_array( $rows ) ? array_values( $rows ) : array();
	}

	/** @return array<string, string|null>|null */
	public static function find( int $id ): ?array {
		global $wpdb;
		$table = self::table();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", $id ), ARRAY_A ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- a custom table; the name is ours.
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Inserts or updates a rule (already validated); the row with the same match columns is
	 * updated rather than duplicated.
	 *
	 * @param array{scope_type: string, module: string, provider: string, model: string, billing_method: string, input_rate: ?string, output_rate: ?string, unit_rate: ?string, enabled: bool} $rule
	 * @return int The rule's id; 0 when the database refused.
	 */
	public static function save( array $rule, int $id = 0 ): int {
		global $wpdb;
		$data = array(
			'scope_type'     => $rule['scope_type'],
			'scope_id'       => 0,
			'module'         => $rule['module'],
			'provider'       => $rule['provider'],
			'model'          => $rule['model'],
			'operation'      => self::MODULES[ $rule['module'] ],
			'billing_method' => $rule['billing_method'],
			'input_rate'     => $rule['input_rate'],
			'output_rate'    => $rule['output_rate'],
			'unit_rate'      => $rule['unit_rate'],
			'enabled'        => $rule['enabled'] ? 1 : 0,
		);
		// Rates stay decimal text: %s, never %f, so no digit goes through a float.
		$formats = array( '%s', '%d', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%d' );
		$id                 = $id > 0 ? $id : self::existing( $data );
		$data['updated_at'] = current_time( 'mysql', true ); // UTC, like every time this table is ordered by.
		$formats[]          = '%s';
		if ( $id > 0 ) {
			return false === $wpdb->update( self::table(), $data, array( 'id' => $id ), $formats, array( '%d' ) ) ? 0 : $id; // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- a custom table.
		}
		$data['created_at'] = $data['updated_at'];
		$formats[]          = '%s';
		return false === $wpdb->insert( self::table(), $data, $formats ) ? 0 : (int) $wpdb->insert_id; // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery -- a custom table.
	}

	public static function set_enabled( int $id, bool $enabled ): bool {
		global $wpdb;
		return false !== $wpdb->update( self::table(), array( 'enabled' => $enabled ? 1 : 0, 'updated_at' => current_time( 'mysql', true ) ), array( 'id' => $id ), array( '%d', '%s' ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- a custom table.
	}

	public static function delete( int $id ): bool {
		global $wpdb;
		return false !== $wpdb->delete( self::table(), array( 'id' => $id ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- a custom table.
	}

	/** @param array<string, mixed> $data */
	private static function existing( array $data ): int {
		global $wpdb;
		$table = self::table();
		return (int) $wpdb->get_var( // phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- a custom table.
			$wpdb->prepare(
				"SELECT id FROM {$table} WHERE scope_type = %s AND (scope_id = 0 OR scope_id IS NULL) AND module = %s AND provider = %s AND model = %s AND operation = %s ORDER BY id DESC LIMIT 1", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
				$data['scope_type'],
				$data['module'],
				$data['provider'],
				$data['model'],
				$data['operation']
			)
		);
	}
}
