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
use AIPuffer\Connectors\Runtime\Wasmtime_Library;

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
		$tests                                     = (array) $tests;
		$tests['direct']['aipuffer_connectors'] = array(
			'label' => __( 'AI Puffer Connectors can run', 'aipuffer-connectors' ),
			'test'  => array( $this, 'result' ),
		);
		return $tests;
	}

	/** @return array<string, mixed> The Site Health result. */
	public function result(): array {
		$ready = array() === $this->problems;
		$items = '';
		foreach ( $this->problems as $problem ) {
			$items .= '<li>' . esc_html( $problem ) . '</li>';
		}
		return array(
			'label'       => $ready
				? __( 'AI Puffer Connectors can run the WordPress AI Client gateway', 'aipuffer-connectors' )
				: __( 'AI Puffer Connectors cannot run the WordPress AI Client gateway', 'aipuffer-connectors' ),
			'status'      => $ready ? 'good' : 'critical',
			'badge'       => array(
				'label' => __( 'AI', 'aipuffer-connectors' ),
				'color' => $ready ? 'blue' : 'red',
			),
			'description' => $ready
				? '<p>' . esc_html__( 'The AI Client, PHP\'s FFI, the wasmtime library and the engine are in place.', 'aipuffer-connectors' ) . '</p>'
				: '<p>' . esc_html__( 'The WordPress AI Client keeps working without the gateway. To turn it on:', 'aipuffer-connectors' ) . '</p><ul class="ul-disc">' . $items . '</ul>',
			'actions'     => '<p><a href="' . esc_url( Settings_Page::url( 'ai' ) ) . '">' . esc_html__( 'AI Puffer Connectors settings', 'aipuffer-connectors' ) . '</a></p>',
			'test'        => 'aipuffer_connectors',
		);
	}

	/**
	 * The Info tab's section: versions and where the pieces are.
	 *
	 * @param array<string, mixed> $info
	 * @return array<string, mixed>
	 */
	public function information( $info ): array {
		$engine = __( 'not loaded', 'aipuffer-connectors' );
		if ( array() === $this->problems ) {
			try {
				$engine = Requirements::engine()->version();
			} catch ( \Throwable $e ) {
				$engine = $e->getMessage();
			}
		}
		$info                        = (array) $info;
		$info['aipuffer-connectors'] = array(
			'label'  => __( 'AI Puffer Connectors', 'aipuffer-connectors' ),
			'fields' => array(
				'plugin'   => array( 'label' => __( 'Plugin version', 'aipuffer-connectors' ), 'value' => Plugin::VERSION ),
				'engine'   => array( 'label' => __( 'Engine version', 'aipuffer-connectors' ), 'value' => $engine ),
				'wasmtime' => array( 'label' => __( 'wasmtime version', 'aipuffer-connectors' ), 'value' => Wasmtime_Library::VERSION ),
				'library'  => array( 'label' => __( 'wasmtime library', 'aipuffer-connectors' ), 'value' => Requirements::library_path() ),
				'mode'     => array( 'label' => __( 'Manages the AI Client', 'aipuffer-connectors' ), 'value' => Management::managed() ? __( 'Yes', 'aipuffer-connectors' ) : __( 'No', 'aipuffer-connectors' ) ),
				'problems' => array( 'label' => __( 'What stops the gateway', 'aipuffer-connectors' ), 'value' => array() === $this->problems ? __( 'Nothing', 'aipuffer-connectors' ) : implode( ' ', $this->problems ) ),
			),
		);
		return $info;
	}
}
