# SPDX-License-Identifier: Apache-2.0
"""TensorBoard's own view of event files, and fixtures written by independent writers.

  python tbcheck.py read LOGDIR          prints JSON: what TensorBoard's loaders read
  python tbcheck.py write-tensorboard D  writes a log with TensorBoard's own writer
  python tbcheck.py write-tensorboardx D writes a log with tensorboardX (PyTorch's format)

Non-finite numbers are written as the strings "nan", "inf" and "-inf" (JSON has none).
Needs tensorboard and tensorboardX (scripts/requirements-jupyter.txt), not TensorFlow.
"""

import glob
import json
import math
import os
import sys

import numpy as np


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def nums(xs):
    return [num(x) for x in xs]


def event_files(run_dir):
    return sorted(
        p for p in glob.glob(os.path.join(run_dir, "*"))
        if "tfevents" in os.path.basename(p) and os.path.isfile(p)
    )


def raw_records(path):
    """Checks every record's framing with TensorBoard's own masked CRC-32C."""
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
    import struct

    data = open(path, "rb").read()
    off, n = 0, 0
    while off < len(data):
        if off + 12 > len(data):
            return {"records": n, "crc_ok": False, "error": "truncated header at %d" % off}
        (length,) = struct.unpack("<Q", data[off:off + 8])
        (hcrc,) = struct.unpack("<I", data[off + 8:off + 12])
        if masked_crc32c(data[off:off + 8]) != hcrc:
            return {"records": n, "crc_ok": False, "error": "length CRC at %d" % off}
        body = data[off + 12:off + 12 + length]
        (dcrc,) = struct.unpack("<I", data[off + 12 + length:off + 16 + length])
        if masked_crc32c(body) != dcrc:
            return {"records": n, "crc_ok": False, "error": "data CRC at %d" % off}
        off += 16 + length
        n += 1
    return {"records": n, "crc_ok": True}


def graph_dump(g):
    """A GraphDef's nodes with their inputs and attributes, and its producer version."""
    nodes = []
    for n in g.node:
        attrs = {}
        for k, v in n.attr.items():
            which = v.WhichOneof("value")
            if which == "s":
                attrs[k] = {"s": v.s.decode("utf-8")}
            elif which == "type":
                attrs[k] = {"type": int(v.type)}
            elif which == "list":
                attrs[k] = {"shapes": [[d.size for d in sh.dim] for sh in v.list.shape]}
            else:
                attrs[k] = {"other": which}
        nodes.append({"name": n.name, "op": n.op, "input": list(n.input), "device": n.device, "attr": attrs})
    return {"producer": g.versions.producer, "nodes": nodes}


