#!/usr/bin/env bash
# PromptWarden's one entry point for building, testing and benchmarking.
#
#   ./build.sh          build the `warden` CLI (target/release/warden) and everything else installable
#   ./build.sh test     run every test CI runs
#   ./build.sh ci       exactly what CI runs: install what is missing, build, then test
#   ./build.sh bench    print benchmark figures (engine throughput, latency, pathological inputs; the
#                       extension's keystroke latency and cold start in Chromium and Firefox ESR)
#   ./build.sh eval     the detection-quality evaluation (precision / recall / benign alert rate)
#   ./build.sh crx KEY.pem [CODEBASE_URL]
#                       pack dist/chrome into dist/promptwarden-<version>.crx signed with KEY.pem (kept
#                       out of git), and with a CODEBASE_URL also write dist/updates.xml for force-install
#
# Every step installs what it needs when it is missing and skips it when present, so a second run is
# fast. A step that cannot run says why and what to do.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------------------------

need_cargo() {
  command -v cargo >/dev/null || die "cargo is not installed; install Rust with rustup (https://rustup.rs) and run again"
  for component in clippy rustfmt; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      step "installing the Rust $component component"
      rustup component add "$component"
    fi
  done
}

apt_install() {
  # $@: Debian packages. Runs apt-get update once per build.sh run.
  command -v apt-get >/dev/null || die "need the Debian packages $*; install them with your package manager"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "${APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian chromium for the browser tests"
    apt_install chromium
  fi
}

# Firefox ESR and geckodriver for the Firefox half of the end-to-end tests. geckodriver is built from
# crates.io (no browser or driver downloads here): a few minutes, once.
GECKODRIVER_VERSION=0.37.1

need_firefox() {
  if [ ! -x /usr/bin/firefox-esr ]; then
    step "installing Debian firefox-esr for the browser tests"
    apt_install firefox-esr
  fi
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! command -v geckodriver >/dev/null; then
    need_cargo
    step "installing geckodriver $GECKODRIVER_VERSION (cargo install; a few minutes, once)"
    # Pinned: a newer release may need a newer Rust than the one this project builds with.
    cargo install geckodriver --version "$GECKODRIVER_VERSION"
  fi
}

