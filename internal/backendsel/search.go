// SPDX-License-Identifier: Apache-2.0

package backendsel

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Plugin classes.
const (
	classCUDA  = "CUDA"
	classCPU   = "CPU"
	classOther = "other"
)

// pluginDirPatterns are the plugin file names looked for in a plugin directory: go-xla's names
// (pjrt/dynamiclib_base.go), JAX's name, go-xla's CUDA install layout (lib/go-xla/nvidia/) and
// the names of the pip packages' CPU plugins.
var pluginDirPatterns = []string{
	"pjrt_c_api_*_plugin.so",
	"pjrt-plugin-*.so",
	"pjrt_plugin_*.so",
	"xla_cuda_plugin.so",
	"nvidia/pjrt_c_api_cuda_plugin.so",
	"libpjrt_cpu.so",  // fastatomstruct-xla-cpu's name (pipCPUPlugins)
	"xla_cpu_pjrt.so", // xla-cpu-pjrt's
}

// jaxPattern is where JAX's CUDA PJRT plugin lies inside site-packages (packages jax-cuda12-pjrt,
// jax-cuda13-pjrt).
const jaxPattern = "jax_plugins/xla_cuda*/xla_cuda_plugin.so"

// pipCPUPlugins are where PyPI packages that ship XLA's CPU PJRT plugin put it inside
// site-packages, the one scripts/setup-xla.sh installs first (PyPI's jaxlib exports no
// GetPjrtApi, so JAX itself brings none).
var pipCPUPlugins = []string{
	"lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so", // lammps-jax-pjrt-cpu
	"fastatomstruct_xla_cpu/libpjrt_cpu.so",        // fastatomstruct-xla-cpu
	"xla_plugins/xla_cpu_pjrt/xla_cpu_pjrt.so",     // xla-cpu-pjrt
}

// sitePackagesPatterns are the site-packages directories of a Python prefix.
var sitePackagesPatterns = []string{
	"lib/python3*/site-packages",
	"lib/python3*/dist-packages",
	"lib64/python3*/site-packages",
}

const noGPUReason = "no NVIDIA GPU found (no /dev/nvidia<N>, nothing in /proc/driver/nvidia/gpus)"

const noXLAReason = "XLA backend not compiled in (built with -tags noxla or CGO_ENABLED=0)"

// InstallHint says how to get XLA plugins; it ends the reason of a Go choice.
const InstallHint = `for XLA on the CPU: bash scripts/setup-xla.sh in a gonbviz checkout (pip install --no-deps lammps-jax-pjrt-cpu==0.11.2 into the project's .venv); ` +
	`for an NVIDIA GPU: pip install "jax[cuda13]" into a venv; or set PJRT_PLUGIN_LIBRARY_PATH to a PJRT plugin`

type candidate struct {
	path  string // as found (absolute)
	class string // classCUDA, classCPU, classOther
	from  string // where, for the reason: "JAX in VIRTUAL_ENV=/x", "go-xla's install dir /d", ...
	pkg   string // the pip package that installed it, "name version", if its dist-info is beside it
	skip  string // set by choose
}

type finder struct {
	env   *Env
	seen  map[string]bool // real paths of candidates already listed
	cands []candidate
	notes []string // skipped search locations given explicitly (PJRT_PLUGIN_LIBRARY_PATH, Roots)
	home  string
}

