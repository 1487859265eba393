#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time (libFuzzer through cargo-fuzz, no
# sanitizer, stable toolchain) and exits non-zero on the first crash, panic, leak of the RSS
# limit or timeout. Each target starts from its committed seeds in fuzz/corpus/<target>/;
# what the run discovers goes to a scratch corpus, so the committed seeds stay as they are.
#
#   tools/ci/fuzz.sh                   # every target, FUZZ_SECONDS (default 25) each
#   FUZZ_SECONDS=300 tools/ci/fuzz.sh detections flights_csv
#
# A crash leaves its input in fuzz/artifacts/<target>/; rerun it with
# `cd fuzz && cargo fuzz run --sanitizer none <target> artifacts/<target>/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/../../fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked --version 0.13.2" >&2
  exit 2
fi
seconds="${FUZZ_SECONDS:-25}"
rss_mb="${FUZZ_RSS_MB:-2048}"
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cargo fuzz build --sanitizer none
for t in "${targets[@]}"; do
  echo "== fuzz: $t, ${seconds} s"
  mkdir -p "$scratch/$t" "corpus/$t"
  if ! cargo fuzz run --sanitizer none "$t" "$scratch/$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout=10 -print_final_stats=1; then
    echo "fuzz: $t failed (input in fuzz/artifacts/$t/)" >&2
    exit 1
  fi
done
echo "fuzz: ${#targets[@]} targets clean (${seconds} s each)"
