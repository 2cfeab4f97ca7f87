#!/usr/bin/env bash
# Sums the Surefire reports of the last `./knetj test` into one JSON line: tests, failures, errors, skipped.
rc=${1:-0}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
t=0 f=0 e=0 s=0
for x in "$root"/*/target/surefire-reports/TEST-*.xml; do
  [ -f "$x" ] || continue
  line=$(grep -m1 -o '<testsuite [^>]*>' "$x")
  get() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$((t + $(get tests))); f=$((f + $(get failures))); e=$((e + $(get errors))); s=$((s + $(get skipped)))
done
status=passed; [ "$rc" -ne 0 ] && status=failed
echo "{\"command\":\"test\",\"status\":\"$status\",\"tests\":$t,\"failures\":$f,\"errors\":$e,\"skipped\":$s}"
