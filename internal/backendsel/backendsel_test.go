// SPDX-License-Identifier: Apache-2.0

package backendsel

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// fakeTree is a temporary directory standing in for "/".
type fakeTree struct {
	t    *testing.T
	root string
}

func newTree(t *testing.T) *fakeTree {
	return &fakeTree{t: t, root: t.TempDir()}
}

// plugin writes a fake shared library at path (as seen from the fake "/"): the ELF header of a
// shared library for this machine and nothing else, so Select takes it and dlopen refuses it.
func (f *fakeTree) plugin(path string) {
	f.write(path, string(elfHeader(elfMachines[runtime.GOARCH])))
}

// elfHeader is a 64-bit little-endian ELF header of a shared library for machine, with no
// program or section headers.
func elfHeader(machine elf.Machine) []byte {
	h := elf.Header64{Type: uint16(elf.ET_DYN), Machine: uint16(machine), Version: uint32(elf.EV_CURRENT), Ehsize: 64}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	var b bytes.Buffer
	if err := binary.Write(&b, binary.LittleEndian, &h); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func (f *fakeTree) write(path, content string) {
	f.t.Helper()
	full := filepath.Join(f.root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeTree) mkdir(path string) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Join(f.root, path), 0o755); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeTree) symlink(target, path string) {
	f.t.Helper()
	if err := os.Symlink(target, filepath.Join(f.root, path)); err != nil {
		f.t.Fatal(err)
	}
}

// env returns an Env over the tree with the given variables (HOME=/home/u unless given) and GPU answer
// (nil: the default check, which looks under the tree).
func (f *fakeTree) env(vars map[string]string, gpu *bool) Env {
	e := Env{
		FSRoot: f.root,
		Getenv: func(name string) string {
			if v, ok := vars[name]; ok {
				return v
			}
			if name == "HOME" {
				return "/home/u"
			}
			return ""
		},
	}
	if gpu != nil {
		g := *gpu
		e.HasNVIDIA = func() bool { return g }
	}
	return e
}

// strip removes the tree's root from s, so paths read as in the fake "/".
func (f *fakeTree) strip(s string) string { return strings.ReplaceAll(s, f.root, "") }

func (f *fakeTree) stripAll(list []string) []string {
	var out []string
	for _, s := range list {
		out = append(out, f.strip(s))
	}
	return out
}

var (
	yes = ptr(true)
	no  = ptr(false)
)

func ptr(b bool) *bool { return &b }

const (
	goSuffix       = "; GOMLX_BACKEND overrides"
	noPluginReason = "pure Go; no XLA PJRT plugin found; " + InstallHint
	jax12          = "/x/.venv/lib/python3.12/site-packages/jax_plugins/xla_cuda12/xla_cuda_plugin.so"
	jax13          = "/x/.venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so"
)

func needXLA(t *testing.T) {
	if !XLACompiledIn {
		t.Skip("XLA not compiled in (-tags noxla or CGO_ENABLED=0)")
	}
}

func check(t *testing.T, f *fakeTree, c Choice, wantKind, wantLine string, wantSkipped []string) {
	t.Helper()
	if c.Kind != wantKind {
		t.Errorf("Kind = %q, want %q", c.Kind, wantKind)
	}
	if got := f.strip(c.String()); got != wantLine {
		t.Errorf("String():\n got %s\nwant %s", got, wantLine)
	}
	if got := f.stripAll(c.Skipped); !slices.Equal(got, wantSkipped) {
		t.Errorf("Skipped:\n got %q\nwant %q", got, wantSkipped)
	}
	switch c.Kind {
	case KindXLACUDA, KindXLACPU:
		if c.Config != "xla:"+c.Plugin || !filepath.IsAbs(c.Plugin) || !strings.HasPrefix(c.Plugin, f.root) {
			t.Errorf("Config %q, Plugin %q: want xla:<absolute real path>", c.Config, c.Plugin)
		}
	case KindGo:
		if c.Config != "go" || c.Plugin != "" {
			t.Errorf("Config %q, Plugin %q: want go and no plugin", c.Config, c.Plugin)
		}
	}
}

