<?php
/**
 * Users > Edit user: an administrator adds or takes away credits; the change goes through the
 * engine under the user's lock with an `adjustment` ledger row, never below zero, and nobody
 * else can make it.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Balance_Field;

final class BalanceTest extends Site_Test_Case {

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/template.php';
	}

	protected function tearDown(): void {
		$_POST    = array();
		$_REQUEST = array();
		delete_transient( 'aipuffer_connectors_balance_notice_1' );
		parent::tearDown();
	}

	/** The profile form sent for `$user_id` by the current user, with WordPress's own nonce. */
	private static function submit( int $user_id, string $credits, string $note = '' ): void {
		$_POST                = array( 'aipuffer_adjust_credits' => $credits, 'aipuffer_adjust_note' => $note, '_wpnonce' => wp_create_nonce( 'update-user_' . $user_id ) );
		$_REQUEST['_wpnonce'] = $_POST['_wpnonce'];
		( new Balance_Field() )->save( $user_id );
	}

	/** @return list<array<string, string|null>> The user's adjustment rows, newest first. */
	private static function adjustments( int $user_id ): array {
		global $wpdb;
		return $wpdb->get_results( $wpdb->prepare( "SELECT credits_delta, reference_id, meta FROM {$wpdb->prefix}aipkit_token_ledger WHERE user_id = %d AND entry_type = 'adjustment' ORDER BY id DESC", $user_id ), ARRAY_A );
	}

	public function test_an_administrator_adds_and_takes_away_credits_with_a_ledger_row_each(): void {
		$user = $this->user_with_balance( 'subscriber', '100' );
		wp_set_current_user( 1 );

		self::submit( $user, '250', 'Welcome bonus' );
		$this->assertSame( '350', get_user_meta( $user, '_aipkit_token_balance', true ) );
		self::submit( $user, '-1000', 'Refund reversed' );
		$this->assertSame( '0', get_user_meta( $user, '_aipkit_token_balance', true ), 'never below zero' );

		$rows = self::adjustments( $user );
		$this->assertSame( array( '-350', '250' ), array_column( $rows, 'credits_delta' ) );
		$this->assertSame( '1', $rows[0]['reference_id'], 'the administrator is named' );
		$meta = json_decode( $rows[1]['meta'], true );
		$this->assertSame( array( 100, 350, 'Welcome bonus' ), array( $meta['balance_before'], $meta['balance_after'], $meta['note'] ) );
		$this->assertSame( 'success', get_transient( 'aipuffer_connectors_balance_notice_1' )[0] );

		ob_start();
		( new Balance_Field() )->render( get_userdata( $user ) );
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'Adjusted by an administrator: Refund reversed', $html );
		$this->assertStringContainsString( '-350', $html );
	}

	public function test_no_number_a_bad_number_or_someone_else_changes_nothing(): void {
		$user = $this->user_with_balance( 'subscriber', '100' );
		wp_set_current_user( 1 );
		self::submit( $user, '' );
		self::submit( $user, '12.5' );
		$this->assertSame( 'error', get_transient( 'aipuffer_connectors_balance_notice_1' )[0] );

		$editor = $this->user_with_balance( 'editor', '0' );
		wp_set_current_user( $editor );
		self::submit( $user, '1000' );

		$this->assertSame( '100', get_user_meta( $user, '_aipkit_token_balance', true ) );
		$this->assertSame( array(), self::adjustments( $user ) );
		ob_start();
		( new Balance_Field() )->render( get_userdata( $user ) );
		$this->assertSame( '', ob_get_clean(), 'an editor does not see the field' );
	}
}
