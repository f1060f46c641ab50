#!/bin/bash
# gpu-session.sh (carried as .carry/gpu-session.sh by make-carry.sh): several issues' GPU stages in
# one device call, from the repository root on the GPU machine:
#   bash .carry/gpu-session.sh STAGE...        (carry .carry, and dist/cli.js + dist/grammars for dinat)
# Each stage writes under /tmp/gna-session/<stage>/, and after every stage all of it is packed into
# $OUT/results.tgz: the device tool returns at most 8 files, and a call stopped by its time limit
# still returns the stages it finished. Stages, each under its own time limit (seconds, env):
#   dinat      test/gpu/dinat/run.sh: transformers' DiNAT and tiny_dinat.py under gna trace (DINAT_T, 90)
#   i18check   issue18.sh --skip-bench: Hopper check at every head dim, sanitizers (I18_CHECK_T, 420)
#   i18bench   bench.sh --set issue18: the Hopper kernel beside the peers (I18_BENCH_T, 540)
#   i18ab      i18ab.sh: variant I18AB_VARIANT (default 1) checked, A/B on small windows, traces (I18AB_T, 420)
#   i21        issue21.sh: the backward's check, sanitizers, then the spec8 1d-32k and flux rows (I21_T, 300)
#   i21hopper  issue21.sh under GNA_KERNEL=hopper: the Hopper backward's check (every case must run it),
#              sanitizers, the spec8 1d-32k and flux rows beside the peers (I21H_T, 360); then the
#              portable backward's rows of the same problems, no peers, for the same-run ratio (I21P_T, 150)
#   i23check   issue23.sh --skip-bench: the FA2 kernel's check and sanitizers (I23_CHECK_T, 200)
#   i23bench   issue23.sh --skip-check (I23_BENCH_T, 300; I23_ONLY=NAMES for a subset)
#   i23ab      the FA2 kernel on the caller's layout against the same kernel on permuted buffers, in
#              alternating rounds, on 1-D 32K with 1 and 16 heads (I23_AB_T, 240): whether the
#              16-head rows' gap to flash is the direct layout's or the heads' (PERF-NOTES, issue 23)
#   i23var     the FA2 kernel's 64-key d128 variant (GNA_SM90_VARIANT=1): its registers and LDL/STL
#              (sass-report.sh), its check on curated + 48 FA2 cases (each d128 one must run the
#              variant) under I23_VAR_CHECK_T (150), then timed
#              against the default build in alternating rounds on the dense d128 rows (1-D 32K with
#              1 and 16 heads, FLUX) beside SDPA flash (I23_VAR_T, 300; PERF-NOTES "Issue 23: the
#              64-key d128 variant")
# A machine start costs minutes of device time and a warm machine goes back after 30 idle seconds:
# put the stages that belong together in one call, and keep the total under the call's limit.
# bash gpu-session.sh --list: each stage, its time-limit variables and their default sum in seconds,
# read from the stage's own code below (nothing runs).
set -u
if [ "${1:-}" = --list ]; then
  awk '/^  case "\$stage" in/ { on = 1; next } /^  esac/ { on = 0 }
       on && /^    [a-z0-9]+\)$/ { if (st) print st, vars, sum; st = substr($1, 1, length($1) - 1); vars = ""; sum = 0; next }
       on && st { s = $0; while (match(s, /\$\{[A-Z0-9_]+_T:-[0-9]+\}/)) { v = substr(s, RSTART + 2, RLENGTH - 3); split(v, kv, ":-");
                  vars = vars (vars ? "+" : "") kv[1]; sum += kv[2]; s = substr(s, RSTART + RLENGTH) } }
       END { if (st) print st, vars, sum }' "$0"
  exit 0
