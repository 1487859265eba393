#!/bin/sh
# Regenerates the integration study: the alliance picture, then both campaigns.
# Usage: BULWARK=target/release/bulwark studies/integration/run.sh [OUT_DIR]
set -eu
B=${BULWARK:-bulwark}
case "$B" in /*) ;; */*) B="$PWD/$B" ;; esac
OUT=${1:-runs/integration}
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
cd "$(dirname "$0")"
"$B" run alliance.toml --quiet --out "$OUT/alliance" --asterix-out alliance.ast
"$B" campaign campaign-isolated.toml --out "$OUT/isolated" --jobs 2
"$B" campaign campaign-integrated.toml --out "$OUT/integrated" --jobs 2