def read(logdir):
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
    from tensorboard.plugins.distribution import compressor
    from tensorboard.util import tensor_util

    out = {"runs": {}}
    # The server's path: v1 summaries migrated to tensors (data_compat), by plugin.
    mux = pem.EventMultiplexer(
        size_guidance={ea.TENSORS: 0},
        tensor_size_guidance={"scalars": 0, "histograms": 0, "text": 0},
        purge_orphaned_data=False,
    )
    mux.AddRunsFromDirectory(logdir)
    mux.Reload()
    for run in sorted(mux.Runs()):
        run_dir = os.path.normpath(os.path.join(logdir, run))
        r = {"files": [], "events": [], "scalars": {}, "histo": {}, "tensors": {}}
        out["runs"][run] = r
        # The raw events, file by file (no migration), and the framing.
        for path in event_files(run_dir):
            f = {"name": os.path.basename(path)}
            f.update(raw_records(path))
            r["files"].append(f)
            for ev in event_file_loader.LegacyEventFileLoader(path).Load():
                e = {"wall": num(ev.wall_time), "step": ev.step, "what": ev.WhichOneof("what")}
                if ev.HasField("file_version") or ev.file_version:
                    e["file_version"] = ev.file_version
                if ev.HasField("summary"):
                    e["values"] = [
                        {"tag": v.tag, "kind": v.WhichOneof("value"), "plugin": v.metadata.plugin_data.plugin_name}
                        for v in ev.summary.value
                    ]
                r["events"].append(e)
        # The legacy accumulator: simple_value scalars and HistogramProto histograms as written.
        acc = ea.EventAccumulator(
            run_dir,
            size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0, ea.COMPRESSED_HISTOGRAMS: 0},
            purge_orphaned_data=False,
        )
        acc.Reload()
        tags = acc.Tags()
        for tag in tags.get(ea.SCALARS, []):
            r["scalars"][tag] = [[e.step, num(e.wall_time), num(e.value)] for e in acc.Scalars(tag)]
        for tag in tags.get(ea.HISTOGRAMS, []):
            r["histo"][tag] = [
                {
                    "step": e.step, "wall": num(e.wall_time),
                    "min": num(e.histogram_value.min), "max": num(e.histogram_value.max),
                    "num": num(e.histogram_value.num), "sum": num(e.histogram_value.sum),
                    "sum_squares": num(e.histogram_value.sum_squares),
                    "bucket_limit": nums(e.histogram_value.bucket_limit),
                    "bucket": nums(e.histogram_value.bucket),
                }
                for e in acc.Histograms(tag)
            ]
        # The graph, as the legacy accumulator parses it (the last graph_def of the run).
        if tags.get(ea.GRAPH):
            r["graph"] = graph_dump(acc.Graph())
        # The plugin view.
        for plugin in ("scalars", "histograms", "text"):
            by_tag = mux.PluginRunToTagToContent(plugin).get(run, {})
            if not by_tag:
                continue
            r["tensors"][plugin] = {}
            for tag in sorted(by_tag):
                points = []
                for e in mux.Tensors(run, tag):
                    arr = tensor_util.make_ndarray(e.tensor_proto)
                    p = {"step": e.step, "wall": num(e.wall_time), "dtype": str(arr.dtype)}
                    if plugin == "scalars":
                        p["value"] = num(arr.item())
                    elif plugin == "histograms":
                        p["buckets"] = [nums(b) for b in arr.tolist()]
                        p["compressed"] = [
                            [bp, num(v)] for bp, v in compressor.compress_histogram(arr)
                        ]
                    else:
                        p["text"] = [s.decode("utf-8") for s in arr.flatten().tolist()]
                    points.append(p)
                r["tensors"][plugin][tag] = points
    json.dump(out, sys.stdout, allow_nan=False)