need_node_modules() {
  command -v npm >/dev/null || die "node and npm are needed for the browser tests; install Node.js 20 or newer"
  # Reinstall when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The wasm toolchain: the wasm32 target and wasm-bindgen-cli at exactly the version Cargo.lock pins
# (the generated JS glue must match the wasm-bindgen crate).
wasm_bindgen_version() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_toolchain() {
  need_cargo
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the Rust wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local want
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$want" ]; then
    step "installing wasm-bindgen-cli $want, the version in Cargo.lock (a few minutes, once)"
    # Not --locked: its lockfile pins a webpki-roots release the registry here does not offer.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# --- build --------------------------------------------------------------------------------------------

build_cli() {
  need_cargo
  step "building the warden CLI (release)"
  cargo build --release --locked -p warden-cli
  echo "built target/release/warden"
}

# The engine as WebAssembly, in two packages: target/wasm-pkg-engine/ (the detector alone, loaded
# when the extension starts) and target/wasm-pkg/ (detector + file extraction + bundle verification,
# loaded on the first upload or rule bundle). Size profile (.cargo/config.toml), wasm-bindgen's web
# glue with a reset function (the extension rebuilds the instance after a panic), wasm-opt -Oz from
# npm's binaryen (Debian's binaryen miscompiles this wasm-bindgen's output).
build_wasm() {
  need_wasm_toolchain
  need_node_modules
  build_wasm_pkg target/wasm-pkg-engine --no-default-features
  build_wasm_pkg target/wasm-pkg
}

# $1: output directory; the rest: cargo feature arguments.
build_wasm_pkg() {
  local out=$1
  shift
  step "building the engine for WebAssembly (wasm-release profile${*:+, $*})"
  # Build paths out of panic messages: the shipped wasm names no directory of this machine.
  local remap="--remap-path-prefix=$ROOT=src" dir
  for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    [ -d "$dir" ] && remap="$remap --remap-path-prefix=${dir%/}=deps"
  done
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$remap" \
    cargo build --locked --profile wasm-release --target wasm32-unknown-unknown -p warden-wasm --lib "$@"
  # Both packages come out of the same cargo artifact path: a copy of the input says which one a
  # package was made from.
  local raw=target/wasm32-unknown-unknown/wasm-release/warden_wasm.wasm
  if [ -f "$out/warden_wasm.js" ] && cmp -s "$raw" "$out.input.wasm"; then
    echo "$out is up to date"
    return
  fi
  step "wasm-bindgen --target web, then wasm-opt -Oz into $out (about a minute)"
  rm -rf "$out.tmp"
  wasm-bindgen --target web --experimental-reset-state-function --out-dir "$out.tmp" "$raw"
  node node_modules/binaryen/bin/wasm-opt -Oz "$out.tmp/warden_wasm_bg.wasm" -o "$out.tmp/warden_wasm_bg.wasm"
  rm -rf "$out"
  mv "$out.tmp" "$out"
  cp "$raw" "$out.input.wasm"
}

# The installable extension: dist/chrome/ + .zip and dist/firefox/ + .xpi.
build_extension() {
  build_wasm
  step "assembling the extension for Chrome and Firefox"
  node extension/build/build.mjs
}

build_all() {
  build_cli
  build_extension
}

# --- test ---------------------------------------------------------------------------------------------

test_rust() {
  need_cargo
  step "cargo fmt --check"
  cargo fmt --all -- --check
  step "cargo clippy (warnings are errors)"
  cargo clippy --locked --workspace --all-targets -- -D warnings
  step "cargo test --workspace"
  cargo test --locked --workspace
}

test_rules() {
  step "warden rules check rules/"
  ./target/release/warden rules check rules/
}

test_eval() {
  step "evaluation script: unit tests"
  python3 -m unittest discover -s tests/eval -t tests/eval
  step "evaluation: precision, recall and benign alert rate against the targets"
  python3 tests/eval/evaluate.py --warden target/release/warden -q --check
}

test_site() {
  need_chromium
  need_node_modules
  step "fixture site tests (node --test, headless Chromium)"
  node --test tests/site/
}

test_wasm() {
  need_wasm_toolchain
  step "warden-wasm tests under Node (wasm-bindgen-test-runner)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked --target wasm32-unknown-unknown -p warden-wasm
}

test_extension_units() {
  need_node_modules
  step "TypeScript type check (tsc --noEmit, strict)"
  node_modules/.bin/tsc -p tsconfig.json
  step "extension unit tests (node --test)"
  node extension/build/unit-tests.mjs
  node --test extension/build/
}

# Mozilla's linter on the Firefox build: errors fail the build; warnings are printed.
lint_firefox() {
  need_node_modules
  step "web-ext lint dist/firefox"
  node_modules/.bin/web-ext lint --source-dir dist/firefox --no-input
}

# One scenario list, two browsers: every scenario runs in headless Chromium (dist/chrome) and in
# headless Firefox ESR (the e2e build of dist/firefox); see tests/e2e/README.md.
test_e2e() {
  need_chromium
  need_firefox
  need_node_modules
  step "extension end-to-end tests (node --test; headless Chromium and Firefox ESR)"
  E2E_BROWSERS=chromium,firefox node --test --test-concurrency=1 tests/e2e/
}

# The admin plane in Chromium: audit events to a local collector (no planted value, none lost across
# collector and browser restarts, queue bound) and force-install of the packed CRX. Writes and removes
# machine policies under /etc/chromium/policies/managed/, so it needs root (as CI has).
test_admin() {
  need_chromium
  need_node_modules
  if [ "$(id -u)" != 0 ]; then
    step "SKIPPED admin-plane browser tests: they write Chromium machine policy, which needs root"
    return
  fi
  step "admin-plane end-to-end tests (node --test; headless Chromium with machine policy)"
  node --test --test-concurrency=1 tests/admin/
}

test_all() {
  build_cli
  build_extension
  test_rust
  test_rules
  test_eval
  test_site
  test_wasm
  test_extension_units
  lint_firefox
  test_e2e
  test_admin
}

# --- bench --------------------------------------------------------------------------------------------

bench_all() {
  build_cli
  step "warden bench: generated mixed corpus"
  ./target/release/warden bench
  local real
  real=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ 2>/dev/null | head -n 1 || true)
  if [ -n "$real" ]; then
    step "warden bench: real source code ($real)"
    ./target/release/warden bench --corpus "$real"
  fi
  bench_extension
}

# Keystroke-to-highlight latency, worker round trips, cold start and sizes, measured in real Chromium
# and Firefox ESR.
bench_extension() {
  build_extension
  need_chromium
  need_firefox
  need_node_modules
  step "extension latency in headless Chromium and Firefox ESR (writes docs/performance-extension.md)"
  node tests/e2e/bench.mjs --browser all
}

case "${1:-build}" in
  build) build_all ;;
  test) test_all ;;
  ci) build_all; test_all ;;
  bench) bench_all ;;
  eval) build_cli; python3 tests/eval/evaluate.py --warden target/release/warden ;;
  crx)
    [ -n "${2:-}" ] || die "usage: ./build.sh crx KEY.pem [CODEBASE_URL] (make a key once with: node extension/build/pack-crx.mjs --new-key KEY.pem)"
    need_chromium
    [ -f dist/chrome/manifest.json ] || build_extension
    node extension/build/pack-crx.mjs --key "$2" ${3:+--codebase "$3"} ;;
  -h|--help|help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1'; use one of: build, test, ci, bench, eval, crx" ;;
esac
