<?php
/**
 * AI Puffer > Usage logs inside WordPress: requests made by a plugin, a theme and WordPress
 * itself are listed with their caller, filtered by caller, provider, model, user and date,
 * totalled per caller, provider and model, shown in detail with the route's reasons, and the
 * export's cells never start a spreadsheet formula. No API key on the screen.
 *
 * @package AIPuffer\Connectors
 */

use AIPuffer\Connectors\Admin\Logs_Page;
use AIPuffer\Connectors\Storage\Usage_Log;

final class UsageLogTest extends Site_Test_Case {

	/** @var array<string, string> Request ids by who made them. */
	private array $made = array();

	private int $user = 0;

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
		require_once get_theme_root() . '/aipuffer-test-theme/functions.php';
		$this->user = $this->user_with_balance( 'subscriber', '100000' );
		wp_set_current_user( $this->user );
		$this->made['plugin'] = aipuffer_test_plugin_prompt( 'Log me from a plugin' )->getId();
		$this->made['theme']  = aipuffer_test_theme_prompt( 'Log me from a theme' )->getId();
		wp_set_current_user( 0 );
		$this->made['core'] = wp_ai_client_prompt( 'Log me from nowhere' )->generate_text_result()->getId();
	}

	/** Only this test's rows: filtered to its user, or found by id. */
	private function mine( array $filters = array() ): array {
		return Usage_Log::filters( $filters + array( 'user' => (string) $this->user ) );
	}

	public function test_requests_are_listed_with_their_caller_and_filtered_by_it(): void {
		$page = Usage_Log::page( $this->mine(), 1 );
		$this->assertSame( 2, $page['total'] );
		$ids = array_column( $page['rows'], 'request_id' );
		$this->assertEqualsCanonicalizing( array( $this->made['plugin'], $this->made['theme'] ), $ids );

		$plugin = Usage_Log::page( $this->mine( array( 'caller' => 'aipuffer-test-caller/aipuffer-test-caller.php' ) ), 1 );
		$this->assertSame( array( $this->made['plugin'] ), array_column( $plugin['rows'], 'request_id' ) );
		$this->assertSame( 'AI Puffer Test Caller', $plugin['rows'][0]['caller']['name'] );

		$nobody = Usage_Log::page( Usage_Log::filters( array( 'caller' => '-' ) ), 1 );
		$this->assertContains( $this->made['core'], array_column( $nobody['rows'], 'request_id' ), 'WordPress itself is a caller filter too' );
		$this->assertNotContains( $this->made['plugin'], array_column( $nobody['rows'], 'request_id' ) );
	}

	public function test_filters_by_module_provider_model_and_date_and_totals_per_caller(): void {
		$this->assertSame( 0, Usage_Log::page( $this->mine( array( 'provider' => 'claude' ) ), 1 )['total'] );
		$this->assertSame( 'wp_ai_client', Usage_Log::modules()[0] );
		$this->assertSame( 0, Usage_Log::page( $this->mine( array( 'module' => 'chat' ) ), 1 )['total'], 'AI Puffer\'s chatbot module holds none of these' );
		$row   = Usage_Log::find( $this->made['plugin'], false );
		$model = Usage_Log::page( $this->mine( array( 'provider' => 'openai', 'model' => $row['model'] ) ), 1 );
		$this->assertSame( 2, $model['total'] );
		$tomorrow = gmdate( 'Y-m-d', time() + 2 * DAY_IN_SECONDS );
		$this->assertSame( 0, Usage_Log::page( $this->mine( array( 'from' => $tomorrow ) ), 1 )['total'] );
		$this->assertSame( 2, Usage_Log::page( $this->mine( array( 'to' => $tomorrow ) ), 1 )['total'] );

		$totals  = Usage_Log::totals( $this->mine() );
		$callers = array_column( $totals['caller'], null, 'key' );
		$this->assertSame( array( 'aipuffer-test-caller/aipuffer-test-caller.php', 'aipuffer-test-theme' ), array_keys( array_intersect_key( $callers, array_flip( array( 'aipuffer-test-caller/aipuffer-test-caller.php', 'aipuffer-test-theme' ) ) ) ) );
		$this->assertSame( 1, $callers['aipuffer-test-theme']['requests'] );
		$this->assertSame( $row['credits'], $callers['aipuffer-test-caller/aipuffer-test-caller.php']['credits'] );
		$this->assertSame( array_sum( array_column( $totals['caller'], 'credits' ) ), array_sum( array_column( $totals['provider'], 'credits' ) ), 'every view sums the same credits' );
	}

	public function test_the_screen_lists_totals_and_shows_one_request_in_detail_without_a_key(): void {
		wp_set_current_user( 1 );
		$_GET = array( 'user' => (string) $this->user );
		ob_start();
		( new Logs_Page() )->render();
		$list = (string) ob_get_clean();
		$this->assertStringContainsString( 'data-request-id="' . $this->made['plugin'] . '"', $list );
		$this->assertStringContainsString( 'AI Puffer Test Caller (plugin)', $list );
		$this->assertStringContainsString( 'data-totals="caller"', $list );

		$_GET = array( 'request' => $this->made['theme'] );
		ob_start();
		( new Logs_Page() )->render();
		$detail = (string) ob_get_clean();
		$_GET   = array();
		$this->assertStringContainsString( 'Log me from a theme', $detail );
		$this->assertStringContainsString( 'AI Puffer Test Theme (theme)', $detail );
		$this->assertStringContainsString( 'Why this model', $detail, 'the default route\'s reasons' );
		$this->assertStringContainsString( 'no pricing rule: one credit per token', $detail );
		$this->assertStringNotContainsString( self::demo_key(), $list . $detail );
	}

	/** `0.0014008` → 1400800000 pico-dollars: exact, no float. */
	private static function pico( string $usd ): int {
		list( $whole, $fraction ) = array_pad( explode( '.', $usd ), 2, '' );
		return (int) $whole * 1000000000000 + (int) str_pad( $fraction, 12, '0' );
	}

	public function test_the_dollar_cost_comes_from_the_vendored_price_list_or_says_there_is_none(): void {
		$row = Usage_Log::find( $this->made['plugin'], false );
		// gpt-4.1-mini: $0.40 in, $1.60 out per million tokens (LiteLLM's list).
		$this->assertSame( 'gpt-4.1-mini', $row['usd_price']['key'] );
		$this->assertStringStartsWith( 'litellm ', $row['usd_price']['source'] );
		$this->assertSame( $row['input'] * 400000 + $row['output'] * 1600000, self::pico( $row['usd'] ) );

		$unknown = wp_ai_client_prompt( 'Price me' )->using_model_preference( array( 'xai', 'grok-4' ) )->generate_text_result();
		$this->assertNotWPError( $unknown );
		$this->assertNull( Usage_Log::find( $unknown->getId(), false )['usd'], 'a model the list does not know has no price' );

		$totals = Usage_Log::totals( $this->mine() );
		$this->assertSame( self::pico( Usage_Log::find( $this->made['plugin'], false )['usd'] ) + self::pico( Usage_Log::find( $this->made['theme'], false )['usd'] ), self::pico( $totals['provider'][0]['usd'] ), 'summed exactly in SQL' );
	}

	public function test_csv_cells_never_start_a_formula(): void {
		$this->assertSame( "'=HYPERLINK(\"x\")", Logs_Page::csv_cell( '=HYPERLINK("x")' ) );
		$this->assertSame( "'@SUM(A1)", Logs_Page::csv_cell( '@SUM(A1)' ) );
		$this->assertSame( 'gpt-4.1-mini', Logs_Page::csv_cell( 'gpt-4.1-mini' ) );
		$this->assertSame( -12, Logs_Page::csv_cell( -12 ) );
	}
}
