<?php
/**
 * "DeepSeek via AI Puffer".
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway\Providers;

use AIPuffer\Connectors\Gateway\Gateway_Provider;

defined( 'ABSPATH' ) || exit;

final class Deepseek_Provider extends Gateway_Provider {
	public const ID = 'deepseek';
}
