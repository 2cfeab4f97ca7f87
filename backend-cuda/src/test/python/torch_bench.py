"""PyTorch's side of the CUDA benchmark: the same JSON lines as CudaMatmulBench (square matmuls in float32 and
float64, the LeNet convolutions at batch 100 forward and forward+backward) and one epoch of LeNet training on
MNIST-sized data (60000 images, batch 100, SGD), on the GPU. Run by bundle/run.sh on the GPU machine."""
import json
import sys
import time

import torch
import torch.nn.functional as F


def timed(fn):
    """Seconds per call: 3 warm-up calls, then doubling batches until one takes 0.3 s (synchronised)."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    runs = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(runs):
            fn()
        torch.cuda.synchronize()
        sec = time.perf_counter() - t0
        if sec >= 0.3 or runs >= 1 << 16:
            return sec / runs
        runs *= 2


def matmuls(sizes):
    torch.backends.cuda.matmul.allow_tf32 = False   # KnetJ computes in true float32
    for dtype, label in ((torch.float32, "float32"), (torch.float64, "float64")):
        for n in sizes:
            a = torch.rand(n, n, dtype=dtype, device="cuda") * 2 - 1
            b = torch.rand(n, n, dtype=dtype, device="cuda") * 2 - 1
            c = torch.empty(n, n, dtype=dtype, device="cuda")
            sec = timed(lambda: torch.mm(a, b, out=c))
            print(json.dumps({"bench": "matmul", "impl": "torch-cuda", "dtype": label, "n": n,
                              "ms": round(sec * 1e3, 4), "gflops": round(2 * n ** 3 / sec / 1e9, 1)}), flush=True)


def lenet_convs():
    torch.backends.cudnn.allow_tf32 = False
    for name, xs, ws in (("conv1", (100, 1, 28, 28), (20, 1, 5, 5)), ("conv2", (100, 20, 12, 12), (50, 20, 5, 5))):
        x = torch.randn(*xs, device="cuda", requires_grad=True)
        w = (torch.randn(*ws, device="cuda") * 0.1).requires_grad_()
        dy = torch.randn_like(F.conv2d(x, w))
        fwd = timed(lambda: F.conv2d(x, w))
        both = timed(lambda: torch.autograd.grad(F.conv2d(x, w), (x, w), dy))
        print(json.dumps({"bench": "lenet_" + name, "impl": "torch-cuda", "x": str(list(xs)), "w": str(list(ws)),
                          "fwd_ms": round(fwd * 1e3, 4), "fwd_bwd_ms": round(both * 1e3, 4)}), flush=True)


def lenet_epoch():
    """Knet's LeNet: conv 5x5x20, relu, pool 2; conv 5x5x50, relu, pool 2; dense 800->500 relu; dense 500->10."""
    g = torch.Generator(device="cuda").manual_seed(1)
    x = torch.rand(60000, 1, 28, 28, device="cuda", generator=g)
    y = torch.randint(0, 10, (60000,), device="cuda", generator=g)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 20, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(20, 50, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(800, 500), torch.nn.ReLU(), torch.nn.Linear(500, 10)).cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(2):   # the first epoch warms up cuDNN's algorithm choice; the second is reported
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        total = 0.0
        for i in range(0, 60000, 100):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[i:i + 100]), y[i:i + 100])
            loss.backward()
            opt.step()
            total += loss.item()
        sec = time.perf_counter() - t0
    print(json.dumps({"bench": "lenet_epoch", "impl": "torch-cuda", "batch": 100, "seconds": round(sec, 3),
                      "examples_per_s": round(60000 / sec, 1), "mean_loss": round(total / 600, 4)}), flush=True)


if __name__ == "__main__":
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "256,512,1024,2048,4096").split(",")]
    print(json.dumps({"bench": "device", "impl": "torch-cuda", "torch": torch.__version__,
                      "device": torch.cuda.get_device_name(0), "cuda": torch.version.cuda}), flush=True)
    matmuls(sizes)
    lenet_convs()
    lenet_epoch()
