#!/usr/bin/env bash
# The property tests (solver against brute force, decision invariants, plans, the API fuzz)
# at SCALE times the suite's number of examples: a campaign for a night or a spare
# machine, not for CI. The suite's few hundred examples catch a broken solver; the rarer
# wrong answers need thousands (tests/properties.py).
#   scripts/long-properties.sh [SCALE] [pytest args]     SCALE defaults to 25
# A failure prints the smallest instance hypothesis found and keeps it in .hypothesis/,
# so the next run (or `./run.sh test`) tries it first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
scale="${1:-25}"
shift || true
STACKWISE_PROPERTY_SCALE="$scale" exec .venv/bin/python -m pytest -q \
  tests/rules/test_solver_properties.py \
  tests/rules/test_tree_solver.py \
  tests/rules/test_relaxed.py \
  tests/pathways/test_decision_properties.py \
  tests/pathways/test_recommend_properties.py \
  tests/pathways/test_recommend_ranking.py \
  tests/api/test_fuzz_openapi.py \
  "$@"
