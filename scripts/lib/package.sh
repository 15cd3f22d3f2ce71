# The installable plugin zip: dist/aipuffer-connectors-<version>.zip. Sourced after common.sh,
# toolchain.sh and build.sh.
#
#   ensure_wasmtime_wheels     wasmtime's C library for every shipped architecture, from the pinned
#                              PyPI wheels (through the machine's own pip configuration), cached
#   package_plugin             builds the zip from host-php/, pkg/ and the cached libraries;
#                              sets PACKAGE_ZIP

# Architectures the zip ships: `php_uname('m')` name → the wheel's platform tag. The plugin looks
# for lib/<arch>/libwasmtime.so (host-php/src/Requirements.php, SHIPPED_ARCHITECTURES).
PACKAGE_ARCHS="x86_64:manylinux1_x86_64 aarch64:manylinux2014_aarch64"

# Fills $CACHE/wasmtime-$WASMTIME_VERSION/wheels/<arch>/ with libwasmtime.so, LICENSE and the
# wheel's name and SHA-256 (provenance). Sets WASMTIME_WHEELS to that folder.
ensure_wasmtime_wheels() {
  local root="$CACHE/wasmtime-$WASMTIME_VERSION/wheels" pair arch platform dir
  for pair in $PACKAGE_ARCHS; do
    arch=${pair%%:*} platform=${pair#*:} dir="$root/$arch"
    [ -f "$dir/libwasmtime.so" ] && [ -f "$dir/LICENSE" ] && [ -f "$dir/wheel.txt" ] && continue
    say "Fetching the wasmtime $WASMTIME_VERSION C library for Linux $arch (PyPI wheel, platform $platform)"
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --platform "$platform" \
        "wasmtime==$WASMTIME_VERSION" -d "$dir.tmp" >&2 \
      || die "pip download wasmtime==$WASMTIME_VERSION --platform $platform failed"
    python3 - "$dir.tmp" "$arch" <<'PY' || die "the wasmtime wheel for $arch lacks its library or licence"
import glob, hashlib, os, sys, zipfile
folder, arch = sys.argv[1], sys.argv[2]
wheels = glob.glob(os.path.join(folder, "wasmtime-*.whl"))
if len(wheels) != 1:
    sys.exit(f"expected one wheel in {folder}, found {wheels}")
wheel = wheels[0]
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    licence = [n for n in names if n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")]
    library = f"wasmtime/linux-{arch}/_libwasmtime.so"
    if library not in names or not licence:
        sys.exit(f"{os.path.basename(wheel)} has no {library} or no LICENSE")
    for source, target in ((library, "libwasmtime.so"), (licence[0], "LICENSE")):
        with z.open(source) as src, open(os.path.join(folder, target), "wb") as dst:
            dst.write(src.read())
with open(wheel, "rb") as f:
    digest = hashlib.sha256(f.read()).hexdigest()
with open(os.path.join(folder, "wheel.txt"), "w") as f:
    f.write(f"{os.path.basename(wheel)} sha256={digest}\n")
os.remove(wheel)
PY
    rm -rf "$dir"; mv "$dir.tmp" "$dir"
  done
  WASMTIME_WHEELS=$root
}

# The plugin's version from its header; the code's constant and the readme's stable tag must agree.
plugin_version() {
  local header constant stable
  header=$(sed -n 's/^ \* Version: *//p' "$ROOT/host-php/aipuffer-connectors.php" | tr -d '[:space:]')
  constant=$(sed -n "s/.*const VERSION = '\([^']*\)'.*/\1/p" "$ROOT/host-php/src/Plugin.php")
  stable=$(sed -n 's/^Stable tag: *//p' "$ROOT/host-php/readme.txt" | tr -d '[:space:]')
  [ -n "$header" ] || die "no Version: in host-php/aipuffer-connectors.php"
  [ "$header" = "$constant" ] || die "plugin header says $header but Plugin::VERSION is $constant"
  [ "$header" = "$stable" ] || die "plugin header says $header but readme.txt's Stable tag is $stable"
  echo "$header"
}

package_plugin() {
  local version; version=$(plugin_version)
  build_engine
  ensure_wasmtime_wheels
  local licence=/usr/share/common-licenses/GPL-2
  [ -f "$licence" ] || die "$licence (the GPL-2.0 text, Debian's base-files) is missing"

  local dist="$ROOT/dist" stage="$ROOT/dist/stage" slug=aipuffer-connectors
  local plugin="$stage/$slug" zip="$ROOT/dist/$slug-$version.zip"
  say "Packaging AI Puffer Connectors $version into dist/$(basename "$zip")"
  rm -rf "$stage"; mkdir -p "$plugin/engine" "$plugin/lib"

  # The plugin's PHP, admin assets and readme — never its tests or test-only files.
  cp "$ROOT/host-php/aipuffer-connectors.php" "$ROOT/host-php/uninstall.php" "$ROOT/host-php/readme.txt" "$plugin/"
  cp -r "$ROOT/host-php/src" "$ROOT/host-php/admin" "$ROOT/host-php/data" "$plugin/"
  rm -f "$plugin/src/Runtime/wasmtime-layout.json"   # read by LayoutTest only
  cp "$licence" "$plugin/license.txt"

  cp "$ROOT/pkg/engine.wasm" "$plugin/engine/engine.wasm"
  # The browser build of the engine ships only once the plugin's admin loads it.
  if grep -rqs 'engine/web/' "$ROOT/host-php/src" "$ROOT/host-php/admin"; then
    mkdir -p "$plugin/engine/web"
    cp "$ROOT/pkg/web/aipuffer_js.js" "$ROOT/pkg/web/aipuffer_js_bg.wasm" "$plugin/engine/web/"
    info "the admin uses the web build: engine/web/ included"
  else
    info "the admin does not load the web build (pkg/web): not included"
  fi

  local pair arch
  {
    echo "wasmtime $WASMTIME_VERSION C API library (Apache-2.0 WITH LLVM-exception, see LICENSE-wasmtime.txt)"
    echo "taken unchanged from the PyPI wheels:"
  } > "$plugin/lib/README.txt"
  for pair in $PACKAGE_ARCHS; do
    arch=${pair%%:*}
    mkdir -p "$plugin/lib/$arch"
    cp "$WASMTIME_WHEELS/$arch/libwasmtime.so" "$plugin/lib/$arch/libwasmtime.so"
    echo "  lib/$arch/libwasmtime.so  from  $(cat "$WASMTIME_WHEELS/$arch/wheel.txt")" >> "$plugin/lib/README.txt"
  done
  cp "$WASMTIME_WHEELS/x86_64/LICENSE" "$plugin/lib/LICENSE-wasmtime.txt"
  cmp -s "$WASMTIME_WHEELS/x86_64/LICENSE" "$WASMTIME_WHEELS/aarch64/LICENSE" || die "the wheels' LICENSE files differ"

  # Nothing a build or a test leaves behind.
  find "$plugin" \( -name '*.cwasm' -o -name '*.tmp' -o -name '.*' \) -print -delete | sed 's/^/    removed /' >&2 || true

  # Checksums of every file (sha256sum -c SHA256SUMS in the plugin folder checks them).
  (cd "$plugin" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)

  # Directories first, files in a stable order, fixed permissions (the zip is the same for the same inputs).
  rm -f "$zip"
  python3 - "$stage" "$slug" "$zip" <<'PY' || die "writing $zip failed"
import os, sys, zipfile
stage, slug, target = sys.argv[1:4]
entries = []
for folder, dirs, files in os.walk(os.path.join(stage, slug)):
    dirs.sort()
    rel = os.path.relpath(folder, stage)
    entries.append((rel + "/", None))
    entries.extend((os.path.join(rel, f), os.path.join(folder, f)) for f in sorted(files))
with zipfile.ZipFile(target + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, path in entries:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        if path is None:
            info.external_attr = (0o40755 << 16) | 0x10
            z.writestr(info, b"")
        else:
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
os.replace(target + ".tmp", target)
PY
  rm -rf "$stage"
  PACKAGE_ZIP=$zip
  local files size
  files=$(unzip -Z1 "$zip" | grep -vc '/$')
  size=$(stat -c %s "$zip")
  info "$(basename "$zip"): $files files, $size bytes ($(( (size + 524288) / 1048576 )) MB; unpacked $(unzip -l "$zip" | tail -1 | awk '{print $1}') bytes)"
}
