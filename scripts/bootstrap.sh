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
    echo "bootstrap: installing Python dependencies into .venv (log: .venv/install.log)" >&2
    if ! { .venv/bin/python -m pip install --upgrade pip &&
           .venv/bin/python -m pip install -e '.[dev]' --config-settings editable_mode=compat
         } >.venv/install.log 2>&1; then
        tail -n 30 .venv/install.log >&2
        echo "bootstrap: pip install failed (full log: .venv/install.log)" >&2
        exit 1
    fi
    touch "$stamp"
fi
