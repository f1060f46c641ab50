#!/bin/bash
# sass-report.sh [ADDON]: on a machine with cuobjdump (the GPU machine has it; the build machine
# may not), the resource usage and an instruction census of every kernel in the addon: registers,
# shared memory, and per kernel and architecture the count of tensor-core (HGMMA/HMMA), TMA
# (UTMALDG), barrier (SYNCS), exp2 (MUFU.EX2), local-memory (LDL/STL) and shared-memory
# instructions. Full SASS goes to $OUT/sass.txt when OUT is set.
set -u
addon=${1:-gna_native.node}
sass=${OUT:-/tmp}/sass.txt
cuobjdump -res-usage "$addon" 2>&1 | grep -E "Function|REG" | sed 's/^ *//' | paste - - | sed -E 's/Function ([^:]*):/\1/' | cut -c1-200
cuobjdump -sass "$addon" > "$sass" 2>&1
awk '
  /code for sm_/ { arch = $NF }
  /Function : / { fn = $3; key = arch " " fn; order[++n] = key }
  /^ +\/\*[0-9a-f]+\*\// {
    for (i = 1; i <= NF; i++) if ($i ~ /^[A-Z][A-Za-z0-9_.]+$/ && $i !~ /^R[0-9]/ && $i !~ /^UR/) { op = $i; break }
    split(op, parts, "."); base = parts[1]
    total[key]++
    if (base == "HGMMA" || base == "HMMA" || base == "UTMALDG" || base == "MUFU" || base == "LDL" || base == "STL" || base == "LDS" || base == "STS" || base == "SYNCS" || base == "WARPGROUP" || base == "BAR" || base == "LDSM") c[key, base]++
  }
  END {
    for (k = 1; k <= n; k++) {
      key = order[k]; line = sprintf("%-8s %6d instr", substr(key, 1, index(key, " ") - 1), total[key])
      split("HGMMA HMMA UTMALDG MUFU LDL STL LDS LDSM STS SYNCS WARPGROUP BAR", names, " ")
      for (j = 1; j <= 12; j++) if ((key, names[j]) in c) line = line sprintf("  %s %d", names[j], c[key, names[j]])
      print line "  " substr(key, index(key, " ") + 1, 90)
    }
  }' "$sass"
