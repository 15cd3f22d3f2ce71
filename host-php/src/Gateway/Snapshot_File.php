<?php
/**
 * The site snapshot and model templates also kept as a PHP file beside the compiled engine
 * (Requirements::cache_dir()), so a request that prompts reads them from OPcache's shared memory
 * instead of querying the non-autoloaded option: one database round trip less per AI request.
 *
 * The file name carries a hash of the snapshot's key (generation and engine build) and of the
 * site it belongs to (install path, database, table prefix, blog), so a file is never read for
 * another key or another site sharing the folder, and OPcache never serves an older copy under
 * a current name (a new key is a new file, whatever `opcache.revalidate_freq` says). Written
 * atomically (temporary file, then rename); older files of the same site are removed. Where the
 * folder cannot be used, nothing is kept and the option answers as before.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Requirements;

defined( 'ABSPATH' ) || exit;

final class Snapshot_File {

	/**
	 * What was kept for `$key`: `{site: string, templates: array}`, or null.
	 *
	 * @return array{site: string, templates: array<string, mixed>}|null
	 */
	public static function read( string $key ): ?array {
		$file = self::path( $key );
		$kept = '' === $file ? null : self::load( $file ); // A damaged file: the option answers, and the next build replaces it.
		return is_array( $kept ) && is_string( $kept['site'] ?? null ) && is_array( $kept['templates'] ?? null ) ? $kept : null;
	}

	/**
	 * Keeps the snapshot for `$key` and removes this site's older files. Failures are silent:
	 * the option still holds the snapshot.
	 *
	 * @param array<string, mixed> $templates
	 */
	public static function write( string $key, string $site, array $templates ): void {
		$file = self::path( $key );
		if ( '' === $file ) {
			return;
		}
		if ( ! self::store( $file, "// AI Puffer Connectors: the site snapshot (no secrets), rebuilt when settings change.\nreturn " . var_export( array( 'site' => $site, 'templates' => $templates ), true ) . ';' ) ) { // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export -- writes PHP code, not a log.
			return;
		}
		foreach ( (array) glob( self::prefix() . '*.php' ) as $older ) {
			if ( is_string( $older ) && $older !== $file ) {
				@unlink( $older ); // phpcs:ignore WordPress.PHP.NoSilencedErrors -- another request may have removed it.
			}
		}
	}

	/**
	 * Writes a PHP file atomically (a temporary file, then rename): a request including it sees
	 * the old file or the new one, never half of one. False when the folder refuses.
	 *
	 * @param string $code PHP code, without the opening tag.
	 */
	public static function store( string $file, string $code ): bool {
		$temporary = $file . '.' . wp_generate_password( 8, false ) . '.tmp';
		// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.PHP.NoSilencedErrors -- our own cache folder; a refusal only means no file.
		if ( false === @file_put_contents( $temporary, "<?php\n" . $code . "\n" ) || ! @rename( $temporary, $file ) ) {
			@unlink( $temporary );
			return false;
		}
		// phpcs:enable
		return true;
	}

	/**
	 * What a file written by store() returns, or null when it is missing or damaged.
	 *
	 * @return mixed
	 */
	public static function load( string $file ) {
		if ( ! is_file( $file ) ) {
			return null;
		}
		try {
			return include $file;
		} catch ( \Throwable $e ) {
			return null;
		}
	}

	/** The file for `$key`, or '' when there is no usable cache folder. */
	private static function path( string $key ): string {
		$prefix = self::prefix();
		return '' === $prefix ? '' : $prefix . hash( 'xxh128', $key ) . '.php';
	}

	/**
	 * `<cache folder>/site-<this site>-`, or '' without a cache folder. Other files kept for this
	 * site start with it too (Log_Charset): a new snapshot removes them with the older ones.
	 */
	public static function prefix(): string {
		global $wpdb;
		$dir = Requirements::cache_dir();
		if ( '' === $dir ) {
			return '';
		}
		$site = hash( 'xxh128', ABSPATH . '|' . DB_NAME . '|' . $wpdb->prefix . '|' . get_current_blog_id() );
		return $dir . '/site-' . substr( $site, 0, 16 ) . '-';
	}
}
