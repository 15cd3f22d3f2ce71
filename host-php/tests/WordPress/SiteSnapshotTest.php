<?php
/**
 * The site snapshot: only what the connectors declare reaches the engine, it is built once per
 * settings change and kept (the directory small and autoloaded, the site with its model lists
 * not autoloaded), and a catalog of thousands of models is listed in order.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Gateway\Directory;
use AIPuffer\Connectors\Gateway\Providers\Openai_Provider;
use AIPuffer\Connectors\Gateway\Site_Snapshot;

final class SiteSnapshotTest extends Site_Test_Case {

	public function test_only_declared_settings_reach_the_engine_and_never_a_key(): void {
		$options                                      = self::demo_options( array( 'organization_secret' => 'org-do-not-send' ) );
		$options['providers']['Claude']               = array( 'api_key' => 'sk-ant-do-not-send', 'model' => 'claude-x', 'workspace_secret' => 'ws-do-not-send' );
		$options['chatbot_secret_prompt']             = 'do not send this either';
		update_option( 'aipkit_options', $options, false );
		Directory::reset();

		$site = Site_Snapshot::site_json();

		foreach ( array( 'org-do-not-send', 'sk-ant-do-not-send', 'ws-do-not-send', 'do not send this either', self::demo_key() ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $site );
		}
		$openai = Site_Snapshot::connector( 'openai' );
		$this->assertSame( array( 'api_mode', 'api_version', 'base_url', 'model' ), array_keys( $openai['settings'] ) );
		$this->assertTrue( $openai['available'], 'the key is known to exist, not what it is' );
	}

	public function test_a_prompting_request_reads_the_snapshot_from_its_file_not_from_the_database(): void {
		wp_mkdir_p( \AIPuffer\Connectors\Requirements::cache_dir() ); // An earlier test's uninstall may have removed it.
		Directory::reset();
		$built = Site_Snapshot::site_json();
		$files = glob( \AIPuffer\Connectors\Requirements::cache_dir() . '/site-*.php' );
		$this->assertCount( 1, $files, 'one file for this site' );

		$queries = array();
		$count   = static function ( $sql ) use ( &$queries ) {
			$queries[] = $sql;
			return $sql;
		};
		add_filter( 'query', $count );
		Directory::reset(); // The next request.
		$read      = Site_Snapshot::site_json();
		$templates = Site_Snapshot::templates( 'openai' );
		remove_filter( 'query', $count );
		$this->assertSame( $built, $read );
		$this->assertArrayHasKey( 'model_metadata', $templates );
		$this->assertSame( array(), preg_grep( '/' . Site_Snapshot::SITE_OPTION . '/', $queries ), 'no query for the snapshot option' );

		// A settings change: a new key, a new file, the older one gone.
		$this->set_openai( array( 'model' => 'gpt-4o-mini' ) );
		Directory::reset();
		$this->assertSame( 'gpt-4o-mini', Site_Snapshot::connector( 'openai' )['settings']['model'] );
		$after = glob( \AIPuffer\Connectors\Requirements::cache_dir() . '/site-*.php' );
		$this->assertCount( 1, $after );
		$this->assertNotSame( $files, $after );

		// A damaged file: the option answers the same snapshot.
		file_put_contents( $after[0], '<?php return syntax error' );
		Directory::reset();
		$this->assertSame( 'gpt-4o-mini', Site_Snapshot::connector( 'openai' )['settings']['model'] );
	}

	public function test_model_templates_are_kept_beside_the_site_not_in_what_the_engine_parses(): void {
		$this->assertStringNotContainsString( 'supportedOptions', Site_Snapshot::site_json(), 'every task start parses the site' );
		$names = array_column( (array) Site_Snapshot::templates( 'openai' )['model_metadata']['supportedOptions'], 'name' );
		$this->assertContains( 'temperature', $names );
		$this->assertArrayHasKey( 'text', Site_Snapshot::templates( 'aipuffer' )['model_variants'], 'the default routes are described too' );
		$models = Directory::models( 'openai' );
		$this->assertNotEmpty( $models );
		$this->assertNotEmpty( reset( $models )->getSupportedOptions(), 'the AI Client still sees each model\'s options' );
	}

	public function test_the_directory_is_autoloaded_and_small_the_site_is_not_autoloaded(): void {
		global $wpdb;
		Site_Snapshot::site_json();
		$autoload = static fn ( string $name ): string => (string) $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", $name ) );
		$this->assertContains( $autoload( Site_Snapshot::DIRECTORY_OPTION ), array( 'on', 'yes' ) );
		$this->assertContains( $autoload( Site_Snapshot::SITE_OPTION ), array( 'off', 'no' ) );
		$directory = (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", Site_Snapshot::DIRECTORY_OPTION ) );
		$this->assertStringNotContainsString( 'gpt-4.1-nano', $directory, 'no model lists in what every page loads' );
		$this->assertLessThan( 6144, strlen( $directory ), 'eight providers, a few hundred bytes each' );
	}

	public function test_a_snapshot_built_before_a_settings_change_is_never_used_after_it(): void {
		$before = Site_Snapshot::site_json();
		$kept   = get_option( Site_Snapshot::SITE_OPTION );
		$this->assertSame( $before, $kept['site'] );

		$this->set_openai( array( 'model' => 'gpt-4o-mini' ) );
		// A slow request that read the old settings writes its snapshot back after the change.
		update_option( Site_Snapshot::SITE_OPTION, $kept, false );
		Directory::reset();

		$this->assertSame( 'gpt-4o-mini', Site_Snapshot::connector( 'openai' )['settings']['model'] );
		$this->assertSame( 'gpt-4o-mini', Openai_Provider::modelMetadataDirectory()->listModelMetadata()[0]->getId(), 'the saved model is listed first' );
	}

	public function test_a_large_catalog_is_listed_in_order_with_the_saved_model_first(): void {
		$rows = array();
		for ( $i = 9999; $i >= 0; $i-- ) {
			$rows[] = array( 'id' => sprintf( 'model-%05d', $i ), 'name' => "Model $i" );
		}
		$rows[] = array( 'id' => 'gpt-4.1-mini', 'name' => 'GPT-4.1 mini' );
		update_option( 'aipkit_model_registry_openai', array( 'catalogs' => array( 'OpenAI' => $rows ) ), false );
		Directory::reset();

		$models = Openai_Provider::modelMetadataDirectory()->listModelMetadata();

		$this->assertCount( 10001, $models );
		$this->assertSame( 'gpt-4.1-mini', $models[0]->getId() );
		$this->assertSame( 'model-00000', $models[1]->getId() );
		$this->assertSame( 'Model 9999', $models[10000]->getName() );
		$this->assertTrue( Openai_Provider::modelMetadataDirectory()->hasModelMetadata( 'model-04242' ) );
		$this->assertSame( $models[1]->getSupportedOptions(), $models[2]->getSupportedOptions(), 'one options list shared by all' );
		self::clear_provider_requests();
		wp_ai_client_prompt( 'Write a haiku' )->using_model_preference( 'model-04242' )->generate_text_result();
		$this->assertSame( 'model-04242', self::provider_requests()[0]['body']['model'], 'the preferred model is the one asked' );
	}

	public function test_only_the_options_it_is_built_from_make_the_snapshot_stale(): void {
		Site_Snapshot::site_json();
		$generation = get_option( Site_Snapshot::GENERATION_OPTION );
		update_option( 'aipkit_some_busy_counter', (string) wp_rand(), false );
		$this->assertSame( $generation, get_option( Site_Snapshot::GENERATION_OPTION ), 'an unrelated AI Puffer option' );
		update_option( 'gmt_offset', '2' );
		$this->assertNotSame( $generation, get_option( Site_Snapshot::GENERATION_OPTION ), 'the time zone the rows are dated in' );
		$generation = get_option( Site_Snapshot::GENERATION_OPTION );
		update_option( 'aipkit_openai_model_list', array( 'gpt-legacy' ), false );
		$this->assertNotSame( $generation, get_option( Site_Snapshot::GENERATION_OPTION ), 'a catalog the manifest names' );
		delete_option( 'aipkit_some_busy_counter' );
		delete_option( 'aipkit_openai_model_list' );
		update_option( 'gmt_offset', '0' );
	}

	public function test_a_reasoning_model_does_not_declare_what_it_refuses(): void {
		update_option( 'aipkit_model_registry_openai', array( 'catalogs' => array( 'OpenAI' => array( array( 'id' => 'gpt-4.1-mini' ), array( 'id' => 'o3-mini' ) ) ) ), false );
		Directory::reset();
		$options = static fn ( string $model ) => array_map( static fn ( $o ) => $o->getName()->value, Openai_Provider::modelMetadataDirectory()->getModelMetadata( $model )->getSupportedOptions() );

		$this->assertContains( 'temperature', $options( 'gpt-4.1-mini' ) );
		$this->assertNotContains( 'temperature', $options( 'o3-mini' ) );
		self::clear_provider_requests();
		$result = wp_ai_client_prompt( 'Write a haiku' )->using_provider( 'openai' )->using_temperature( 0.2 )->using_model_preference( 'o3-mini', 'gpt-4.1-mini' )->generate_text_result();
		$this->assertNotWPError( $result );
		$this->assertSame( 'gpt-4.1-mini', $result->getModelMetadata()->getId(), 'a prompt with a temperature is not given to a model that refuses it' );
	}
}
