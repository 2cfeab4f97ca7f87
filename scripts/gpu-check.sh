#!/usr/bin/env bash
# Proves the CUDA backend on a machine with an NVIDIA GPU but no JDK, no Maven and no network.
#   scripts/gpu-check.sh build   here (JDK, Maven, ~/.m2): write bundle/ (a small Java runtime, the jars, the test
#                                jars, the JUnit console launcher, MNIST if cached here, the PyTorch benchmark and
#                                run.sh), at most 64 MiB
#   bundle/run.sh                there: the CUDA suites (op suite, conformance vectors, availability, PTX), the gradient
#                                properties, one epoch of LeNet and the benchmarks next to PyTorch's; outputs in $OUT
#   scripts/gpu-check.sh run     build, then run bundle/run.sh on this machine (one with a JDK and a GPU)
#   scripts/gpu-check.sh sim     no GPU at all: the CUDA suites through JCuda against a stand-in libcuda.so.1 that runs
#                                the kernels on the host (backend-cuda/src/test/cuda/fake_libcuda.cpp, needs g++);
#                                KNETJ_FAKE_CUDA_VERSION=12040 plays a CUDA 12.4 driver (PTX header lowered to ISA 8.0)
# The jars of the other modules are taken as built (*/target, else ~/.m2); whichever are missing are left out and
# run.sh skips their steps, saying so. Only backend-cuda itself is built here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$root/bundle
limit=$((64 * 1024 * 1024))
version=0.1.0-SNAPSHOT
junit_console=org.junit.platform:junit-platform-console-standalone:1.11.4
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