// p maps a path as the environment sees it to the path read (under FSRoot), absolute.
func (f *finder) p(path string) string {
	if f.env.FSRoot != "" {
		return filepath.Join(f.env.FSRoot, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func (f *finder) search() {
	e := f.env
	if h := e.getenv("HOME"); h != "" {
		f.home = h
	}

	// 1. PJRT_PLUGIN_LIBRARY_PATH: files or directories.
	for _, entry := range strings.Split(e.getenv(PluginPathEnvVar), ":") {
		if entry == "" {
			continue
		}
		path := f.p(entry)
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			f.notes = append(f.notes, fmt.Sprintf("%s entry %s: not found", PluginPathEnvVar, path))
		case fi.IsDir():
			if f.scanPluginDir(path, PluginPathEnvVar) == 0 && f.scanSitePackages(path, PluginPathEnvVar) == 0 {
				f.notes = append(f.notes, fmt.Sprintf("%s entry %s: no PJRT plugin in it", PluginPathEnvVar, path))
			}
		default:
			f.add(path, PluginPathEnvVar)
		}
	}

	// 2. Extra roots.
	for _, root := range e.Roots {
		path := f.p(root)
		if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
			f.notes = append(f.notes, fmt.Sprintf("extra root %s: not a directory", path))
			continue
		}
		n := f.scanPluginDir(path, "extra root "+path)
		n += f.scanSitePackages(path, path)
		n += f.scanPythonPrefix(path, path)
		if n == 0 {
			f.notes = append(f.notes, fmt.Sprintf("extra root %s: no PJRT plugin in it", path))
		}
	}

	// 3. Active Python environments.
	if v := e.getenv("VIRTUAL_ENV"); v != "" {
		f.scanPythonPrefix(f.p(v), "VIRTUAL_ENV="+f.p(v))
	}
	if v := e.getenv("CONDA_PREFIX"); v != "" {
		f.scanPythonPrefix(f.p(v), "CONDA_PREFIX="+f.p(v))
	}
	if venv := f.nearestVenv(); venv != "" {
		f.scanPythonPrefix(venv, venv)
	}
	// Prefixes of the Python interpreters on PATH (.../bin/python3*), the system ones excepted
	// (they come last, below).
	for _, d := range strings.Split(e.getenv("PATH"), ":") {
		if !filepath.IsAbs(d) || filepath.Base(d) != "bin" {
			continue
		}
		prefix := filepath.Dir(d)
		if prefix == "/" || prefix == "/usr" || prefix == "/usr/local" {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(f.p(d), "python3*")); len(m) > 0 {
			f.scanPythonPrefix(f.p(prefix), f.p(prefix))
		}
	}

	// 4. go-xla's install directories (pjrt/dynamiclib_posix.go, installer/).
	var goxla []string
	if f.home != "" {
		goxla = append(goxla, filepath.Join(f.home, ".local/lib/go-xla"), filepath.Join(f.home, ".local/lib/gomlx/pjrt"))
	}
	goxla = append(goxla, "/usr/local/lib/go-xla", "/usr/local/lib/gomlx/pjrt")
	for _, d := range goxla {
		f.scanPluginDir(f.p(d), "go-xla's install dir "+f.p(d))
	}

	// 5. User Python (site-packages, pyenv versions) and system Python.
	var prefixes []string
	if f.home != "" {
		prefixes = append(prefixes, filepath.Join(f.home, ".local"))
	}
	pyenv := e.getenv("PYENV_ROOT")
	if pyenv == "" && f.home != "" {
		pyenv = filepath.Join(f.home, ".pyenv")
	}
	if pyenv != "" {
		versions, _ := filepath.Glob(filepath.Join(f.p(pyenv), "versions", "*"))
		for _, v := range versions {
			prefixes = append(prefixes, strings.TrimPrefix(v, f.env.FSRoot))
		}
	}
	prefixes = append(prefixes, "/usr/local", "/usr")
	for _, d := range prefixes {
		f.scanPythonPrefix(f.p(d), f.p(d))
	}

	// 6. LD_LIBRARY_PATH, which go-xla searches too.
	for _, d := range strings.Split(e.getenv("LD_LIBRARY_PATH"), ":") {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		f.scanPluginDir(f.p(d), "LD_LIBRARY_PATH")
	}
}

// nearestVenv returns the nearest Dir/.venv, Dir/../.venv, ... that is a directory.
func (f *finder) nearestVenv() string {
	if f.env.Dir == "" {
		return ""
	}
	d := filepath.Clean(f.env.Dir)
	for {
		v := f.p(filepath.Join(d, ".venv"))
		if fi, err := os.Stat(v); err == nil && fi.IsDir() {
			return v
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// scanPluginDir adds the plugin files in dir; it returns how many files it looked at.
func (f *finder) scanPluginDir(dir, from string) int {
	n := 0
	for _, pat := range pluginDirPatterns {
		matches, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, m := range matches {
			n++
			f.add(m, from)
		}
	}
	return n
}

// scanSitePackages adds JAX's CUDA plugins in a site-packages directory, newest CUDA first,
// then the CPU plugins of the pip packages that ship one. where names the Python environment
// ("VIRTUAL_ENV=/x", "/x/.venv") or the variable that led here.
func (f *finder) scanSitePackages(dir, where string) int {
	jax, _ := filepath.Glob(filepath.Join(dir, jaxPattern))
	sort.SliceStable(jax, func(i, j int) bool { return cudaMajor(jax[i]) > cudaMajor(jax[j]) })
	jaxFrom := "JAX in " + where
	if where == PluginPathEnvVar {
		jaxFrom = where
	}
	for _, m := range jax {
		f.add(m, jaxFrom)
	}
	n := len(jax)
	for _, pat := range pipCPUPlugins {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, p := range m {
			f.add(p, where)
		}
		n += len(m)
	}
	return n
}

// cudaMajor returns N of ".../xla_cudaN/xla_cuda_plugin.so" (0 if none).
func cudaMajor(path string) int {
	dir := filepath.Base(filepath.Dir(path))
	n, _ := strconv.Atoi(strings.TrimPrefix(dir, "xla_cuda"))
	return n
}

// scanPythonPrefix scans the site-packages directories of a Python prefix (a venv, conda env, /usr).
func (f *finder) scanPythonPrefix(prefix, where string) int {
	n := 0
	for _, pat := range sitePackagesPatterns {
		dirs, _ := filepath.Glob(filepath.Join(prefix, pat))
		for _, d := range dirs {
			n += f.scanSitePackages(d, where)
		}
	}
	return n
}

// add records a plugin file, once per real path; files that cannot be plugins are recorded as skipped.
func (f *finder) add(path, from string) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		real = path
	}
	if f.seen[real] {
		return
	}
	f.seen[real] = true
	c := candidate{path: path, class: classify(path), from: from, pkg: pipPackage(path)}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		c.skip = "cannot read: " + oneLine(err.Error())
	case !fi.Mode().IsRegular():
		c.skip = "not a regular file"
	default:
		c.skip = elfProblem(path)
	}
	f.cands = append(f.cands, c)
}

// pipPackage names the pip package ("name version") that installed the plugin at path, from the
// dist-info directory beside its package directory; "" when there is none.
func pipPackage(path string) string {
	dir := filepath.Dir(path)
	top, site := filepath.Base(dir), filepath.Dir(dir)
	if filepath.Base(site) == "jax_plugins" { // jax_plugins/xla_cuda13 comes from jax_cuda13_pjrt
		top, site = "jax_"+strings.TrimPrefix(top, "xla_")+"_pjrt", filepath.Dir(site)
	} else if filepath.Base(site) == "xla_plugins" { // xla_plugins/xla_cpu_pjrt comes from xla_cpu_pjrt
		site = filepath.Dir(site)
	}
	infos, _ := filepath.Glob(filepath.Join(site, top+"-*.dist-info", "METADATA"))
	if len(infos) == 0 {
		return ""
	}
	meta, err := os.ReadFile(infos[0])
	if err != nil {
		return ""
	}
	var name, version string
	for _, line := range strings.Split(string(meta), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			break // the headers end at the first empty line
		}
		if v, ok := strings.CutPrefix(line, "Name: "); ok {
			name = v
		} else if v, ok := strings.CutPrefix(line, "Version: "); ok {
			version = v
		}
	}
	if name == "" || version == "" {
		return ""
	}
	return name + " " + version
}

