#!/bin/bash
# native/bench/run.sh (carried as bench.sh by native/scripts/make-carry.sh): the side-by-side
# benchmark on a CUDA machine with PyTorch, from the carry folder:
#   bash bench.sh [--set issue18|issue23] [--kernel K] [--only flux,hunyuan,1d-32k] [--config LABELS] [--repeats N] [--portable]
#                 [--diag] [--no-peers] [--dense-only] [--baseline OTHER.node | --baseline-kernel K] [--rounds R] [--variant N] [--chain N] [--cooldown S] [--backward]
# 1. our kernel through node and the extension's benchmark API (bench.js -> ours.json);
# 2. the peers through PyTorch (peers.py -> peers.json): SDPA cuDNN and flash, FlexAttention;
# 3. one table (table.py -> table.txt). Files go to $OUT (or /tmp/gna-bench).
# --set issue18: issue 18's problem set (issue18.json: every Hopper head dim, small and large
# windows, causal 1-D with many heads, batch > 1, layouts the tiles do not divide) on both sides;
# the table's dense target is then 95% of cuDNN.
# --set issue23 --kernel fa2: issue 23's set (issue23.json) on the FA2-class portable kernel
# (GNA_KERNEL=fa2 for our side: every row names the kernel that ran); the table then judges that
# kernel against SDPA flash (>= 90% dense at head dims 64 and 128, >= 80% at 32).
# --baseline also times another build of the addon (the version before a change) on the same
# problems, in R alternating rounds with ours (default 2), and prints the A/B (ab.py -> ab.txt).
# --baseline-kernel K does the same with this build under GNA_KERNEL=K as the baseline (e.g.
# --kernel fa2 --baseline-kernel fa2-permuted: what the FA2 kernel's direct layout saves).
# --dense-only: the dense rows only, ours and the peers' (SDPA; no FlexAttention compilations).
# --variant N: ours runs kernel variant N (the Hopper kernel's at d32/64, the FA2 kernel's 64-key
# d128 build with --kernel fa2; GNA_SM90_VARIANT=N, the `variant` launch
# option) and the baseline is the measured kernel (variant 0) of the same gna_native.node unless
# --baseline names another build: the same alternating rounds and ab.txt. The table is the variant's.
# --chain N times N back-to-back calls per repeat on both sides (launch latency hidden, as in a
# model's forward pass) and reports the time per call.
# --backward (issue 21): both sides also time the backward pass and the training step, and
# backward_table.py prints their table (backward-table.txt) with issue 21's targets.
# --cooldown S (default 8): seconds of idle GPU before each timing process after the first, so
# that one process's seconds of dense Hunyuan do not leave the next one's short 1-D kernels
# power-capped (PERF-NOTES, run D: up to 18% slower).
set -u
cd "$(dirname "$0")" || exit 3
out=${OUT:-/tmp/gna-bench}
mkdir -p "$out"
if [ ! -x ./node ]; then
  if command -v xz >/dev/null 2>&1; then xz -dc node.xz > node; else
    python3 -c "import lzma, sys; sys.stdout.buffer.write(lzma.open('node.xz').read())" > node; fi
  chmod +x node
fi
only=() ours=() theirs=() peers=1 baseline= baseline_kernel= rounds=2 cooldown=8 backward=0 variant=
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=(--only "$2"); shift ;;
    --set) only+=(--set "$2"); shift ;;
    --kernel) export GNA_KERNEL="$2"; shift ;;
    --repeats) ours+=(--repeats "$2"); shift ;;
    --config) ours+=(--config "$2"); shift ;;
    --portable) ours+=(--portable) ;;
    --diag) ours+=(--diag) ;;
    --no-peers) peers=0 ;;
    --dense-only) ours+=(--config dense) theirs+=(--dense-only) ;;
    --baseline) baseline=$2; shift ;;
    --baseline-kernel) baseline=gna_native.node baseline_kernel=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --variant) variant=$2; shift ;;
    --chain) ours+=(--chain "$2"); theirs+=(--chain "$2"); shift ;;
    --cooldown) cooldown=$2; shift ;;
    --backward) ours+=(--backward) theirs+=(--backward) backward=1 ;;
  esac
  shift
done
echo "== machine: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null); $(uname -srm)"
cat BUILDINFO.txt
export GNA_NATIVE_ADDON="$PWD/gna_native.node"
# Ours: the variant asked for (else whatever the caller's environment says); the baseline: variant 0.
[ -n "$variant" ] && export GNA_SM90_VARIANT="$variant"
[ -n "$variant" ] && [ -z "$baseline" ] && baseline=gna_native.node
if [ -n "$baseline" ]; then
  bases=() mine=()
  for r in $(seq 1 "$rounds"); do
    [ "$r" = 1 ] || sleep "$cooldown"
    GNA_SM90_VARIANT= GNA_NATIVE_ADDON="$PWD/$baseline" GNA_KERNEL="${baseline_kernel:-${GNA_KERNEL:-}}" ./node bench.js --out "$out/baseline-$r.json" "${only[@]}" "${ours[@]}" > "$out/baseline-$r.log" || exit 1
    sleep "$cooldown"
    ./node bench.js --out "$out/ours-$r.json" "${only[@]}" "${ours[@]}" > "$out/ours-$r.log" || exit 1
    bases+=("$out/baseline-$r.json") mine+=("$out/ours-$r.json")
  done
  cp "$out/ours-$rounds.json" "$out/ours.json"
  echo "== A/B: $baseline${baseline_kernel:+ (GNA_KERNEL=$baseline_kernel)} (baseline) against gna_native.node${GNA_KERNEL:+ (GNA_KERNEL=$GNA_KERNEL)}${variant:+ variant $variant}, $rounds alternating rounds, same run"
  python3 ab.py "$(IFS=,; echo "${bases[*]}")" "$(IFS=,; echo "${mine[*]}")" | tee "$out/ab.txt"
else
  ./node bench.js --out "$out/ours.json" "${only[@]}" "${ours[@]}" || exit 1
fi
if [ "$peers" = 1 ]; then
  sleep "$cooldown"
  PYTHONUNBUFFERED=1 python3 peers.py --out "$out/peers.json" "${only[@]}" "${theirs[@]}" || exit 1
  python3 table.py "$out/ours.json" "$out/peers.json" | tee "$out/table.txt"
  [ "$backward" = 0 ] || python3 backward_table.py "$out/ours.json" "$out/peers.json" | tee "$out/backward-table.txt"
else
  python3 table.py "$out/ours.json" | tee "$out/table.txt"
fi
