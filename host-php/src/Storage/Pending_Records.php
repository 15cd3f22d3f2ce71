<?php
/**
 * Records that wait for the database. When the database cannot be reached at all after a
 * provider answered (a restart, a failover), the caller still gets its answer and the record —
 * the engine's continuation and what it must lock, exactly what the Recorder needs — is kept in a
 * file. The next request that records successfully on the same web server writes the waiting
 * ones, oldest first, through the same Recorder: the same locks, the same decisions, and the
 * ledger's idempotency key makes a record that did reach the database before the connection
 * broke count once.
 *
 * Files, not the database, because the database is what failed. One file per record, written to
 * a temporary name and renamed, so a half-written file is never read; a worker claims a file by
 * renaming it, so two workers never write the same record.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

use AIPuffer\Connectors\Gateway\Continuation;

defined( 'ABSPATH' ) || exit;

final class Pending_Records {

	/** Waiting records written per request, so no visitor pays for a long backlog. */
	private const PER_REQUEST = 5;

	/** A claim older than this belongs to a worker that died: the record waits again. */
	private const STALE_CLAIM_SECONDS = 600;

	/** The folder (filter: aipuffer_connectors_pending_dir). Outside uploads: it holds prompts. */
	public static function dir(): string {
		/** Filters the folder that keeps records waiting for the database. */
		return rtrim( (string) apply_filters( 'aipuffer_connectors_pending_dir', WP_CONTENT_DIR . '/aipuffer-connectors-pending' ), '/' );
	}

	/**
	 * Keeps a record to write later.
	 *
	 * @param array<int, array<string, mixed>> $locks The record step's `locks`.
	 * @param Continuation                     $state Its `state`, kept decoded so the file stays plain JSON.
	 * @return bool False when it could not be kept (the folder cannot be written).
	 */
	public static function keep( string $request_id, array $locks, Continuation $state ): bool {
		$dir = self::dir();
		if ( ! preg_match( '/^[A-Za-z0-9-]{1,64}$/', $request_id ) || ! self::prepare( $dir ) ) {
			return false;
		}
		$file = $dir . '/' . self::prefix() . $request_id . '.json';
		$json = wp_json_encode(
			array(
				'request_id' => $request_id,
				'time'       => time(),
				'locks'      => $locks,
				'state'      => $state->text(),
			)
		);
		$temporary = $file . '.' . getmypid() . '.tmp';
		// phpcs:disable WordPress.WP.AlternativeFunctions -- a private folder, not the Filesystem API's business.
		if ( false === $json || false === file_put_contents( $temporary, $json, LOCK_EX ) ) {
			return false;
		}
		chmod( $temporary, 0600 );
		$kept = rename( $temporary, $file );
		// phpcs:enable
		return $kept;
	}

	/** Records of this site waiting to be written. */
	public static function count(): int {
		return count( self::files( '.json' ) );
	}

	/**
	 * Writes waiting records of this site, oldest first. Never throws: the request that does it
	 * has its own answer to deliver.
	 *
	 * @return int How many were written.
	 */
	public static function replay( Recorder $recorder, int $limit = self::PER_REQUEST ): int {
		self::release_stale_claims();
		$files = self::files( '.json' );
		usort( $files, static fn ( $a, $b ) => filemtime( $a ) <=> filemtime( $b ) );
		$written = 0;
		foreach ( array_slice( $files, 0, $limit ) as $file ) {
			$claim = $file . '.' . getmypid() . '.claim';
			// phpcs:ignore WordPress.PHP.NoSilencedErrors -- another worker claimed it first: skip it.
			if ( ! @rename( $file, $claim ) ) {
				continue;
			}
			$entry = json_decode( (string) file_get_contents( $claim ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			if ( ! is_array( $entry ) || ! is_string( $entry['state'] ?? null ) ) {
				Recording_Failures::remember( basename( $file, '.json' ), __( 'a record kept while the database was unavailable could not be read', 'aipuffer-connectors' ) );
				wp_delete_file( $claim );
				continue;
			}
			try {
				$recorder->record( (array) ( $entry['locks'] ?? array() ), Continuation::of( $entry['state'] ) );
				++$written;
			} catch ( Recording_Failed $e ) {
				if ( $e->is_database_unavailable() ) {
					rename( $claim, $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- it waits again.
					break;
				}
				Recording_Failures::remember( (string) ( $entry['request_id'] ?? '' ), $e->getMessage() );
			} catch ( \Throwable $e ) {
				Recording_Failures::remember( (string) ( $entry['request_id'] ?? '' ), $e->getMessage() );
			}
			wp_delete_file( $claim );
		}
		return $written;
	}

	private static function release_stale_claims(): void {
		foreach ( self::files( '.claim' ) as $claim ) {
			if ( filemtime( $claim ) < time() - self::STALE_CLAIM_SECONDS ) {
				rename( $claim, (string) preg_replace( '/\.\d+\.claim$/', '', $claim ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			}
		}
	}

	/** @return list<string> */
	private static function files( string $suffix ): array {
		$dir = self::dir();
		if ( ! is_dir( $dir ) ) {
			return array();
		}
		$pattern = $dir . '/' . self::prefix() . '*' . ( '.claim' === $suffix ? '.json.*.claim' : '.json' );
		return array_values( (array) glob( $pattern ) );
	}

	/** Records belong to one site of a network: its tables get them. */
	private static function prefix(): string {
		return get_current_blog_id() . '-';
	}

	/** A folder only PHP's user can read, that no web server serves. */
	private static function prepare( string $dir ): bool {
		// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.PHP.NoSilencedErrors
		if ( ! is_dir( $dir ) && ! @mkdir( $dir, 0700, true ) && ! is_dir( $dir ) ) {
			return false;
		}
		if ( ! file_exists( $dir . '/index.php' ) ) {
			@file_put_contents( $dir . '/index.php', "<?php\n// Silence is golden.\n" );
			@file_put_contents( $dir . '/.htaccess', "Require all denied\nDeny from all\n" );
		}
		// phpcs:enable
		return is_writable( $dir ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}
}
