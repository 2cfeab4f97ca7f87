#!/usr/bin/env bash
# The KnetJ classroom: JShell with KnetJ on the class path, the common imports done and a greeting.
#   scripts/shell.sh CLASSPATH "JVM FLAGS" [more jshell options]      (./knetj shell calls it this way)
# CLASSPATH entries ending in /* are expanded to the jars in that folder (jshell, unlike java, does not).
# KNETJ_SHELL_AOT=0 starts without the AOT cache (and writes none).
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
# it the flags KnetJ needs (the Vector API, native access for OpenCL/CUDA, the JIT flags), headless AWT for plots, a
# one-line log format for the note saying which backend was chosen, and float64 (gradient checks want its precision;
# a property rather than a startup statement, which JShell would compile before the first prompt). The JIT is the
# CLI's, C2 included: with C1 alone JShell started about 0.6 CPU s sooner, but the Vector API's kernels are
# intrinsified by C2 only, and one LeNet epoch on 3,000 images (float64) took over 6 minutes instead of 9 s. Remote
# execution (a second JVM for the snippets) was tried too: its debug agent made training no faster than here.
jvm=()
for f in $flags; do jvm+=("-J$f"); done
jvm+=("-J-Djava.awt.headless=true" "-J-Djava.util.logging.SimpleFormatter.format=%4\$s: %5\$s%6\$s%n" "-J-Dknetj.dtype=float64")
jshell=("$jdk/bin/jshell" -q --execution local --class-path "$expanded" "${jvm[@]}" --startup DEFAULT --startup "$here/knetj-startup.jsh")

# An AOT cache (JDK 25's -XX:AOTCache) of the classes JShell and KnetJ load: javac's and JShell's own classes are most
# of them; loading and linking them from the cache saved 0.6-0.7 s of the start-up to the first snippet's result on
# a shared 2-core machine (docs/benchmarks.md, "Issue 20: the shell"). It is written once, by a scripted session
# (shell-aot-training.jsh), under a name made of everything it depends on: the JDK (its path, release file and modules
# image), the JVM flags, and every class path entry with its size and time (the newest class for a folder), so a
# rebuilt jar or another JDK gets a new cache and a stale one is never given to the JVM (which would set aside some or
# all of it, and print errors for an unreadable file). It is written to a temporary file and then moved, so that a
# shell never reads half a cache; if it cannot be written the shell starts without one. JDKs before 25: no cache.
aot=()
aot_key() {
  { echo "$jdk"; cat "$jdk/release"; stat -c '%s %Y' "$jdk/lib/modules"; echo "${jvm[*]}"; cat "$here/shell-aot-training.jsh"
    IFS=':' read -r -a cp <<<"$expanded"
    for e in "${cp[@]}"; do
      if [ -d "$e" ]; then echo "$e $(find "$e" -type f -printf '%T@\n' | sort -n | tail -1)"; else stat -c '%n %s %Y' "$e" 2>/dev/null || echo "$e"; fi
    done
  } | sha256sum | cut -c1-16
}
release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null || true)
if [ "${KNETJ_SHELL_AOT:-1}" != 0 ] && [ "${release:-0}" -ge 25 ] && dir="$here/../examples/target/shell-aot" && mkdir -p "$dir" 2>/dev/null; then
  cache="$dir/$(aot_key).aot"
  if [ ! -f "$cache" ]; then
    echo "knetj shell: writing a start-up cache for this JDK and class path (once, about 5 s)..." >&2
    tmp="$cache.$$.tmp"
    if "${jshell[@]}" "-J-XX:AOTCacheOutput=$tmp" "$here/shell-aot-training.jsh" </dev/null >"$dir/training.log" 2>&1 && [ -s "$tmp" ]; then
      mv -f "$tmp" "$cache"
      find "$dir" -name '*.aot' ! -path "$cache" -delete   # caches of earlier builds or JDKs
    else
      echo "knetj shell: could not write the start-up cache (see $dir/training.log); starting without it" >&2
    fi
    rm -f "$tmp" "$tmp.config"
  fi
  [ -f "$cache" ] && aot=("-J-XX:AOTCache=$cache")
fi

cat "$here/knetj-greeting.txt"
exec "${jshell[@]}" "${aot[@]}" "$@"
