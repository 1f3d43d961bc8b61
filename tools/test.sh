#!/usr/bin/env bash
# The project's tests: unit and end-to-end tests, then `dl541 verify` of every assignment.
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg
.venv/bin/python -m pytest -q "$@"
.venv/bin/dl541 verify --jobs 2 --mutants 6
