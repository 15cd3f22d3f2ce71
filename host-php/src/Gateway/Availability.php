<?php
/**
 * A connector is available when the engine says so: management is on and the provider has what it
 * needs to authenticate. No provider call is made to find out.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use WordPress\AiClient\Providers\Contracts\ProviderAvailabilityInterface;

defined( 'ABSPATH' ) || exit;

final class Availability implements ProviderAvailabilityInterface {

	private string $id;

	public function __construct( string $id ) {
		$this->id = $id;
	}

	public function isConfigured(): bool {
		return ! empty( Directory::provider( $this->id )['configured'] );
	}
}
