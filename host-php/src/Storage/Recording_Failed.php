<?php
/**
 * A record that could not be written (after every retry); nothing of it was kept.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

defined( 'ABSPATH' ) || exit;

final class Recording_Failed extends \RuntimeException {
}
