# SPDX-License-Identifier: Apache-2.0
"""TensorBoard's own loaders on one event file, timed in-process (imports excluded).

  python tensorboard_loader.py FILE ROUNDS   prints JSON: {"loader": [s...], "accumulator": [s...], ...}

Times are CPU seconds of this process (time.process_time: the machine may be shared), and
wall seconds in "loader_wall" and "accumulator_wall".

loader: tensorboard's EventFileLoader (every record read, CRC-checked and parsed into an
Event proto), events and summary values counted. accumulator: the legacy EventAccumulator
on the file with its default size guidance (reservoir-sampled series), Reload().
"""

import json
import os
import sys
import time

from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.backend.event_processing import event_file_loader


def main(path, rounds):
    out = {"loader": [], "accumulator": [], "loader_wall": [], "accumulator_wall": [],
           "events": 0, "values": 0, "scalar_tags": 0}
    for _ in range(rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        events = values = 0
        for ev in event_file_loader.EventFileLoader(path).Load():
            events += 1
            values += len(ev.summary.value)
        out["loader"].append(time.process_time() - c0)
        out["loader_wall"].append(time.perf_counter() - t0)
        out["events"], out["values"] = events, values
        c0, t0 = time.process_time(), time.perf_counter()
        acc = ea.EventAccumulator(path)
        acc.Reload()
        out["accumulator"].append(time.process_time() - c0)
        out["accumulator_wall"].append(time.perf_counter() - t0)
        out["scalar_tags"] = len(acc.Tags()[ea.SCALARS])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
