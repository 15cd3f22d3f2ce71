# WordPress 7.x with the AI Client, offline: Debian sid's `wordpress` package (RUNTIME.md §3).
# Sourced after common.sh.

WP_DEBS="wordpress wordpress-theme-twentytwentyfive libphp-phpmailer php-getid3 libjs-lodash libjs-underscore libjs-jquery-ui libjs-cropper"

# The Debian mirror this machine already uses, read from its own apt configuration.
debian_mirror() {
  local uri
  uri=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
  [ -n "$uri" ] || uri=$(grep -h -E '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
  [ -n "$uri" ] || die "cannot find a Debian mirror in /etc/apt/sources.list*"
  echo "$uri"
}

# wordpress_tree — prints a folder holding an unpacked WordPress ≥ 7.0 (cached; sid keeps only its
# newest version, so any 7.x is accepted).
wordpress_tree() {
  local tree="$CACHE/wordpress/tree"
  if [ -f "$tree/wp-includes/version.php" ] && [ -f "$tree/wp-includes/ai-client.php" ]; then
    echo "$tree"; return 0
  fi
  say "Fetching WordPress 7.x from Debian sid (private apt lists; the system's sources stay untouched)"
  local apt="$CACHE/wordpress/apt" debs="$CACHE/wordpress/debs"
  mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$debs"
  cat > "$apt/sources.list.d/sid.sources" <<SRC
Types: deb
URIs: $(debian_mirror)
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources.list.d"
              -o "Dir::State::Lists=$apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  apt-get "${opts[@]}" update -qq >&2 || die "apt-get update for sid failed"
  (cd "$debs" && apt-get "${opts[@]}" download $WP_DEBS >&2) || die "downloading the WordPress debs failed"
  local unpack="$CACHE/wordpress/unpack"
  rm -rf "$unpack" "$tree.tmp"; mkdir -p "$unpack"
  local d; for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$unpack"; done
  rm -f "$unpack/usr/share/wordpress/wp-config.php" "$unpack/usr/share/wordpress/.htaccess"
  # The package symlinks its bundled libraries into /usr/share/…; -L copies them into the tree.
  (cd "$unpack" && cp -rL usr/share/wordpress "$tree.tmp" 2>/dev/null) || true
  [ -f "$tree.tmp/wp-includes/version.php" ] || die "WordPress tree incomplete after unpacking"
  local v; v=$(php -r "include '$tree.tmp/wp-includes/version.php'; echo \$wp_version;")
  case "$v" in 7.*|8.*|9.*) ;; *) die "Debian sid ships WordPress $v; 7.0 or newer is needed for the AI Client" ;; esac
  rm -rf "$tree"; mv "$tree.tmp" "$tree"; rm -rf "$unpack"
  info "WordPress $v ready in $tree"
  echo "$tree"
}
