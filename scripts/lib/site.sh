# A real WordPress 7.x site on loopback: MariaDB, php-fpm behind nginx, the loopback provider and
# the plugin. Sourced after common.sh, toolchain.sh, build.sh and wordpress.sh.
#
#   site_start DIR MODE     start (or reuse) everything whose state lives in DIR; write DIR/site.env.
#                           MODE `demo`: fixed ports when free; `test`: any free ports. Both configure
#                           the plugin once (management on, OpenAI → loopback provider).
#                           MODE `fresh`: any free ports, a site as a hosting company hands it over —
#                           PHP's own FFI default (ffi.enable=preload under php-fpm), no plugin, no
#                           AIPUFFER_WASMTIME_LIBRARY; the package test installs the zip itself.
#   site_add_node DIR       a second web node for the test or demo site in DIR, as a site scales out:
#                           its own copy of the WordPress tree and its own php-fpm and nginx on
#                           127.0.0.2, the same MariaDB; state in DIR/node2; WP_URL_2 and WP_PATH_2
#                           in DIR/site.env.
#   site_stop DIR           stop what site_start and site_add_node started, by pid

SITE_PACKAGES="php-cli php-fpm php-mysql php-curl php-mbstring php-xml php-zip php-intl mariadb-server mariadb-client nginx"
DEMO_OPENAI_KEY=sk-loopback-demo-key-0000000000
# The demo keys of every loopback wire format (Ollama takes none): the loopback accepts exactly
# these, and the demo and test sites store them (scripts/lib/demo-connectors.php).
DEMO_KEYS="{\"openai\": \"$DEMO_OPENAI_KEY\", \"google\": \"AIzaSyLoopbackDemoKey0000000000000000000\", \"anthropic\": \"sk-ant-loopback-demo-key-0000000000\", \"openrouter\": \"sk-or-v1-loopback-0000000000000000000000\", \"azure\": \"loopback-azure-key-0000000000000000000000\", \"deepseek\": \"sk-loopback-deepseek-00000000000000\", \"xai\": \"xai-loopback-demo-key-00000000000000\"}"

