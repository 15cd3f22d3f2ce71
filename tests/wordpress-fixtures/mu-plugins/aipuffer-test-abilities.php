<?php
/**
 * Plugin Name: Test abilities (AI Puffer Connectors tests)
 * Description: aipuffer-test/get-weather, for the tool-calling tests. Not for production.
 */
add_action(
	'wp_abilities_api_categories_init',
	static fn () => wp_register_ability_category( 'aipuffer-test', array( 'label' => 'AI Puffer tests', 'description' => 'Abilities the tests call.' ) )
);
add_action(
	'wp_abilities_api_init',
	static fn () => wp_register_ability(
		'aipuffer-test/get-weather',
		array(
			'label'               => 'Get the weather',
			'description'         => 'The weather in a city.',
			'category'            => 'aipuffer-test',
			'input_schema'        => array(
				'type'       => 'object',
				'properties' => array( 'city' => array( 'type' => 'string', 'description' => 'The city.' ) ),
				'required'   => array( 'city' ),
			),
			'output_schema'       => array( 'type' => 'string' ),
			'execute_callback'    => static fn ( $input ) => 'sunny in ' . ( $input['city'] ?? '?' ),
			'permission_callback' => '__return_true',
		)
	)
);
