#!/usr/bin/env bash
# The KnetJ classroom: JShell with KnetJ on the class path, the common imports done and a greeting.
#   scripts/shell.sh CLASSPATH "JVM FLAGS" [more jshell options]      (./knetj shell calls it this way)
# CLASSPATH entries ending in /* are expanded to the jars in that folder (jshell, unlike java, does not).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 1 ]; then echo "usage: scripts/shell.sh CLASSPATH [JVM_FLAGS] [jshell options]" >&2; exit 2; fi
classpath=$1
flags=${2:-}
shift $(( $# >= 2 ? 2 : 1 ))

jdk=${JAVA_HOME:-}
if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jshell" ]; then
  echo "knetj shell: needs JAVA_HOME pointing to a JDK with jshell (./knetj shell sets it)" >&2; exit 2
fi

expanded=""
IFS=':' read -r -a entries <<<"$classpath"
for e in "${entries[@]}"; do
  if [[ "$e" == */\* ]]; then
    for jar in "${e%/\*}"/*.jar; do [ -e "$jar" ] && expanded+="${expanded:+:}$jar"; done
  else
    expanded+="${expanded:+:}$e"
  fi
done

# Snippets run in JShell's own JVM (--execution local): one JVM instead of two halves the start-up time. -J passes
# it the flags KnetJ needs (the Vector API, native access for OpenCL/CUDA, Tier3DelayOn), headless AWT for plots and
# a one-line log format for the note saying which backend was chosen. The JIT is the CLI's, C2 included: with C1
# alone JShell started about 0.6 CPU s sooner, but the Vector API's kernels are intrinsified by C2 only, and one LeNet
# epoch on 3,000 images (float64) took over 6 minutes instead of 9 s. An AOT cache (-XX:AOTCache, JDK 25) was tried
# and left out: it served every class from the archive yet saved no time, which javac's own work dominates. Remote
# execution (a second JVM for the snippets) was tried too: its debug agent made training no faster than here.
jvm=()
for f in $flags; do jvm+=("-J$f"); done
jvm+=("-J-Djava.awt.headless=true" "-J-Djava.util.logging.SimpleFormatter.format=%4\$s: %5\$s%6\$s%n"
     )

exec "$jdk/bin/jshell" -q --execution local --class-path "$expanded" "${jvm[@]}" \
  --startup DEFAULT --startup "$here/knetj-startup.jsh" "$@"