def write_tensorboard(logdir):
    """A log by TensorBoard's own writer and summary ops (no TensorFlow)."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.plugins.histogram import summary_v2 as histogram_v2
    from tensorboard.plugins.scalar import summary_v2 as scalar_v2
    from tensorboard.plugins.text import summary_v2 as text_v2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    rng = np.random.default_rng(15)
    wall0 = 1.7e9

    def add(w, summary, step, wall=None):
        w.add_event(event_pb2.Event(wall_time=wall0 + step if wall is None else wall, step=step, summary=summary))

    # Run "v2": tensor summaries, as TensorFlow 2 and TensorBoard's own ops write them.
    w = EventFileWriter(os.path.join(logdir, "v2"))
    for step in range(100):
        v = 1.0 / (step + 1) + 0.01 * rng.standard_normal()
        if step == 50:
            v = float("nan")
        if step == 60:
            v = float("inf")
        add(w, scalar_v2.scalar_pb("train/loss", v), step)
        # Metadata with the first value of a tag only, as TensorFlow 2's writer does.
        s = scalar_v2.scalar_pb("train/accuracy", 0.5 + step / 250)
        if step > 0:
            s.value[0].ClearField("metadata")
        add(w, s, step)
    for step in range(0, 100, 10):
        data = rng.standard_normal(1000) * (1 + step / 50)
        add(w, histogram_v2.histogram_pb("weights/dense/kernel", data, buckets=30), step)
    add(w, histogram_v2.histogram_pb("weights/constant", np.full(10, 0.25)), 0)
    add(w, histogram_v2.histogram_pb("weights/empty", np.array([])), 0)
    add(w, text_v2.text_pb("notes", "a **markdown** note, ünïcode"), 0)
    # What Read does not load: an image, a PR curve, a graph.
    add(w, summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="digits", image=summary_pb2.Summary.Image(height=1, width=1, colorspace=1, encoded_image_string=b"\x89PNG"))]), 5)
    pr = summary_pb2.Summary.Value(tag="pr", tensor=scalar_v2.scalar_pb("x", 1.0).value[0].tensor)
    pr.metadata.plugin_data.plugin_name = "pr_curves"
    add(w, summary_pb2.Summary(value=[pr]), 5)
    # A graph, as TensorFlow's writer stores one: a serialized GraphDef.
    from tensorboard.compat.proto import attr_value_pb2, graph_pb2, node_def_pb2, tensor_shape_pb2

    def shapes(*dims):
        return attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(shape=[
            tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in ds])
            for ds in dims]))

    f32 = attr_value_pb2.AttrValue(type=1)
    graph = graph_pb2.GraphDef(node=[
        node_def_pb2.NodeDef(name="x", op="Placeholder", attr={"dtype": f32, "_output_shapes": shapes([-1, 4])}),
        node_def_pb2.NodeDef(name="dense/kernel", op="VariableV2", attr={"dtype": f32, "_output_shapes": shapes([4, 2])}),
        node_def_pb2.NodeDef(name="dense/MatMul", op="MatMul", input=["x", "dense/kernel"], device="/device:CPU:0",
                             attr={"T": f32, "_output_shapes": shapes([-1, 2]), "note": attr_value_pb2.AttrValue(s=b"a note")}),
    ])
    graph.versions.producer = 27
    w.add_event(event_pb2.Event(wall_time=wall0, step=0, graph_def=graph.SerializeToString()))
    w.close()

    # Run "v1": simple_value and HistogramProto, as TensorFlow 1 writes them, in two files
    # (a run resumed), the histograms on TensorFlow's default exponential buckets.
    limits = []
    v = 1e-12
    while v < 1e20:
        limits.append(v)
        v *= 1.1
    limits = [-x for x in reversed(limits)] + [0.0] + limits + [sys.float_info.max]
    for part, steps in enumerate((range(0, 50), range(50, 100))):
        w = EventFileWriter(os.path.join(logdir, "v1"), filename_suffix=".part%d" % part)
        for step in steps:
            add(w, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=2.0 / (step + 1))]), step)
            if step % 25 == 0:
                data = rng.standard_normal(500)
                counts = np.zeros(len(limits))
                idx = np.searchsorted(limits, data, side="left")
                np.add.at(counts, idx, 1)
                h = summary_pb2.HistogramProto(
                    min=float(data.min()), max=float(data.max()), num=len(data), sum=float(data.sum()),
                    sum_squares=float((data * data).sum()), bucket_limit=limits, bucket=counts.tolist())
                add(w, summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="layer/activations", histo=h)]), step)
        w.close()


def write_tensorboardx(logdir):
    """A log by tensorboardX's SummaryWriter, the format PyTorch's SummaryWriter writes."""
    from tensorboardX import SummaryWriter

    rng = np.random.default_rng(16)
    w = SummaryWriter(os.path.join(logdir, "tbx"))
    for step in range(200):
        w.add_scalar("train/loss", 1.0 / (step + 1), step, walltime=1.7e9 + step)
        w.add_scalar("eval/accuracy", 0.5 + step / 500, step, walltime=1.7e9 + step)
    w.add_scalars("compare", {"a": 1.0, "b": 2.0}, 3, walltime=1.7e9)
    for step in range(0, 200, 50):
        w.add_histogram("fc1.weight", rng.standard_normal(2000) * (1 + step / 100), step, walltime=1.7e9 + step)
        w.add_histogram("fc1.bias", rng.uniform(-1, 1, 100), step, bins="auto", walltime=1.7e9 + step)
    w.add_text("notes", "hello from *tensorboardX*", 0, walltime=1.7e9)
    w.add_image("digit", np.zeros((3, 4, 4), dtype=np.float32), 0, walltime=1.7e9)
    w.close()


if __name__ == "__main__":
    cmd, path = sys.argv[1], sys.argv[2]
    {"read": read, "write-tensorboard": write_tensorboard, "write-tensorboardx": write_tensorboardx}[cmd](path)
