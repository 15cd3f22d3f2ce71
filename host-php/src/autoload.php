<?php
/**
 * Autoloader: `AIPuffer\Connectors\Gateway\Task_Runner` lives in `src/Gateway/Task_Runner.php`.
 *
 * @package AIPuffer\Connectors
 */

defined( 'ABSPATH' ) || defined( 'AIPUFFER_CONNECTORS_CLI' ) || exit;

spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'AIPuffer\\Connectors\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$file = __DIR__ . '/' . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);
