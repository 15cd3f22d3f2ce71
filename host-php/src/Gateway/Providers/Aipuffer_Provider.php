<?php
/**
 * "AI Puffer Defaults": the default routes AI Puffer infers (default text model, fast text
 * model), registered first so a caller that names no model gets the default text route. Each
 * alias resolves to a real connector and model; results name those, never the alias.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway\Providers;

use AIPuffer\Connectors\Gateway\Gateway_Provider;

defined( 'ABSPATH' ) || exit;

final class Aipuffer_Provider extends Gateway_Provider {
	public const ID = 'aipuffer';
}
