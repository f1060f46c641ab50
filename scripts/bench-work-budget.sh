#!/usr/bin/env bash
# The worst configs the validation allows (issue 22), each run through the built `gna` CLI in its
# own process: wall time and peak memory (GNU time), and what it answered (first result lines).
# Writes bench/results/work-budget.md with the machine, date and commit. Run: bash scripts/bench-work-budget.sh
set -uo pipefail
cd "$(dirname "$0")/.."
out=bench/results/work-budget.md
hang=$(mktemp --suffix=.py)
printf 'from natten import na1d\n# gna: input_size=(67108864,)\nout = na1d(q, k, v, kernel_size=33554432)\n' > "$hang"
cases=(
  "sim -i 524288 -w 262144 --recommend"
  "sim -i 67108864 -w 33554432 --recommend"
  "sim -i 524288 -w 262143 --recommend"
  "sim -i 67108864 -w 33554432 -c --recommend"
  "sim -i 67108864 -w 7 --q-tile 1 --kv-tile 1"
  "sim -i 67108864 -w 7 --q-tile 1 --kv-tile 1 --recommend --backward"
  "sim -i 67108864 -w 33554432 -c --q-tile 1 --kv-tile 1"
  "sim -i 8192 8192 -w 4095 4095 --tiling single"
  "sim -i 67108864 -w 33554432 --backward --pass training --recommend"
  "sim -i 406 406 406 -w 203 203 203 -c true --search --arch ampere -d 64"
  "lint $hang"
)
{
  echo "# Work budget: the worst allowed configs (issue 22)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), node $(node --version), shared machine."
  echo "Each line is one \`gna\` process: wall time and peak resident memory (GNU time), and the answer's first lines."
  echo "The work budget is DEFAULT_WORK_BUDGET (extension/core/budget.ts) tile-range evaluations."
  echo
  echo "| command | wall | peak RSS | answer |"
  echo "| --- | --: | --: | --- |"
  for c in "${cases[@]}"; do
    /usr/bin/time -o /tmp/gna-bench-time.txt -f '%e s|%M KB' ./bin/gna.js $c > /tmp/gna-bench-out.txt 2>&1
    res=$(tail -1 /tmp/gna-bench-time.txt)
    answer=$(grep -E 'simulated speedup|skipped|cut off|recommended stride|already|gna/summary|backward ' /tmp/gna-bench-out.txt | head -4 | cut -c1-150 | sed 's/^ *//; s/|/\\|/g' | sed "s#$hang#hang.py#" | paste -sd ';')
    echo "| \`gna ${c//$hang/hang.py}\` | ${res%%|*} | ${res##*|} | $answer |"
  done
} > "$out"
rm -f "$hang"
cat "$out"
