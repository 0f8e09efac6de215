#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh machine with Rust installed: formatting, lints,
# unit and integration tests, a benchmark smoke run, then the seeds built into a site and checked
# in headless Chromium (axe-core, permalinks, search) and by the Nu Html Checker.
# Installs what it needs from Debian and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n== %s\n' "$*"; }

step "tools"
# Only what is missing: a machine with Node.js from elsewhere (NodeSource's package bundles npm)
# cannot take Debian's npm beside it.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/bin/time ] || missing+=(time)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

step "unit and integration tests"
cargo test --locked

step "benchmark smoke run (timings are reported, never asserted)"
cargo build --release --locked
bash benches/run.sh --quick

step "build the seeds into a site at a sub-path"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in seeds themes content templates static; do
  [ -d "$d" ] && cp -r "$d" "$work/"
done
sed 's|^base_url = .*|base_url = "https://example.org/archive/"|' site.toml > "$work/site.toml"
"$root/target/release/findings" --root "$work" ingest
"$root/target/release/findings" --root "$work" build

step "browser and HTML checks"
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
(cd tests/browser && FINDINGS_PUBLIC="$work/public" node --test --test-concurrency=1)
