# SPDX-License-Identifier: Apache-2.0
"""Writes pytorch-log/: a small PyTorch-style TensorBoard log for 06-tensorboard.ipynb.

    ../../../.venv/bin/python make_pytorch_log.py   (from examples/notebooks/testdata)

It is written by tensorboardX's SummaryWriter, the format torch.utils.tensorboard's
SummaryWriter writes, with the calls a PyTorch training loop makes (add_scalar,
add_histogram, add_text). The values are synthetic (seeded), shaped like the demo MLP's
curves on the digits, so that the notebook can overlay them with a gonbviz run: no
PyTorch is needed to make it.
"""

import os
import shutil

import numpy as np
from tensorboardX import SummaryWriter

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch-log")
shutil.rmtree(out, ignore_errors=True)
rng = np.random.default_rng(6)
w = SummaryWriter(os.path.join(out, "pytorch-mlp"), filename_suffix=".fixture")
wall = 1.7e9
for step in range(10, 3001, 10):
    x = step / 3000
    loss = 2.3 * np.exp(-5 * x) + 0.12 + 0.05 * rng.standard_normal() * np.exp(-2 * x)
    w.add_scalar("train/loss", max(loss, 0.01), step, walltime=wall + step * 0.004)
    if step % 150 == 0:
        w.add_scalar("eval/validation/loss", 2.3 * np.exp(-4.5 * x) + 0.15, step, walltime=wall + step * 0.004)
        w.add_scalar("eval/validation/accuracy", 0.97 - 0.87 * np.exp(-6 * x), step, walltime=wall + step * 0.004)
    if step % 300 == 0:
        scale = 0.1 * (1 + x)
        w.add_histogram("fc1.weight", rng.standard_normal(64 * 128) * scale, step, bins=30, walltime=wall + step * 0.004)
        w.add_histogram("fc1.weight.grad", rng.standard_normal(64 * 128) * 0.01 * np.exp(-3 * x), step, bins=30,
                        walltime=wall + step * 0.004)
w.add_text("config", "PyTorch MLP 64-128-64-10, Adam lr=0.001 (synthetic fixture)", 0, walltime=wall)
w.close()
