#!/usr/bin/env bash
# The replay viewer's browser tests: Debian's Chromium driven headless by playwright-core.
# Installs chromium if missing, `npm ci` in crates/bulwark-viewer/web, builds the bulwark
# binary, runs the reference scenario with --replay, then the tests (file:// replay with the
# network blocked; counts against tracks.csv/truth.csv; screenshots; --live over SSE).
# Exits non-zero on any failure. Screenshots land in $BULWARK_SHOTS (default target/viewer-shots).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq --no-install-recommends chromium >/dev/null
fi
web=crates/bulwark-viewer/web
if [ ! -d "$web/node_modules/playwright-core" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --ignore-scripts)
fi
# The committed assets must be what the sources generate.
(cd "$web" && node build.mjs >/dev/null)
if ! git diff --quiet -- crates/bulwark-viewer/assets; then
  echo "crates/bulwark-viewer/assets differ from what web/build.mjs generates: run it and commit" >&2
  git --no-pager diff --stat -- crates/bulwark-viewer/assets >&2
  exit 1
fi
# dev by default: .ci/run has built it for the tests already (release: BULWARK_VIEWER_PROFILE=release).
profile=${BULWARK_VIEWER_PROFILE:-dev}
cargo build --locked --profile "$profile" --workspace --all-targets
bin="$root/target/$profile/bulwark"
[ "$profile" = dev ] && bin="$root/target/debug/bulwark"
run_dir=$(mktemp -d)
trap 'rm -rf "$run_dir"' EXIT
"$bin" run --out "$run_dir" --replay --quiet >/dev/null
export BULWARK_RUN_DIR="$run_dir" BULWARK_BIN="$bin"
export BULWARK_SHOTS="${BULWARK_SHOTS:-$root/target/viewer-shots}"
cd "$web"
node --test --test-reporter=spec test/replay.test.mjs test/live.test.mjs
