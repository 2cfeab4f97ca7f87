# Sourced by ./knetj, spark/bin/knetj-spark and spark/bin/standalone-cluster (the GPU check, which runs from a bundle
# of its own, spells it out). HotSpot's signal chaining: PoCL's device set-up (the OpenCL backend, probed even when
# another backend is chosen) installs LLVM's crash handlers over the JVM's SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGUSR2
# handlers (-Xcheck:jni: "SIGSEGV handler modified!"). The JVM takes a SIGSEGV at every armed safepoint poll; LLVM's
# handler gives the signal back, but not when two threads fault at once, and the process then dies with status 139
# and no hs_err file (1 LeNet run in 76 on 2026-12-07, and the 139s of earlier sessions). With libjsig preloaded the
# JVM's handlers stay first and LLVM's are chained behind them. Child processes (Maven's test JVMs, Spark's executors)
# inherit the variable.

# signal_chaining JAVA: prepends the libjsig.so of the JDK that the java command JAVA belongs to to LD_PRELOAD, once.
signal_chaining() {
  local bin jsig
  bin=$(command -v "$1") || return 0
  jsig="$(dirname "$(dirname "$(readlink -f "$bin")")")/lib/libjsig.so"
  case ":${LD_PRELOAD:-}:" in *":$jsig:"*) return 0 ;; esac
  [ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
  return 0
}