build() {
  cd "$root"
  rm -rf "$bundle"
  mkdir -p "$bundle/lib" "$bundle/bench"
  echo "gpu-check: building backend-cuda (jar and test jar)"
  mvn -q -pl backend-cuda install -DskipTests
  # backend-cuda's class path (api, JCuda and its linux-x86_64 natives, the TCK, Jackson), without JUnit:
  # the console launcher carries its own, and two copies of the Jupiter engine cannot coexist.
  mvn -q -pl backend-cuda dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$bundle/lib" \
      -DexcludeGroupIds=org.junit,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
  cp backend-cuda/target/knetj-backend-cuda-$version.jar backend-cuda/target/knetj-backend-cuda-$version-tests.jar "$bundle/lib/"
  # The other modules as they stand: the examples CLI (train, gradcheck) and the autograd gradient properties.
  for m in autograd layers examples backend-cpu-vector; do
    for kind in "" "-tests"; do
      jar=knetj-$m-$version$kind.jar
      [ "$m" = backend-cpu-vector ] && [ -n "$kind" ] && continue
      if [ -f "$m/target/$jar" ]; then cp "$m/target/$jar" "$bundle/lib/"
      elif [ -f "$HOME/.m2/repository/io/github/knetj/knetj-$m/$version/$jar" ]; then cp "$HOME/.m2/repository/io/github/knetj/knetj-$m/$version/$jar" "$bundle/lib/"
      elif [ -z "$kind" ]; then echo "gpu-check: $jar not built; run.sh will skip the steps that need it"
      fi
    done
  done
  # The examples' own third-party dependencies, as their build copied them, less what the GPU check never loads:
  # JOCL, and the PDF/SVG/GIF writers behind plots (4 MB; run.sh plots nothing, and the JRE has no java.desktop).
  if [ -d examples/target/lib ]; then
    find examples/target/lib -name '*.jar' ! -name 'jocl-*' ! -name 'knetj-backend-opencl-*' ! -name 'pdfbox*' ! -name 'fontbox-*' \
      ! -name 'graphics2d-*' ! -name 'VectorGraphics2D-*' ! -name 'animated-gif-lib-*' ! -name 'commons-logging-*' -exec cp -n {} "$bundle/lib/" \;
  fi
  # JCuda's PTX compiler library (24 MB of the natives jar) is only used by the PTX tests run at build time.
  natives=$(ls "$bundle"/lib/jcuda-natives-*-linux-x86_64.jar)
  if command -v zip >/dev/null; then zip -q -d "$natives" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*' >/dev/null
  else echo "gpu-check: zip not found; the natives jar keeps its unused libraries"; fi
  local console=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.11.4/junit-platform-console-standalone-1.11.4.jar
  [ -f "$console" ] || mvn -q dependency:get -Dartifact=$junit_console
  cp "$console" "$bundle/junit-platform-console-standalone.jar"
  cp backend-cuda/src/test/python/torch_bench.py "$bundle/bench/"
  # The project's shared folder sits beside the checkout; KNETJ_SHARED points elsewhere.
  local makejre=${KNETJ_SHARED:-$root/../shared}/device/make-jre.sh
  [ -f "$makejre" ] || { echo "gpu-check: $makejre not found (set KNETJ_SHARED to the folder holding device/make-jre.sh)" >&2; exit 1; }
  bash "$makejre" "$bundle/jre"
  # MNIST for the LeNet epoch (the GPU machine has no network): from $KNETJ_DATA/mnist or ~/.knetj/data/mnist, gzipped.
  local mnist=${KNETJ_DATA:-$HOME/.knetj/data}/mnist f
  if [ -f "$mnist/train-images-idx3-ubyte" ] || [ -f "$mnist/train-images-idx3-ubyte.gz" ]; then
    mkdir -p "$bundle/data/mnist"
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
      if [ -f "$mnist/$f.gz" ]; then cp "$mnist/$f.gz" "$bundle/data/mnist/"; else gzip -9c "$mnist/$f" > "$bundle/data/mnist/$f.gz"; fi
    done
  else
    echo "gpu-check: no MNIST in $mnist (run ./knetj train lenet once to fetch it); the LeNet step will need network access"
  fi
  write_run_sh
  local bytes
  bytes=$(du -sb "$bundle" | cut -f1)
  echo "gpu-check: bundle/ is $((bytes / 1024 / 1024)) MiB ($bytes bytes): $(ls "$bundle/lib" | tr '\n' ' ')"
  if [ "$bytes" -gt "$limit" ]; then
    echo "gpu-check: bundle/ exceeds 64 MiB" >&2
    echo '{"command":"gpu-check build","status":"error","bundle_bytes":'"$bytes"',"limit_bytes":'"$limit"'}'
    exit 1
  fi
  echo '{"command":"gpu-check build","status":"ok","bundle":"'"$bundle"'","bundle_bytes":'"$bytes"',"mnist":'"$([ -d "$bundle/data/mnist" ] && echo true || echo false)"',"examples":'"$([ -f "$bundle/lib/knetj-examples-$version.jar" ] && echo true || echo false)"'}'
}

