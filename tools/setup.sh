#!/usr/bin/env bash
# Create .venv and install dl541 into it. A torch already in .venv (say, a CUDA build you
# installed first) is kept; otherwise the CPU build torch==2.13.0 is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q torch==2.13.0 2>&1 | grep -v "is ignored" || true
fi
.venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import torch, otter, dl541; print(f'dl541 ready: torch {torch.__version__}, otter {otter.__version__}')"