func TestNothingFound(t *testing.T) {
	f := newTree(t)
	f.mkdir("/home/u/.local/lib/go-xla")
	f.mkdir("/usr/lib/python3/dist-packages")
	c := Select(f.env(nil, yes))
	check(t, f, c, KindGo, "backend: go ("+noPluginReason+")"+goSuffix, nil)
}

func TestJAXInVirtualEnvNewestCUDAFirst(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin(jax12)
	f.plugin(jax13)
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, yes))
	check(t, f, c, KindXLACUDA,
		"backend: xla (CUDA PJRT plugin "+jax13+" from JAX in VIRTUAL_ENV=/x/.venv; NVIDIA GPU present)"+goSuffix,
		[]string{jax12 + ": another CUDA plugin comes first"})
}

func TestNoGPUSkipsCUDA(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin(jax12)
	f.plugin(jax13)
	// The default check finds no /dev/nvidia0 and no /proc/driver/nvidia/gpus under the tree.
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, nil))
	check(t, f, c, KindGo,
		"backend: go (pure Go; no usable XLA PJRT plugin, skipped "+jax13+": "+noGPUReason+", and 1 more)"+goSuffix,
		[]string{jax13 + ": " + noGPUReason, jax12 + ": " + noGPUReason})
}

func TestDefaultNVIDIACheck(t *testing.T) {
	needXLA(t)
	for _, gpuFile := range []string{"/dev/nvidia0", "/proc/driver/nvidia/gpus/0000:00:1e.0/information"} {
		f := newTree(t)
		f.plugin(jax13)
		f.write(gpuFile, "")
		f.write("/dev/nvidiactl", "") // control devices alone do not count; here a GPU is there anyway
		c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, nil))
		check(t, f, c, KindXLACUDA,
			"backend: xla (CUDA PJRT plugin "+jax13+" from JAX in VIRTUAL_ENV=/x/.venv; NVIDIA GPU present)"+goSuffix, nil)
	}
	// /dev/nvidiactl without /dev/nvidia<N>: no GPU.
	f := newTree(t)
	f.plugin(jax13)
	f.write("/dev/nvidiactl", "")
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, nil))
	if c.Kind != KindGo {
		t.Errorf("with only /dev/nvidiactl: %s", f.strip(c.String()))
	}
}

func TestPJRTPluginLibraryPathFile(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin("/opt/pjrt/xla_cuda_plugin.so")
	f.plugin(jax13) // lower priority than the explicit variable
	c := Select(f.env(map[string]string{
		"PJRT_PLUGIN_LIBRARY_PATH": "/opt/pjrt/xla_cuda_plugin.so",
		"VIRTUAL_ENV":              "/x/.venv",
	}, yes))
	check(t, f, c, KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /opt/pjrt/xla_cuda_plugin.so from PJRT_PLUGIN_LIBRARY_PATH; NVIDIA GPU present)"+goSuffix,
		[]string{jax13 + ": another CUDA plugin comes first"})
}

func TestPJRTPluginLibraryPathDir(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin("/opt/pjrt/pjrt_c_api_cuda_plugin.so")
	f.plugin("/opt/pjrt/pjrt_c_api_cpu_plugin.so")
	f.mkdir("/opt/empty")
	c := Select(f.env(map[string]string{"PJRT_PLUGIN_LIBRARY_PATH": "/nope:/opt/empty::/opt/pjrt"}, yes))
	check(t, f, c, KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /opt/pjrt/pjrt_c_api_cuda_plugin.so from PJRT_PLUGIN_LIBRARY_PATH; NVIDIA GPU present)"+goSuffix,
		[]string{
			"PJRT_PLUGIN_LIBRARY_PATH entry /nope: not found",
			"PJRT_PLUGIN_LIBRARY_PATH entry /opt/empty: no PJRT plugin in it",
			"/opt/pjrt/pjrt_c_api_cpu_plugin.so: a CUDA plugin is preferred",
		})

	// Without a GPU the CPU plugin of the same directory is taken.
	c = Select(f.env(map[string]string{"PJRT_PLUGIN_LIBRARY_PATH": "/opt/pjrt"}, no))
	check(t, f, c, KindXLACPU,
		"backend: xla (CPU PJRT plugin /opt/pjrt/pjrt_c_api_cpu_plugin.so from PJRT_PLUGIN_LIBRARY_PATH; skipped /opt/pjrt/pjrt_c_api_cuda_plugin.so: "+noGPUReason+")"+goSuffix,
		[]string{"/opt/pjrt/pjrt_c_api_cuda_plugin.so: " + noGPUReason})
}

