#!/usr/bin/env bash
# The Python the statistical oracles run in (scipy, statsmodels, numpy; pyarrow to read the
# campaigns' Parquet files back): a venv in the cache, made once. Prints its python's path.
set -euo pipefail
venv="${BULWARK_CACHE:-$HOME/.cache/bulwark}/venv-oracles"
python="$venv/bin/python"
want="scipy==1.17.1 statsmodels==0.15.0 numpy==2.4.6 pyarrow==26.0.1"
if [ ! -x "$python" ] || [ "$(cat "$venv/.pins" 2>/dev/null)" != "$want" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  # shellcheck disable=SC2086
  "$python" -m pip install --quiet --disable-pip-version-check $want >&2
  echo "$want" >"$venv/.pins"
fi
echo "$python"
