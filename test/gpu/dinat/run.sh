#!/usr/bin/env bash
# Traces transformers' DiNAT, and this folder's DiNAT-style model, with GNA Studio's NATTEN stand-in
# and records the result here. Needs: python3 with torch and transformers (a GPU if there is one),
# node (for gna), this repo built (npm install). From the repository root:   bash test/gpu/dinat/run.sh
# Writes test/gpu/dinat/trace.json (transformers' DinatModel), trace-tiny.json (tiny_dinat.py) and
# RESULTS.md (what was run, the traced calls, `gna calls --trace` and `gna lint --trace`).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/test/gpu/dinat
cd "$ROOT"
export PYTHONPATH=$HERE${PYTHONPATH:+:$PYTHONPATH}
PY=${PYTHON:-python3}

$PY "$HERE/check_standin.py" || exit 1
MODELING=$($PY -c 'import transformers.models.dinat.modeling_dinat as m; print(m.__file__)' 2>/dev/null ||
           $PY -c 'import transformers.models.deprecated.dinat.modeling_dinat as m; print(m.__file__)')
# transformers' model may stop at a call NATTEN would refuse: that is a finding, recorded, not a failure here.
node bin/gna.js trace --out "$HERE/trace.json" -- "$PY" "$HERE/run_dinat.py" > "$HERE/trace.log" 2>&1
echo "exit status $?" >> "$HERE/trace.log"
node bin/gna.js trace --out "$HERE/trace-tiny.json" -- "$PY" "$HERE/tiny_dinat.py" > "$HERE/trace-tiny.log" 2>&1
echo "exit status $?" >> "$HERE/trace-tiny.log"

section() {  # section TITLE COMMAND...: the command line and its output, in a console block
  local title=$1; shift
  echo "## $title"; echo; echo '```console'; echo "\$ ${*/#$ROOT\//}"; "$@" 2>&1 | sed "s#$ROOT/##g"; echo '```'; echo
}
{
  echo "# DiNAT under gna trace"
  echo
  echo "Run on $(date -u +%Y-%m-%dT%H:%MZ) by test/gpu/dinat/run.sh, NATTEN replaced by test/gpu/dinat/natten:"
  echo "transformers' DinatModel (dinat-mini config, random weights), then tiny_dinat.py (this folder's"
  echo "DiNAT-style model), each one forward pass on 2 images of 224×224."
  echo
  echo '```'
  $PY -c 'import sys, torch, transformers; print("python", sys.version.split()[0], "· torch", torch.__version__, "· transformers", transformers.__version__); print("device:", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu")'
  echo '```'
  echo
  echo "## transformers' DinatModel under gna trace"
  echo; echo '```console'; grep -v 'IndexKernel' "$HERE/trace.log" | tail -n 20; echo '```'; echo
  section "gna calls --trace (modeling_dinat.py)" node bin/gna.js calls --trace test/gpu/dinat/trace.json "$MODELING"
  section "gna lint --trace (modeling_dinat.py)" node bin/gna.js lint --trace test/gpu/dinat/trace.json "$MODELING"
  echo "## tiny_dinat.py under gna trace"
  echo; echo '```console'; tail -n 20 "$HERE/trace-tiny.log"; echo '```'; echo
  section "gna calls --trace (tiny_dinat.py)" node bin/gna.js calls --trace test/gpu/dinat/trace-tiny.json test/gpu/dinat/tiny_dinat.py
  section "gna lint --trace (tiny_dinat.py)" node bin/gna.js lint --trace test/gpu/dinat/trace-tiny.json test/gpu/dinat/tiny_dinat.py
} > "$HERE/RESULTS.md"
echo "wrote $HERE/trace.json, trace-tiny.json and RESULTS.md"
