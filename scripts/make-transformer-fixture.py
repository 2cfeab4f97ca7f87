#!/usr/bin/env python3
"""The PyTorch encoder-layer fixtures of KnetJ's StateDictTest.

  make DIR  writes, for each case below, DIR/<case>.safetensors (the float32 state_dict of a seeded
            torch.nn.TransformerEncoderLayer(batch_first=True), exactly as model.state_dict() names it) and
            DIR/<case>-io.safetensors ("x", an input (2, 5, 16), and "y", the layer's output in eval mode).

Cases: "pre-gelu" (norm_first=True, activation gelu) and "post-relu" (norm_first=False, activation relu), both
d_model 16, 4 heads, feed-forward 32, dropout 0.1 (inactive in eval mode, as KnetJ evaluates outside diff).
Decoder cases "decoder-pre-gelu" and "decoder-post-relu": a torch.nn.TransformerDecoderLayer of the same sizes;
its -io file holds "x" (2, 5, 16), "memory" (2, 3, 16) and "y", the output under a causal target mask.
Files are written with make-safetensors-fixture.py's writer (the safetensors package is not installable here).

Use Debian's interpreter, which has torch:
  /usr/bin/python3 scripts/make-transformer-fixture.py make layers/src/test/resources/io/github/knetj/layers/transformer
"""
import importlib.util
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("fixture", os.path.join(here, "make-safetensors-fixture.py"))
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)

CASES = {"pre-gelu": dict(norm_first=True, activation="gelu"), "post-relu": dict(norm_first=False, activation="relu")}


def make(out):
    os.makedirs(out, exist_ok=True)
    for i, (name, kw) in enumerate(CASES.items()):
        torch.manual_seed(18 + i)
        layer = torch.nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.1, batch_first=True, **kw)
        with torch.no_grad():   # non-zero biases and norms, so that every tensor's name and layout matters
            for p in layer.parameters():
                if p.dim() == 1:
                    p.uniform_(-0.5, 0.5)
        layer.eval()
        x = torch.randn(2, 5, 16)
        with torch.no_grad():
            y = layer(x)
        meta = {"format": "pt", "source": "make-transformer-fixture.py", "case": name}
        fixture.write(os.path.join(out, name + ".safetensors"), {k: v.contiguous() for k, v in layer.state_dict().items()}, meta)
        fixture.write(os.path.join(out, name + "-io.safetensors"), {"x": x, "y": y}, meta)
        print(name, list(layer.state_dict().keys()))
    for i, (name, kw) in enumerate(CASES.items()):
        torch.manual_seed(28 + i)
        layer = torch.nn.TransformerDecoderLayer(16, 4, dim_feedforward=32, dropout=0.1, batch_first=True, **kw)
        with torch.no_grad():
            for p in layer.parameters():
                if p.dim() == 1:
                    p.uniform_(-0.5, 0.5)
        layer.eval()
        x, memory = torch.randn(2, 5, 16), torch.randn(2, 3, 16)
        causal = torch.triu(torch.full((5, 5), float("-inf")), diagonal=1)
        with torch.no_grad():
            y = layer(x, memory, tgt_mask=causal)
        meta = {"format": "pt", "source": "make-transformer-fixture.py", "case": "decoder-" + name}
        fixture.write(os.path.join(out, "decoder-" + name + ".safetensors"), {k: v.contiguous() for k, v in layer.state_dict().items()}, meta)
        fixture.write(os.path.join(out, "decoder-" + name + "-io.safetensors"), {"x": x, "memory": memory, "y": y}, meta)
        print("decoder-" + name, len(layer.state_dict()))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "make":
        sys.exit(__doc__)
    make(sys.argv[2])
