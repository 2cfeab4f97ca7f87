#!/usr/bin/env bash
# Does ./knetj shell train as fast as the CLI? Feeds the README's LeNet (its "LeNet on MNIST" block, as a reader pastes
# it) to ./knetj shell and runs ./knetj train lenet for the same epochs, alternating, PAIRS times; times each whole
# process (wall and CPU, start-up and MNIST loading included) and prints one JSON line with the ratios of the medians.
#   scripts/shell-vs-cli.sh [EPOCHS (3)] [PAIRS (2)]
# Same work: the same LeNet, Adam lr 0.001, batch 100, float32 (the README's lenet sets it, as the CLI's default is),
# 60,000 images per epoch. Two differences, both in the CLI's disfavour: it standardizes the inputs (one pass over the
# pixels) and scores the 10,000 test images after every epoch, where the snippet scores them once at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs=${1:-3}
pairs=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The README block that DocsIncludeTest keeps equal to ReadmeLeNetTest's, then the call its next line describes.
awk '/<!-- include: ReadmeLeNetTest.java#user -->/ {on=1; next} on && /^```java/ {next} on && /^```/ {exit} on' "$root/README.md" >"$work/input.jsh"
cat >>"$work/input.jsh" <<JSH
Mnist mnist = Mnist.load();
System.out.println("accuracy " + lenet(mnist.train(), mnist.test(), $epochs) + " dtype " + Defaults.dtype());
/exit
JSH

# One run: wall and CPU seconds of the whole process tree, and the test accuracy it printed.
run() {   # NAME COMMAND...
  local name=$1; shift
  local s; s=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
  local wall; wall=$(( ($(date +%s%N) - s) / 1000000 ))
  awk -v w="$wall" '{printf "%.2f %.2f\n", w / 1000, $1 + $2}' "$work/$name.time"
}

cd "$root"
# Build, and write the shell's start-up cache, before anything is timed.
./knetj shell </dev/null >/dev/null 2>&1
shell_wall=() shell_cpu=() cli_wall=() cli_cpu=()
for ((i = 0; i < pairs; i++)); do
  read -r w c < <(run shell ./knetj shell <"$work/input.jsh")
  grep -q 'dtype float32' "$work/shell.out" || { echo "shell-vs-cli: the shell did not train in float32:" >&2; tail -5 "$work/shell.out" >&2; exit 1; }
  shell_wall+=("$w") shell_cpu+=("$c")
  read -r w c < <(run cli ./knetj train lenet --epochs "$epochs")
  cli_wall+=("$w") cli_cpu+=("$c")
  echo "pair $((i + 1)): shell ${shell_wall[-1]} s wall, ${shell_cpu[-1]} s CPU; cli ${cli_wall[-1]} s wall, ${cli_cpu[-1]} s CPU" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
list() { local IFS=,; echo "[$*]"; }
sw=$(median "${shell_wall[@]}") sc=$(median "${shell_cpu[@]}") cw=$(median "${cli_wall[@]}") cc=$(median "${cli_cpu[@]}")
printf '{"date":"%s","load":"%s","epochs":%d,"pairs":%d,"shell_wall_s":%s,"shell_cpu_s":%s,"cli_wall_s":%s,"cli_cpu_s":%s,"ratio_wall":%.3f,"ratio_cpu":%.3f,"shell_accuracy":%s,"cli_accuracy":%s}\n' \
  "$(date -u +%FT%TZ)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$epochs" "$pairs" "$(list "${shell_wall[@]}")" "$(list "${shell_cpu[@]}")" \
  "$(list "${cli_wall[@]}")" "$(list "${cli_cpu[@]}")" "$(echo "$sw $cw" | awk '{print $1 / $2}')" "$(echo "$sc $cc" | awk '{print $1 / $2}')" \
  "$(sed -n 's/.*accuracy \([0-9.]*\) dtype.*/\1/p' "$work/shell.out" | tail -1)" "$(sed -n 's/^test accuracy //p' "$work/cli.out")"
