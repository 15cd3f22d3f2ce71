<?php
/**
 * Plugin Name:       AI Puffer Connectors
 * Description:       Routes every WordPress AI Client request through your own AI providers, with connector approvals, inferred default models, pricing, credits and usage logs — decided by a WebAssembly engine.
 * Version:           0.1.0
 * Requires at least: 7.0
 * Requires PHP:      8.1
 * Author:            AI Puffer Connectors contributors
 * License:           GPL-2.0-or-later
 * Text Domain:       aipuffer-connectors
 *
 * @package AIPuffer\Connectors
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/src/autoload.php';

AIPuffer\Connectors\Plugin::boot( __FILE__ );