func TestGoXLAInstallDirCPU(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	// go-xla's installer layout: versioned CPU plugin plus a symlink, CUDA plugin under nvidia/.
	f.plugin("/home/u/.local/lib/go-xla/pjrt_c_api_cpu_v0.83.1_plugin.so")
	f.symlink("pjrt_c_api_cpu_v0.83.1_plugin.so", "/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so")
	f.plugin("/home/u/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so")

	c := Select(f.env(nil, no))
	check(t, f, c, KindXLACPU,
		"backend: xla (CPU PJRT plugin /home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so from go-xla's install dir /home/u/.local/lib/go-xla; "+
			"skipped /home/u/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so: "+noGPUReason+")"+goSuffix,
		[]string{"/home/u/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so: " + noGPUReason})

	c = Select(f.env(nil, yes))
	check(t, f, c, KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /home/u/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so from go-xla's install dir /home/u/.local/lib/go-xla; NVIDIA GPU present)"+goSuffix,
		[]string{"/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so: a CUDA plugin is preferred"})
}

func TestSystemGoXLADir(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin("/usr/local/lib/go-xla/pjrt_c_api_cpu_plugin.so")
	c := Select(f.env(nil, no))
	check(t, f, c, KindXLACPU,
		"backend: xla (CPU PJRT plugin /usr/local/lib/go-xla/pjrt_c_api_cpu_plugin.so from go-xla's install dir /usr/local/lib/go-xla)"+goSuffix, nil)
}

func TestGOMLXBackendWins(t *testing.T) {
	f := newTree(t)
	f.plugin(jax13)
	for _, tc := range []struct{ value, plugin string }{
		{"xla:cuda", ""},
		{"go", ""},
		{"xla:/opt/p/xla_cuda_plugin.so,preallocate=true", "/opt/p/xla_cuda_plugin.so"},
	} {
		c := Select(f.env(map[string]string{"GOMLX_BACKEND": tc.value, "VIRTUAL_ENV": "/x/.venv"}, yes))
		check(t, f, c, KindEnv, "backend: "+tc.value+" (set by GOMLX_BACKEND)", nil)
		if c.Config != tc.value || c.Plugin != tc.plugin {
			t.Errorf("GOMLX_BACKEND=%s: Config %q Plugin %q", tc.value, c.Config, c.Plugin)
		}
	}
}

func TestPythonLocations(t *testing.T) {
	needXLA(t)
	const sp = "/lib/python3.11/site-packages/jax_plugins/xla_cuda12/xla_cuda_plugin.so"
	for _, tc := range []struct {
		name, plugin, from string
		vars               map[string]string
		dir                string
	}{
		{"conda", "/opt/conda" + sp, "JAX in CONDA_PREFIX=/opt/conda", map[string]string{"CONDA_PREFIX": "/opt/conda"}, ""},
		{"repo .venv above Dir", "/repo/.venv" + sp, "JAX in /repo/.venv", nil, "/repo/cmd/tool"},
		{"python3 on PATH", "/opt/py/lib/python3.11/site-packages/jax_plugins/xla_cuda12/xla_cuda_plugin.so", "JAX in /opt/py",
			map[string]string{"PATH": "/usr/bin:/opt/py/bin:relative/bin"}, ""},
		{"user site-packages", "/home/u/.local" + sp, "JAX in /home/u/.local", nil, ""},
		{"pyenv", "/home/u/.pyenv/versions/3.11.7" + sp, "JAX in /home/u/.pyenv/versions/3.11.7", nil, ""},
		{"PYENV_ROOT", "/opt/pyenv/versions/3.12.1" + sp, "JAX in /opt/pyenv/versions/3.12.1", map[string]string{"PYENV_ROOT": "/opt/pyenv"}, ""},
		{"/usr/local", "/usr/local/lib/python3.11/dist-packages/jax_plugins/xla_cuda12/xla_cuda_plugin.so", "JAX in /usr/local", nil, ""},
		{"/usr", "/usr/lib/python3/dist-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so", "JAX in /usr", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newTree(t)
			f.plugin(tc.plugin)
			f.mkdir("/repo/cmd/tool")
			f.write("/opt/py/bin/python3.11", "")
			f.write("/usr/bin/python3", "")
			env := f.env(tc.vars, yes)
			env.Dir = tc.dir
			check(t, f, Select(env), KindXLACUDA,
				"backend: xla (CUDA PJRT plugin "+tc.plugin+" from "+tc.from+"; NVIDIA GPU present)"+goSuffix, nil)
		})
	}
}

