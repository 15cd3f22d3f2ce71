// Writes host-php/src/Gateway/Failure_Messages.php from the engine's manifest: one translatable
// `__()` template per failure reason. Run after adding or changing a reason in
// crates/engine/src/messages.rs (needs pkg/node built):
//   node scripts/lib/failure-messages.mjs
// host-php/tests/WordPress/FailureMessagesTest.php fails while the two disagree.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const engine = require('../../pkg/node/aipuffer_js.js');
const target = fileURLToPath(new URL('../../host-php/src/Gateway/Failure_Messages.php', import.meta.url));

const phpString = (text) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const cases = Object.entries(engine.manifest().messages)
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([reason, template]) => {
    const names = [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => `{${m[1]}}`);
    const comment = names.length ? `\t\t\t\t/* translators: keep each {name} as is: ${[...new Set(names)].join(', ')}. */\n` : '';
    return `\t\t\tcase '${reason}':\n${comment}\t\t\t\treturn __( ${phpString(template)}, 'aipuffer-connectors' );`;
  })
  .join('\n');

writeFileSync(
  target,
  `<?php
/**
 * Every sentence the engine can say, translatable. The engine names a stable reason and its
 * params; this class turns them into the site's language. The English templates here match the
 * engine's word for word (written by scripts/lib/failure-messages.mjs from the engine's
 * manifest; a test compares them), so a failure reads the same in English whether the engine
 * or WordPress renders it.
 *
 * @package AIPuffer\\Connectors
 */

namespace AIPuffer\\Connectors\\Gateway;

defined( 'ABSPATH' ) || exit;

final class Failure_Messages {

	/**
	 * The failure's sentence, and its detail sentence when it has one, in the site's language.
	 *
	 * @param array<string, mixed> $error The \`error\` of a fail step.
	 */
	public static function render( array $error ): string {
		$message = self::sentence( $error );
		if ( null === $message ) {
			// A reason this plugin does not know (a newer engine): its English text is the best there is.
			return (string) ( $error['message'] ?? __( 'The AI request failed.', 'aipuffer-connectors' ) );
		}
		if ( is_array( $error['detail'] ?? null ) ) {
			$detail = self::sentence( $error['detail'] );
			if ( null !== $detail ) {
				$message .= ' ' . $detail;
			}
		}
		return $message;
	}

	/**
	 * One reason's template with its \`{name}\` placeholders filled.
	 *
	 * @param array<string, mixed> $sentence \`{reason, params}\`.
	 */
	private static function sentence( array $sentence ): ?string {
		$template = self::template( (string) ( $sentence['reason'] ?? '' ) );
		if ( null === $template ) {
			return null;
		}
		$replacements = array();
		foreach ( (array) ( $sentence['params'] ?? array() ) as $name => $value ) {
			$replacements[ '{' . $name . '}' ] = is_scalar( $value ) ? (string) $value : '';
		}
		return strtr( $template, $replacements );
	}

	/**
	 * The translated template of a reason, or null for a reason this plugin does not know.
	 */
	public static function template( string $reason ): ?string {
		switch ( $reason ) {
${cases}
			default:
				return null;
		}
	}
}
`,
);
console.log(`wrote ${target}`);