write_run_sh() {
  cat > "$bundle/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs KnetJ's CUDA checks on this machine (NVIDIA driver and GPU; no JDK needed: ./jre). Outputs go to $OUT
# (default ./out): one log per step (JUnit's summary lists every failure), benchmark JSON lines, and summary.json. A CUDA backend that
# cannot start fails the tests here (KNETJ_REQUIRE_BACKENDS=cuda) instead of skipping them.
set -uo pipefail
B=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$B/out}
mkdir -p "$OUT"
# Signal chaining, as ./knetj does, so that a native library's crash handlers (LLVM's in PoCL) cannot take the JVM's.
[ -f "$B/jre/lib/libjsig.so" ] && export LD_PRELOAD="$B/jre/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
JAVA=("$B/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:Tier3DelayOn=100000 -XX:TypeProfileMajorReceiverPercent=100 -XX:-UseBimorphicInlining -Xmx8g)
CP=$(printf '%s:' "$B"/lib/*.jar)   # spelled out: the JUnit console does not expand lib/*
PY=${PYTHON:-python3}
export KNETJ_REQUIRE_BACKENDS=${KNETJ_REQUIRE_BACKENDS-cuda}
[ -d "$B/data/mnist" ] && export KNETJ_DATA=$B/data
declare -A RC
has() { ls "$B"/lib/"$1" >/dev/null 2>&1; }
step() {   # step NAME COMMAND...: runs it, tees its output to $OUT/NAME.log, records its exit status
  local name=$1; shift
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$OUT/$name.log"
  RC[$name]=${PIPESTATUS[0]}
  echo "=== $name: exit ${RC[$name]}"
}
skip() { echo "=== $1: skipped: $2" | tee "$OUT/$1.log"; RC[$1]=skipped; }
junit() {  # junit NAME SELECTORS...
  local name=$1; shift
  step "$name" "${JAVA[@]}" -jar "$B/junit-platform-console-standalone.jar" execute --class-path "$CP" \
      --details=summary --details-theme=ascii --disable-banner "$@"
}

(nvidia-smi || echo "nvidia-smi not found") > "$OUT/nvidia-smi.txt" 2>&1
head -15 "$OUT/nvidia-smi.txt"
junit cuda-tests --select-class io.github.knetj.cuda.CudaAvailabilityTest --select-class io.github.knetj.cuda.CudaSelectionTest \
      --select-class io.github.knetj.cuda.PtxHeaderTest --select-class io.github.knetj.cuda.DeviceAllocatorTest \
      --select-class io.github.knetj.cuda.CudaSuiteTest --select-class io.github.knetj.cuda.CudaConformanceTest
if has "knetj-autograd-*-tests.jar"; then junit gradients --select-package io.github.knetj.autograd
else skip gradients "knetj-autograd tests jar not in the bundle"; fi
if has "knetj-examples-*.jar"; then
  step backends "${JAVA[@]}" -cp "$CP" io.github.knetj.examples.Main backends
  step gradcheck "${JAVA[@]}" -cp "$CP" io.github.knetj.examples.Main gradcheck --op all --backend cuda --dtype float64
  step lenet "${JAVA[@]}" -cp "$CP" io.github.knetj.examples.Main train lenet --backend cuda --epochs 1
else
  skip backends "knetj-examples jar not in the bundle"; skip gradcheck "knetj-examples jar not in the bundle"; skip lenet "knetj-examples jar not in the bundle"
fi
step bench-knetj "${JAVA[@]}" -cp "$CP" io.github.knetj.cuda.CudaMatmulBench
if "$PY" -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then step bench-torch "$PY" "$B/bench/torch_bench.py"
else skip bench-torch "no PyTorch with CUDA for $PY"; fi

status=0
{
  printf '{"check":"knetj-gpu"'
  for k in "${!RC[@]}"; do printf ',"%s":"%s"' "$k" "${RC[$k]}"; [ "${RC[$k]}" = 0 ] || [ "${RC[$k]}" = skipped ] || status=1; done
  printf ',"status":"%s"}\n' "$([ $status = 0 ] && echo ok || echo failed)"
} > "$OUT/summary.json"
cat "$OUT/summary.json"
exit $status
RUN
  chmod +x "$bundle/run.sh"
}

# Everything but the device itself: Java, JCuda, PTX loading and the kernels' arithmetic. Not timing, not the GPU.
sim() {
  cd "$root"
  local dir=$root/backend-cuda/target/fake-libcuda
  mkdir -p "$dir"
  echo "gpu-check: compiling the host stand-in for libcuda.so.1 into $dir"
  g++ -std=c++20 -O2 -pthread -shared -fPIC -Ibackend-cuda/src/test/cuda -o "$dir/libcuda.so.1" backend-cuda/src/test/cuda/fake_libcuda.cpp
  LD_LIBRARY_PATH=$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} KNETJ_REQUIRE_BACKENDS=cuda \
    mvn -q -pl backend-cuda test -Dtest='CudaSuiteTest,CudaConformanceTest,CudaSelectionTest' -Dknetj.tries="${KNETJ_TRIES:-20}"
  echo "gpu-check: the CUDA suites passed on the host stand-in (driver CUDA ${KNETJ_FAKE_CUDA_VERSION:-13000}); nothing ran on a GPU"
  echo '{"command":"gpu-check sim","status":"ok","driver_version":'"${KNETJ_FAKE_CUDA_VERSION:-13000}"',"gpu":false}'
}

case "${1:-build}" in
  build) build ;;
  run) build; exec "$bundle/run.sh" ;;
  sim) sim ;;
  *) echo "usage: scripts/gpu-check.sh [build|run|sim]" >&2; exit 2 ;;
esac