fi
root=$(cd "$(dirname "$0")/.." && pwd)
carry=$root/.carry
work=/tmp/gna-session
out=${OUT:-/tmp/gna-session-out}
mkdir -p "$work" "$out"
save() { tar czf "$out/results.tgz.part" -C "$work" . 2>/dev/null && mv "$out/results.tgz.part" "$out/results.tgz"; }
(cd "$carry" && sh unpack-node.sh >/dev/null) || exit 3
export PATH="$carry:$PATH"
for stage in "$@"; do
  t0=$(date +%s)
  echo "=== stage $stage at $(date -u +%H:%M:%S)"
  mkdir -p "$work/$stage"
  case "$stage" in
    dinat)
      (cd "$root" && timeout "${DINAT_T:-90}" bash test/gpu/dinat/run.sh > "$work/dinat/run.log" 2>&1; echo "dinat exit $?"
       cp test/gpu/dinat/trace.json test/gpu/dinat/trace-tiny.json test/gpu/dinat/RESULTS.md "$work/dinat/" 2>/dev/null)
      tail -n 3 "$work/dinat/run.log" ;;
    i18check)
      OUT="$work/i18check" timeout "${I18_CHECK_T:-420}" bash "$carry/issue18.sh" --skip-bench 2>&1 | grep -E "^== |PASSED|FAIL" | cut -c1-240 ;;
    i18bench)
      (export GNA_NATIVE_ADDON="$carry/gna_native.node"
       OUT="$work/i18bench" timeout "${I18_BENCH_T:-540}" bash "$carry/bench.sh" --set issue18 > "$work/i18bench/run.log" 2>&1; echo "bench exit $?")
      grep -E "PASS|MISS" "$work/i18bench/table.txt" 2>/dev/null | cut -c1-200 ;;
    i21)
      OUT="$work/i21" bash "$carry/issue21.sh" --budget "${I21_T:-300}" --sets spec8 --only 1d-32k,flux --repeats 5 2>&1 | grep -vE "_ZN|^sm_" | tail -n 30 ;;
    i21hopper)
      (export GNA_KERNEL=hopper GNA_ISSUE21_WORK=/tmp/gna-i21hopper-work
       OUT="$work/i21hopper" bash "$carry/issue21.sh" --budget "${I21H_T:-360}" --sets spec8 --only 1d-32k,flux --repeats 5 2>&1 | grep -vE "_ZN|^sm_" | tail -n 30
       export GNA_KERNEL=portable GNA_ISSUE21_WORK=/tmp/gna-i21portable-work
       OUT="$work/i21hopper/portable" bash "$carry/issue21.sh" --skip-check --budget "${I21P_T:-150}" --sets spec8 --only 1d-32k,flux --repeats 3 --no-peers 2>&1 \
         | grep -E "== done"
       grep -E "^ours .* (backward|training) " "$GNA_ISSUE21_WORK/bench/spec8/run.log" 2>/dev/null | cut -c1-200) ;;
    i23check)
      OUT="$work/i23check" WORK="$work/i23check/work" timeout "${I23_CHECK_T:-200}" bash "$carry/issue23.sh" --skip-bench 2>&1 | grep -vE "_ZN|^sm_" | tail -n 30 ;;
    i18ab)
      OUT="$work/i18ab" timeout "${I18AB_T:-420}" bash "$carry/i18ab.sh" --variant "${I18AB_VARIANT:-1}" 2>&1 | grep -E "^== |^ +variant:|[0-9]x  " | cut -c1-240 ;;
    i23bench)
      OUT="$work/i23bench" WORK="$work/i23bench/work" timeout "${I23_BENCH_T:-300}" bash "$carry/issue23.sh" --skip-check ${I23_ONLY:+--only "$I23_ONLY"} 2>&1 | grep -E "PASS|MISS|==" | tail -n 40 ;;
    i23ab)
      (export GNA_NATIVE_ADDON="$carry/gna_native.node"
       OUT="$work/i23ab" timeout "${I23_AB_T:-240}" bash "$carry/bench.sh" --set issue23 --kernel fa2 --baseline-kernel fa2-permuted \
         --only 1d-32k,d128-1d-32k-h16,d64-1d-32k-h16 --dense-only > "$work/i23ab/run.log" 2>&1; echo "bench exit $?")
      cat "$work/i23ab/ab.txt" 2>/dev/null | cut -c1-220; grep -E "PASS|MISS" "$work/i23ab/table.txt" 2>/dev/null | cut -c1-200 ;;
    i23var)
      (cd "$carry" && OUT=/tmp bash sass-report.sh gna_native.node 2>&1 | grep -E "fa2_kernel_v" | cut -c1-220)
      (cd "$carry" && export GNA_NATIVE_ADDON="$carry/gna_native.node" GNA_KERNEL=fa2 UV_THREADPOOL_SIZE=16
       GNA_SM90_VARIANT=1 timeout "${I23_VAR_CHECK_T:-150}" ./node gpu-check.js --cases 0 --hopper-cases 0 --fa2-cases 48 --no-bench \
         --out "$work/i23var/check.txt" > "$work/i23var/check.log" 2>&1
       rc=$?; echo "variant check exit $rc: $(tail -n 1 "$work/i23var/check.log")"
       [ "$rc" = 0 ] || exit 0
       OUT="$work/i23var" timeout "${I23_VAR_T:-300}" bash "$carry/bench.sh" --set issue23 --kernel fa2 --variant 1 \
         --only 1d-32k,d128-1d-32k-h16,flux --dense-only > "$work/i23var/run.log" 2>&1; echo "bench exit $?")
      grep -E "kernel fa2 d128|FAIL" "$work/i23var/check.log" 2>/dev/null | cut -c1-200
      cat "$work/i23var/ab.txt" 2>/dev/null | cut -c1-220; grep -E "PASS|MISS" "$work/i23var/table.txt" 2>/dev/null | cut -c1-200 ;;
    *) echo "unknown stage $stage (dinat i18check i18bench i18ab i21 i21hopper i23check i23bench i23ab i23var)" ;;
  esac
  echo "=== stage $stage took $(( $(date +%s) - t0 )) s"
  save
done
ls -la "$out"
