<?php
/**
 * An engine failure as the AI Client exception that gives the caller the right `WP_Error` code
 * and status (WordPress's prompt builder does that conversion), its message in the site's
 * language.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Common\Exception\InvalidArgumentException;
use WordPress\AiClient\Common\Exception\RuntimeException;
use WordPress\AiClient\Common\Exception\TokenLimitReachedException;
use WordPress\AiClient\Providers\Http\Exception\ClientException;
use WordPress\AiClient\Providers\Http\Exception\NetworkException;
use WordPress\AiClient\Providers\Http\Exception\ServerException;

defined( 'ABSPATH' ) || exit;

final class Errors {

	/**
	 * @param array<string, mixed> $error The `error` of a fail step.
	 */
	public static function exception( array $error ): \Exception {
		$message = Failure_Messages::render( $error );
		$status  = (int) ( $error['status'] ?? 500 );
		switch ( $error['exception'] ?? '' ) {
			case 'client':
				return new ClientException( $message, $status );
			case 'server':
				return new ServerException( $message, $status );
			case 'network':
				return new NetworkException( $message );
			case 'token_limit':
				return new TokenLimitReachedException( $message );
			case 'invalid_argument':
				return new InvalidArgumentException( $message );
			default:
				return new RuntimeException( $message );
		}
	}
}
