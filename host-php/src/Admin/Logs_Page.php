<?php
/**
 * AI Puffer > Usage logs: WordPress AI Client requests as AI Puffer's ledger and conversation
 * logs hold them — who asked (user or guest, and the calling plugin, mu-plugin or theme), the
 * connector and model, usage, credits and the rule that priced them — filterable, totalled per
 * caller, provider and model, each with its details, and exported as CSV. Nothing here holds a
 * key: the rows never contain one.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Admin;

use AIPuffer\Connectors\Storage\Usage_Log;

defined( 'ABSPATH' ) || exit;

final class Logs_Page {

	public const SLUG = 'aipuffer-connectors-logs';

	public const EXPORT_ACTION = 'aipuffer_connectors_export_logs';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 21 );
		add_action( 'admin_post_' . self::EXPORT_ACTION, array( $this, 'export' ) );
	}

	public function menu(): void {
		$hook = add_submenu_page( Settings_Page::SLUG, __( 'Usage logs', 'aipuffer-connectors' ), __( 'Usage logs', 'aipuffer-connectors' ), 'manage_options', self::SLUG, array( $this, 'render' ) );
		add_action(
			'admin_print_styles-' . $hook,
			static function (): void {
				wp_enqueue_style( 'aipuffer-connectors-admin', plugins_url( 'admin/admin.css', \AIPuffer\Connectors\Plugin::file() ), array(), \AIPuffer\Connectors\Plugin::VERSION );
			}
		);
	}

	/** @param array<string, string> $args */
	public static function url( array $args = array() ): string {
		return add_query_arg( array_filter( array( 'page' => self::SLUG ) + $args, 'strlen' ), admin_url( 'admin.php' ) );
	}

	public function render(): void {
		Admin_Guard::screen();
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a read-only screen: filters and navigation.
		$request = isset( $_GET['request'] ) ? sanitize_text_field( wp_unslash( $_GET['request'] ) ) : '';
		$filters = Usage_Log::filters( wp_unslash( $_GET ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- filters() sanitizes each field.
		$page    = isset( $_GET['paged'] ) ? max( 1, absint( $_GET['paged'] ) ) : 1;
		// phpcs:enable
		echo '<div class="wrap aipuffer-settings aipuffer-logs"><h1>' . esc_html__( 'Usage logs', 'aipuffer-connectors' ) . '</h1>';
		if ( '' !== $request ) {
			$this->render_request( $request, $filters );
		} else {
			echo '<p>' . esc_html__( 'WordPress AI Client requests, as AI Puffer\'s ledger records them: who asked, which plugin or theme made the call, the provider and model, the tokens used and the credits charged.', 'aipuffer-connectors' ) . '</p>';
			$this->render_filters( $filters );
			$this->render_totals( Usage_Log::totals( $filters ) );
			$this->render_requests( $filters, $page );
		}
		echo '</div>';
	}

	/** @param array<string, string> $filters */
	private function render_filters( array $filters ): void {
		echo '<form method="get" class="aipuffer-log-filters" action="' . esc_url( admin_url( 'admin.php' ) ) . '">';
		echo '<input type="hidden" name="page" value="' . esc_attr( self::SLUG ) . '" />';
		echo '<label>' . esc_html__( 'Module', 'aipuffer-connectors' ) . ' <select name="module">';
		foreach ( Usage_Log::modules() as $module ) {
			// AI Puffer lists this module as "WP AI Client"; its own modules by their keys.
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $module ), selected( $filters['module'], $module, false ), esc_html( 'wp_ai_client' === $module ? __( 'WP AI Client', 'aipuffer-connectors' ) : $module ) );
		}
		echo '</select></label> ';
		$callers = array( '' => __( 'All callers', 'aipuffer-connectors' ) ) + Usage_Log::callers( $filters['module'] ) + array( '-' => __( 'WordPress itself (no plugin or theme)', 'aipuffer-connectors' ) );
		echo '<label>' . esc_html__( 'Caller', 'aipuffer-connectors' ) . ' <select name="caller">';
		foreach ( $callers as $value => $label ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( (string) $value ), selected( $filters['caller'], (string) $value, false ), esc_html( $label ) );
		}
		echo '</select></label> ';
		$fields = array(
			'provider' => array( __( 'Provider', 'aipuffer-connectors' ), 'text', 'openai' ),
			'model'    => array( __( 'Model', 'aipuffer-connectors' ), 'text', 'gpt-4.1-mini' ),
			'user'     => array( __( 'User ID', 'aipuffer-connectors' ), 'number', '' ),
			'from'     => array( __( 'From', 'aipuffer-connectors' ), 'date', '' ),
			'to'       => array( __( 'To', 'aipuffer-connectors' ), 'date', '' ),
		);
		foreach ( $fields as $key => list( $label, $type, $placeholder ) ) {
			printf(
				'<label>%1$s <input type="%2$s" name="%3$s" value="%4$s" placeholder="%5$s" class="aipuffer-log-filter" /></label> ',
				esc_html( $label ),
				esc_attr( $type ),
				esc_attr( $key ),
				esc_attr( $filters[ $key ] ),
				esc_attr( $placeholder )
			);
		}
		submit_button( __( 'Filter', 'aipuffer-connectors' ), 'secondary', '', false );
		echo ' <a href="' . esc_url( self::url() ) . '">' . esc_html__( 'Clear', 'aipuffer-connectors' ) . '</a>';
		echo '</form>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="aipuffer-log-export">';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::EXPORT_ACTION ) . '" />';
		wp_nonce_field( self::EXPORT_ACTION );
		foreach ( $filters as $key => $value ) {
			echo '<input type="hidden" name="' . esc_attr( $key ) . '" value="' . esc_attr( $value ) . '" />';
		}
		submit_button( __( 'Export these rows as CSV', 'aipuffer-connectors' ), 'secondary', '', false );
		echo '</form>';
	}

	/** @param array<string, list<array{key: string, label: string, requests: int, tokens: int, credits: int}>> $totals */
	private function render_totals( array $totals ): void {
		$titles = array(
			'caller'   => __( 'By caller', 'aipuffer-connectors' ),
			'provider' => __( 'By provider', 'aipuffer-connectors' ),
			'model'    => __( 'By model', 'aipuffer-connectors' ),
		);
		echo '<h2>' . esc_html__( 'Totals for these filters', 'aipuffer-connectors' ) . '</h2><div class="aipuffer-log-totals">';
		foreach ( $titles as $name => $title ) {
			echo '<table class="widefat striped" data-totals="' . esc_attr( $name ) . '"><thead><tr><th scope="col">' . esc_html( $title ) . '</th><th scope="col">' . esc_html__( 'Requests', 'aipuffer-connectors' ) . '</th><th scope="col">' . esc_html__( 'Tokens', 'aipuffer-connectors' ) . '</th><th scope="col">' . esc_html__( 'Credits', 'aipuffer-connectors' ) . '</th><th scope="col">' . esc_html__( 'USD', 'aipuffer-connectors' ) . '</th></tr></thead><tbody>';
			if ( array() === $totals[ $name ] ) {
				echo '<tr><td colspan="5">' . esc_html__( 'Nothing yet.', 'aipuffer-connectors' ) . '</td></tr>';
			}
			foreach ( $totals[ $name ] as $row ) {
				$label = 'caller' === $name ? ( '' === $row['key'] ? __( 'WordPress itself', 'aipuffer-connectors' ) : $row['label'] ) : $row['key'];
				$usd   = self::usd_label( $row['usd'] );
				if ( $row['unpriced'] > 0 && null !== $row['usd'] ) {
					/* translators: 1: dollar amount, 2: number of requests without a price */
					$usd = sprintf( _n( '%1$s + %2$d without a price', '%1$s + %2$d without a price', $row['unpriced'], 'aipuffer-connectors' ), $usd, $row['unpriced'] );
				}
				printf( '<tr><td>%1$s</td><td>%2$s</td><td>%3$s</td><td>%4$s</td><td>%5$s</td></tr>', esc_html( $label ), esc_html( number_format_i18n( $row['requests'] ) ), esc_html( number_format_i18n( $row['tokens'] ) ), esc_html( number_format_i18n( $row['credits'] ) ), esc_html( $usd ) );
			}
			echo '</tbody></table>';
		}
		echo '</div>';
	}

	/** @param array<string, string> $filters */
	private function render_requests( array $filters, int $page ): void {
		$found = Usage_Log::page( $filters, $page );
		echo '<h2>' . esc_html(
			sprintf(
				/* translators: %s: number of requests */
				_n( '%s request', '%s requests', $found['total'], 'aipuffer-connectors' ),
				number_format_i18n( $found['total'] )
			)
		) . '</h2>';
		echo '<table class="widefat striped aipuffer-log-rows"><thead><tr>';
		foreach ( array( __( 'Date', 'aipuffer-connectors' ), __( 'User', 'aipuffer-connectors' ), __( 'Caller', 'aipuffer-connectors' ), __( 'Provider / model', 'aipuffer-connectors' ), __( 'Type', 'aipuffer-connectors' ), __( 'Tokens (in / out)', 'aipuffer-connectors' ), __( 'Credits', 'aipuffer-connectors' ), __( 'USD', 'aipuffer-connectors' ) ) as $heading ) {
			echo '<th scope="col">' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		if ( array() === $found['rows'] ) {
			echo '<tr><td colspan="8">' . esc_html__( 'No WordPress AI Client requests match these filters.', 'aipuffer-connectors' ) . '</td></tr>';
		}
		foreach ( $found['rows'] as $row ) {
			echo '<tr data-request-id="' . esc_attr( $row['request_id'] ) . '">';
			echo '<td><a href="' . esc_url( self::url( array( 'request' => $row['request_id'] ) + $filters ) ) . '">' . esc_html( self::local_time( $row['created_at'] ) ) . '</a></td>';
			echo '<td>' . esc_html( self::who( $row ) ) . '</td>';
			echo '<td>' . esc_html( self::caller_label( $row['caller'] ) ) . '</td>';
			echo '<td>' . esc_html( $row['provider'] . ' / ' . $row['model'] ) . '</td>';
			echo '<td>' . esc_html( self::type_label( $row ) ) . '</td>';
			echo '<td>' . esc_html( number_format_i18n( $row['input'] ) . ' / ' . number_format_i18n( $row['output'] ) . ( $row['estimated'] ? ' ' . __( '(estimated)', 'aipuffer-connectors' ) : '' ) ) . '</td>';
			echo '<td>' . esc_html( number_format_i18n( $row['credits'] ) ) . '</td>';
			echo '<td>' . esc_html( self::usd_label( $row['usd'] ) ) . '</td>';
			echo '</tr>';
		}
		echo '</tbody></table>';
		$pages = (int) ceil( $found['total'] / Usage_Log::PER_PAGE );
		if ( $pages > 1 ) {
			echo '<div class="tablenav"><div class="tablenav-pages">';
			echo wp_kses_post( paginate_links( array( 'base' => add_query_arg( 'paged', '%#%' ), 'format' => '', 'current' => $page, 'total' => $pages ) ) );
			echo '</div></div>';
		}
	}

	/** @param array<string, string> $filters */
	private function render_request( string $request_id, array $filters ): void {
		echo '<p><a href="' . esc_url( self::url( $filters ) ) . '">&larr; ' . esc_html__( 'All requests', 'aipuffer-connectors' ) . '</a></p>';
		$row = Usage_Log::find( $request_id );
		if ( null === $row ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html__( 'No request with this id is in the ledger.', 'aipuffer-connectors' ) . '</p></div>';
			return;
		}
		$bot     = is_array( $row['turns'][1] ?? null ) ? $row['turns'][1] : array();
		$payload = is_array( $bot['request_payload'] ?? null ) ? $bot['request_payload'] : array();
		$facts   = array(
			__( 'Request', 'aipuffer-connectors' )    => $row['request_id'],
			__( 'Date', 'aipuffer-connectors' )       => self::local_time( $row['created_at'] ),
			__( 'User', 'aipuffer-connectors' )       => self::who( $row ),
			__( 'Caller', 'aipuffer-connectors' )     => self::caller_label( $row['caller'] ) . ( null === $row['caller'] ? '' : ' (' . $row['caller']['basename'] . ')' ),
			__( 'Provider', 'aipuffer-connectors' )   => $row['provider'],
			__( 'Model', 'aipuffer-connectors' )      => $row['model'],
			__( 'Type', 'aipuffer-connectors' )       => self::type_label( $row ),
			/* translators: 1: input tokens, 2: output tokens, 3: total */
			__( 'Usage', 'aipuffer-connectors' )      => sprintf( __( '%1$s input + %2$s output = %3$s tokens', 'aipuffer-connectors' ), number_format_i18n( $row['input'] ), number_format_i18n( $row['output'] ), number_format_i18n( $row['total'] ) ) . ( $row['estimated'] ? ' ' . __( '(estimated: the provider reported none)', 'aipuffer-connectors' ) : '' ),
			__( 'Credits', 'aipuffer-connectors' )    => self::credits_label( $row ),
			__( 'USD cost', 'aipuffer-connectors' )   => null === $row['usd']
				? __( 'no price: the price list does not know this model', 'aipuffer-connectors' )
				/* translators: 1: dollar amount, 2: price list entry, 3: price list and version */
				: sprintf( __( '%1$s (price list entry %2$s, %3$s)', 'aipuffer-connectors' ), self::usd_label( $row['usd'] ), (string) ( $row['usd_price']['key'] ?? '' ), (string) ( $row['usd_price']['source'] ?? '' ) ),
		);
		if ( isset( $payload['route']['why'] ) && is_array( $payload['route']['why'] ) ) {
			$facts[ __( 'Why this model', 'aipuffer-connectors' ) ] = implode( ' ', array_map( static fn ( $step ) => is_array( $step ) ? (string) ( $step['message'] ?? '' ) : (string) $step, $payload['route']['why'] ) );
		}
		foreach ( (array) ( $payload['failed_attempts'] ?? array() ) as $attempt ) {
			if ( is_array( $attempt ) ) {
				/* translators: 1: connector id, 2: model */
				$facts[ sprintf( __( 'Failed first: %1$s / %2$s', 'aipuffer-connectors' ), (string) ( $attempt['connector'] ?? '' ), (string) ( $attempt['model'] ?? '' ) ) ] = (string) ( $attempt['message'] ?? '' );
			}
		}
		echo '<table class="widefat striped aipuffer-log-request"><tbody>';
		foreach ( $facts as $label => $value ) {
			echo '<tr><th scope="row">' . esc_html( $label ) . '</th><td>' . esc_html( $value ) . '</td></tr>';
		}
		echo '</tbody></table>';
		echo '<h2>' . esc_html__( 'Conversation', 'aipuffer-connectors' ) . '</h2>';
		foreach ( array( 0 => __( 'Prompt', 'aipuffer-connectors' ), 1 => __( 'Answer', 'aipuffer-connectors' ) ) as $index => $label ) {
			$content = is_array( $row['turns'][ $index ] ?? null ) ? (string) ( $row['turns'][ $index ]['content'] ?? '' ) : '';
			echo '<h3>' . esc_html( $label ) . '</h3><div class="aipuffer-log-turn">' . esc_html( $content ) . '</div>';
		}
	}

	/** Streams the filtered rows as CSV: what the screen lists, every page. */
	public function export(): void {
		Admin_Guard::screen( self::EXPORT_ACTION );
		$filters = Usage_Log::filters( wp_unslash( $_POST ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- filters() sanitizes each field.
		nocache_headers();
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename="ai-puffer-usage-' . gmdate( 'Y-m-d' ) . '.csv"' );
		$out = fopen( 'php://output', 'w' );
		fputcsv( $out, array( 'date_utc', 'request_id', 'user_id', 'session_id', 'caller_kind', 'caller', 'caller_name', 'provider', 'model', 'operation', 'input_tokens', 'output_tokens', 'total_tokens', 'usage_estimated', 'images', 'credits', 'debited', 'billing_method', 'rule_id', 'usd_cost', 'usd_price_key' ) );
		foreach ( Usage_Log::all( $filters ) as $row ) {
			$caller = $row['caller'] ?? array();
			fputcsv(
				$out,
				array_map(
					array( self::class, 'csv_cell' ),
					array( $row['created_at'], $row['request_id'], $row['user_id'] ?: '', $row['session_id'], $caller['kind'] ?? '', $caller['basename'] ?? '', $caller['name'] ?? '', $row['provider'], $row['model'], $row['operation'], $row['input'], $row['output'], $row['total'], $row['estimated'] ? 1 : 0, $row['images'], $row['credits'], $row['debited'], $row['method'], $row['rule_id'] ?? '', $row['usd'] ?? '', $row['usd_price']['key'] ?? '' )
				)
			);
		}
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose -- php://output.
		exit;
	}

	/**
	 * A CSV cell a spreadsheet will not run as a formula (text starting with = + - @ gets a quote).
	 *
	 * @param mixed $value
	 * @return mixed
	 */
	public static function csv_cell( $value ) {
		return is_string( $value ) && '' !== $value && false !== strpos( '=+-@', $value[0] ) ? "'" . $value : $value;
	}

	/** Exact dollars as text: `0.001400800000` → `$0.0014008`; none → "no price". */
	private static function usd_label( ?string $usd ): string {
		if ( null === $usd || ! preg_match( '/^(\d+)(?:\.(\d*))?$/', $usd, $parts ) ) {
			return __( 'no price', 'aipuffer-connectors' );
		}
		$cents = str_pad( rtrim( $parts[2] ?? '', '0' ), 2, '0' );
		return '$' . $parts[1] . '.' . $cents;
	}

	private static function local_time( string $utc ): string {
		return get_date_from_gmt( $utc, get_option( 'date_format' ) . ' ' . get_option( 'time_format' ) );
	}

	/** @param array<string, mixed> $row */
	private static function who( array $row ): string {
		if ( $row['user_id'] > 0 ) {
			$user = get_userdata( (int) $row['user_id'] );
			/* translators: 1: user login, 2: user id */
			return $user ? sprintf( __( '%1$s (#%2$d)', 'aipuffer-connectors' ), $user->user_login, $row['user_id'] ) : sprintf( '#%d', $row['user_id'] );
		}
		return 'wp-ai-client-system' === $row['session_id'] ? __( 'System (no visitor)', 'aipuffer-connectors' ) : __( 'Guest', 'aipuffer-connectors' );
	}

	/** @param array<string, string>|null $caller */
	private static function caller_label( ?array $caller ): string {
		if ( null === $caller ) {
			return __( 'WordPress itself', 'aipuffer-connectors' );
		}
		$kinds = array(
			'plugin'    => __( 'plugin', 'aipuffer-connectors' ),
			'mu-plugin' => __( 'must-use plugin', 'aipuffer-connectors' ),
			'theme'     => __( 'theme', 'aipuffer-connectors' ),
		);
		/* translators: 1: plugin or theme name, 2: its kind */
		return sprintf( __( '%1$s (%2$s)', 'aipuffer-connectors' ), (string) ( $caller['name'] ?? '' ), $kinds[ $caller['kind'] ?? '' ] ?? (string) ( $caller['kind'] ?? '' ) );
	}

	/** @param array<string, mixed> $row */
	private static function type_label( array $row ): string {
		if ( 'image_generation' === $row['operation'] ) {
			/* translators: %d: number of images */
			return sprintf( _n( 'Image generation (%d image)', 'Image generation (%d images)', max( 1, $row['images'] ), 'aipuffer-connectors' ), max( 1, $row['images'] ) );
		}
		return __( 'Text', 'aipuffer-connectors' );
	}

	/** @param array<string, mixed> $row */
	private static function credits_label( array $row ): string {
		$how = null === $row['rule_id']
			? __( 'no pricing rule: one credit per token', 'aipuffer-connectors' )
			/* translators: 1: pricing rule id, 2: billing method */
			: sprintf( __( 'pricing rule #%1$d, %2$s', 'aipuffer-connectors' ), $row['rule_id'], $row['method'] );
		/* translators: 1: credits charged, 2: credits taken from the balance, 3: how they were priced */
		return sprintf( __( '%1$s charged, %2$s taken from the balance (%3$s)', 'aipuffer-connectors' ), number_format_i18n( $row['credits'] ), number_format_i18n( $row['debited'] ), $how );
	}
}
