#!/usr/bin/env bash
# Builds the Dockerfile and checks the image from outside, for real:
#
#   1. the base: Debian bookworm made with debootstrap and imported as a local image (no
#      container registry needed), unless GONBVIZ_DOCKER_BASE names one (e.g. debian:bookworm
#      where a registry is reachable);
#   2. the image: the top-level Dockerfile, FROM that base (--build-arg BASE);
#   3. a container started as a user would (`run -p PORT:8888`, a JUPYTER_TOKEN given), then:
#      - JupyterLab answers on the published port: its page, its API with the token, the gonb
#        kernel spec, the example notebooks at its root; the image's HEALTHCHECK says healthy;
#      - examples/notebooks/00-charts.ipynb executes inside it with the gonb kernel, with
#        GOPROXY=off (a cell that needed to download a module would fail), and its charts are
#        there;
#      - the starter notebook (`gonbviz new`) executes the same way: its backend line says XLA's
#        CPU plugin, and its dashboard says backend xla-cpu;
#   4. GOMLX_BACKEND taken through: a second container run with -e GOMLX_BACKEND=go prints the
#      backend line of the pure-Go backend.
#
# Too slow for the CI job (a cold build takes about half an hour on 2 cores): a separate
# script. docs/measurements/docker-*.txt holds the output of a run.
#
# Needs root (debootstrap; rootful podman) and, on Debian, `apt-get install debootstrap podman`
# (buildah comes with podman's build). Environment:
#   ENGINE               podman (default where installed) or docker
#   IMAGE                the image's name (default localhost/gonbviz:test)
#   GONBVIZ_DOCKER_BASE  a bookworm image to build from, instead of making one with debootstrap
#   DEBIAN_MIRROR        debootstrap's mirror (default http://deb.debian.org/debian)
#   REBUILD_BASE=1       make the debootstrap base again even if the image exists
#   NO_CACHE=1           build every step of the Dockerfile again (no layer cache)
#   PORT                 the host port to publish JupyterLab on (default 18888)
#   KEEP=1               leave the test container running at the end
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

if [ -z "${ENGINE:-}" ]; then
  if command -v podman >/dev/null; then ENGINE=podman; else ENGINE=docker; fi
fi
IMAGE="${IMAGE:-localhost/gonbviz:test}"
BASE_IMAGE="${GONBVIZ_DOCKER_BASE:-localhost/gonbviz-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PORT="${PORT:-18888}"
NAME="gonbviz-docker-test-$$"
TOKEN="gonbviz-test-$RANDOM$RANDOM"

T0=$SECONDS
log() { printf '== [%4d s] %s\n' "$((SECONDS - T0))" "$*"; }
die() { printf 'docker-test.sh: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '   ok: %s\n' "$*"; }

command -v "$ENGINE" >/dev/null || die "$ENGINE is not installed (apt-get install podman, or set ENGINE=docker)"
log "engine: $("$ENGINE" --version)"
log "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"

# ---------------------------------------------------------------------------------------------
# 1. The base image.
# ---------------------------------------------------------------------------------------------
if [ -n "${GONBVIZ_DOCKER_BASE:-}" ]; then
  log "base: $BASE_IMAGE (GONBVIZ_DOCKER_BASE)"
elif [ "${REBUILD_BASE:-0}" != 1 ] && "$ENGINE" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "base: $BASE_IMAGE (made before; REBUILD_BASE=1 makes it again)"
else
  command -v debootstrap >/dev/null || die "debootstrap is needed to make the base (apt-get install debootstrap)"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  rootfs="$(mktemp -d /var/tmp/gonbviz-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  log "base: debootstrap --variant=minbase bookworm from $MIRROR"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; die "debootstrap failed"; }
  rm -f "$rootfs.log"
  # The apt sources of the public debian:bookworm image.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # This machine's own certificate authorities (a network whose TLS goes through an
  # intercepting proxy has one): the image's ca-certificates picks them up when the Dockerfile
  # installs it, as it would on this machine.
  n=0
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] || continue
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp "$crt" "$rootfs/usr/local/share/ca-certificates/"
    n=$((n + 1))
  done
  [ "$n" = 0 ] || log "base: with this machine's $n local CA certificate(s) from /usr/local/share/ca-certificates"
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" --numeric-owner -c . | "$ENGINE" import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  log "base: imported as $BASE_IMAGE"
fi

