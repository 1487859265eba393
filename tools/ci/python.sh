#!/usr/bin/env bash
# The Python bindings in CI: a venv with the pinned packages (python/requirements-ci.txt, kept
# in a cache dir keyed by that file), the package built and installed from this checkout
# in the workspace's target dir, clippy of the bindings, pytest (no test collected is a
# failure), then the notebook executed. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export CARGO_TERM_COLOR=never
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cache="${BULWARK_CACHE:-$HOME/.cache/bulwark}"
key=$(sha256sum python/requirements-ci.txt | cut -c1-16)
venv="$cache/py-venv-$key"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import maturin, pytest, pandas, pyarrow, polars, distributed, nbclient' 2>/dev/null; then
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements-ci.txt
fi
py="$venv/bin/python"
export PATH="$venv/bin:$PATH"  # maturin, for the build backend without isolation

echo "== python: clippy of the bindings (feature python)"
cargo clippy -p bulwark-py --features python --all-targets --locked -- -D warnings
echo "== python: the CLI, the tests' oracle (dev profile: the binary nextest builds, same results)"
cargo build --locked --workspace --all-targets
echo "== python: build and install the package (a release build of the engine with pyo3)"
start=$(date +%s)
(cd python && "$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall .)
echo "installed bulwark in $(( $(date +%s) - start )) s"

echo "== python: pytest"
set +e
BULWARK_BIN="$CARGO_TARGET_DIR/debug/bulwark" "$py" -m pytest python/tests -q -p no:cacheprovider
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
elif [ "$rc" -ne 0 ]; then
  exit "$rc"
fi

echo "== python: execute examples/notebooks/raid-size.ipynb"
"$py" - <<'PY'
import time

import nbclient
import nbformat

start = time.time()
nb = nbformat.read("examples/notebooks/raid-size.ipynb", as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                        resources={"metadata": {"path": "examples/notebooks"}}).execute()
print(f"notebook executed in {time.time() - start:.1f} s")
PY
