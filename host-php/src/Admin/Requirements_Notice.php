<?php
/**
 * The admin notice shown when the gateway cannot run.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

defined( 'ABSPATH' ) || exit;

final class Requirements_Notice {

	/** @var string[] */
	private array $problems;

	/**
	 * @param string[] $problems Sentences from Requirements::problems().
	 */
	public function __construct( array $problems ) {
		$this->problems = $problems;
	}

	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
	}

	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( null !== $screen && false !== strpos( (string) $screen->id, Requirements_Screen::SLUG ) ) {
			return; // The server check screen says all of it, with the lines to add.
		}
		echo '<div class="notice notice-error"><p><strong>';
		echo esc_html__( 'AI Puffer Connectors is not running.', 'aipuffer-connectors' );
		echo '</strong> ';
		echo esc_html__( 'The WordPress AI Client works as before, without the gateway. What stops it:', 'aipuffer-connectors' );
		echo '</p><ul style="list-style:disc;padding-left:2em">';
		// What is wrong, in short; the server check screen has the lines to add.
		foreach ( \AIPuffer\Connectors\Requirements::diagnosis() as $problem ) {
			echo '<li>' . esc_html( $problem['message'] ) . '</li>';
		}
		echo '</ul><p><a class="button" href="' . esc_url( Requirements_Screen::url() ) . '">' . esc_html__( 'Server check: what to change, and Check again', 'aipuffer-connectors' ) . '</a></p></div>';
	}
}