# ---------------------------------------------------------------------------------------------
# 2. The image.
# ---------------------------------------------------------------------------------------------
build_flags=()
[ "$ENGINE" = podman ] && build_flags=(--format docker) # OCI images have no HEALTHCHECK
[ "${NO_CACHE:-0}" = 1 ] && build_flags+=(--no-cache)
log "build: $ENGINE build --build-arg BASE=$BASE_IMAGE -t $IMAGE ."
build_start=$SECONDS
"$ENGINE" build "${build_flags[@]}" --build-arg "BASE=$BASE_IMAGE" -t "$IMAGE" . 2>&1 \
  | grep --line-buffered -v '^\(Copying blob\|Copying config\|Writing manifest\|Storing signatures\|Getting image source\)' \
  | sed 's/^/   build: /' || true
"$ENGINE" image inspect "$IMAGE" >/dev/null 2>&1 || die "the build made no image $IMAGE"
log "build: done in $((SECONDS - build_start)) s; image size $("$ENGINE" image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.2f GB", $1/1e9}')"

# ---------------------------------------------------------------------------------------------
# 3. A container, checked from outside.
# ---------------------------------------------------------------------------------------------
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "the container $NAME is left running (KEEP=1): http://127.0.0.1:$PORT/lab?token=$TOKEN"
  else
    "$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
log "run: $ENGINE run -d -p $PORT:8888 -e JUPYTER_TOKEN=... $IMAGE"
# (Rootful podman without systemd says it cannot schedule the HEALTHCHECK's timer: left out
# here; `podman healthcheck run` below runs the check itself.)
"$ENGINE" run -d --name "$NAME" -p "$PORT:8888" -e "JUPYTER_TOKEN=$TOKEN" "$IMAGE" 2>&1 >/dev/null \
  | grep -v 'unable to get systemd connection' >&2 || true

url="http://127.0.0.1:$PORT"
for i in $(seq 1 120); do
  if curl -fsS -o /dev/null "$url/api" 2>/dev/null; then break; fi
  [ "$("$ENGINE" inspect --format '{{.State.Running}}' "$NAME")" = true ] \
    || { "$ENGINE" logs "$NAME" >&2; die "the container stopped"; }
  [ "$i" -lt 120 ] || { "$ENGINE" logs "$NAME" >&2; die "JupyterLab did not answer on $url within 120 s"; }
  sleep 1
done
log "JupyterLab answers on $url"
version="$(curl -fsS "$url/api" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')"
pass "GET /api: jupyter_server $version"
code="$(curl -s -o /dev/null -w '%{http_code}' "$url/api/kernelspecs")"
[ "$code" = 403 ] || die "GET /api/kernelspecs without the token answered $code, want 403"
pass "GET /api/kernelspecs without the token: 403"
page="$(curl -fsS "$url/lab?token=$TOKEN")"
grep -q 'jupyter-config-data' <<<"$page" && grep -q '"appName": "JupyterLab"' <<<"$page" \
  || die "GET /lab?token=... is not the JupyterLab page"
