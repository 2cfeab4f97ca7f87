#!/usr/bin/env bash
# Builds the bench module (offline, without tests) and runs JMH with the given arguments, e.g.
#   bench/run.sh ConvBench -p shape=lenet_conv2        or        bench/run.sh TrainStepBench -prof gc
# The KnetJ modules it depends on must be installed (mvn install) first.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl bench package -DskipTests
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" --add-modules jdk.incubator.vector -XX:Tier3DelayOn=100000 -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main "$@"
