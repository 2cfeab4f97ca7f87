"""The PyTorch side of TorchRoundTripTest: loads KnetJ's export into the same network built from torch.nn, runs it on
KnetJ's inputs, and writes its logits and its own state_dict back.

    python3 torch_roundtrip.py WEIGHTS.safetensors INPUTS.npz OUT_LOGITS.npy OUT_WEIGHTS.safetensors
    python3 torch_roundtrip.py lstm WEIGHTS.safetensors INPUTS.npy OUT_Y.npy    (an LSTM(3, 5), batch first)

Only torch and numpy are needed: the few lines of safetensors reading and writing are done here with the format's
definition (8-byte little-endian header length, JSON header, raw little-endian data), not with the safetensors package.
"""
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return out


def write_safetensors(path, tensors):
    names = {np.dtype(v): k for k, v in DTYPES.items()}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy())
        blob = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main(weights, inputs, out_logits, out_weights):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.BatchNorm2d(4), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(36, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    model.load_state_dict(read_safetensors(weights), strict=True)   # every name and shape must match
    model.eval()
    x = torch.from_numpy(np.load(inputs)["x"])
    with torch.no_grad():
        logits = model(x)
    np.save(out_logits, logits.numpy())
    state = model.state_dict()
    state["2.num_batches_tracked"] += 7   # an int64 counter KnetJ must read, not refuse
    write_safetensors(out_weights, state)
    print("torch", torch.__version__, "logits", tuple(logits.shape))


def lstm(weights, inputs, out_y):
    model = torch.nn.LSTM(3, 5, batch_first=True)
    model.load_state_dict(read_safetensors(weights), strict=True)
    with torch.no_grad():
        y, _ = model(torch.from_numpy(np.load(inputs)))
    np.save(out_y, y.numpy())
    print("torch", torch.__version__, "lstm y", tuple(y.shape))


if __name__ == "__main__":
    if sys.argv[1] == "lstm":
        lstm(*sys.argv[2:5])
    else:
        main(*sys.argv[1:5])