pass "GET /lab?token=...: the JupyterLab page"
specs="$(curl -fsS -H "Authorization: token $TOKEN" "$url/api/kernelspecs")"
python3 - "$specs" <<'PY' || die "the gonb kernel is not the lab's"
import json, sys
s = json.loads(sys.argv[1])
g = s["kernelspecs"].get("gonb")
assert g and g["spec"]["language"] == "go", s
print(f"   ok: kernel specs {sorted(s['kernelspecs'])}, default {s['default']}; gonb runs {g['spec']['argv'][0]}")
PY
contents="$(curl -fsS -H "Authorization: token $TOKEN" "$url/api/contents")"
python3 - "$contents" <<'PY' || die "the lab's root is not the example notebooks"
import json, sys
names = sorted(c["name"] for c in json.loads(sys.argv[1])["content"])
assert "00-charts.ipynb" in names and "01-training-curves.ipynb" in names, names
print(f"   ok: the lab's root holds {', '.join(n for n in names if n.endswith('.ipynb'))}")
PY
who="$("$ENGINE" exec "$NAME" id -un)"
[ "$who" != root ] || die "the container runs as root"
pass "runs as $who ($("$ENGINE" exec "$NAME" id -u)); $("$ENGINE" exec "$NAME" go version); GOEXPERIMENT=$("$ENGINE" exec "$NAME" go env GOEXPERIMENT)"
if [ "$ENGINE" = podman ]; then
  "$ENGINE" healthcheck run "$NAME" >/dev/null || die "HEALTHCHECK: unhealthy"
  pass "HEALTHCHECK: healthy ($("$ENGINE" image inspect --format '{{.Config.Healthcheck.Test}}' "$IMAGE"))"
else
  for i in $(seq 1 90); do
    h="$("$ENGINE" inspect --format '{{.State.Health.Status}}' "$NAME")"
    [ "$h" = healthy ] && break
    [ "$i" -lt 90 ] || die "HEALTHCHECK: $h after 90 s"
    sleep 1
  done
  pass "HEALTHCHECK: healthy"
fi

# execute NOTEBOOK_IN_CONTAINER OUT_ON_HOST [ENV...]: runs the notebook in the container with
# the gonb kernel, offline as far as Go modules go, and copies the executed notebook out.
execute() {
  local nb="$1" out="$2"
  shift 2
  local envs=(-e GOPROXY=off)
  for e in "$@"; do envs+=(-e "$e"); done
  # The kernel's own log goes to a file in the container; a failing cell is printed.
  "$ENGINE" exec "${envs[@]}" "$NAME" python /home/gonbviz/gonbviz/scripts/execute_notebook.py \
    "$nb" /tmp/executed.ipynb --timeout 600 --kernel-log /tmp/kernel.log 2>&1 \
    | sed 's/^/   /'
  "$ENGINE" cp "$NAME:/tmp/executed.ipynb" "$out"
}
tmp="$(mktemp -d)"
trap 'cleanup; rm -rf "$tmp"' EXIT

log "notebook 00: executing examples/notebooks/00-charts.ipynb in the container (gonb kernel, GOPROXY=off)"
execute /home/gonbviz/gonbviz/examples/notebooks/00-charts.ipynb "$tmp/00.ipynb" \
  || die "notebook 00 failed"
python3 - "$tmp/00.ipynb" <<'PY' || die "notebook 00's outputs are not as expected"
import json, sys
from datetime import datetime
nb = json.load(open(sys.argv[1]))
assert nb["metadata"]["kernelspec"]["name"] == "gonb", nb["metadata"]["kernelspec"]
charts, errors, times = 0, [], []
for i, c in enumerate(nb["cells"]):
    if c["cell_type"] != "code":
        continue
    ex = c.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" in ex and "shell.execute_reply" in ex:
        t = lambda k: datetime.fromisoformat(ex[k].replace("Z", "+00:00"))
        times.append(f"{(t('shell.execute_reply') - t('iopub.execute_input')).total_seconds():.1f}")
    for o in c.get("outputs", []):
        if o["output_type"] == "error":
            errors.append(f"cell {i}: {o['ename']}: {o['evalue']}")
        if "application/vnd.vegalite.v5+json" in o.get("data", {}):
            charts += 1
assert not errors, errors
assert charts >= 3, f"{charts} Vega-Lite outputs, want 3 or more"
print(f"   ok: kernel gonb, {charts} Vega-Lite chart outputs, no errors; cell times (s): {' '.join(times)}")
PY

