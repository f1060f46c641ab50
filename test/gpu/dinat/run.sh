#!/usr/bin/env bash
# Traces transformers' DiNAT with GNA Studio's NATTEN stand-in and records the result here.
# Needs: python3 with torch and transformers (a GPU if there is one), node (for gna), this repo
# built (npm install). From the repository root:   bash test/gpu/dinat/run.sh
# Writes test/gpu/dinat/trace.json (the trace) and test/gpu/dinat/RESULTS.md (what was run, the
# traced calls, and `gna calls --trace` / `gna lint --trace` on modeling_dinat.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/test/gpu/dinat
cd "$ROOT"
export PYTHONPATH=$HERE${PYTHONPATH:+:$PYTHONPATH}
PY=${PYTHON:-python3}

$PY "$HERE/check_standin.py"
MODELING=$($PY -c 'import transformers.models.dinat.modeling_dinat as m; print(m.__file__)' 2>/dev/null ||
           $PY -c 'import transformers.models.deprecated.dinat.modeling_dinat as m; print(m.__file__)')
node bin/gna.js trace --out "$HERE/trace.json" -- "$PY" "$HERE/run_dinat.py" 2>&1 | tee "$HERE/trace.log"

{
  echo "# DiNAT under gna trace"
  echo
  echo "Run on $(date -u +%Y-%m-%dT%H:%MZ) by test/gpu/dinat/run.sh: transformers' DinatModel (dinat-mini config,"
  echo "random weights), one forward pass on 2 images of 224×224, NATTEN replaced by test/gpu/dinat/natten."
  echo
  echo '```'
  $PY -c 'import sys, torch, transformers; print("python", sys.version.split()[0], "· torch", torch.__version__, "· transformers", transformers.__version__); print("device:", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu")'
  cat "$HERE/trace.log"
  echo '```'
  echo
  echo "## gna calls --trace (modeling_dinat.py)"
  echo '```'
  node bin/gna.js calls --trace "$HERE/trace.json" "$MODELING" || true
  echo '```'
  echo
  echo "## gna lint --trace (modeling_dinat.py)"
  echo '```'
  node bin/gna.js lint --trace "$HERE/trace.json" "$MODELING" || true
  echo '```'
} > "$HERE/RESULTS.md"
echo "wrote $HERE/trace.json and $HERE/RESULTS.md"
