# Build tools: Rust for wasm32, the wasm-bindgen CLI, jco and wasm-opt. Sourced after common.sh.
# Route A (rustup's wasm32 target) is preferred; when rustup can't fetch it, route B uses
# Debian's Rust with the standard library built from source (RUNTIME.md §1).

# Sets WASM_ENV (env assignments) and WASM_CARGO_ARGS for `cargo build --target wasm32-…`.
ensure_wasm_rust() {
  [ -n "${WASM_ROUTE:-}" ] && return 0
  if [ "${AIPUFFER_WASM_ROUTE:-}" != debian ] && command -v rustup >/dev/null 2>&1; then
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
       || { say "Adding the wasm32-unknown-unknown target with rustup"; rustup target add wasm32-unknown-unknown >&2; }; then
      WASM_ROUTE=rustup; WASM_ENV=(); WASM_CARGO_ARGS=(); WASM_TARGET_DIR="$ROOT/target"
      return 0
    fi
    info "rustup could not add the wasm32 target; falling back to Debian's Rust (route B)"
  fi
  apt_install rustc-web cargo-web rust-web-src lld
  WASM_ROUTE=debian
  WASM_TARGET_DIR="$ROOT/target/debian"
  # No wasm32 std is packaged: build it from source; wasm-ld comes from lld.
  WASM_ENV=(PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C linker=wasm-ld" CARGO_TARGET_DIR="$WASM_TARGET_DIR")
  WASM_CARGO_ARGS=(-Zbuild-std=std,panic_abort)
}

# Runs cargo for wasm32 with the chosen route.
wasm_cargo() { env "${WASM_ENV[@]}" cargo "$@" --target wasm32-unknown-unknown "${WASM_CARGO_ARGS[@]}"; }

# The wasm-bindgen CLI at the crate's pinned version (≈2 min to build once, then cached).
ensure_wasm_bindgen() {
  local dir="$CACHE/tools/wasm-bindgen-cli-$WASM_BINDGEN_VERSION"
  if [ ! -x "$dir/bin/wasm-bindgen" ] || [ ! -x "$dir/bin/wasm-bindgen-test-runner" ]; then
    say "Building wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; about 2 minutes)"
    # Not --locked: its lock file pins a webpki-roots version that no longer resolves.
    cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$dir.tmp" >&2 \
      || die "cargo install wasm-bindgen-cli failed"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  fi
  WASM_BINDGEN="$dir/bin/wasm-bindgen"
  WASM_BINDGEN_TEST_RUNNER="$dir/bin/wasm-bindgen-test-runner"
}

# Pinned npm packages in a cache folder of their own, installed once (into a temporary folder,
# moved in place when complete): npm_tools FOLDER FILE-THAT-PROVES-IT PACKAGE@VERSION...
# Sets NPM_TOOLS to the folder (its node_modules holds the packages).
npm_tools() {
  local dir="$CACHE/tools/$1" proof="$2"; shift 2
  if [ ! -e "$dir/$proof" ]; then
    say "Installing $* from npm"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    echo '{ "private": true }' > "$dir.tmp/package.json"
    (cd "$dir.tmp" && npm install --silent --no-audit --no-fund "$@" >&2) || die "npm install $* failed"
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  fi
  NPM_TOOLS="$dir"
}

# jco (wraps the core module into a component) and binaryen's wasm-opt, from npm.
ensure_wasm_npm_tools() {
  npm_tools "npm-jco-$JCO_VERSION-binaryen-$BINARYEN_VERSION" node_modules/.bin/wasm-opt \
    "@bytecodealliance/jco@$JCO_VERSION" "binaryen@$BINARYEN_VERSION" || return 1
  JCO="$NPM_TOOLS/node_modules/.bin/jco"
  WASM_OPT="$NPM_TOOLS/node_modules/.bin/wasm-opt"
}

# The wasmtime C library from the PyPI wheel, pinned (the FFI declarations match this version).
ensure_wasmtime_library() {
  local dir="$CACHE/wasmtime-$WASMTIME_VERSION"
  if [ ! -f "$dir/libwasmtime.so" ]; then
    say "Fetching the wasmtime $WASMTIME_VERSION C library (PyPI wheel)"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    python3 -m pip download --quiet --no-deps --only-binary=:all: "wasmtime==$WASMTIME_VERSION" -d "$dir.tmp" >&2 \
      || die "pip download wasmtime==$WASMTIME_VERSION failed"
    python3 - "$dir.tmp" <<'PY' || die "the wasmtime wheel has no linux-x86_64 library"
import glob, sys, zipfile, platform
d = sys.argv[1]
arch = {"x86_64": "x86_64", "aarch64": "aarch64"}.get(platform.machine(), platform.machine())
wheel = glob.glob(d + "/wasmtime-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = f"wasmtime/linux-{arch}/_libwasmtime.so"
    with z.open(name) as src, open(d + "/libwasmtime.so", "wb") as dst:
        dst.write(src.read())
PY
    mkdir -p "$dir"; mv "$dir.tmp/libwasmtime.so" "$dir/libwasmtime.so"; rm -rf "$dir.tmp"
  fi
  WASMTIME_LIBRARY="$dir/libwasmtime.so"
}

# Debian's Chromium and npm's playwright-core, pinned (playwright-core downloads no browser).
# Exports PLAYWRIGHT_CORE (the module the browser tests import) and CHROMIUM.
ensure_browser() {
  apt_install chromium fonts-dejavu-core || return 1
  npm_tools "npm-playwright-core-$PLAYWRIGHT_CORE_VERSION" node_modules/playwright-core/index.mjs \
    "playwright-core@$PLAYWRIGHT_CORE_VERSION" || return 1
  export PLAYWRIGHT_CORE="$NPM_TOOLS/node_modules/playwright-core/index.mjs" CHROMIUM=/usr/bin/chromium
}

# npm's ajv, pinned: validates the request bodies against the providers' API descriptions
# (tests/api-descriptions/). Exports AJV (the module directory the test imports from).
ensure_ajv() {
  npm_tools "npm-ajv-$AJV_VERSION" node_modules/ajv/dist/2020.js "ajv@$AJV_VERSION" || return 1
  export AJV="$NPM_TOOLS/node_modules/ajv"
}
