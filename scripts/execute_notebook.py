#!/usr/bin/env python3
"""Executes a notebook headless with a real Jupyter kernel (GoNB by default) and saves it.

    .venv/bin/python scripts/execute_notebook.py IN.ipynb OUT.ipynb [--timeout 120] [--kernel gonb]
        [--cwd DIR] [--kernel-log FILE] [--startup-timeout 60]

Runs every cell in order with nbclient, each cell limited to --timeout seconds, in the
notebook's own directory (or --cwd), and writes the executed notebook (outputs included) to
OUT. If a cell fails (an error reply, a compile error in GoNB, a timeout, a dead kernel), the
notebook as executed so far is still written to OUT, the failing cell and its outputs are
printed on stderr, and the exit status is 1. Status 2: bad arguments or unreadable input.

Used by internal/testing/notebooktest (the Go tests) and the docs/examples tooling; run it from the
venv that scripts/setup-jupyter.sh creates (source scripts/jupyter-env.sh for the kernel path).
GOFLAGS=-mod=... is dropped from the kernel's environment: GoNB runs `go get` in its own module.
"""

import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def _text(value):
    if isinstance(value, list):
        return "".join(value)
    return value if isinstance(value, str) else repr(value)


def _strip_html(s):
    s = re.sub(r"<(script|style)\b.*?</\1>", "", s, flags=re.S | re.I)
    s = re.sub(r"<br\s*/?>|</(p|div|pre|tr|li)>", "\n", s, flags=re.I)
    s = re.sub(r"<[^>]+>", "", s)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        s = s.replace(a, b)
    return re.sub(r"\n[ \t]*(?=\n)", "", s).strip("\n")


def describe_outputs(cell):
    """The cell's outputs as plain text: errors, streams, and displayed text/html."""
    lines = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            lines.append(f"[error] {out.get('ename', '')}: {out.get('evalue', '')}")
            tb = "\n".join(out.get("traceback", []))
            tb = re.sub(r"\x1b\[[0-9;]*m", "", tb)  # ANSI colours
            if tb.strip():
                lines.append(tb)
        elif kind == "stream":
            lines.append(f"[{out.get('name', 'stream')}]\n{_text(out.get('text', ''))}")
        elif kind in ("display_data", "execute_result", "update_display_data"):
            data = out.get("data", {})
            if "text/plain" in data:
                lines.append(f"[{kind} text/plain]\n{_text(data['text/plain'])}")
            elif "text/html" in data:
                lines.append(f"[{kind} text/html, tags stripped]\n{_strip_html(_text(data['text/html']))}")
            else:
                lines.append(f"[{kind}: {', '.join(sorted(data))}]")
    return "\n".join(lines).rstrip()


def kernel_env():
    """The environment for the kernel: ours, minus any -mod flag in GOFLAGS."""
    flags = [f for f in os.environ.get("GOFLAGS", "").split() if not f.startswith("-mod=")]
    if flags:
        os.environ["GOFLAGS"] = " ".join(flags)
    else:
        os.environ.pop("GOFLAGS", None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebook", help="the .ipynb to execute")
    ap.add_argument("output", help="where to write the executed .ipynb")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per cell (default 120)")
    ap.add_argument("--startup-timeout", type=float, default=60, help="seconds for the kernel to start")
    ap.add_argument("--kernel", default="gonb", help="kernel spec name (default gonb)")
    ap.add_argument("--cwd", help="directory the kernel runs in (default: the notebook's)")
    ap.add_argument("--kernel-log", help="write the kernel's own stdout/stderr (GoNB's log) to this "
                    "file instead of this script's stderr")
    args = ap.parse_args()

    try:
        nb = nbformat.read(args.notebook, as_version=4)
    except Exception as e:  # noqa: BLE001 - any read/parse problem is a usage error here
        print(f"execute_notebook.py: cannot read {args.notebook}: {e}", file=sys.stderr)
        return 2
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    kernel_env()

    client = NotebookClient(
        nb,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        kernel_name=args.kernel,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": cwd}},
    )
    start = time.monotonic()
    failure = None
    log = open(args.kernel_log, "wb") if args.kernel_log else None
    try:
        if log is not None:
            client.execute(stdout=log, stderr=log)  # passed on to the kernel's Popen
        else:
            client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        failure = e
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - e.g. no such kernel, SIGINT
        failure = e
    finally:
        if log is not None:
            log.close()
    elapsed = time.monotonic() - start

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    nbformat.write(nb, args.output)

    if failure is None:
        print(f"executed {args.notebook}: {len(nb.cells)} cells in {elapsed:.1f}s -> {args.output}")
        return 0

    # Find the failing cell: the last code cell that has an execution count or an error output.
    failing = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            failing = (i, cell)
            break
    if failing is None:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.get("metadata", {}).get("execution", {}).get(
                "iopub.execute_input"
            ):
                failing = (i, cell)
    print(f"execute_notebook.py: {args.notebook} failed after {elapsed:.1f}s "
          f"({type(failure).__name__}); partial notebook saved to {args.output}", file=sys.stderr)
    if args.kernel_log:
        print(f"kernel log: {args.kernel_log}", file=sys.stderr)
    if failing is not None:
        i, cell = failing
        print(f"--- cell {i} (code):\n{cell.source}\n--- its outputs:\n{describe_outputs(cell)}",
              file=sys.stderr)
    msg = re.sub(r"\x1b\[[0-9;]*m", "", str(failure)).strip()
    if msg and (failing is None or not isinstance(failure, CellExecutionError)):
        print(f"--- nbclient:\n{msg[-4000:]}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
