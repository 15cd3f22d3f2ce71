# Builds the engine for every host, skipping work when the sources have not changed:
#   pkg/engine.wasm        the component (wit/engine.wit), run by the PHP host through wasmtime
#   pkg/node/, pkg/web/    the wasm-bindgen builds for Node and the browser
# Sourced after common.sh and toolchain.sh.

engine_sources_hash() {
  (cd "$ROOT" && find Cargo.toml Cargo.lock crates wit scripts/lib/build.sh -type f \( -name '*.rs' -o -name '*.toml' -o -name '*.wit' -o -name Cargo.lock -o -name build.sh \) \
     -not -path '*/target/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

build_engine() {
  local pkg="$ROOT/pkg" stamp hash
  hash="$(engine_sources_hash)-$WASM_BINDGEN_VERSION-$JCO_VERSION"
  stamp="$pkg/.built-$hash"
  if [ -f "$stamp" ] && [ -f "$pkg/engine.wasm" ] && [ -f "$pkg/node/aipuffer_js.js" ] && [ -f "$pkg/web/aipuffer_js.js" ]; then
    info "engine is up to date (pkg/)"
    return 0
  fi
  ensure_wasm_rust; ensure_wasm_bindgen; ensure_wasm_npm_tools
  mkdir -p "$pkg"
  say "Building the engine component (opt-level 3, route: $WASM_ROUTE)"
  (cd "$ROOT" && wasm_cargo build --quiet --release -p aipuffer-component >&2) || die "building crates/component failed"
  local core="$WASM_TARGET_DIR/wasm32-unknown-unknown/release/aipuffer_component.wasm"
  "$WASM_OPT" -O3 --strip-debug --strip-producers "$core" -o "$pkg/engine.core.wasm" || die "wasm-opt failed"
  "$JCO" new "$pkg/engine.core.wasm" -o "$pkg/engine.wasm" >&2 || die "jco new (component wrap) failed"
  rm -f "$pkg/engine.core.wasm"

  # Node (the harness, benchmarks) gets the speed build; the browser gets the size build.
  # The browser runs the preview alone (it sends nothing): its build leaves the host tasks out.
  say "Building the JavaScript engine (wasm-bindgen $WASM_BINDGEN_VERSION): Node at opt-level 3, web (preview only) at opt-level z"
  (cd "$ROOT" && wasm_cargo build --quiet --release -p aipuffer-js >&2 \
     && wasm_cargo build --quiet --profile web -p aipuffer-js --no-default-features >&2) \
    || die "building crates/js failed"
  local target profile bindgen_target opt
  for target in node web; do
    if [ $target = node ]; then profile=release bindgen_target=nodejs opt=-O3; else profile=web bindgen_target=web opt=-Oz; fi
    local out="$pkg/$target"
    rm -rf "$out"; mkdir -p "$out"
    "$WASM_BINDGEN" --target "$bindgen_target" --out-dir "$out" "$WASM_TARGET_DIR/wasm32-unknown-unknown/$profile/aipuffer_js.wasm" \
      || die "wasm-bindgen --target $bindgen_target failed"
    "$WASM_OPT" "$opt" --strip-debug --strip-producers "$out/aipuffer_js_bg.wasm" -o "$out/aipuffer_js_bg.wasm" \
      || die "wasm-opt on pkg/$target failed"
  done
  rm -f "$pkg"/.built-*; touch "$stamp"
  info "pkg/engine.wasm $(stat -c %s "$pkg/engine.wasm") bytes, pkg/web wasm $(stat -c %s "$pkg/web/aipuffer_js_bg.wasm") bytes ($(gzip -9c "$pkg/web/aipuffer_js_bg.wasm" | wc -c) gzipped)"
}