func TestSearchOrder(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	paths := []string{
		"/roots/extra/xla_cuda_plugin.so",                                              // Env.Roots
		"/venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so", // VIRTUAL_ENV
		"/conda/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/repo/.venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/opt/py/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so", // python3 on PATH
		"/home/u/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so",
		"/home/u/.local/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/home/u/.pyenv/versions/3.12.0/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/usr/local/lib/python3.12/dist-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/usr/lib/python3/dist-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so",
		"/ld/pjrt_c_api_cuda_plugin.so",
	}
	for _, p := range paths {
		f.plugin(p)
	}
	f.write("/opt/py/bin/python3", "")
	env := f.env(map[string]string{"VIRTUAL_ENV": "/venv", "CONDA_PREFIX": "/conda", "LD_LIBRARY_PATH": "/ld", "PATH": "/opt/py/bin"}, yes)
	env.Roots = []string{"/roots/extra", "/roots/missing"}
	env.Dir = "/repo"
	c := Select(env)
	want := []string{"extra root /roots/missing: not a directory"}
	for _, p := range paths[1:] {
		want = append(want, p+": another CUDA plugin comes first")
	}
	check(t, f, c, KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /roots/extra/xla_cuda_plugin.so from extra root /roots/extra; NVIDIA GPU present)"+goSuffix, want)
}

func TestExtraRootLayouts(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin("/sp/jax_plugins/xla_cuda12/xla_cuda_plugin.so")
	env := f.env(nil, yes)
	env.Roots = []string{"/sp"} // a site-packages directory
	check(t, f, Select(env), KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /sp/jax_plugins/xla_cuda12/xla_cuda_plugin.so from JAX in /sp; NVIDIA GPU present)"+goSuffix, nil)

	g := newTree(t)
	g.plugin("/env/lib/python3.13/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so")
	env = g.env(nil, yes)
	env.Roots = []string{"/env"} // a Python prefix
	check(t, g, Select(env), KindXLACUDA,
		"backend: xla (CUDA PJRT plugin /env/lib/python3.13/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so from JAX in /env; NVIDIA GPU present)"+goSuffix, nil)
}

func TestUnusableFiles(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.write(jax13, "not a shared library")
	f.plugin("/home/u/.local/lib/go-xla/pjrt_c_api_tpu_plugin.so")
	f.symlink("/nowhere.so", "/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so")
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, yes))
	want := []string{
		jax13 + ": not an ELF shared library",
		"/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so: cannot read: stat " + f.root + "/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so: no such file or directory",
		"/home/u/.local/lib/go-xla/pjrt_c_api_tpu_plugin.so: neither a CUDA nor a CPU plugin; force it with GOMLX_BACKEND=xla:" + f.root + "/home/u/.local/lib/go-xla/pjrt_c_api_tpu_plugin.so",
	}
	for i := range want {
		want[i] = f.strip(want[i])
	}
	check(t, f, c, KindGo,
		"backend: go (pure Go; no usable XLA PJRT plugin, skipped "+jax13+": not an ELF shared library, and 2 more)"+goSuffix, want)
}

func TestNoXLACompiledIn(t *testing.T) {
	if XLACompiledIn {
		t.Skip("XLA compiled in; run with -tags noxla")
	}
	f := newTree(t)
	f.plugin(jax13)
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, yes))
	check(t, f, c, KindGo,
		"backend: go (pure Go; no usable XLA PJRT plugin, skipped "+jax13+": "+noXLAReason+")"+goSuffix,
		[]string{jax13 + ": " + noXLAReason})
}

