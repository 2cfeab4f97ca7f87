#!/usr/bin/env bash
# Shows Vector API loops that depend on a type profile to be compiled: runs LeNet (one epoch) and the character GPT
# (150 steps) with the launcher's JVM flags, then again with -XX:TypeProfileWidth=0, under which C2 has no receiver
# profile and compiles a vector operation as an intrinsic only when it knows the vector's class from the code itself.
# A loop that needs the profile (a sum carried from step to step as the receiver: acc = acc.add(x)) then runs the Vector
# API's lane-by-lane fallback, as it did in about a fifth of ordinary LeNet runs, whenever 256- and 512-bit code had
# both gone through FloatVector.add's shared profile. See the package doc of io.github.knetj.cpu.fast.
# A ratio well above 1.0 (no profiles against profiles; about 1.25 for LeNet with such a loop) points to such a loop;
# `perf` or JFR then show it as FloatVector.bOpTemplate under the loop's method. Prints one JSON line last.
# Usage: scripts/jit-hazard.sh [--threads N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2
[ "${1:-}" = "--threads" ] && threads=${2:?"--threads needs a number"}

# The last JSON line of a command; JAVA_TOOL_OPTIONS adds the flag to the JVM that ./knetj starts.
run() {
  local opts=$1; shift
  JAVA_TOOL_OPTIONS="$opts" "$root/knetj" "$@" --threads "$threads" 2>/dev/null | tail -1
}
field() { /usr/bin/env python3 -c 'import json,sys; v=json.loads(sys.argv[1])[sys.argv[2]]; print(v[0] if isinstance(v, list) else v)' "$1" "$2"; }

lenet=(train lenet --epochs 1 --progress off)
gpt=(train gpt --steps 150)
echo "LeNet, one epoch: with profiles, then without" >&2
l1=$(field "$(run "" "${lenet[@]}")" epoch_seconds)
l0=$(field "$(run "-XX:TypeProfileWidth=0" "${lenet[@]}")" epoch_seconds)
echo "GPT, 150 steps: with profiles, then without" >&2
g1=$(field "$(run "" "${gpt[@]}")" tokens_per_second)
g0=$(field "$(run "-XX:TypeProfileWidth=0" "${gpt[@]}")" tokens_per_second)
/usr/bin/env python3 - "$l1" "$l0" "$g1" "$g0" <<'PY'
import json, sys
l1, l0, g1, g0 = map(float, sys.argv[1:])
print(f"LeNet epoch {l1:.2f} s with profiles, {l0:.2f} s without: {l0 / l1:.2f}", file=sys.stderr)
print(f"GPT {g1:.0f} tokens/s with profiles, {g0:.0f} without: {g1 / g0:.2f}", file=sys.stderr)
print(json.dumps({"command": "jit-hazard", "status": "ok",
                  "lenet_epoch_seconds": {"profiles": l1, "no_profiles": l0, "ratio": round(l0 / l1, 3)},
                  "gpt_tokens_per_second": {"profiles": g1, "no_profiles": g0, "ratio": round(g1 / g0, 3)}}))
PY
