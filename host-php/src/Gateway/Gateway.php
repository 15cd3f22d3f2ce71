<?php
/**
 * Takes over the AI Client's connectors while AI Puffer manages them: registers one provider per
 * connector before WordPress turns providers into connectors (`init` 15). A provider of the same
 * id registered earlier (e.g. by an official provider plugin at `init` 5) is replaced in place.
 * When management is off nothing is registered, and stopping it deletes nothing.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Admin\Requirements_Notice;
use AIPuffer\Connectors\Gateway\Providers\Aipuffer_Provider;
use AIPuffer\Connectors\Gateway\Providers\Anthropic_Provider;
use AIPuffer\Connectors\Gateway\Providers\Azure_Provider;
use AIPuffer\Connectors\Gateway\Providers\Deepseek_Provider;
use AIPuffer\Connectors\Gateway\Providers\Google_Provider;
use AIPuffer\Connectors\Gateway\Providers\Ollama_Provider;
use AIPuffer\Connectors\Gateway\Providers\Openai_Provider;
use AIPuffer\Connectors\Gateway\Providers\Openrouter_Provider;
use AIPuffer\Connectors\Gateway\Providers\Xai_Provider;
use WordPress\AiClient\AiClient;

defined( 'ABSPATH' ) || exit;

final class Gateway {

	/**
	 * One class per connector (the AI Client identifies providers by class), in AI Puffer's
	 * registration order: the default routes first, so a caller that names no model gets the
	 * default text model. Only those in the engine's directory — connectors whose adapter is
	 * built — are registered.
	 */
	private const PROVIDER_CLASSES = array(
		Aipuffer_Provider::class,
		Openai_Provider::class,
		Google_Provider::class,
		Anthropic_Provider::class,
		Openrouter_Provider::class,
		Azure_Provider::class,
		Deepseek_Provider::class,
		Xai_Provider::class,
		Ollama_Provider::class,
	);

	public function register(): void {
		add_action( 'init', array( $this, 'register_providers' ), 10 );
		( new Preferences() )->register();
		( new Asked_Preferences() )->register();
		foreach ( array( 'added_option', 'updated_option', 'deleted_option' ) as $hook ) {
			add_action( $hook, array( Directory::class, 'forget' ) );
		}
	}

	/**
	 * A failure here must never break the site: the AI Client then simply keeps its other
	 * providers, and administrators see why in a notice.
	 */
	public function register_providers(): void {
		try {
			if ( ! Site_Snapshot::managed() ) {
				return;
			}
			$registry = AiClient::defaultRegistry();
			foreach ( self::PROVIDER_CLASSES as $class ) {
				if ( array_key_exists( $class::ID, Directory::providers() ) ) {
					$registry->registerProvider( $class );
				}
			}
		} catch ( \Throwable $e ) {
			( new Requirements_Notice(
				array(
					/* translators: %s: error message */
					sprintf( __( 'The gateway could not start on this request: %s', 'aipuffer-connectors' ), $e->getMessage() ),
				)
			) )->register();
		}
	}
}
