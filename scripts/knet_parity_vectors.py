"""Reference vectors for KnetJ's Knet-parity functions, computed with PyTorch in float64.

Writes layers/src/test/resources/knet-parity.json; KnetParityTest reads it. Run from the repository root:
    python3 scripts/knet_parity_vectors.py
Each case holds its inputs and the expected outputs (and gradients where the test checks them), row-major.
"""
import json
import os
import torch
import torch.nn.functional as F

torch.manual_seed(19)
dt = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(**kw):
    return {k: (flat(v) if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}


cases = {}

# bilinear: y = x1^T W x2 + b (F.bilinear)
x1 = torch.randn(3, 4, dtype=dt, requires_grad=True)
x2 = torch.randn(3, 5, dtype=dt, requires_grad=True)
w = torch.randn(2, 4, 5, dtype=dt, requires_grad=True)
b = torch.randn(2, dtype=dt)
y = F.bilinear(x1, x2, w, b)
y.pow(2).sum().backward()
cases["bilinear"] = case(x1=x1, x2=x2, w=w, b=b, y=y, dx1=x1.grad, dw=w.grad)

# conv4 mode 0: a true convolution, written out as loops (the definition), and checked against conv2d of the
# flipped kernel; mode 1 is conv2d itself. Padding 1, stride 2, alpha 0.5.
x = torch.randn(2, 3, 6, 5, dtype=dt)
w = torch.randn(4, 3, 3, 2, dtype=dt)
xp = F.pad(x, (1, 1, 1, 1))
kh, kw = 3, 2
ho = (6 + 2 - kh) // 2 + 1
wo = (5 + 2 - kw) // 2 + 1
loops = torch.zeros(2, 4, ho, wo, dtype=dt)
for i in range(ho):
    for j in range(wo):
        patch = xp[:, :, 2 * i:2 * i + kh, 2 * j:2 * j + kw]          # (N, C, kh, kw)
        # convolution: y[i, j] = sum x[i + a, j + b] w[kh-1-a, kw-1-b]
        loops[:, :, i, j] = torch.einsum("ncab,ocab->no", patch, w.flip(2, 3))
assert torch.allclose(loops, F.conv2d(x, w.flip(2, 3), padding=1, stride=2))
cases["conv4"] = case(x=x, w=w, mode0=0.5 * loops, mode1=0.5 * F.conv2d(x, w, padding=1, stride=2))

# pool modes 0/1/2 with window 3, padding 1, stride 2
x = torch.randn(2, 2, 5, 6, dtype=dt)
cases["pool"] = case(x=x,
                     mode0=F.max_pool2d(x, 3, stride=2, padding=1),
                     mode1=F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=True),
                     mode2=F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False))

# unpool (Knet): window^2 times the adjoint of average pooling (padding counted); window 2, stride 1, padding 0 here
# so windows overlap, and window 2 stride 2 padding 1.
for name, (win, pad, st, h, wd) in {"unpool_overlap": (2, 0, 1, 4, 3), "unpool_padded": (2, 1, 2, 3, 3)}.items():
    xs = torch.randn(1, 2, h, wd, dtype=dt)
    H = (h - 1) * st + win - 2 * pad
    W = (wd - 1) * st + win - 2 * pad
    z = torch.zeros(1, 2, H, W, dtype=dt, requires_grad=True)
    (F.avg_pool2d(z, win, stride=st, padding=pad, count_include_pad=True) * xs).sum().backward()
    cases[name] = case(x=xs, window=win, padding=pad, stride=st, shape=[1, 2, H, W], y=win * win * z.grad)

# CrossEntropyLoss with classes on axis 1 of (B, V, T) scores and on the last axis of (B, T, V)
s = torch.randn(2, 5, 3, dtype=dt, requires_grad=True)
lab = torch.randint(0, 5, (2, 3))
loss = F.cross_entropy(s, lab)
loss.backward()
cases["cross_entropy_axis1"] = case(scores=s, labels=[int(v) for v in lab.reshape(-1)], loss=loss.item(), grad=s.grad)
s2 = torch.randn(2, 3, 4, dtype=dt)
lab2 = torch.randint(0, 4, (2, 3))
cases["cross_entropy_last"] = case(scores=s2, labels=[int(v) for v in lab2.reshape(-1)],
                                   loss=F.cross_entropy(s2.reshape(-1, 4), lab2.reshape(-1)).item())

# SigmoidCrossEntropyLoss = BCEWithLogitsLoss
lg = torch.randn(3, 4, dtype=dt) * 3
tg = torch.rand(3, 4, dtype=dt)
cases["sigmoid_cross_entropy"] = case(logits=lg, targets=tg, loss=F.binary_cross_entropy_with_logits(lg, tg).item())

# batchnorm with Knet's bnmoments/bnparams: two training calls then one evaluation, momentum 0.1
x = torch.randn(4, 3, 2, 2, dtype=dt)
x2 = torch.randn(4, 3, 2, 2, dtype=dt) * 2 + 1
gamma = torch.tensor([1.5, 0.5, -1.0], dtype=dt)
beta = torch.tensor([0.1, -0.2, 0.3], dtype=dt)
rm = torch.zeros(3, dtype=dt)
rv = torch.ones(3, dtype=dt)
y1 = F.batch_norm(x, rm, rv, gamma, beta, training=True, momentum=0.1, eps=1e-5)
F.batch_norm(x2, rm, rv, gamma, beta, training=True, momentum=0.1, eps=1e-5)
ye = F.batch_norm(x, rm, rv, gamma, beta, training=False, eps=1e-5)
cases["batchnorm"] = case(x=x, x2=x2, params=torch.cat([gamma, beta]), train=y1, running_mean=rm, running_var=rv, eval=ye)

out = os.path.join("layers", "src", "test", "resources", "knet-parity.json")
tmp = out + ".tmp"
with open(tmp, "w") as f:
    json.dump(cases, f, indent=1)
os.replace(tmp, out)
print("wrote", out, "with", len(cases), "cases")
