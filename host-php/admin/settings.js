/**
 * AI Puffer > Settings: the *Test connection* and *Sync models* buttons. The server does the
 * work; this posts the connector id and shows the sentence it returns.
 */
( function () {
	const config = window.aipufferConnectorsSettings;
	if ( ! config ) {
		return;
	}
	const wire = ( selector, action, nonce, busyText ) => document.querySelectorAll( selector ).forEach( ( button ) => {
		button.addEventListener( 'click', async () => {
			const result = document.getElementById( button.getAttribute( 'aria-describedby' ) );
			button.disabled = true;
			result.className = 'aipuffer-test-result';
			result.textContent = busyText;
			try {
				const body = new URLSearchParams( { action, _ajax_nonce: nonce, connector: button.dataset.connector } );
				const response = await fetch( config.ajaxUrl, { method: 'POST', credentials: 'same-origin', body } );
				const answer = await response.json();
				result.classList.add( answer.success ? 'is-success' : 'is-error' );
				result.textContent = answer.data && answer.data.message ? answer.data.message : `${ config.failed } ${ response.status }`;
			} catch ( e ) {
				result.classList.add( 'is-error' );
				result.textContent = `${ config.failed } ${ e.message }`;
			} finally {
				button.disabled = false;
			}
		} );
	} );
	wire( '.aipuffer-test', config.action, config.nonce, config.testing );
	wire( '.aipuffer-sync', config.syncAction, config.syncNonce, config.syncing );
}() );
