/**
 * Settings > Connectors: the AI Puffer banner and, while AI Puffer manages the AI Client, one card
 * per connector (core draws only connectors with a key form of their own). Every string and URL
 * comes from PHP (Admin\Connectors_Screen::data); this file only draws and posts the mode.
 */
import {
	__experimentalRegisterConnector as registerConnector,
	__experimentalConnectorItem as ConnectorItem,
} from '@wordpress/connectors';

const { createElement: el, useState } = window.wp.element;
const { Button } = window.wp.components;

const dataNode = document.getElementById( 'wp-script-module-data-aipuffer-connectors-screen' );
const data = dataNode ? JSON.parse( dataNode.textContent ) : null;

/** Posts a mode to AI Puffer's AJAX action, then reloads so WordPress re-registers its connectors. */
async function setMode( mode ) {
	const body = new URLSearchParams( { action: data.action, _ajax_nonce: data.nonce, mode } );
	const response = await fetch( data.ajaxUrl, { method: 'POST', credentials: 'same-origin', body } );
	const answer = await response.json().catch( () => null );
	if ( ! response.ok || ! answer || ! answer.success ) {
		throw new Error( answer?.data?.message || String( response.status ) );
	}
	return answer.data;
}

function Banner() {
	const [ busy, setBusy ] = useState( false );
	const [ hidden, setHidden ] = useState( false );
	const [ error, setError ] = useState( '' );
	const text = data.text;
	const act = ( mode ) => async () => {
		setBusy( true );
		setError( '' );
		try {
			await setMode( mode );
			if ( mode === 'dismiss' ) {
				setHidden( true );
			} else {
				window.location.reload();
			}
		} catch ( e ) {
			setError( `${ text.failed } ${ e.message }` );
			setBusy( false );
		}
	};
	if ( hidden ) {
		return null;
	}
	const buttons = data.managed
		? [
				el( Button, { key: 'configure', variant: 'primary', href: data.configure, __next40pxDefaultSize: true }, text.configure ),
				el( Button, { key: 'stop', variant: 'secondary', onClick: act( 'observe' ), isBusy: busy, disabled: busy, __next40pxDefaultSize: true }, text.stop ),
		  ]
		: [
				el( Button, { key: 'enable', variant: 'primary', onClick: act( 'managed' ), isBusy: busy, disabled: busy, __next40pxDefaultSize: true }, text.enable ),
				el( Button, { key: 'learn', variant: 'secondary', href: data.learnMore, __next40pxDefaultSize: true }, text.learnMore ),
				el( Button, { key: 'dismiss', variant: 'tertiary', onClick: act( 'dismiss' ), disabled: busy, __next40pxDefaultSize: true }, text.dismiss ),
		  ];
	return el(
		'section',
		{ className: 'aipuffer-banner', 'aria-label': text.banner, role: 'region', 'data-mode': data.managed ? 'managed' : 'observe' },
		el( 'p', { className: 'aipuffer-banner__title' }, data.managed ? text.managed : text.invite ),
		data.managed ? el( 'p', null, text.managedHelp ) : null,
		el( 'div', { className: 'aipuffer-banner__actions' }, ...buttons ),
		error ? el( 'p', { className: 'aipuffer-banner__error', role: 'alert' }, error ) : null
	);
}

function ConnectorCard( { slug, name, description, logo } ) {
	const connector = data.connectors[ slug ];
	const text = data.text;
	const status = el(
		'span',
		{ className: connector.connected ? 'aipuffer-status aipuffer-status--connected' : 'aipuffer-status' },
		connector.connected ? text.connected : text.notSetUp
	);
	const edit = el(
		Button,
		{
			variant: connector.connected ? 'tertiary' : 'secondary',
			href: connector.editUrl,
			'aria-label': text.editLabel.replace( '%s', name ),
			__next40pxDefaultSize: true,
		},
		connector.connected ? text.edit : text.setUp
	);
	return el( ConnectorItem, {
		className: `aipuffer-connector aipuffer-connector--${ slug }`,
		logo,
		name,
		description,
		actionArea: el( 'div', { className: 'aipuffer-connector__actions' }, status, edit ),
	} );
}

if ( data ) {
	if ( data.managed || ! data.dismissed ) {
		registerConnector( 'aipuffer-banner', { name: text( 'banner' ), type: 'aipuffer_banner', render: Banner } );
	}
	for ( const slug of Object.keys( data.connectors ) ) {
		registerConnector( slug, { render: ConnectorCard } );
	}
}

function text( key ) {
	return data.text[ key ];
}
