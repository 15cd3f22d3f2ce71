# Shared helpers for scripts/*. Sourced, never run.
# Every installer here is idempotent and says what it does; slow downloads and builds are cached
# under $CACHE keyed by version, and nothing depends on the cache being there.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${AIPUFFER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aipuffer-connectors}
STATE=${AIPUFFER_STATE:-$ROOT/.state}
mkdir -p "$CACHE"

# Pinned versions that must match something else (see README "Pinned versions").
WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin in crates/js/Cargo.toml
WASMTIME_VERSION=50.0.1        # must equal WASMTIME_VERSION in host-php/src/Runtime/Wasmtime_Library.php
JCO_VERSION=1.35.0             # wraps the core module into a component (npm @bytecodealliance/jco)
BINARYEN_VERSION=132.0.0       # wasm-opt; Debian's binaryen 108 writes modules wasm-bindgen can't load
PLAYWRIGHT_CORE_VERSION=1.65.1  # drives Debian's Chromium in the browser tests (npm playwright-core; no browser download)
AJV_VERSION=8.20.0             # JSON Schema validator for the request bodies against tests/api-descriptions/ (npm ajv)

say()  { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die()  { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PKG... — installs only what is missing, from the machine's own apt sources.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  if [ ! -f "$CACHE/.apt-updated-$(date +%Y%m%d)" ]; then
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    touch "$CACHE/.apt-updated-$(date +%Y%m%d)"
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# free_port — an unused TCP port on 127.0.0.1, chosen by the kernel.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for NAME TRIES CMD... — polls CMD (0.1 s apart) until it succeeds; dies naming NAME otherwise.
wait_for() {
  local name=$1 tries=$2; shift 2
  local i
  for ((i = 0; i < tries; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$name did not become ready"
}
