// SPDX-License-Identifier: Apache-2.0

// Package backendsel picks the GoMLX compute backend for gonbviz and says, in one line, what it
// chose and why.
//
// Order (first match wins):
//
//  1. GOMLX_BACKEND, when set and not empty: honoured exactly (Kind "env").
//  2. XLA with a CUDA PJRT plugin (Kind "xla-cuda"), only when an NVIDIA GPU seems present
//     (a /dev/nvidia<N> device or an entry in /proc/driver/nvidia/gpus). Plugins are looked for,
//     in this order, in: PJRT_PLUGIN_LIBRARY_PATH (":"-separated; each entry a plugin file or a
//     directory), Env.Roots, JAX's jax_plugins/xla_cuda*/xla_cuda_plugin.so in the Python
//     environments $VIRTUAL_ENV, $CONDA_PREFIX, the nearest .venv above Env.Dir and the prefixes
//     of the python3 interpreters on $PATH (/usr and /usr/local excepted), go-xla's install
//     directories (~/.local/lib/go-xla, its nvidia/ subdirectory, ~/.local/lib/gomlx/pjrt,
//     /usr/local/lib/go-xla, /usr/local/lib/gomlx/pjrt), the user's
//     ~/.local/lib/python3*/site-packages, pyenv's $PYENV_ROOT (or ~/.pyenv)/versions/*,
//     /usr/local/lib/python3*/{site,dist}-packages, /usr/lib/python3*/{site,dist}-packages and
//     finally LD_LIBRARY_PATH. Within a directory the newest CUDA major version comes first
//     (xla_cuda13 before xla_cuda12).
//  3. XLA with a CPU PJRT plugin (Kind "xla-cpu") from the same places: go-xla's file names
//     (pjrt_c_api_cpu*_plugin.so), and in site-packages the plugins of the PyPI packages that
//     ship one (lammps-jax-pjrt-cpu, which scripts/setup-xla.sh installs into the repository's
//     .venv; fastatomstruct-xla-cpu; xla-cpu-pjrt). A plugin installed by pip is named in the
//     reason with its package and version, read from the dist-info beside it.
//  4. The pure-Go backend (Kind "go").
//
// A plugin file is skipped, with the reason, when its ELF header shows it cannot be loaded here:
// not a shared library, another architecture, or cut short (the loader would die of SIGBUS on a
// truncated file). New then opens the plugin and refuses PJRT C API versions go-xla cannot speak
// before go-xla loads it.
//
// Nothing is ever downloaded: Select only looks at files, and New turns go-xla's auto-install off
// (the GOMLX_NO_AUTO_INSTALL semantics) before creating an XLA backend, also when GOMLX_BACKEND
// names a plugin by name ("xla:cuda"). Installing plugins is left to set-up scripts and the user;
// the reasons say how (InstallHint).
//
// XLA is compiled in by default where go-xla supports it and cgo is on (it needs a C compiler at
// build time only: go-xla ships the PJRT C header and dlopens the plugin .so at run time). Build
// with -tags noxla, or CGO_ENABLED=0, for a binary with the pure-Go backend alone; then XLACompiledIn
// is false and every plugin found is skipped with that reason.
//
// Select is pure discovery (it reads the filesystem, nothing else) and is tested on fake trees via
// Env.FSRoot; Default runs it on the real environment; New creates the backend, checks it with a
// tiny computation and falls back to the pure-Go backend when an XLA plugin fails, unless the choice
// came from GOMLX_BACKEND.
package backendsel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
)

// Kinds of Choice.
const (
	KindGo      = "go"       // the pure-Go backend (github.com/gomlx/compute/gobackend)
	KindXLACUDA = "xla-cuda" // XLA with a CUDA PJRT plugin
	KindXLACPU  = "xla-cpu"  // XLA with a CPU PJRT plugin
	KindEnv     = "env"      // whatever GOMLX_BACKEND says, verbatim
)

// Environment variables read by Select.
const (
	BackendEnvVar    = "GOMLX_BACKEND"            // compute.ConfigEnvVar
	PluginPathEnvVar = "PJRT_PLUGIN_LIBRARY_PATH" // go-xla's plugin search path
	NoAutoInstallVar = "GOMLX_NO_AUTO_INSTALL"    // go-xla: no downloads (New always behaves as if set)
)

// Env is what Select looks at. The zero value is valid: no environment variables, no .venv
// search, the real filesystem and the default NVIDIA check.
type Env struct {
	// Getenv reads an environment variable; nil reads none (every variable is "").
	Getenv func(string) string

	// Roots are extra search roots, searched right after PJRT_PLUGIN_LIBRARY_PATH. Each may be a
	// directory holding plugin files (go-xla names or xla_cuda_plugin.so), a site-packages
	// directory (holding jax_plugins/), or a Python environment prefix (holding lib/python3*/...).
	Roots []string

	// Dir is where the search for a project .venv starts: Dir/.venv, then each parent's .venv; the
	// nearest one is searched. Empty: no .venv search.
	Dir string

	// FSRoot, when not empty, is prefixed to every path Select reads: the values of environment
	// variables, Roots, Dir and the fixed system locations (/usr/lib, /dev/nvidia0, ...). It makes a
	// temporary directory look like "/" in tests. Paths in the Choice are real paths, FSRoot
	// included, so New can load them.
	FSRoot string

	// HasNVIDIA reports whether an NVIDIA GPU seems present; it is called only when a CUDA plugin
	// was found. Nil: look for /dev/nvidia<N> or an entry in /proc/driver/nvidia/gpus (under FSRoot).
	HasNVIDIA func() bool
}

