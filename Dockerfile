# gonbviz in JupyterLab, for a class or anyone who wants it in one command: Go 1.26.8 with
# GOEXPERIMENT=simd, JupyterLab with the GoNB kernel, XLA's CPU PJRT plugin, and gonbviz with
# its example notebooks. The Go module cache, the Go build cache and gonbviz's bytecode cache
# are warm, so no cell downloads anything and the first chart cell takes seconds.
#
#   docker build -t gonbviz .
#   docker run --rm -p 8888:8888 gonbviz
#
# then open the http://127.0.0.1:8888/lab?token=... address the container prints (or pass
# -e JUPYTER_TOKEN=a-secret-of-yours and open http://127.0.0.1:8888/lab?token=a-secret-of-yours).
# -e GOMLX_BACKEND=go (or xla:cpu, xla:cuda) chooses the backend of every cell; without it,
# XLA's CPU plugin. The set-up is the scripts CI runs (scripts/setup-go.sh,
# scripts/setup-jupyter.sh, which runs scripts/setup-xla.sh, and scripts/warm-cache.sh).
#
# BASE is the Debian bookworm image to start from: the public debian:bookworm by default;
# scripts/docker-test.sh builds and tests this file from a bookworm made with debootstrap.
ARG BASE=debian:bookworm
FROM ${BASE}

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Debian's packages: Python 3.11 for JupyterLab, gcc for cgo (XLA's plugin is loaded through
# it), curl and unzip for the Go download, tini to reap the kernels' processes.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl unzip git gcc libc6-dev python3 python3-venv tini \
 && rm -rf /var/lib/apt/lists/*

# Go 1.26.8 from the Go module proxy, checked against its pinned SHA-256.
COPY scripts/setup-go.sh /tmp/setup-go.sh
RUN bash /tmp/setup-go.sh && rm /tmp/setup-go.sh

RUN useradd --create-home --uid 1000 --shell /bin/bash gonbviz
USER gonbviz
WORKDIR /home/gonbviz/gonbviz

# What scripts/jupyter-env.sh sets, and what every gonbviz build sets.
ENV GONBVIZ_VENV=/home/gonbviz/gonbviz/.venv \
    JUPYTER_DATA_DIR=/home/gonbviz/gonbviz/.venv/share/jupyter \
    JUPYTER_PATH=/home/gonbviz/gonbviz/.venv/share/jupyter \
    PATH=/home/gonbviz/gonbviz/.venv/bin:/usr/local/go/bin:/home/gonbviz/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    GOEXPERIMENT=simd \
    GOMLX_NO_AUTO_INSTALL=1 \
    PIP_NO_CACHE_DIR=1

# JupyterLab, goimports, the GoNB kernel and XLA's CPU plugin in the venv. Only the set-up
# scripts and their pins are copied for this step, so that a change to gonbviz's sources does
# not redo it (its cache warming waits for the sources: below).
COPY --chown=gonbviz:gonbviz scripts/setup-jupyter.sh scripts/setup-xla.sh \
     scripts/requirements-jupyter.txt scripts/requirements-xla.txt scripts/
RUN bash scripts/setup-jupyter.sh

# gonbviz's modules, then gonbviz itself with its example notebooks; the caches warmed as the
# notebooks' cells use them, and the gonbviz command (`gonbviz new NAME.ipynb`) on PATH.
COPY --chown=gonbviz:gonbviz go.mod go.sum ./
RUN go mod download
COPY --chown=gonbviz:gonbviz . .
RUN bash scripts/warm-cache.sh \
 && go build -o /home/gonbviz/go/bin/gonbviz ./cmd/gonbviz

EXPOSE 8888
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8888/api || exit 1

# JupyterLab on the example notebooks, listening on every interface of the container (the
# port is published with -p). Its token is JUPYTER_TOKEN when given, else a random one that
# the start-up log prints with the address to open.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--ServerApp.root_dir=/home/gonbviz/gonbviz/examples/notebooks"]
