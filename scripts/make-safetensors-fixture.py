#!/usr/bin/env python3
"""Safetensors files between PyTorch and KnetJ, in both directions.

  make  OUT   writes the test fixture (layers/src/test/resources/io/github/knetj/io/torch-small.safetensors)
              from torch tensors: F32 "weight" (2,3), F64 "bias" (3), F32 scalar "scale", F16 "half" (2),
              BF16 "brain" (2), and metadata {"format": "pt", "source": "make-safetensors-fixture.py"}.
  check FILE  reads a file written by KnetJ (SafeTensors.save / ModelIO.save) into torch tensors, checks the
              layout rules and prints every tensor; exits non-zero if the file breaks the format.

The Python `safetensors` package is not installable here (Debian has no python3-safetensors and PyPI is not
reachable), so both directions implement the published format directly, exactly as the package does
(https://github.com/huggingface/safetensors, "Format"): 8 bytes little-endian unsigned header length N, N bytes
of UTF-8 JSON {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}} padded with
spaces to a multiple of 8, then the tensors' row-major little-endian bytes, contiguous, in the order the
package writes them (larger dtypes first, then by name). Where the package is installed, `check` also reads the
file with safetensors.torch.load_file and compares.

Use Debian's interpreter, which has torch:  /usr/bin/python3 scripts/make-safetensors-fixture.py make OUT
"""
import json
import os
import struct
import sys
import tempfile

import torch

DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
FROM_CODE = {v: k for k, v in DTYPES.items()}


def fixture_tensors():
    """The fixture's tensors; KnetJ's test expects exactly these values."""
    return {
        "weight": (torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 0.5),
        "bias": torch.tensor([0.1, -0.2, 0.3], dtype=torch.float64),
        "scale": torch.tensor(2.5, dtype=torch.float32),
        "half": torch.tensor([1.5, -0.25], dtype=torch.float16),
        "brain": torch.tensor([3.0, -0.5], dtype=torch.bfloat16),
    }


def tensor_bytes(t):
    """Row-major little-endian bytes of a tensor (bfloat16 through its int16 bit pattern)."""
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    data = t.numpy().tobytes()
    return data if sys.byteorder == "little" else t.numpy().byteswap().tobytes()


def write(path, tensors, metadata):
    order = sorted(tensors, key=lambda k: (-tensors[k].element_size(), k))
    header, offset = {"__metadata__": metadata}, 0
    for name in order:
        t = tensors[name]
        n = t.numel() * t.element_size()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".fixture.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text)
            for name in order:
                f.write(tensor_bytes(tensors[name]))
        os.replace(tmp, path)   # atomic: never a half-written fixture
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read(path):
    """Tensors and metadata of a safetensors file, validated as the reference implementation does."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = data[8 + n:]
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    expected, tensors = 0, {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        if begin != expected:
            raise ValueError(f"{path}: '{name}' starts at {begin}, expected {expected}")
        dtype = FROM_CODE[info["dtype"]]
        count = 1
        for d in info["shape"]:
            count *= d
        if end - begin != count * torch.tensor([], dtype=dtype).element_size():
            raise ValueError(f"{path}: '{name}' byte length does not match its shape and dtype")
        raw = bytearray(buffer[begin:end])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16) if count else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if count else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
        expected = end
    if expected != len(buffer):
        raise ValueError(f"{path}: tensors cover {expected} bytes of {len(buffer)}")
    return tensors, metadata


def check(path):
    tensors, metadata = read(path)
    print(f"{path}: {len(tensors)} tensors, metadata {metadata}")
    for name, t in tensors.items():
        flat = t.flatten().tolist()
        shown = flat if len(flat) <= 6 else flat[:6] + ["..."]
        print(f"  {name}: {str(t.dtype).replace('torch.', '')} {list(t.shape)} {shown}")
    try:
        from safetensors.torch import load_file
    except ImportError:
        print("(the safetensors package is not installed: checked with this script's reader only)")
        return
    theirs = load_file(path)
    assert theirs.keys() == tensors.keys() and all(torch.equal(theirs[k], tensors[k]) for k in theirs)
    print("safetensors.torch.load_file reads the same tensors")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "check"):
        sys.exit(__doc__)
    if sys.argv[1] == "make":
        write(sys.argv[2], fixture_tensors(), {"format": "pt", "source": "make-safetensors-fixture.py"})
        print(f"wrote {sys.argv[2]}")
        check(sys.argv[2])
    else:
        check(sys.argv[2])


if __name__ == "__main__":
    main()
