<?php
/**
 * Image generation through wp_ai_client_prompt() inside WordPress, against the loopback's
 * OpenAI image endpoint: real PNGs of the size the orientation or ratio asks for, one request
 * or one per image as the model needs, the usage recorded as image_generation and the log
 * without the image data.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Directory;

final class ImagesTest extends Site_Test_Case {

	/** @return array{width: int, height: int, mime: string} What a File holds. */
	private static function image( $file ): array {
		self::assertInstanceOf( \WordPress\AiClient\Files\DTO\File::class, $file );
		$bytes = base64_decode( (string) $file->getBase64Data(), true );
		self::assertNotFalse( $bytes );
		$size = getimagesizefromstring( $bytes );
		self::assertIsArray( $size, 'the bytes are a real image' );
		return array( 'width' => $size[0], 'height' => $size[1], 'mime' => $size['mime'] );
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
}
