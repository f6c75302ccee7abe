#!/usr/bin/env bash
# Makes docs/gallery anew: a PNG picture of the chart of every Example of package charts
# (charts/example_test.go; its golden spec is charts/testdata/NAME.vl.json), of the demo
# models' network diagrams, and of every chart stored in the executed notebooks of
# docs/notebooks, rasterized with headless Chromium from the same static SVGs the tests make;
# docs/gallery/sources.txt records each SVG's SHA-256 (the tests named *GalleryIsCurrent fail
# when a chart changes and its picture was not made again), and docs/gallery/README.md is the
# contact sheet. Look at the pictures that changed before committing them.
#
# Needs Go and Chromium (scripts/setup-browser.sh installs Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOEXPERIMENT=simd GOMLX_NO_AUTO_INSTALL=1

chrome="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$chrome" ] || { echo "update-gallery.sh: Chromium is needed (bash scripts/setup-browser.sh)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/svg" "$tmp/profile" docs/gallery

echo "== the static SVGs"
GONBVIZ_GALLERY_DIR="$tmp/svg" go test -count=1 -run 'GalleryIsCurrent$' \
  ./charts/ ./demo/ ./examples/notebooks/ >/dev/null

echo "== rasterizing with $(basename "$chrome")"
rm -f docs/gallery/*.png
for svg in "$tmp"/svg/*.svg; do
  name="$(basename "$svg" .svg)"
  # The window is the SVG's own size, so the picture is the chart and nothing around it.
  size="$(python3 - "$svg" <<'PY'
import math, re, sys
head = open(sys.argv[1], encoding="utf-8").read(4096)
tag = re.search(r"<svg\b[^>]*>", head).group(0)
def num(attr, default):
    m = re.search(r'\s%s="([0-9.]+)' % attr, tag)
    return math.ceil(float(m.group(1))) if m else default
print(f"{num('width', 800)},{num('height', 600)}")
PY
)"
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --default-background-color=ffffffff --window-size="$size" \
    --screenshot="$PWD/docs/gallery/$name.png" "file://$svg" >/dev/null 2>&1
  [ -s "docs/gallery/$name.png" ] || { echo "update-gallery.sh: no picture of $name" >&2; exit 1; }
done

echo "== sources.txt and the contact sheet"
python3 - "$tmp/svg" <<'PY'
import hashlib, os, sys
src = sys.argv[1]
names = sorted(f[:-4] for f in os.listdir(src) if f.endswith(".svg"))
with open("docs/gallery/sources.txt", "w") as out:
    out.write("# NAME SHA-256 of the static SVG each picture was made from (scripts/update-gallery.sh)\n")
    for n in names:
        out.write(f"{n} {hashlib.sha256(open(os.path.join(src, n + '.svg'), 'rb').read()).hexdigest()}\n")
groups = [("charts", "Chart builders (package charts), one Example each"),
          ("diagram", "Network diagrams of the demo models"),
          ("notebook", "Every chart of the executed notebooks in docs/notebooks")]
with open("docs/gallery/README.md", "w") as md:
    md.write("# Gallery\n\nWhat gonbviz draws, as the static image every chart carries (the picture a viewer "
             "without JavaScript shows). Made by `scripts/update-gallery.sh`; the tests fail when a "
             "chart changes and its picture here was not made again.\n")
    for prefix, title in groups:
        md.write(f"\n## {title}\n")
        for n in names:
            if n.split("-", 1)[0] == prefix:
                md.write(f"\n### {n}\n\n![{n}]({n}.png)\n")
print(f"{len(names)} pictures")
PY
du -sh docs/gallery