random_token() { python3 -c "import secrets, string; print(''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range($1)))"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# site_port DIR NAME DEFAULT [ADDR] — a port on ADDR (127.0.0.1) remembered in DIR/ports.env (a
# fixed default if free, else any).
site_port() {
  local dir=$1 name=$2 default=$3 addr=${4:-127.0.0.1} port
  port=$(grep -s "^$name=" "$dir/ports.env" | cut -d= -f2 || true)
  if [ -z "$port" ]; then
    if [ -n "$default" ] && ! (exec 3<>"/dev/tcp/$addr/$default") 2>/dev/null; then port=$default
    else port=$(python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$addr"); fi
    echo "$name=$port" >> "$dir/ports.env"
  fi
  echo "$port"
}

site_start() {
  local dir=$1 mode=$2
  apt_install $SITE_PACKAGES
  ensure_wasmtime_library
  local tree; tree=$(wordpress_tree)
  mkdir -p "$dir/run" "$dir/logs"
  dir=$(cd "$dir" && pwd)
  local defaults_wp="" defaults_provider="" defaults_db=""
  [ "$mode" = demo ] && { defaults_wp=8080; defaults_provider=9999; defaults_db=3307; }
  local wp_port provider_port db_port
  wp_port=$(site_port "$dir" WP_PORT "$defaults_wp")
  provider_port=$(site_port "$dir" PROVIDER_PORT "$defaults_provider")
  db_port=$(site_port "$dir" DB_PORT "$defaults_db")
  local wp_path="$dir/wordpress" wp_url="http://127.0.0.1:$wp_port" socket="$dir/run/mysqld.sock"
  local provider_url="http://127.0.0.1:$provider_port"

  start_mariadb "$dir" "$db_port" "$socket"
  start_provider "$dir" "$provider_port"

  if [ ! -f "$wp_path/wp-includes/version.php" ]; then
    say "Copying WordPress into $wp_path"
    cp -r "$tree" "$wp_path"
  fi
  write_wp_config "$dir" "$wp_path" "$socket" "$mode"
  write_loopback_mu_plugin "$wp_path" "$provider_port"
  [ "$mode" = test ] && install_test_fixtures "$wp_path"
  [ "$mode" = fresh ] || deploy_plugin "$wp_path"
  start_php_fpm "$dir" "$mode"
  start_nginx "$dir" "$wp_port" "$wp_path"

  local admin_pass
  admin_pass=$(grep -s '^ADMIN_PASS=' "$dir/site.env" | cut -d= -f2 || true)
  [ -n "$admin_pass" ] || admin_pass=$(random_token 16)
  say "Installing WordPress and activating the plugin"
  WP_PATH="$wp_path" WP_URL="$wp_url" ADMIN_USER=admin ADMIN_PASS="$admin_pass" PROVIDER_URL="$provider_url" \
    DEMO_OPENAI_KEY="$DEMO_OPENAI_KEY" DEMO_KEYS="$DEMO_KEYS" AIPUFFER_SETUP_PLUGIN=$([ "$mode" = fresh ] && echo 0 || echo 1) \
    php "$ROOT/scripts/lib/wp-setup.php" >&2 || die "WordPress setup failed (see above)"

  cat > "$dir/site.env" <<ENV
WP_URL=$wp_url
WP_PATH=$wp_path
ADMIN_USER=admin
ADMIN_PASS=$admin_pass
PROVIDER_URL=$provider_url
DB_SOCKET=$socket
DEMO_OPENAI_KEY=$DEMO_OPENAI_KEY
DEMO_KEYS='$DEMO_KEYS'
FPM_CONF=$dir/run/php-fpm.conf
FPM_PID_FILE=$dir/run/php-fpm.pid
WP_LOGS=$dir/logs
ENV
  # The site must answer through nginx and php-fpm, not merely have started.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$wp_url/wp-login.php") || true
  [ "$code" = 200 ] || die "WordPress at $wp_url/wp-login.php answered HTTP $code (logs: $dir/logs)"
}

start_mariadb() {
  local dir=$1 port=$2 socket=$3 data="$dir/mysql"
  if pid_alive "$dir/run/mysqld.pid"; then return 0; fi
  if [ ! -d "$data/mysql" ]; then
    say "Initialising a private MariaDB in $data"
    mariadb-install-db --no-defaults --datadir="$data" --auth-root-authentication-method=socket \
      --skip-test-db --user="$(id -un)" >"$dir/logs/mariadb-install.log" 2>&1 || die "mariadb-install-db failed ($dir/logs/mariadb-install.log)"
  fi
  # One statement per line: the init file is read line by line.
  cat > "$dir/run/init.sql" <<'SQL'
CREATE DATABASE IF NOT EXISTS wordpress DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'wordpress'@'localhost' IDENTIFIED BY 'wordpress';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';
SQL
  say "Starting MariaDB on 127.0.0.1:$port"
  setsid mariadbd --no-defaults --datadir="$data" --socket="$socket" --port="$port" --bind-address=127.0.0.1 \
    --pid-file="$dir/run/mysqld.pid" --init-file="$dir/run/init.sql" --user="$(id -un)" \
    --log-error="$dir/logs/mariadb.log" --skip-name-resolve >/dev/null 2>&1 < /dev/null &
  wait_for MariaDB 300 mariadb --no-defaults --socket="$socket" -uwordpress -pwordpress -e 'SELECT 1' wordpress
}

start_provider() {
  local dir=$1 port=$2
  if pid_alive "$dir/run/provider.pid"; then return 0; fi
  say "Starting the loopback provider on 127.0.0.1:$port"
  # The provider accepts exactly the keys the site is configured with (one source: DEMO_KEYS).
  LOOPBACK_PROVIDER_KEYS=$(python3 -c 'import json, sys; print(json.dumps({k: [v] for k, v in json.loads(sys.argv[1]).items()}))' "$DEMO_KEYS") \
    setsid node "$ROOT/tests/provider/server.mjs" --port "$port" --pid-file "$dir/run/provider.pid" \
    >"$dir/logs/provider.log" 2>&1 < /dev/null &
  wait_for "the loopback provider" 100 curl -sf "http://127.0.0.1:$port/__loopback/health"
}

write_wp_config() {
  local dir=$1 wp_path=$2 socket=$3 mode=${4:-test} library=""
  [ -f "$wp_path/wp-config.php" ] && return 0
  # The development layout has no lib/ folder: the library comes from the shared tool cache.
  # A fresh site finds the one shipped in the plugin's zip.
  [ "$mode" = fresh ] || library="// The wasmtime C library (pinned $WASMTIME_VERSION), from the shared tool cache.
defined( 'AIPUFFER_WASMTIME_LIBRARY' ) || define( 'AIPUFFER_WASMTIME_LIBRARY', '$WASMTIME_LIBRARY' );"
  local salts="" k
  for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    salts+="define( '$k', '$(random_token 48)' );"$'\n'
  done
  cat > "$wp_path/wp-config.php" <<PHP
<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', 'wordpress' );
define( 'DB_HOST', 'localhost:$socket' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$salts
\$table_prefix = 'wp_';
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$dir/logs/wp-debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
$library
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
}

# Demo and test configuration only: lets the AI Client's safe HTTP calls reach the loopback
# provider (wp_safe_remote_request refuses loopback hosts and non-standard ports).
write_loopback_mu_plugin() {
  local wp_path=$1 port=$2
  mkdir -p "$wp_path/wp-content/mu-plugins"
  cat > "$wp_path/wp-content/mu-plugins/aipuffer-loopback-provider.php" <<PHP
<?php
/**
 * Plugin Name: Loopback provider access (AI Puffer Connectors demo/tests)
 * Description: Allows HTTP calls to the loopback provider on 127.0.0.1:$port. Not for production.
 */
add_filter( 'http_allowed_safe_ports', static fn ( \$ports ) => array_merge( (array) \$ports, array( $port ) ) );
add_filter(
	'http_request_host_is_external',
	static fn ( \$external, \$host, \$url ) => \$external || ( '127.0.0.1' === \$host && $port === (int) wp_parse_url( \$url, PHP_URL_PORT ) ),
	10,
	3
);
PHP
}

# Test sites only: the fixtures the tests call into (tests/wordpress-fixtures/: a test ability,
# caller plugin, mu-plugin and theme, a Connector Approvals guard that follows the AI plugin's
# documented contract), copied into wp-content.
install_test_fixtures() {
  cp -r "$ROOT/tests/wordpress-fixtures/." "$1/wp-content/"
}

deploy_plugin() {
  local wp_path=$1 target="$1/wp-content/plugins/aipuffer-connectors"
  [ -f "$ROOT/pkg/engine.wasm" ] || die "pkg/engine.wasm is missing: build the engine first"
  rm -rf "$target.tmp"; mkdir -p "$target.tmp/engine"
  cp -r "$ROOT/host-php/aipuffer-connectors.php" "$ROOT/host-php/uninstall.php" "$ROOT/host-php/src" "$ROOT/host-php/admin" "$ROOT/host-php/data" "$target.tmp/"
  cp "$ROOT/pkg/engine.wasm" "$target.tmp/engine/engine.wasm"
  # The browser build, for AI Puffer > Preview.
  mkdir -p "$target.tmp/engine/web"
  cp "$ROOT/pkg/web/aipuffer_js.js" "$ROOT/pkg/web/aipuffer_js_bg.wasm" "$target.tmp/engine/web/"
  rm -rf "$target"; mv "$target.tmp" "$target"
}

start_php_fpm() {
  local dir=$1 mode=${2:-test} fpm
  fpm=$(ls /usr/sbin/php-fpm* 2>/dev/null | head -1)
  [ -n "$fpm" ] || die "php-fpm is not installed"
  if pid_alive "$dir/run/php-fpm.pid"; then
    kill -USR2 "$(cat "$dir/run/php-fpm.pid")"   # reload: picks up a redeployed plugin at once
    return 0
  fi
  cat > "$dir/run/php-fpm.conf" <<CONF
[global]
pid = $dir/run/php-fpm.pid
error_log = $dir/logs/php-fpm.log
daemonize = yes

[site]
user = $(id -un)
group = $(id -gn)
listen = $dir/run/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = $([ "$mode" = fresh ] && echo 4 || echo 8)
catch_workers_output = yes
php_admin_value[error_log] = $dir/logs/php-error.log
php_admin_flag[log_errors] = on
CONF
  if [ "$mode" = fresh ]; then
    # As a host sets up a site: uploads big enough for a plugin zip; FFI left at PHP's default.
    cat >> "$dir/run/php-fpm.conf" <<CONF
php_admin_value[upload_max_filesize] = 64M
php_admin_value[post_max_size] = 64M
CONF
    say "Starting php-fpm (PHP's default ffi.enable)"
    "$fpm" --fpm-config "$dir/run/php-fpm.conf" $([ "$(id -u)" = 0 ] && echo --allow-to-run-as-root) \
      || die "php-fpm failed to start ($dir/logs/php-fpm.log)"
    wait_for php-fpm 100 test -S "$dir/run/php-fpm.sock"
    return 0
  fi
  cat >> "$dir/run/php-fpm.conf" <<CONF
; FFI is off for web requests by default (ffi.enable=preload); the engine needs it.
php_admin_value[ffi.enable] = 1
CONF
  # The wasmtime declarations are preloaded once by the php-fpm master (ffi.preload is read at
  # startup only), so a request doesn't parse them and dlopen the 30 MB library again.
  php -r 'require $argv[1]; echo AIPuffer\Connectors\Runtime\Wasmtime_Library::preload_header($argv[2]);' \
    "$ROOT/host-php/src/Runtime/Wasmtime_Library.php" "$WASMTIME_LIBRARY" > "$dir/run/wasmtime-preload.h"
  say "Starting php-fpm"
  "$fpm" --fpm-config "$dir/run/php-fpm.conf" -d ffi.enable=1 -d ffi.preload="$dir/run/wasmtime-preload.h" \
    $([ "$(id -u)" = 0 ] && echo --allow-to-run-as-root) \
    || die "php-fpm failed to start ($dir/logs/php-fpm.log)"
  wait_for php-fpm 100 test -S "$dir/run/php-fpm.sock"
}

start_nginx() {
  local dir=$1 port=$2 wp_path=$3 addr=${4:-127.0.0.1}
  mkdir -p "$dir/run/nginx"
  cat > "$dir/run/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
daemon on;
pid $dir/run/nginx.pid;
error_log $dir/logs/nginx-error.log;
worker_processes 2;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log $dir/logs/nginx-access.log;
  client_body_temp_path $dir/run/nginx/body;
  fastcgi_temp_path $dir/run/nginx/fastcgi;
  proxy_temp_path $dir/run/nginx/proxy;
  uwsgi_temp_path $dir/run/nginx/uwsgi;
  scgi_temp_path $dir/run/nginx/scgi;
  client_max_body_size 32m;
  server {
    listen $addr:$port;
    root $wp_path;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$dir/run/php-fpm.sock;
      fastcgi_read_timeout 120s;
    }
  }
}
CONF
  if pid_alive "$dir/run/nginx.pid"; then return 0; fi
  say "Starting nginx on $addr:$port"
  nginx -c "$dir/run/nginx.conf" -p "$dir/run" -e "$dir/logs/nginx-error.log" || die "nginx failed to start ($dir/logs/nginx-error.log)"
  wait_for nginx 100 curl -s -o /dev/null "http://$addr:$port/"
}

# Node 2 shares node 1's database, provider, salts and options (home and siteurl stay node 1's
# URL: caller scripts are requested directly, and cookies are named after siteurl on both nodes).
site_add_node() {
  local dir=$1 addr=127.0.0.2
  [ -f "$dir/site.env" ] && [ -f "$dir/wordpress/wp-config.php" ] || die "no site in $dir to add a node to: start it first"
  dir=$(cd "$dir" && pwd)
  pid_alive "$dir/run/mysqld.pid" || die "the database of the site in $dir is not running: start the site first"
  ensure_wasmtime_library
  local node="$dir/node2" port
  mkdir -p "$node/run" "$node/logs"
  port=$(site_port "$dir" WP_PORT_2 "" "$addr")
  local wp_path="$node/wordpress" wp_url="http://$addr:$port"

  # A fresh copy each time, so node 2 runs exactly node 1's code, configuration and fixtures.
  say "Copying the site's WordPress into $wp_path (node 2)"
  rm -rf "$wp_path.tmp"
  cp -a "$dir/wordpress" "$wp_path.tmp" || die "copying $dir/wordpress to $wp_path failed"
  # The same wp-config (database, salts); only the debug log is the node's own.
  sed -i "s|'WP_DEBUG_LOG', '$dir/logs/|'WP_DEBUG_LOG', '$node/logs/|" "$wp_path.tmp/wp-config.php"
  grep -q "'WP_DEBUG_LOG', '$node/logs/" "$wp_path.tmp/wp-config.php" || die "node 2's wp-config.php has no WP_DEBUG_LOG to point at $node/logs"
  rm -rf "$wp_path"; mv "$wp_path.tmp" "$wp_path"
  deploy_plugin "$wp_path"
  start_php_fpm "$node" test
  start_nginx "$node" "$port" "$wp_path" "$addr"

  sed -i '/^WP_URL_2=/d; /^WP_PATH_2=/d' "$dir/site.env"
  printf 'WP_URL_2=%s\nWP_PATH_2=%s\n' "$wp_url" "$wp_path" >> "$dir/site.env"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$wp_url/wp-login.php") || true
  [ "$code" = 200 ] || die "node 2 at $wp_url/wp-login.php answered HTTP $code (logs: $node/logs)"
  info "node 2 answers at $wp_url"
}

# stop_pid_files RUN_DIR LABEL NAME... — stops each RUN_DIR/NAME.pid's process, by pid.
stop_pid_files() {
  local run=$1 label=$2 name pidfile pid; shift 2
  for name in "$@"; do
    pidfile="$run/$name.pid"
    if pid_alive "$pidfile"; then
      pid=$(cat "$pidfile")
      info "stopping $label$name ($pid)"
      kill "$pid" 2>/dev/null || true
      local i; for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
  done
}

site_stop() {
  local dir=$1
  stop_pid_files "$dir/node2/run" "node 2's " nginx php-fpm
  stop_pid_files "$dir/run" "" nginx php-fpm provider mysqld
}

# site_start_db DIR — starts a site's MariaDB again on its port (the database-fault test stops it
# mid-run, as a host's restart would).
site_start_db() {
  local dir; dir=$(cd "$1" && pwd)
  start_mariadb "$dir" "$(site_port "$dir" DB_PORT "")" "$dir/run/mysqld.sock"
}