log "starter notebook: gonbviz new, executed in the container (gonb kernel, GOPROXY=off)"
"$ENGINE" exec "$NAME" gonbviz new -gonbviz /home/gonbviz/gonbviz /tmp/first.ipynb | sed 's/^/   /'
execute /tmp/first.ipynb "$tmp/first.ipynb" || die "the starter notebook failed"
python3 - "$tmp/first.ipynb" xla <<'PY' || die "the starter notebook did not train on XLA's CPU plugin"
import json, sys
nb = json.load(open(sys.argv[1]))
lines, subtitles = [], []
for c in nb["cells"]:
    for o in c.get("outputs", []):
        if o["output_type"] == "error":
            raise SystemExit(f"error output: {o['ename']}: {o['evalue']}")
        text = o.get("text", "")
        text = "".join(text) if isinstance(text, list) else text
        lines += [l for l in text.splitlines() if l.startswith("backend: ")]
        spec = o.get("data", {}).get("application/vnd.vegalite.v5+json")
        if isinstance(spec, dict) and isinstance(spec.get("title"), dict):
            subtitles.append(str(spec["title"].get("subtitle", "")))
assert lines, "no backend line"
print(f"   backend line: {lines[0]}")
assert lines[0].startswith("backend: xla (CPU PJRT plugin "), lines[0]
dash = [s for s in subtitles if "steps/s" in s]
assert dash and "backend xla-cpu" in dash[-1], subtitles
print(f"   ok: the dashboard's progress line: {dash[-1]}")
PY

# ---------------------------------------------------------------------------------------------
# 4. GOMLX_BACKEND, given to `run`, reaches the cells.
# ---------------------------------------------------------------------------------------------
log "GOMLX_BACKEND: $ENGINE run -e GOMLX_BACKEND=go, a notebook printing the backend line"
python3 - "$tmp/backend.ipynb" <<'PY'
import json, sys
first = [
    "!*go mod edit -require=github.com/gonbviz/gonbviz@v0.0.0-00010101000000-000000000000 -replace=github.com/gonbviz/gonbviz=/home/gonbviz/gonbviz\n",
    "!*go get github.com/janpfeifer/gonb@v0.11.4 2>&1 | grep -v '^go: \\(added\\|downloading\\|upgraded\\|finding\\)' || true",
]
cell = [
    "import (\n", "\t\"fmt\"\n", "\n", "\t\"github.com/gonbviz/gonbviz/demo\"\n", ")\n", "\n", "%%\n",
    "_, reason, err := demo.Backend()\n", "if err != nil {\n", "\tfmt.Println(err)\n", "\treturn\n", "}\n",
    "fmt.Println(reason)",
]
code = lambda id, src: {"cell_type": "code", "id": id, "execution_count": None, "metadata": {}, "outputs": [], "source": src}
nb = {"cells": [code("setup", first), code("backend", cell)], "nbformat": 4, "nbformat_minor": 5,
      "metadata": {"kernelspec": {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}}}
json.dump(nb, open(sys.argv[1], "w"), indent=1)
PY
chmod a+rx "$tmp" && chmod a+r "$tmp/backend.ipynb" # the image's user reads it
"$ENGINE" run --rm -e GOMLX_BACKEND=go -e GOPROXY=off -v "$tmp:/work:Z" "$IMAGE" \
  bash -c 'cp /work/backend.ipynb /tmp/ && python scripts/execute_notebook.py /tmp/backend.ipynb /tmp/out.ipynb --timeout 300 --kernel-log /tmp/kernel.log >&2 && cat /tmp/out.ipynb' \
  2> >(grep -v 'unable to get systemd connection' | sed 's/^/   /' >&2) >"$tmp/backend.out.ipynb" || die "the backend notebook failed"
python3 - "$tmp/backend.out.ipynb" <<'PY' || die "GOMLX_BACKEND=go did not reach the cells"
import json, sys
nb = json.load(open(sys.argv[1]))
text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
line = next((l for l in text.splitlines() if l.startswith("backend: ")), "")
print(f"   backend line: {line}")
assert line == "backend: go (set by GOMLX_BACKEND)", text
PY
pass "GOMLX_BACKEND=go reached the kernel's cells"

log "all checks passed"