func TestZeroEnv(t *testing.T) {
	// The zero Env reads no variables; it still looks at the real system locations, so only the kind
	// is predictable: never "env".
	if c := Select(Env{}); c.Kind == KindEnv || c.Config == "" || c.Reason == "" {
		t.Errorf("Select(Env{}) = %+v", c)
	}
}

// The CPU plugin of a pip package in the repository's .venv is found and named with its
// package and version; pointed at by PJRT_PLUGIN_LIBRARY_PATH (as the GoNB kernel's
// environment does), it is named the same way.
func TestPipCPUPlugin(t *testing.T) {
	needXLA(t)
	const (
		site   = "/repo/.venv/lib/python3.11/site-packages"
		plugin = site + "/lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so"
		other  = site + "/xla_plugins/xla_cpu_pjrt/xla_cpu_pjrt.so"
	)
	f := newTree(t)
	f.plugin(plugin)
	f.plugin(other)
	f.write(site+"/lammps_jax_pjrt_cpu-0.11.2.dist-info/METADATA",
		"Metadata-Version: 2.4\nName: lammps-jax-pjrt-cpu\nVersion: 0.11.2\n\nVersion: not a header\n")
	f.write(site+"/xla_cpu_pjrt-0.0.1.dist-info/METADATA", "Name: xla_cpu_pjrt\nVersion: 0.0.1\n")
	f.mkdir("/repo/cmd")
	env := f.env(nil, no)
	env.Dir = "/repo/cmd"
	check(t, f, Select(env), KindXLACPU,
		"backend: xla (CPU PJRT plugin "+plugin+" (pip package lammps-jax-pjrt-cpu 0.11.2) from /repo/.venv; skipped "+
			other+": another CPU plugin comes first)"+goSuffix,
		[]string{other + ": another CPU plugin comes first"})

	env = f.env(map[string]string{"PJRT_PLUGIN_LIBRARY_PATH": site + "/xla_plugins/xla_cpu_pjrt"}, no)
	check(t, f, Select(env), KindXLACPU,
		"backend: xla (CPU PJRT plugin "+other+" (pip package xla_cpu_pjrt 0.0.1) from PJRT_PLUGIN_LIBRARY_PATH)"+goSuffix, nil)
}

// What the ELF header shows is said before anything is loaded.
func TestELFHeaderProblems(t *testing.T) {
	needXLA(t)
	other := elf.EM_AARCH64
	if runtime.GOARCH == "arm64" {
		other = elf.EM_X86_64
	}
	header := elfHeader(elfMachines[runtime.GOARCH])
	withShoff := func(off uint64) string {
		h := slices.Clone(header)
		binary.LittleEndian.PutUint64(h[40:], off) // e_shoff
		binary.LittleEndian.PutUint16(h[60:], 3)   // e_shnum
		binary.LittleEndian.PutUint16(h[58:], 64)  // e_shentsize
		return string(h)
	}
	exec := slices.Clone(header)
	exec[16] = byte(elf.ET_EXEC)
	thirtyTwo := slices.Clone(header)
	thirtyTwo[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	for _, tc := range []struct{ name, content, want string }{
		{"other machine", string(elfHeader(other)), "built for " + machineName(other) + ", this is " + runtime.GOARCH},
		{"32-bit", string(thirtyTwo), "a ELFCLASS32 ELFDATA2LSB ELF file; this is a 64-bit little-endian " + runtime.GOARCH + " process"},
		{"executable", string(exec), "not a shared library (ELF type ET_EXEC)"},
		{"cut in the header", string(header[:40]), "truncated: 40 bytes, shorter than an ELF header"},
		{"cut before the section headers", withShoff(1000), "truncated: its section headers end at byte 1192, the file has 64"},
		{"whole", withShoff(64) + strings.Repeat("\x00", 192), ""},
	} {
		f := newTree(t)
		f.write("/p/pjrt_c_api_cpu_plugin.so", tc.content)
		got := elfProblem(filepath.Join(f.root, "/p/pjrt_c_api_cpu_plugin.so"))
		if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
