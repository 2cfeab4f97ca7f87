#!/usr/bin/env python3
"""Runs a KnetJ benchmark and its PyTorch equivalent one after the other, in one invocation, and prints the ratios.

The machine is shared and noisy: every run records the CPU time that *other* processes used meanwhile
(busy time from /proc/stat minus the run's own CPU time), and only ratios from one invocation mean anything.

Usage (Debian's python3, which has torch):
  /usr/bin/python3 scripts/compare.py matmul conv mlp lenet lstm gpt [--threads 2] [--epochs 2] [--gpt-steps 2000] [--wait 120]
Prints a table and, last, one JSON line with every measured number and ratio.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "bench", "peers")
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def busy_seconds():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v) - idle) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


WAIT = 0.0


def wait_for_quiet(quiet=3.0, threshold=0.1):
    """Waits (up to WAIT seconds) until other processes used under `threshold` cores for `quiet` seconds in a row."""
    deadline, calm_since = time.time() + WAIT, time.time()
    while time.time() < deadline:
        before = busy_seconds()
        time.sleep(0.5)
        if (busy_seconds() - before) / 0.5 > threshold:
            calm_since = time.time()
        elif time.time() - calm_since >= quiet:
            return


def run(cmd):
    """Runs cmd, echoes its stderr, returns (JSON lines of stdout, wall seconds, foreign CPU share)."""
    wait_for_quiet()
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    w0, b0, c0 = time.time(), busy_seconds(), children_cpu()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env_for(cmd))
    wall = time.time() - w0
    foreign = max(0.0, busy_seconds() - b0 - (children_cpu() - c0))
    if p.returncode != 0:
        sys.exit(f"compare: {' '.join(cmd)} exited {p.returncode}")
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    return lines, wall, round(foreign / wall, 3)


# Some machines here set these for old OpenBLAS builds that misdetect the processor; they hold PyTorch's OpenBLAS to
# a slow generic kernel (matmul 7.7 instead of ~190 GFLOP/s on this machine), so the peers run without them.
# `--keep-openblas-env` keeps them, to reproduce a run made that way.
PEER_ENV_DROP = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
KEEP_OPENBLAS_ENV = False


def env_for(cmd):
    """The environment of a run: ours unchanged, the Python peers' without the OpenBLAS overrides."""
    env = dict(os.environ)
    if cmd[0] == PY and not KEEP_OPENBLAS_ENV:
        for k in PEER_ENV_DROP:
            env.pop(k, None)
    return env


def knetj(*args):
    return [os.path.join(ROOT, "knetj"), *args]


def matmul(a):
    ours, _, f1 = run(knetj("bench", "matmul", "--threads", str(a.threads), "--sizes", "1024,2048"))
    theirs, _, f2 = run([PY, os.path.join(PEERS, "torch_sgemm.py"), "--dtypes", "float32", "--threads", str(a.threads), "--no-big"])
    rows = []
    for n in ("1024", "2048"):
        k = ours[-1]["results"][n]["gflops_median"]
        t = next(x["gflops_median"] for x in theirs if x["n"] == int(n))
        rows.append({"what": f"matmul n={n} GFLOP/s", "knetj": k, "torch": t, "ratio": k / t, "target": ">= 0.85 (higher is better)",
                     "met": k / t >= 0.85, "foreign_share": max(f1, f2)})
    return rows


def conv(a):
    ours, _, f1 = run(knetj("bench", "conv", "--threads", str(a.threads)))
    theirs, _, f2 = run([PY, os.path.join(PEERS, "torch_conv.py"), "--threads", str(a.threads)])
    rows = []
    for name in ("lenet_conv1", "lenet_conv2", "resnet_3x3"):
        k = ours[-1]["results"][name]
        t = next(x for x in theirs if x["shape"] == name)
        for key, tk in (("fwd_ms", "fwd_ms_median"), ("fwd_bwd_ms", "fwdbwd_ms_median")):
            speed = t[tk] / k[key]
            rows.append({"what": f"conv {name} {key}", "knetj": k[key], "torch": t[tk], "ratio": speed,
                         "target": ">= 1.0 (torch time / ours)", "met": speed >= 1.0, "foreign_share": max(f1, f2)})
    return rows


