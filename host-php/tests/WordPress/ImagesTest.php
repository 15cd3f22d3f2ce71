<?php
/**
 * Image generation through wp_ai_client_prompt() inside WordPress, against the loopback's image
 * endpoints of every connector that makes images (OpenAI, Google's Gemini and Imagen, xAI,
 * OpenRouter, Azure deployments): real PNGs or JPEGs of the size the orientation or ratio asks
 * for, one request or one per image as the model needs, the usage recorded as image_generation
 * and the log without the image data; a reference image (image refinement) reaching the models
 * that take one, and keeping away from those that do not.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Directory;

final class ImagesTest extends Site_Test_Case {

	/** A 1×1 PNG: the image a refinement sends along (what the AI plugin's image refinement does). */
	private const REFERENCE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

	/** @return array{width: int, height: int, mime: string} What a File holds. */
	private static function image( $file ): array {
		self::assertInstanceOf( \WordPress\AiClient\Files\DTO\File::class, $file );
		$bytes = base64_decode( (string) $file->getBase64Data(), true );
		self::assertNotFalse( $bytes );
		$size = getimagesizefromstring( $bytes );
		self::assertIsArray( $size, 'the bytes are a real image' );
		return array( 'width' => $size[0], 'height' => $size[1], 'mime' => $size['mime'] );
	}

	/** Adds an image catalog to a connector's registry snapshot (the demo lists OpenAI's and Gemini's). */
	private static function add_image_models( string $registry, string $catalog, array $rows ): void {
		$option                         = get_option( $registry );
		$option['catalogs'][ $catalog ] = $rows;
		update_option( $registry, $option, false );
		Directory::reset();
	}

	/** @return array<string, mixed> The JSON body of the loopback's last recorded request. */
	private static function last_request_body(): array {
		$requests = self::provider_requests();
		return is_array( end( $requests )['body'] ?? null ) ? end( $requests )['body'] : array();
	}

	public function test_a_landscape_gpt_image_is_a_1536_by_1024_png_recorded_as_image_generation(): void {
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'A clean product photo on a white background' )
			->using_model_preference( array( 'openai', 'gpt-image-1' ) )
			->as_output_media_orientation( \WordPress\AiClient\Files\Enums\MediaOrientationEnum::landscape() )
			->generate_image_result();

		$this->assertNotWPError( $result );
		$this->assertSame( array( 'width' => 1536, 'height' => 1024, 'mime' => 'image/png' ), self::image( $result->toFile() ) );
		$this->assertStringStartsWith( 'data:image/png;base64,', $result->toFile()->getDataUri() );
		$this->assertSame( 'gpt-image-1', $result->getModelMetadata()->getId() );
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/v1/images/generations', $requests[0]['path'] );
		$ledger = self::ledger_row( $result->getId() );
		$this->assertSame( 'image_generation', $ledger['operation'] );
		$meta = json_decode( $ledger['meta'], true );
		$this->assertSame( 'image_generator', $meta['pricing_module'] );
		// GPT Image 1 by the price list: 20 text tokens at $5 and 1,056 image tokens at $40 per million.
		$this->assertSame( array( '0.042340', 'gpt-image-1' ), array( $meta['usd_cost'], $meta['usd_price']['key'] ) );
		$log = self::chat_log_row( $result->getId() );
		$this->assertLessThan( 4096, strlen( $log['messages'] ), 'the log keeps no image data' );
		$this->assertStringContainsString( '[image: image/png', $log['messages'] );
	}

	public function test_a_gpt_image_asked_for_webp_is_a_webp_of_the_shape_asked_for(): void {
		self::clear_provider_requests();

		$file = wp_ai_client_prompt( 'A clean product photo on a white background' )
			->using_model_preference( array( 'openai', 'gpt-image-1' ) )
			->as_output_media_aspect_ratio( '2:3' )
			->as_output_mime_type( 'image/webp' )
			->generate_image();

		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1024, 'height' => 1536, 'mime' => 'image/webp' ), self::image( $file ) );
		$this->assertStringStartsWith( 'data:image/webp;base64,', $file->getDataUri() );
		$this->assertSame( 'webp', self::provider_requests()[0]['body']['output_format'] );
	}

	public function test_two_dall_e_3_images_in_7_to_4_are_two_requests(): void {
		self::clear_provider_requests();

		$files = wp_ai_client_prompt( 'A teapot' )
			->using_model_preference( array( 'openai', 'dall-e-3' ) )
			->as_output_media_aspect_ratio( '7:4' )
			->generate_images( 2 );

		$this->assertNotWPError( $files );
		$this->assertCount( 2, $files );
		foreach ( $files as $file ) {
			$this->assertSame( array( 'width' => 1792, 'height' => 1024, 'mime' => 'image/png' ), self::image( $file ) );
		}
		$this->assertCount( 2, self::provider_requests() );
	}

	public function test_image_support_follows_the_configuration(): void {
		$this->assertTrue( wp_ai_client_prompt( 'A teapot' )->is_supported_for_image_generation() );
		$this->assertArrayHasKey( 'gpt-image-1', Directory::models( 'openai' ) );
		$this->assertArrayNotHasKey( 'dall-e-2', Directory::models( 'openai' ), 'a model the gateway does not map is not offered' );

		$options = get_option( 'aipkit_options' );
		$options['providers']['OpenAI']['api_key'] = '';
		$options['providers']['Google']['api_key'] = '';
		update_option( 'aipkit_options', $options );
		Directory::reset();
		$this->assertFalse( wp_ai_client_prompt( 'A teapot' )->is_supported_for_image_generation(), 'no configured connector makes images' );
	}

	public function test_a_ratio_the_model_does_not_make_is_not_offered(): void {
		$result = wp_ai_client_prompt( 'A teapot' )
			->using_model_preference( array( 'openai', 'dall-e-3' ) )
			->as_output_media_aspect_ratio( '7:5' )
			->generate_image_result();

		$this->assertInstanceOf( \WP_Error::class, $result, 'no model declares 7:5' );
	}

	public function test_a_gemini_image_in_16_to_9_is_a_1344_by_768_png(): void {
		self::clear_provider_requests();

		$file = wp_ai_client_prompt( 'A teapot on a white background' )
			->using_model_preference( array( 'google', 'gemini-2.5-flash-image' ) )
			->as_output_media_aspect_ratio( '16:9' )
			->generate_image();

		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1344, 'height' => 768, 'mime' => 'image/png' ), self::image( $file ) );
		$this->assertSame( '/google/v1beta/models/gemini-2.5-flash-image:generateContent', self::provider_requests()[0]['path'] );
	}

	public function test_a_gemini_image_model_refines_a_reference_image_sent_inline_beside_the_prompt(): void {
		self::clear_provider_requests();

		$file = wp_ai_client_prompt( 'Make the background light blue' )
			->with_file( 'data:image/png;base64,' . self::REFERENCE_PNG, 'image/png' )
			->using_model_preference( array( 'google', 'gemini-2.5-flash-image' ) )
			->generate_image();

		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1024, 'height' => 1024, 'mime' => 'image/png' ), self::image( $file ) );
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/google/v1beta/models/gemini-2.5-flash-image:generateContent', $requests[0]['path'] );
		$this->assertEquals(
			array(
				array( 'text' => 'Make the background light blue' ),
				array( 'inlineData' => array( 'mimeType' => 'image/png', 'data' => self::REFERENCE_PNG ) ),
			),
			$requests[0]['body']['contents'][0]['parts'],
			'the image to refine reaches Gemini as inline data beside the prompt'
		);
	}

	public function test_gpt_image_edits_a_reference_image_through_a_multipart_upload(): void {
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'Make the background light blue' )
			->with_file( 'data:image/png;base64,' . self::REFERENCE_PNG, 'image/png' )
			->using_model_preference( array( 'openai', 'gpt-image-1' ) )
			->as_output_media_orientation( \WordPress\AiClient\Files\Enums\MediaOrientationEnum::landscape() )
			->generate_image_result();

		$this->assertNotWPError( $result );
		$this->assertSame( array( 'width' => 1536, 'height' => 1024, 'mime' => 'image/png' ), self::image( $result->toFile() ) );
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/v1/images/edits', $requests[0]['path'] );
		$this->assertStringStartsWith( 'multipart/form-data; boundary=', $requests[0]['headers']['content-type'] );
		$body = $requests[0]['body'];
		$this->assertSame(
			array( 'gpt-image-1', 'Make the background light blue', '1', '1536x1024', 'png' ),
			array( $body['model'], $body['prompt'], $body['n'], $body['size'], $body['output_format'] )
		);
		$this->assertSame(
			array( array( 'name' => 'image[]', 'filename' => 'image-1.png', 'type' => 'image/png', 'base64' => self::REFERENCE_PNG ) ),
			$body['files'],
			'the image to refine reaches OpenAI as the bytes of an image[] file'
		);
		$this->assertSame( 'image_generation', self::ledger_row( $result->getId() )['operation'] );
		$log = json_decode( self::chat_log_row( $result->getId() )['messages'], true );
		$this->assertSame(
			'Make the background light blue [image: image/png, 1 KB]',
			$log['messages'][0]['content'],
			'the log names the image to refine, without its data'
		);
	}

	public function test_a_model_that_takes_no_reference_image_is_not_chosen_for_one(): void {
		self::add_image_models( 'aipkit_model_registry_google', 'GoogleImage', array( array( 'id' => 'imagen-4.0-generate-001', 'name' => 'Imagen 4' ) ) );
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'Make the background light blue' )
			->with_file( 'data:image/png;base64,' . self::REFERENCE_PNG, 'image/png' )
			->using_model_preference( array( 'google', 'imagen-4.0-generate-001' ) )
			->generate_image();

		// Imagen declares text input only, so the AI Client does not pick it for a prompt with an
		// image: the prompt fails or goes to a model that declares image input, never to :predict
		// with the image dropped.
		$predicted = array_filter( self::provider_requests(), static fn( $r ) => str_ends_with( (string) $r['path'], ':predict' ) );
		$this->assertSame( array(), $predicted );
		if ( ! is_wp_error( $result ) ) {
			$this->assertStringContainsString( self::REFERENCE_PNG, wp_json_encode( self::provider_requests() ), 'whoever made it was sent the image' );
		}
	}

	public function test_two_grok_imagine_images_in_16_to_9_are_1408_by_792_jpegs_from_one_request(): void {
		self::add_image_models( 'aipkit_model_registry_xai', 'xAIImage', array( array( 'id' => 'grok-imagine-image', 'name' => 'Grok Imagine' ) ) );
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'A teapot on a white background' )
			->using_model_preference( array( 'xai', 'grok-imagine-image' ) )
			->as_output_media_aspect_ratio( '16:9' )
			->using_candidate_count( 2 )
			->generate_image_result();

		$this->assertNotWPError( $result );
		$files = $result->toFiles();
		$this->assertCount( 2, $files );
		foreach ( $files as $file ) {
			$this->assertSame( array( 'width' => 1408, 'height' => 792, 'mime' => 'image/jpeg' ), self::image( $file ) );
			$this->assertStringStartsWith( 'data:image/jpeg;base64,', $file->getDataUri() );
		}
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/xai/v1/images/generations', $requests[0]['path'] );
		$body = $requests[0]['body'];
		$this->assertSame( array( '16:9', 2, 'b64_json' ), array( $body['aspect_ratio'], $body['n'], $body['response_format'] ) );
		$this->assertArrayNotHasKey( 'size', $body, 'xAI refuses size' );
		$meta = json_decode( self::ledger_row( $result->getId() )['meta'], true );
		$this->assertSame( array( 2, true ), array( $meta['unit_count'], $meta['usage_estimated'] ), 'two images, AI Puffer\'s units: xAI reports no tokens' );
	}

	public function test_grok_2_image_is_offered_in_its_one_shape_only(): void {
		self::add_image_models( 'aipkit_model_registry_xai', 'xAIImage', array( array( 'id' => 'grok-2-image-1212', 'name' => 'Grok 2 Image' ) ) );

		$file = wp_ai_client_prompt( 'A teapot' )->using_model_preference( array( 'xai', 'grok-2-image-1212' ) )->generate_image();
		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1024, 'height' => 768, 'mime' => 'image/jpeg' ), self::image( $file ) );
		$this->assertArrayNotHasKey( 'aspect_ratio', self::last_request_body() );

		// A square: the preference cannot be honoured, so the default image route answers.
		$square = wp_ai_client_prompt( 'A teapot' )
			->using_model_preference( array( 'xai', 'grok-2-image-1212' ) )
			->as_output_media_orientation( \WordPress\AiClient\Files\Enums\MediaOrientationEnum::square() )
			->generate_image_result();
		$this->assertNotWPError( $square );
		$this->assertNotSame( 'grok-2-image-1212', $square->getModelMetadata()->getId(), 'grok-2-image declares landscape only' );
	}

	public function test_azure_deployments_make_images_by_the_model_they_serve(): void {
		self::add_image_models(
			'aipkit_model_registry_azure',
			'AzureImage',
			array( array( 'id' => 'dalle3', 'name' => 'dalle3 (dall-e-3)' ), array( 'id' => 'gpt-image-1', 'name' => 'gpt-image-1' ) )
		);
		self::clear_provider_requests();

		$file = wp_ai_client_prompt( 'A teapot' )
			->using_model_preference( array( 'azure', 'dalle3' ) )
			->as_output_media_aspect_ratio( '4:7' )
			->generate_image();
		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1024, 'height' => 1792, 'mime' => 'image/png' ), self::image( $file ) );
		$request = self::provider_requests()[0];
		$this->assertSame( '/azure/openai/deployments/dalle3/images/generations?api-version=2025-01-01-preview', $request['path'] );
		$this->assertSame( '[redacted]', $request['headers']['api-key'] );
		$this->assertArrayNotHasKey( 'model', $request['body'], 'the deployment names the model' );

		// GPT Image came to Azure with API version 2025-04-01-preview: older ones refuse it, in Azure's words.
		$old = wp_ai_client_prompt( 'A teapot' )->using_model_preference( array( 'azure', 'gpt-image-1' ) )->generate_image();
		$this->assertInstanceOf( \WP_Error::class, $old );
		$this->assertStringContainsString( 'not supported with API version 2025-01-01-preview', $old->get_error_message() );

		$options = get_option( 'aipkit_options' );
		$options['providers']['Azure']['api_version_inference'] = '2025-04-01-preview';
		update_option( 'aipkit_options', $options );
		Directory::reset();
		$result = wp_ai_client_prompt( 'A teapot' )
			->using_model_preference( array( 'azure', 'gpt-image-1' ) )
			->as_output_media_aspect_ratio( '3:2' )
			->as_output_mime_type( 'image/jpeg' )
			->generate_image_result();
		$this->assertNotWPError( $result );
		$this->assertSame( array( 'width' => 1536, 'height' => 1024, 'mime' => 'image/jpeg' ), self::image( $result->toFile() ) );
		$this->assertSame( 1076, $result->getTokenUsage()->getTotalTokens(), 'GPT Image reports its tokens on Azure too' );

		// A GPT Image deployment refines a reference image at its own …/images/edits.
		self::clear_provider_requests();
		$edited = wp_ai_client_prompt( 'Make the background light blue' )
			->with_file( 'data:image/png;base64,' . self::REFERENCE_PNG, 'image/png' )
			->using_model_preference( array( 'azure', 'gpt-image-1' ) )
			->as_output_media_orientation( \WordPress\AiClient\Files\Enums\MediaOrientationEnum::portrait() )
			->generate_image();
		$this->assertNotWPError( $edited );
		$this->assertSame( array( 'width' => 1024, 'height' => 1536, 'mime' => 'image/png' ), self::image( $edited ) );
		$request = self::provider_requests()[0];
		$this->assertSame( '/azure/openai/deployments/gpt-image-1/images/edits?api-version=2025-04-01-preview', $request['path'] );
		$this->assertArrayNotHasKey( 'model', $request['body'], 'the deployment names the model' );
		$this->assertSame( self::REFERENCE_PNG, $request['body']['files'][0]['base64'] );
	}

	public function test_an_openrouter_gemini_image_in_21_to_9_is_a_1536_by_672_png_priced_by_openrouter(): void {
		self::add_image_models( 'aipkit_model_registry_openrouter', 'OpenRouterImage', array( array( 'id' => 'google/gemini-2.5-flash-image', 'name' => 'Google: Gemini 2.5 Flash Image' ) ) );
		self::clear_provider_requests();

		$result = wp_ai_client_prompt( 'A teapot on a white background' )
			->using_model_preference( array( 'openrouter', 'google/gemini-2.5-flash-image' ) )
			->as_output_media_aspect_ratio( '21:9' )
			->generate_image_result();

		$this->assertNotWPError( $result );
		$this->assertSame( array( 'width' => 1536, 'height' => 672, 'mime' => 'image/png' ), self::image( $result->toFile() ) );
		$body = self::provider_requests()[0]['body'];
		$this->assertSame( array( array( 'image', 'text' ), array( 'aspect_ratio' => '21:9' ) ), array( $body['modalities'], $body['image_config'] ) );
		$meta = json_decode( self::ledger_row( $result->getId() )['meta'], true );
		$this->assertSame( array( 1, false ), array( $meta['unit_count'], $meta['usage_estimated'] ) );
		$this->assertNotNull( $meta['usd_cost'], 'OpenRouter reports what the image cost' );
	}

	public function test_an_openrouter_gemini_image_model_refines_a_reference_image_sent_as_a_data_url(): void {
		self::add_image_models( 'aipkit_model_registry_openrouter', 'OpenRouterImage', array( array( 'id' => 'google/gemini-2.5-flash-image', 'name' => 'Google: Gemini 2.5 Flash Image' ) ) );
		self::clear_provider_requests();

		$file = wp_ai_client_prompt( 'Make the background light blue' )
			->with_file( 'data:image/png;base64,' . self::REFERENCE_PNG, 'image/png' )
			->using_model_preference( array( 'openrouter', 'google/gemini-2.5-flash-image' ) )
			->generate_image();

		$this->assertNotWPError( $file );
		$this->assertSame( array( 'width' => 1024, 'height' => 1024, 'mime' => 'image/png' ), self::image( $file ) );
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/openrouter/v1/chat/completions', $requests[0]['path'] );
		$this->assertEquals(
			array(
				array( 'text' => 'Make the background light blue', 'type' => 'text' ),
				array( 'image_url' => array( 'url' => 'data:image/png;base64,' . self::REFERENCE_PNG ), 'type' => 'image_url' ),
			),
			$requests[0]['body']['messages'][0]['content'],
			'the image to refine reaches OpenRouter as an image_url part after the prompt'
		);
	}

	public function test_two_imagen_jpegs_in_3_to_4_come_from_one_predict_request(): void {
		self::add_image_models(
			'aipkit_model_registry_google',
			'GoogleImage',
			array( array( 'id' => 'gemini-2.5-flash-image', 'name' => 'Nano Banana' ), array( 'id' => 'imagen-4.0-generate-001', 'name' => 'Imagen 4' ) )
		);
		self::clear_provider_requests();

		$files = wp_ai_client_prompt( 'A teapot on a white background' )
			->using_model_preference( array( 'google', 'imagen-4.0-generate-001' ) )
			->as_output_media_aspect_ratio( '3:4' )
			->as_output_mime_type( 'image/jpeg' )
			->generate_images( 2 );

		$this->assertNotWPError( $files );
		$this->assertCount( 2, $files );
		foreach ( $files as $file ) {
			$this->assertSame( array( 'width' => 960, 'height' => 1280, 'mime' => 'image/jpeg' ), self::image( $file ) );
		}
		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/google/v1beta/models/imagen-4.0-generate-001:predict', $requests[0]['path'] );
		$this->assertEquals(
			array( 'sampleCount' => 2, 'aspectRatio' => '3:4', 'outputOptions' => array( 'mimeType' => 'image/jpeg' ) ),
			$requests[0]['body']['parameters']
		);
	}
}
