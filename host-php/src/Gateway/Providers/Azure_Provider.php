<?php
/**
 * "Azure OpenAI via AI Puffer".
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway\Providers;

use AIPuffer\Connectors\Gateway\Gateway_Provider;

defined( 'ABSPATH' ) || exit;

final class Azure_Provider extends Gateway_Provider {
	public const ID = 'azure';
}
