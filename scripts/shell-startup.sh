#!/usr/bin/env bash
# How long ./knetj shell takes to start: wall time from launching it until the first snippet that uses KnetJ (a
# tensor, which also picks the backend) has printed its result, RUNS times; prints one JSON line with the median.
#   scripts/shell-startup.sh [RUNS (5)] [COMMAND... (./knetj shell)]
# KNETJ_SHELL_AOT=0 scripts/shell-startup.sh measures the shell without its AOT cache. The build, and the cache's
# writing, happen in an untimed first start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${1:-5}
shift $(( $# > 0 ? 1 : 0 ))
cmd=("$@")
[ ${#cmd[@]} -gt 0 ] || cmd=("$root/knetj" shell)

"${cmd[@]}" </dev/null >/dev/null 2>&1
ms=()
for ((i = 0; i < runs; i++)); do
  s=$(date +%s%N)
  t=$(printf 'System.out.println("first " + array(new double[]{1, 2}, 2));\n/exit\n' | "${cmd[@]}" 2>/dev/null |
      while IFS= read -r line; do case "$line" in *"first Tensor"*) echo $(( ($(date +%s%N) - s) / 1000000 ));; esac; done)
  [ -n "$t" ] || { echo "shell-startup: the snippet printed nothing" >&2; exit 1; }
  ms+=("$t")
done
median=$(printf '%s\n' "${ms[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
IFS=,; printf '{"date":"%s","load":"%s","runs_ms":[%s],"median_ms":%s,"aot":"%s"}\n' "$(date -u +%FT%TZ)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "${ms[*]}" "$median" "${KNETJ_SHELL_AOT:-1}"
