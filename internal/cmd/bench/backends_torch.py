# SPDX-License-Identifier: Apache-2.0
"""PyTorch side of `go run ./internal/cmd/bench backends` (CPU, eager mode).

The Go bench starts this script once with the bench-only Python (.venv-bench, made by
scripts/setup-bench.sh) and sends it one JSON command per line on stdin; each answer is one
JSON line on stdout. Commands:

  {"op": "hello", "threads": 2}
      -> {"torch": "2.11.0", "threads": 2}
  {"op": "load", "name": "demo", "x": "/tmp/x.f32", "y": "/tmp/y.i32", "n": 1258, "features": 64}
      features: raw float32 little-endian [n, features]; labels: raw int32 little-endian [n].
      -> {"ok": true}
  {"op": "build", "name": "demo", "widths": [64, 128, 64, 10], "batch": 64, "lr": 0.001,
   "seed": 0, "warmup": 50}
      builds a fresh MLP (He-normal weights, zero biases, relu), Adam and cross-entropy over
      shuffled batches of the data called name (each epoch a new order, the incomplete last
      batch dropped), times its first step alone, then runs warmup steps.
      -> {"first_s": ..., "loss": ...}
  {"op": "train", "name": "demo", "steps": 500, "max_s": 1.5}
      runs steps more steps of that model (fewer if max_s seconds have passed), timed to the
      end of the last one.
      -> {"steps_per_s": ..., "loss": ...}

Every step reads the loss back (loss.item()), as the Go loop does.
"""

import json
import sys
import time

import numpy as np
import torch
from torch import nn


def mlp(widths):
    layers = []
    for i in range(len(widths) - 1):
        lin = nn.Linear(widths[i], widths[i + 1])
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")  # GoMLX's default: He normal
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def batches(x, y, batch, generator):
    n = x.shape[0]
    while True:
        perm = torch.randperm(n, generator=generator)
        for i in range(0, n - batch + 1, batch):
            idx = perm[i : i + batch]
            yield x[idx], y[idx]


class Trainer:
    def __init__(self, data, cmd):
        x, y = data[cmd["name"]]
        torch.manual_seed(cmd["seed"])
        self.model = mlp(cmd["widths"])
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cmd["lr"])
        self.loss_fn = nn.CrossEntropyLoss()
        gen = torch.Generator().manual_seed(cmd["seed"])
        self.batches = batches(x, y, cmd["batch"], gen)

    def step(self):
        xb, yb = next(self.batches)
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(xb), yb)
        loss.backward()
        self.opt.step()
        return loss.item()


def build(data, trainers, cmd):
    t = Trainer(data, cmd)
    trainers[cmd["name"]] = t
    start = time.perf_counter()
    loss = t.step()
    first = time.perf_counter() - start
    for _ in range(cmd["warmup"]):
        loss = t.step()
    return {"first_s": first, "loss": loss}


def train(trainers, cmd):
    t = trainers[cmd["name"]]
    loss = float("nan")
    start = time.perf_counter()
    deadline = start + cmd["max_s"]
    done = 0
    while done < cmd["steps"]:
        loss = t.step()
        done += 1
        if time.perf_counter() > deadline:
            break
    elapsed = time.perf_counter() - start
    return {"steps_per_s": done / elapsed, "loss": loss}


def main():
    data, trainers = {}, {}
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "hello":
            torch.set_num_threads(cmd["threads"])
            out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
        elif op == "load":
            n, f = cmd["n"], cmd["features"]
            x = np.fromfile(cmd["x"], dtype="<f4").reshape(n, f)
            y = np.fromfile(cmd["y"], dtype="<i4").astype(np.int64)
            data[cmd["name"]] = (torch.from_numpy(x.copy()), torch.from_numpy(y))
            out = {"ok": True}
        elif op == "build":
            out = build(data, trainers, cmd)
        elif op == "train":
            out = train(trainers, cmd)
        else:
            out = {"error": "unknown op " + op}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
