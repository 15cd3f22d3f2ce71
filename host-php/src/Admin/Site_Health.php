<?php
/**
 * Tools > Site Health: whether the gateway can run here, with the same advice as the settings
 * screen, and the versions a support request needs (plugin, engine, wasmtime) in the Info tab.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Plugin;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Server_Setup;

defined( 'ABSPATH' ) || exit;

final class Site_Health {

	/** @var string[] What stops the gateway (Requirements::problems()). */
	private array $problems;

	/**
	 * @param string[] $problems
	 */
	public function __construct( array $problems ) {
		$this->problems = $problems;
	}

	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'tests' ) );
		add_filter( 'debug_information', array( $this, 'information' ) );
	}

	/**
	 * @param array<string, mixed> $tests
	 * @return array<string, mixed>
	 */
	public function tests( $tests ): array {
		$tests                                        = (array) $tests;
		$tests['direct']['aipuffer_connectors']       = array(
			'label' => __( 'AI Puffer Connectors can run', 'aipuffer-connectors' ),
			'test'  => array( $this, 'result' ),
		);
		$tests['direct']['aipuffer_connectors_cache'] = array(
			'label' => __( 'AI Puffer Connectors can cache its compiled engine', 'aipuffer-connectors' ),
			'test'  => array( $this, 'cache_result' ),
		);
		return $tests;
	}

	/** @return array<string, mixed> The Site Health result: the same problems and fixes as the server check screen. */
	public function result(): array {
		$problems = array() === $this->problems ? array() : Requirements::diagnosis();
		$ready    = array() === $problems;
		$details  = '';
		if ( ! $ready ) {
			ob_start();
			foreach ( $problems as $problem ) {
				Requirements_Screen::render_problem( $problem );
			}
			$details = (string) ob_get_clean();
		}
		$versions = Requirements::versions( false );
		return array(
			'label'       => $ready
				? __( 'AI Puffer Connectors can run the WordPress AI Client gateway', 'aipuffer-connectors' )
				: __( 'AI Puffer Connectors cannot run the WordPress AI Client gateway', 'aipuffer-connectors' ),
			'status'      => $ready ? 'good' : 'critical',
			'badge'       => array(
				'label' => __( 'AI', 'aipuffer-connectors' ),
				'color' => $ready ? 'blue' : 'red',
			),
			'description' => ( $ready
				? '<p>' . esc_html__( 'The AI Client, PHP\'s FFI, the wasmtime library and the engine are in place.', 'aipuffer-connectors' ) . '</p>'
				: '<p>' . esc_html__( 'The WordPress AI Client keeps working without the gateway. To turn it on:', 'aipuffer-connectors' ) . '</p>' . $details )
				/* translators: 1: plugin version, 2: wasmtime version */
				. '<p>' . esc_html( sprintf( __( 'AI Puffer Connectors %1$s, wasmtime %2$s (the engine version is in the Info tab).', 'aipuffer-connectors' ), $versions['plugin'], $versions['wasmtime'] ) ) . '</p>',
			'actions'     => '<p><a href="' . esc_url( Requirements_Screen::url() ) . '">' . esc_html__( 'Server check (Check again after a change)', 'aipuffer-connectors' ) . '</a></p>',
			'test'        => 'aipuffer_connectors',
		);
	}

	/** @return array<string, mixed> Whether the compiled engine is kept between requests, and where. */
	public function cache_result(): array {
		$cache  = Requirements::cache();
		$notice = Requirements::cache_notice();
		return array(
			'label'       => '' === $notice
				? __( 'AI Puffer Connectors caches its compiled engine', 'aipuffer-connectors' )
				: __( 'AI Puffer Connectors cannot use wp-content to cache its compiled engine', 'aipuffer-connectors' ),
			'status'      => '' === $notice ? 'good' : 'recommended',
			'badge'       => array(
				'label' => __( 'Performance', 'aipuffer-connectors' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html(
				'' === $notice
					/* translators: %s: folder path */
					? sprintf( __( 'The compiled engine is kept in %s, so a request loads it in a fraction of a millisecond.', 'aipuffer-connectors' ), $cache['dir'] )
					: $notice
			) . '</p>',
			'actions'     => '<p><a href="' . esc_url( Requirements_Screen::url() ) . '">' . esc_html__( 'Server check', 'aipuffer-connectors' ) . '</a></p>',
			'test'        => 'aipuffer_connectors_cache',
		);
	}

	/**
	 * The Info tab's section: versions and where the pieces are.
	 *
	 * @param array<string, mixed> $info
	 * @return array<string, mixed>
	 */
	public function information( $info ): array {
		$versions = Requirements::versions( array() === $this->problems );
		$env      = Server_Setup::environment();
		$cache    = Requirements::cache();
		$info                        = (array) $info;
		$info['aipuffer-connectors'] = array(
			'label'  => __( 'AI Puffer Connectors', 'aipuffer-connectors' ),
			'fields' => array(
				'plugin'   => array( 'label' => __( 'Plugin version', 'aipuffer-connectors' ), 'value' => $versions['plugin'] ),
				'engine'   => array( 'label' => __( 'Engine version', 'aipuffer-connectors' ), 'value' => $versions['engine'] ),
				'wasmtime' => array( 'label' => __( 'wasmtime version', 'aipuffer-connectors' ), 'value' => $versions['wasmtime'] ),
				'library'  => array( 'label' => __( 'wasmtime library', 'aipuffer-connectors' ), 'value' => Requirements::library_path() ),
				'server'   => array( 'label' => __( 'Server', 'aipuffer-connectors' ), 'value' => sprintf( '%1$s %2$s, PHP %3$s (%4$s), ffi.enable=%5$s', $env['os'], $env['machine'], PHP_VERSION, $env['sapi'], '' === $env['ffi_enable'] ? '0' : $env['ffi_enable'] ) ),
				'cache'    => array( 'label' => __( 'Compiled engine cache', 'aipuffer-connectors' ), 'value' => 'none' === $cache['kind'] ? __( 'none: compiled on every request', 'aipuffer-connectors' ) : $cache['dir'] ),
				'mode'     => array( 'label' => __( 'Manages the AI Client', 'aipuffer-connectors' ), 'value' => Management::managed() ? __( 'Yes', 'aipuffer-connectors' ) : __( 'No', 'aipuffer-connectors' ) ),
				'problems' => array( 'label' => __( 'What stops the gateway', 'aipuffer-connectors' ), 'value' => array() === $this->problems ? __( 'Nothing', 'aipuffer-connectors' ) : implode( ' ', $this->problems ) ),
			),
		);
		return $info;
	}
}
