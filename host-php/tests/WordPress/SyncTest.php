<?php
/**
 * Sync models inside WordPress against the loopback provider: every connector's real list
 * endpoint, the catalogs stored where AI Puffer keeps them and served at once, a failed sync
 * keeping the old list, the scheduled refresh syncing only stale catalogs, and the refusals.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Model_Sync;
use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

final class SyncTest extends Site_Test_Case {

	/** @return array<string, array{string, string, string, string}> id, registry option, list path, a text model the loopback lists. */
	public function connectors(): array {
		return array(
			'openai'     => array( 'openai', 'aipkit_model_registry_openai', '/v1/models', 'gpt-5.4-mini' ),
			'google'     => array( 'google', 'aipkit_model_registry_google', '/google/v1beta/models?pageSize=1000', 'gemini-3-flash-preview' ),
			'anthropic'  => array( 'anthropic', 'aipkit_model_registry_claude', '/anthropic/v1/models?limit=1000', 'claude-opus-4-1' ),
			'openrouter' => array( 'openrouter', 'aipkit_model_registry_openrouter', '/openrouter/v1/models', 'mistralai/mistral-7b-instruct' ),
			'azure'      => array( 'azure', 'aipkit_model_registry_azure', '/azure/openai/deployments?api-version=2023-03-15-preview', 'o3-mini' ),
			'deepseek'   => array( 'deepseek', 'aipkit_model_registry_deepseek', '/deepseek/v1/models', 'deepseek-chat' ),
			'xai'        => array( 'xai', 'aipkit_model_registry_xai', '/xai/v1/models', 'grok-3-mini' ),
			'ollama'     => array( 'ollama', 'aipkit_model_registry_ollama', '/ollama/api/tags', 'llama3.2:latest' ),
		);
	}

	/** @dataProvider connectors */
	public function test_a_sync_stores_the_providers_list_and_the_gateway_serves_it( string $id, string $option, string $path, string $listed ): void {
		self::clear_provider_requests();

		$result = Model_Sync::sync( $id, false );

		$requests = self::provider_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( 'GET', $requests[0]['method'] );
		$this->assertSame( $path, $requests[0]['path'] );
		$this->assertSame( $id, $result['connector'] );
		$this->assertGreaterThan( 0, $result['text_models'] );
		$registry = get_option( $option );
		$this->assertSame( 'ready', $registry['sync'][ $registry['provider'] ]['status'] );
		$this->assertContains( $listed, array_column( $registry['catalogs'][ $registry['provider'] ], 'id' ) );
		Directory::reset();
		$this->assertArrayHasKey( $listed, Directory::models( $id ), 'served at once: the snapshot was rebuilt' );
		$this->assertSame( $result['synced_at'], Site_Snapshot::connector( $id )['synced_at'] );
	}

	public function test_image_models_go_to_the_image_catalog_and_not_to_text(): void {
		$result = Model_Sync::sync( 'openai', false );

		$this->assertSame( 2, $result['image_models'] );
		$registry = get_option( 'aipkit_model_registry_openai' );
		$this->assertSame( array( 'gpt-image-1', 'dall-e-3' ), array_column( $registry['catalogs']['OpenAIImage'], 'id' ) );
		$this->assertNotContains( 'dall-e-3', array_column( $registry['catalogs']['OpenAI'], 'id' ) );
		$this->assertArrayHasKey( 'GPT-5', get_option( 'aipkit_openai_model_list' ), 'the legacy mirror, grouped by family' );
		$this->assertSame( 'aipkit_model_registry_openai', get_option( 'aipkit_model_registry_manifest' )['providers']['OpenAI']['option'] );
	}

	public function test_a_failed_sync_keeps_the_old_list_and_says_why(): void {
		$before = get_option( 'aipkit_model_registry_openai' );
		$this->set_openai( array( 'api_key' => 'sk-wrong-key-000000000000' ) );

		try {
			Model_Sync::sync( 'openai', false );
			$this->fail( 'the sync succeeded with a wrong key' );
		} catch ( \Exception $e ) {
			$this->assertStringContainsString( 'API key', $e->getMessage() );
			$this->assertStringNotContainsString( 'sk-wrong-key', $e->getMessage() );
		}
		$this->assertSame( $before, get_option( 'aipkit_model_registry_openai' ) );
		$this->assertFalse( get_option( 'aipuffer_connectors_sync_lock_openai' ), 'the lock is released' );
	}

	public function test_the_scheduled_refresh_syncs_only_stale_catalogs(): void {
		foreach ( $this->connectors() as list( $id, $option ) ) {
			$registry         = (array) get_option( $option, array() );
			$provider         = $registry['provider'] ?? ( 'anthropic' === $id ? 'Claude' : null );
			$age              = 'openai' === $id ? 8 * DAY_IN_SECONDS : HOUR_IN_SECONDS;
			$registry['sync'] = array( $provider ?? ucfirst( $id ) => array( 'status' => 'ready', 'last_success' => time() - $age ) );
			update_option( $option, $registry, false );
		}
		Directory::reset();
		self::clear_provider_requests();

		( new Model_Sync() )->refresh_stale();

		$paths = array_column( self::provider_requests(), 'path' );
		$this->assertContains( '/v1/models', $paths, 'the stale OpenAI catalog was synced' );
		$this->assertNotContains( '/anthropic/v1/models?limit=1000', $paths, 'a fresh catalog is left alone' );
		$this->assertGreaterThan( time() - 60, get_option( 'aipkit_model_registry_openai' )['sync']['OpenAI']['last_success'] );
		$scheduled = self::in_fresh_process( "return array( 'at' => wp_next_scheduled( 'aipuffer_connectors_refresh_catalogs' ), 'every' => wp_get_schedule( 'aipuffer_connectors_refresh_catalogs' ) );" );
		$this->assertIsInt( $scheduled['at'], 'any page load schedules the refresh' );
		$this->assertSame( 'daily', $scheduled['every'] );
	}

	public function test_a_second_sync_of_the_same_provider_waits_for_the_first(): void {
		add_option( 'aipuffer_connectors_sync_lock_openai', (string) time(), '', false );
		try {
			Model_Sync::sync( 'openai', false );
			$this->fail( 'two syncs ran at once' );
		} catch ( \RuntimeException $e ) {
			$this->assertStringContainsString( 'already running', $e->getMessage() );
		} finally {
			delete_option( 'aipuffer_connectors_sync_lock_openai' );
		}
	}
}
