#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh demo   set up (first time) and run the main job on the demo catalog
#   ./run.sh test   set up (first time) and run every check: ruff, mypy --strict, pytest
# Both create .venv and install what is missing (Python deps, Debian's graphviz).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/bootstrap.sh
case "${1:-demo}" in
  demo)
    shift || true
    .venv/bin/stackwise serve "$@"
    ;;
  test)
    shift || true
    # the packages, and the tests and benchmarks too: they are code we live in as well
    packages=$(ls -d rules pathways cli api store interop visualizations tests bench 2>/dev/null)
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    # shellcheck disable=SC2086
    .venv/bin/mypy $packages
    .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./run.sh demo | ./run.sh test [pytest args]" >&2
    exit 2
    ;;
esac