// classify tells a plugin's target from its path, as go-xla does (pjrt.IsCUDAName, Plugin.IsCPU)
// with the file name: "cuda"/"nvidia" -> CUDA, "cpu" -> CPU.
func classify(path string) string {
	base := strings.ToLower(filepath.Base(path))
	switch {
	case strings.Contains(base, "cuda") || strings.Contains(base, "nvidia"):
		return classCUDA
	case strings.Contains(base, "cpu"):
		return classCPU
	}
	return classOther
}

// hasNVIDIA is the default NVIDIA check: /dev/nvidia<N> or an entry in /proc/driver/nvidia/gpus.
func (f *finder) hasNVIDIA() bool {
	if f.env.HasNVIDIA != nil {
		return f.env.HasNVIDIA()
	}
	if m, _ := filepath.Glob(f.p("/dev/nvidia[0-9]*")); len(m) > 0 {
		return true
	}
	if m, _ := filepath.Glob(f.p("/proc/driver/nvidia/gpus/*")); len(m) > 0 {
		return true
	}
	return false
}

// choose picks the first usable CUDA plugin (if a GPU is present), else the first usable CPU
// plugin, else the Go backend, and writes down why every other candidate was passed over.
func (f *finder) choose() Choice {
	chosen := -1
	haveCUDA := false
	for _, c := range f.cands {
		if c.skip == "" && c.class == classCUDA {
			haveCUDA = true
		}
	}
	gpu := haveCUDA && XLACompiledIn && f.hasNVIDIA()
	for _, class := range []string{classCUDA, classCPU} {
		if class == classCUDA && !gpu {
			continue
		}
		for i, c := range f.cands {
			if c.skip == "" && c.class == class && XLACompiledIn {
				chosen = i
				break
			}
		}
		if chosen >= 0 {
			break
		}
	}

	skipped := append([]string(nil), f.notes...)
	var candSkips []string
	for i := range f.cands {
		c := &f.cands[i]
		if i == chosen {
			continue
		}
		if c.skip == "" {
			switch {
			case c.class == classOther:
				c.skip = "neither a CUDA nor a CPU plugin; force it with " + BackendEnvVar + "=xla:" + c.path
			case !XLACompiledIn:
				c.skip = noXLAReason
			case c.class == classCUDA && !gpu:
				c.skip = noGPUReason
			case chosen >= 0 && c.class == f.cands[chosen].class:
				c.skip = "another " + c.class + " plugin comes first"
			default: // a CPU plugin when a CUDA one was chosen
				c.skip = "a CUDA plugin is preferred"
			}
		}
		candSkips = append(candSkips, c.path+": "+c.skip)
	}
	skipped = append(skipped, candSkips...)

	if chosen < 0 {
		reason := "pure Go; "
		switch {
		case len(skipped) == 0:
			reason += "no XLA PJRT plugin found; " + InstallHint
		default:
			reason += "no usable XLA PJRT plugin, skipped " + summarize(skipped)
		}
		return Choice{Config: "go", Kind: KindGo, Reason: reason, Skipped: skipped}
	}

	c := f.cands[chosen]
	plugin := c.path
	kind := KindXLACPU
	reason := fmt.Sprintf("%s PJRT plugin %s from %s", c.class, plugin, c.from)
	if c.pkg != "" {
		reason = fmt.Sprintf("%s PJRT plugin %s (pip package %s) from %s", c.class, plugin, c.pkg, c.from)
	}
	if c.class == classCUDA {
		kind = KindXLACUDA
		reason += "; NVIDIA GPU present"
	} else if len(candSkips) > 0 {
		reason += "; skipped " + summarize(candSkips)
	}
	return Choice{Config: "xla:" + plugin, Kind: kind, Plugin: plugin, Reason: reason, Skipped: skipped}
}

// summarize gives the first entry and how many more there are.
func summarize(list []string) string {
	s := list[0]
	if len(list) > 1 {
		s += fmt.Sprintf(", and %d more", len(list)-1)
	}
	return s
}