def mnist(model, a):
    data = os.environ.get("KNETJ_DATA", os.path.expanduser("~/.knetj/data/mnist"))
    # The peer's recipe exactly: batch 100 and pixels in [0, 1] (our defaults standardize, and the MLP's uses batch 50).
    ours, _, f1 = run(knetj("train", model, "--epochs", str(a.epochs), "--threads", str(a.threads), "--batch", "100",
                            "--inputs", "unit"))
    theirs, _, f2 = run([PY, os.path.join(PEERS, "torch_mnist.py"), "--model", model, "--epochs", str(a.epochs),
                         "--threads", str(a.threads), "--data", data])
    k = statistics.median(ours[-1]["epoch_seconds"])
    t = statistics.median(x["train_seconds"] for x in theirs)
    # Every epoch is kept: our first one includes the JIT's warm-up, which the median of few epochs feels.
    return [{"what": f"{model} epoch seconds (median)", "knetj": k, "torch": t, "ratio": k / t,
             "target": "<= 1.0 (ours / torch)", "met": k / t <= 1.0, "foreign_share": max(f1, f2),
             "knetj_epochs": ours[-1]["epoch_seconds"], "torch_epochs": [x["train_seconds"] for x in theirs]}]


def lstm(a):
    ours, _, f1 = run(knetj("bench", "train", "--model", "charlstm", "--threads", str(a.threads)))
    theirs, _, f2 = run([PY, os.path.join(PEERS, "torch_lstm.py"), "--threads", str(a.threads)])
    k = ours[-1]["tokens_per_second_median"]
    t = theirs[-1]["tokens_per_second_median"]
    return [{"what": "char-LSTM tokens/s", "knetj": k, "torch": t, "ratio": k / t, "target": ">= 1.0", "met": k / t >= 1.0,
             "foreign_share": max(f1, f2)}]


def gpt(a):
    """The character GPT: ours first (it fetches the text and reports its path), then the peer on the same file."""
    ours, _, f1 = run(knetj("train", "gpt", "--steps", str(a.gpt_steps), "--threads", str(a.threads), "--max-new", "100"))
    o = ours[-1]
    theirs, _, f2 = run([PY, os.path.join(PEERS, "torch_gpt.py"), "--text", o["text"], "--steps", str(a.gpt_steps),
                         "--threads", str(a.threads)])
    t = theirs[-1]
    k, p = o["tokens_per_second"], t["tokens_per_second"]
    return [{"what": "gpt training tokens/s", "knetj": k, "torch": p, "ratio": k / p, "target": ">= 1.2", "met": k / p >= 1.2,
             "foreign_share": max(f1, f2)},
            {"what": f"gpt val loss after {a.gpt_steps} steps", "knetj": o["val_loss"], "torch": t["val_loss"],
             "ratio": o["val_loss"] / t["val_loss"], "target": "<= torch + 0.03", "met": o["val_loss"] <= t["val_loss"] + 0.03,
             "foreign_share": max(f1, f2)}]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("what", nargs="*", default=["matmul", "conv", "mlp", "lenet"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--gpt-steps", type=int, default=2000, help="training steps of the gpt row (both sides)")
    p.add_argument("--wait", type=float, default=0.0, help="before each run, wait up to this many seconds for an idle CPU")
    p.add_argument("--keep-openblas-env", action="store_true", help="run the peers with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE as set")
    a = p.parse_args()
    global WAIT, KEEP_OPENBLAS_ENV
    WAIT = a.wait
    KEEP_OPENBLAS_ENV = a.keep_openblas_env
    rows = []
    for w in a.what:
        rows += {"matmul": matmul, "conv": conv, "lstm": lstm, "gpt": gpt}.get(w, lambda a, w=w: mnist(w, a))(a)
    print(f"{'what':36} {'knetj':>10} {'torch':>10} {'ratio':>7}  target                      met  foreign")
    for r in rows:
        print(f"{r['what']:36} {r['knetj']:10.3f} {r['torch']:10.3f} {r['ratio']:7.2f}  {r['target']:27} {str(r['met']):5} {r['foreign_share']:.2f}")
    print(json.dumps({"compare": a.what, "threads": a.threads, "date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}))


if __name__ == "__main__":
    main()
