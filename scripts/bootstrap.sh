#!/usr/bin/env bash
# Create .venv and install whatever is missing: Python deps (editable, with dev extras) and
# Debian's graphviz (for `dot`). Safe to run again: it only installs what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! command -v dot >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's graphviz (for dot)" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq graphviz >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.stackwise-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
    touch "$stamp"
fi
