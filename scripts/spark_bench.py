#!/usr/bin/env python3
"""Issue 21's benchmark: two single-thread Spark workers in local[2] against one two-thread process, same model and
global batch, in alternating pairs within one invocation (the machine is shared: only ratios from one run count).

  /usr/bin/python3 scripts/spark_bench.py [--batch 4000] [--epochs 4] [--pairs 3] [--standalone] [--wait 60]

Examples/s are taken over the epochs after the first (the first carries the JIT's warm-up and Spark's start), from each
run's own per-epoch seconds. Prints one line per run, a table of pairs, and last one JSON line with every number,
including Spark's overhead, the workers' compute and the bytes moved per step.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (run(), knetj(): foreign-share accounting and the idle wait)

EXAMPLES = 60000


def steady(epoch_seconds):
    """Examples per second over the epochs after the first."""
    rest = epoch_seconds[1:] or epoch_seconds
    return EXAMPLES / statistics.median(rest)


def one_process(a):
    out, wall, foreign = compare.run(compare.knetj("train", "lenet", "--batch", str(a.batch), "--epochs", str(a.epochs),
                                                   "--threads", "2", "--progress", "off"))
    o = out[-1]
    return {"run": "one process, 2 threads", "examples_per_second": steady(o["epoch_seconds"]), "epoch_seconds": o["epoch_seconds"],
            "test_accuracy": o.get("test_accuracy"), "foreign_share": foreign, "wall": wall}


def spark(a, master):
    cmd = compare.knetj("spark", "train", "lenet", "--master", master, "--workers", "2", "--threads", "1",
                        "--batch", str(a.batch), "--epochs", str(a.epochs))
    out, wall, foreign = compare.run(cmd)
    o = out[-1]
    return {"run": f"2 workers x 1 thread, {master}", "examples_per_second": steady(o["epoch_seconds"]),
            "epoch_seconds": o["epoch_seconds"], "test_accuracy": o.get("test_accuracy"),
            "overhead_ms_per_step": 1e3 * o["overhead_seconds_per_exchange"], "compute_ms_per_step": 1e3 * o["compute_seconds_per_exchange"],
            "bytes_per_step": o["bytes_per_exchange"], "foreign_share": foreign, "wall": wall}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batch", type=int, default=4000)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--standalone", default=None, help="also run on this standalone master URL (spark://host:port)")
    p.add_argument("--wait", type=float, default=0.0, help="before each run, wait up to this many seconds for an idle CPU")
    a = p.parse_args()
    compare.WAIT = a.wait
    runs, pairs = [], []
    for i in range(a.pairs):
        one, two = one_process(a), spark(a, "local[2]")
        runs += [one, two]
        pairs.append({"pair": i + 1, "one_process": one["examples_per_second"], "local2": two["examples_per_second"],
                      "ratio": two["examples_per_second"] / one["examples_per_second"],
                      "foreign_share": max(one["foreign_share"], two["foreign_share"])})
        print(f"pair {i + 1}: one process {one['examples_per_second']:8.0f} ex/s, local[2] {two['examples_per_second']:8.0f} ex/s, "
              f"ratio {pairs[-1]['ratio']:.2f} (overhead {two['overhead_ms_per_step']:.0f} ms, compute {two['compute_ms_per_step']:.0f} ms "
              f"a step; foreign {pairs[-1]['foreign_share']:.3f})", flush=True)
    if a.standalone:
        runs.append(spark(a, a.standalone))
    ratio = statistics.median(x["ratio"] for x in pairs)
    print(json.dumps({"bench": "spark", "model": "lenet", "batch": a.batch, "epochs": a.epochs, "date": time.strftime("%Y-%m-%d %H:%M"),
                      "median_ratio": ratio, "target": ">= 0.8", "met": ratio >= 0.8, "pairs": pairs, "runs": runs}))


if __name__ == "__main__":
    main()
