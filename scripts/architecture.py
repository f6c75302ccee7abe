#!/usr/bin/env python3
"""Draws docs/architecture.svg from `go list`: the public packages in columns (data flows
left to right), an arrow from each package to each public package it imports, those that
follow from other imports left out. Run from the repository root:
    python3 scripts/architecture.py > docs/architecture.svg
"""
import html, json, os, subprocess

MOD = "github.com/gonbviz/gonbviz/"
WHAT = {
    "vegalite": "Vega-Lite specs", "schedule": "when, during training",
    "runs": "run directories", "diagram": "network structure",
    "tensorboard": "TensorBoard event files",
    "capture": "weights, gradients, activations", "render": "SVG, HTML, mime bundle",
    "demo": "ready models", "charts": "chart builders",
    "projection": "PCA, t-SNE",
    "notebookviz": "Display, Live, dashboard", "cmd/gonbviz": "command line",
}
env = dict(os.environ, GOEXPERIMENT="simd")
out = subprocess.run(["go", "list", "-json=ImportPath,Imports", "./..."], capture_output=True, text=True, env=env, check=True).stdout
dec, pkgs, i = json.JSONDecoder(), {}, 0
while i < len(out):
    while i < len(out) and out[i].isspace():
        i += 1
    if i >= len(out):
        break
    p, i = dec.raw_decode(out, i)
    name = p["ImportPath"].removeprefix(MOD)
    if name in WHAT:
        pkgs[name] = sorted(x.removeprefix(MOD) for x in p.get("Imports", []) if x.removeprefix(MOD) in WHAT)

# Transitive reduction: an import that follows from others is not drawn.
def reach(n, seen=None):
    seen = set() if seen is None else seen
    for m in pkgs[n]:
        if m not in seen:
            seen.add(m)
            reach(m, seen)
    return seen
edges = {n: [m for m in deps if not any(m in reach(k) for k in deps if k != m)] for n, deps in pkgs.items()}

# Columns: each package as far right as its importers allow (the last stage it can take),
# so that arrows are short; the sources of the flow on the left.
height_of = {}
def h(n):  # longest chain of imports beneath n
    if n not in height_of:
        height_of[n] = 1 + max((h(m) for m in pkgs[n]), default=-1)
    return height_of[n]
last = max(h(n) for n in pkgs)
col = {}
for n in sorted(pkgs, key=h, reverse=True):
    importers = [k for k in pkgs if n in edges[k]]
    col[n] = last if not importers else min(col[k] for k in importers) - 1
cols = {}
for n, c in col.items():
    cols.setdefault(c, []).append(n)
# Rows: a few barycentre sweeps, as a layered layout does.
order = {c: sorted(v) for c, v in cols.items()}
for _ in range(6):
    for c in sorted(order)[1:] + sorted(order)[::-1][1:]:
        rank = {n: i for cc in order.values() for i, n in enumerate(cc)}
        def bary(n):
            nb = [rank[m] for m in edges[n]] + [rank[k] for k in pkgs if n in edges[k]]
            return sum(nb) / len(nb) if nb else rank[n]
        order[c].sort(key=bary)
W, H, GX, GY, X0, Y0 = 180, 50, 80, 30, 20, 64
pos = {}
for c, names in order.items():
    for r, n in enumerate(names):
        pos[n] = (X0 + c * (W + GX), Y0 + r * (H + GY))
rows = max(len(v) for v in order.values())
width = X0 * 2 + len(order) * W + (len(order) - 1) * GX
height = Y0 + rows * (H + GY) + 40
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
     '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6b7b8c"/></marker></defs>',
     f'<rect width="{width}" height="{height}" fill="white"/>',
     f'<text x="{X0}" y="26" font-size="16" font-weight="bold">gonbviz: data flows left to right</text>',
     f'<text x="{X0}" y="46" font-size="12" fill="#555">an arrow goes from a package to one it imports (imports that follow from others left out): every arrow points left</text>']
lane = Y0 + rows * (H + GY) - GY / 2 + 8  # under every box: the way of long arrows
for n, deps in edges.items():
    ax, ay = pos[n]
    for m in deps:
        bx, by = pos[m]
        x1, y1, x2, y2 = ax, ay + H / 2, bx + W, by + H / 2
        if col[n] - col[m] == 1:
            mid = (x1 + x2) / 2
            d = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
        else:  # down to the lane, along it, and up
            a, b = x1 - GX / 2, x2 + GX / 2
            d = f"M{x1},{y1} C{a},{y1} {a},{lane} {a - 20},{lane} L{b + 20},{lane} C{b},{lane} {b},{y2} {x2},{y2}"
        s.append(f'<path d="{d}" fill="none" stroke="#6b7b8c" stroke-width="1.2" marker-end="url(#a)"/>')
for n, (x, y) in pos.items():
    s.append(f'<rect x="{x}" y="{y}" width="{W}" height="{H}" rx="6" fill="#eef4fb" stroke="#3b6ea5"/>')
    s.append(f'<text x="{x + W / 2}" y="{y + 21}" font-size="14" font-weight="bold" text-anchor="middle">{html.escape(n)}</text>')
    s.append(f'<text x="{x + W / 2}" y="{y + 38}" font-size="11" fill="#333" text-anchor="middle">{html.escape(WHAT[n])}</text>')
s.append("</svg>")
print("\n".join(s))