// Choice is the outcome of Select (or, as "used", of New).
type Choice struct {
	// Config is what to give compute.NewWithConfig: "go", "xla:/abs/path/plugin.so", or
	// GOMLX_BACKEND verbatim (Kind "env").
	Config string
	// Kind is one of KindGo, KindXLACUDA, KindXLACPU, KindEnv.
	Kind string
	// Plugin is the absolute path of the PJRT plugin for XLA kinds (and for Kind "env" when
	// GOMLX_BACKEND is "xla:/abs/path..."); empty otherwise.
	Plugin string
	// Reason says why, in one phrase without newlines.
	Reason string
	// Skipped lists the candidates considered and passed over, each as "path: why not", in search order.
	Skipped []string
}

// String is the one-line report, e.g.
//
//	backend: xla (CUDA PJRT plugin /x/.venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so from JAX in VIRTUAL_ENV=/x/.venv; NVIDIA GPU present); GOMLX_BACKEND overrides
//	backend: go (pure Go; no XLA PJRT plugin found; ...); GOMLX_BACKEND overrides
//	backend: xla:cuda (set by GOMLX_BACKEND)
func (c Choice) String() string {
	switch c.Kind {
	case KindEnv:
		return fmt.Sprintf("backend: %s (%s)", c.Config, c.Reason)
	case KindXLACUDA, KindXLACPU:
		return fmt.Sprintf("backend: xla (%s); %s overrides", c.Reason, BackendEnvVar)
	default:
		return fmt.Sprintf("backend: go (%s); %s overrides", c.Reason, BackendEnvVar)
	}
}

// Default is Select on the real environment: os.Getenv, the working directory for the .venv
// search, the real filesystem and NVIDIA check.
func Default() Choice {
	dir, _ := os.Getwd()
	return Select(Env{Getenv: os.Getenv, Dir: dir})
}

// CPU is Select on the real environment for XLA on the CPU alone: the working directory's
// .venv searched as by Default, GOMLX_BACKEND ignored and no GPU assumed. Its Kind is
// KindXLACPU when a CPU plugin was found. Tests and benchmarks that compare backends use it.
func CPU() Choice {
	dir, _ := os.Getwd()
	return Select(Env{
		Getenv: func(name string) string {
			if name == BackendEnvVar {
				return ""
			}
			return os.Getenv(name)
		},
		Dir:       dir,
		HasNVIDIA: func() bool { return false },
	})
}

// Select chooses a backend; see the package documentation for the order. It has no side effects
// beyond reading files (it never loads a plugin, never downloads, never sets a variable).
func Select(env Env) Choice {
	e := &env
	if v := e.getenv(BackendEnvVar); v != "" {
		return Choice{Config: v, Kind: KindEnv, Plugin: envPlugin(v), Reason: "set by " + BackendEnvVar}
	}
	f := &finder{env: e, seen: map[string]bool{}}
	f.search()
	return f.choose()
}

// envPlugin returns the plugin path in a GOMLX_BACKEND value like "xla:/abs/p.so,opt=1", if any.
func envPlugin(config string) string {
	name, rest, ok := strings.Cut(config, ":")
	if !ok {
		return ""
	}
	switch name {
	case "xla", "stablehlo", "hlo", "shlo":
	default:
		return ""
	}
	plugin, _, _ := strings.Cut(rest, ",")
	if strings.HasPrefix(plugin, "/") {
		return plugin
	}
	return ""
}

func (e *Env) getenv(name string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(name)
}

// oneLine squeezes an error message (which may span lines) into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Label names a backend as the progress line and run metadata show it: "go" for the
// pure-Go backend, "xla-cpu" or "xla-cuda" for XLA with a CPU or CUDA PJRT plugin, else the
// backend's own name.
func Label(b compute.Backend) string {
	name := strings.ToLower(b.Name())
	if name == "go" || strings.HasPrefix(name, "go ") || strings.HasPrefix(name, "go:") || strings.Contains(name, "simplego") {
		return "go"
	}
	if p, ok := b.(interface{ PluginName() string }); ok {
		plugin := strings.ToLower(filepath.Base(p.PluginName()))
		switch {
		case strings.Contains(plugin, "cuda") || strings.Contains(plugin, "nvidia"):
			return name + "-cuda"
		case strings.Contains(plugin, "cpu"):
			return name + "-cpu"
		}
	}
	return name
}
