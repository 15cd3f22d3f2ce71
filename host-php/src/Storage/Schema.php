<?php
/**
 * AI Puffer's own tables, created with dbDelta. The column definitions are AI Puffer's, so a site
 * that already has AI Puffer data keeps using the same rows; dbDelta only adds what is missing.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Schema {

	/** Bump when a table definition changes; `maybe_upgrade()` then re-runs dbDelta. */
	public const VERSION = '3';

	public const VERSION_OPTION = 'aipuffer_connectors_schema_version';

	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$charset = $wpdb->get_charset_collate();
		dbDelta( self::ledger_table( $wpdb->prefix . 'aipkit_token_ledger', $charset ) );
		dbDelta( self::chat_logs_table( $wpdb->prefix . 'aipkit_chat_logs', $charset ) );
		// AI Puffer's own definition may differ in details; an existing table is never altered.
		$rules = $wpdb->prefix . 'aipkit_pricing_rules';
		if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $rules ) ) ) !== $rules ) {
			dbDelta( self::pricing_rules_table( $rules, $charset ) );
		}
		delete_transient( 'aipuffer_connectors_directory' ); // Version 1 kept the directory there.
		update_option( self::VERSION_OPTION, self::VERSION, true ); // Read on every request: autoload it.
	}

	/** Runs `install()` after an update changed the schema version (activation hooks don't run on updates). */
	public static function maybe_upgrade(): void {
		if ( get_option( self::VERSION_OPTION ) !== self::VERSION ) {
			self::install();
		}
	}

	/** dbDelta needs two spaces after PRIMARY KEY and one column per line. */
	private static function ledger_table( string $table, string $charset ): string {
		return "CREATE TABLE {$table} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
user_id bigint(20) unsigned DEFAULT NULL,
session_id varchar(64) DEFAULT NULL,
actor_type varchar(16) NOT NULL,
module varchar(50) NOT NULL,
context_type varchar(32) DEFAULT NULL,
context_id bigint(20) unsigned DEFAULT NULL,
provider varchar(50) DEFAULT NULL,
model varchar(191) DEFAULT NULL,
operation varchar(50) NOT NULL,
usage_input_units bigint(20) unsigned NOT NULL DEFAULT 0,
usage_output_units bigint(20) unsigned NOT NULL DEFAULT 0,
usage_total_units bigint(20) unsigned NOT NULL DEFAULT 0,
credits_delta bigint(20) NOT NULL DEFAULT 0,
entry_type varchar(32) NOT NULL,
reference_type varchar(32) DEFAULT NULL,
reference_id varchar(191) DEFAULT NULL,
idempotency_key varchar(191) DEFAULT NULL,
meta longtext DEFAULT NULL,
created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
PRIMARY KEY  (id),
UNIQUE KEY idempotency_key (idempotency_key),
KEY user_created_at (user_id,created_at),
KEY session_created_at (session_id,created_at),
KEY module_context_created_at (module,context_type,context_id,created_at),
KEY provider_model_operation (provider(32),model(100),operation(32)),
KEY entry_type_created_at (entry_type,created_at)
) {$charset};";
	}

	/** AI Puffer's pricing rules: rates are DECIMAL(20,6), per 1K tokens or per unit. */
	private static function pricing_rules_table( string $table, string $charset ): string {
		return "CREATE TABLE {$table} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
scope_type varchar(32) NOT NULL DEFAULT 'global',
scope_id bigint(20) unsigned DEFAULT NULL,
module varchar(50) NOT NULL,
provider varchar(50) NOT NULL,
model varchar(191) NOT NULL,
operation varchar(50) NOT NULL,
billing_method varchar(32) NOT NULL,
input_rate decimal(20,6) DEFAULT NULL,
output_rate decimal(20,6) DEFAULT NULL,
unit_rate decimal(20,6) DEFAULT NULL,
enabled tinyint(1) NOT NULL DEFAULT 1,
created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
updated_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
PRIMARY KEY  (id),
KEY lookup (module,provider,model(100),operation),
KEY scope (scope_type,scope_id)
) {$charset};";
	}

	private static function chat_logs_table( string $table, string $charset ): string {
		return "CREATE TABLE {$table} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
bot_id bigint(20) unsigned DEFAULT NULL,
user_id bigint(20) unsigned DEFAULT NULL,
session_id varchar(64) DEFAULT NULL,
conversation_uuid varchar(36) NOT NULL,
is_guest tinyint(1) NOT NULL DEFAULT 0,
module varchar(50) NULL DEFAULT NULL,
messages longtext NOT NULL,
message_count int unsigned NOT NULL DEFAULT 0,
first_message_ts bigint(20) unsigned DEFAULT NULL,
last_message_ts bigint(20) unsigned DEFAULT NULL,
ip_address varchar(100) DEFAULT NULL,
user_wp_role varchar(100) DEFAULT NULL,
created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
updated_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
PRIMARY KEY  (id),
UNIQUE KEY unique_conversation (bot_id,user_id,session_id,conversation_uuid,module),
KEY bot_id (bot_id),
KEY user_id (user_id),
KEY session_id (session_id),
KEY conversation_uuid (conversation_uuid),
KEY is_guest (is_guest),
KEY module (module),
KEY last_message_ts (last_message_ts),
KEY created_at (created_at),
KEY updated_at (updated_at)
) {$charset};";
	}
}
