<?php
/**
 * The WordPress AI plugin asks for models through preference lists (`wpai_preferred_text_models`,
 * `wpai_preferred_vision_models`: lists of `[provider, model]`). While AI Puffer manages the AI
 * Client, its default text route goes first — for vision only when that route's model accepts
 * images — and `wpai_preferred_image_models` gets the default image route.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Gateway\Providers\Aipuffer_Provider;
use WordPress\AiClient\Messages\Enums\ModalityEnum;

defined( 'ABSPATH' ) || exit;

final class Preferences {

	public const TEXT_ALIAS = 'aipuffer-default-text';

	public const IMAGE_ALIAS = 'aipuffer-default-image';

	public function register(): void {
		add_filter( 'wpai_preferred_text_models', array( $this, 'text' ) );
		add_filter( 'wpai_preferred_vision_models', array( $this, 'vision' ) );
		add_filter( 'wpai_preferred_image_models', array( $this, 'image' ) );
	}

	/**
	 * @param mixed $models
	 * @return mixed
	 */
	public function image( $models ) {
		return $this->prepend( $models, false, self::IMAGE_ALIAS );
	}

	/**
	 * @param mixed $models
	 * @return mixed
	 */
	public function text( $models ) {
		return $this->prepend( $models, false );
	}

	/**
	 * @param mixed $models
	 * @return mixed
	 */
	public function vision( $models ) {
		return $this->prepend( $models, true );
	}

	/**
	 * @param mixed $models
	 * @return mixed
	 */
	private function prepend( $models, bool $needs_images, string $alias_id = self::TEXT_ALIAS ) {
		if ( ! is_array( $models ) || ! Site_Snapshot::managed() ) {
			return $models;
		}
		try {
			$alias = Directory::models( Aipuffer_Provider::ID )[ $alias_id ] ?? null;
		} catch ( \Throwable $e ) {
			return $models;
		}
		if ( null === $alias || ( $needs_images && ! self::accepts_images( $alias ) ) ) {
			return $models;
		}
		array_unshift( $models, array( Aipuffer_Provider::ID, $alias_id ) );
		return $models;
	}

	private static function accepts_images( \WordPress\AiClient\Providers\Models\DTO\ModelMetadata $model ): bool {
		foreach ( $model->getSupportedOptions() as $option ) {
			if ( ! $option->getName()->isInputModalities() ) {
				continue;
			}
			foreach ( (array) $option->getSupportedValues() as $combination ) {
				foreach ( (array) $combination as $modality ) {
					if ( $modality instanceof ModalityEnum ? $modality->isImage() : 'image' === $modality ) {
						return true;
					}
				}
			}
		}
		return false;
	}
}
