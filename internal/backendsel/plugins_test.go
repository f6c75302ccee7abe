// SPDX-License-Identifier: Apache-2.0

package backendsel_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
)

// The installed CPU plugin is found, named with its pip package, and runs a graph.
func TestRealCPUPlugin(t *testing.T) {
	backend, used := xlatest.CPU(t)
	line := used.String()
	t.Log(line)
	if !strings.Contains(line, "(pip package lammps-jax-pjrt-cpu 0.11.2) from ") || strings.Contains(line, "\n") {
		t.Errorf("the reason does not name the pip package: %s", line)
	}
	out, err := graph.CallOnce(backend, func(x *graph.Node) *graph.Node { return graph.MulScalar(x, 2) }, []float32{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Value().([]float32); !slices.Equal(got, []float32{2, 4, 6}) {
		t.Errorf("x*2 = %v", got)
	}
}

// brokenPlugin is a real file that is no usable plugin, and what must be said of it.
type brokenPlugin struct {
	name     string
	make     func(t *testing.T, real, path string) // writes the broken plugin at path
	selected bool                                  // Select takes it (the header looks right); else it is skipped
	why      string                                // in the reason (Select's skip, or New's fallback)
}

// Each broken plugin gives a one-line reason and the Go backend, or, forced with GOMLX_BACKEND,
// an error naming the variable; nothing crashes or hangs.
func TestBrokenPlugins(t *testing.T) {
	if !backendsel.XLACompiledIn {
		t.Skip("XLA not compiled in (-tags noxla or CGO_ENABLED=0)")
	}
	_, realChoice := xlatest.CPU(t)
	real := realChoice.Plugin
	for _, bp := range []brokenPlugin{
		{"truncated", func(t *testing.T, real, path string) { copyPrefix(t, real, path, 1<<20) }, false,
			"truncated: its section headers end at byte "},
		{"damaged", damaged, true, "cannot load it: "},
		{"other architecture", otherArch, false, "built for aarch64, this is amd64 (x86-64): a plugin for another architecture"},
		{"PJRT API version", func(t *testing.T, _, path string) { compileC(t, "version.c", path, "-DMAJOR=1", "-DMINOR=2") }, true,
			"its PJRT C API is v1.2; gonbviz's go-xla needs v0.81 or a later v0 minor"},
		{"fails its first computation", func(t *testing.T, real, path string) {
			compileC(t, "failexec.c", path, `-DREAL_PLUGIN="`+real+`"`, "-I"+goXLAHeaders(t))
		}, true, "test plugin: every computation fails here"},
	} {
		t.Run(bp.name, func(t *testing.T) {
			if bp.name == "other architecture" && runtime.GOARCH != "amd64" {
				t.Skip("the other architecture is aarch64, built for amd64 machines")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "pjrt_c_api_cpu_plugin.so")
			bp.make(t, real, path)
			env := func(vars map[string]string) backendsel.Env {
				return backendsel.Env{FSRoot: t.TempDir(), HasNVIDIA: func() bool { return false },
					Getenv: func(name string) string { return vars[name] }}
			}
			// FSRoot is an empty tree; the plugin is named by its real path through it.
			rel := func(e backendsel.Env) string { r, _ := filepath.Rel(e.FSRoot, path); return "/" + r }

			e := env(nil)
			e.Getenv = func(name string) string {
				if name == backendsel.PluginPathEnvVar {
					return rel(e)
				}
				return ""
			}
			c := backendsel.Select(e)
			if !bp.selected {
				if c.Kind != backendsel.KindGo || !strings.Contains(c.String(), path+": "+bp.why) {
					t.Errorf("Select: %s\nwant the Go backend, skipping %s: %s...", c, path, bp.why)
				}
			} else {
				if c.Kind != backendsel.KindXLACPU || c.Plugin != path {
					t.Fatalf("Select: %s; want the plugin %s", c, path)
				}
				backend, used, err := backendsel.New(c)
				if err != nil {
					t.Fatalf("New: %v; want a fall-back to the Go backend", err)
				}
				backend.Finalize()
				line := used.String()
				if used.Kind != backendsel.KindGo || !strings.HasPrefix(line, "backend: go (pure Go; fell back: CPU PJRT plugin "+path+" failed: ") ||
					!strings.Contains(line, bp.why) || strings.Contains(line, "\n") {
					t.Errorf("New: %s\nwant a one-line fall-back to Go naming the plugin and %q", line, bp.why)
				}
				t.Log(line)
			}

			// Forced by GOMLX_BACKEND: an error naming the variable, never a silent fall-back.
			forced := backendsel.Select(env(map[string]string{backendsel.BackendEnvVar: "xla:" + path}))
			backend, used, err := backendsel.New(forced)
			if err == nil {
				backend.Finalize()
				t.Fatalf("GOMLX_BACKEND=xla:%s: no error, used %s", path, used)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, `GOMLX_BACKEND="xla:`) || !strings.Contains(msg, "unset GOMLX_BACKEND") || strings.Contains(msg, "\n") {
				t.Errorf("forced: %s", msg)
			}
			if bp.selected && !strings.Contains(msg, bp.why) {
				t.Errorf("forced: %s\nwant %q in it", msg, bp.why)
			}
			t.Log(msg)
		})
	}
}

// copyPrefix writes the first n bytes of src to dst: a download cut short.
func copyPrefix(t *testing.T, src, dst string, n int64) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(out, in, n); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// damaged is a real plugin (of a version go-xla speaks) whose program headers were overwritten
// with zeros: the ELF header is intact, the loader finds nothing to load.
func damaged(t *testing.T, _, path string) {
	compileC(t, "version.c", path, "-DMAJOR=0", "-DMINOR=104")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// e_phoff (8 bytes at 32), e_phentsize and e_phnum (2 bytes each at 54 and 56).
	phoff := int(leUint(data[32:40]))
	size := int(leUint(data[54:56])) * int(leUint(data[56:58]))
	clear(data[phoff : phoff+size])
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func leUint(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// otherArch is a real aarch64 position-independent (ET_DYN) binary, built by the Go toolchain,
// which needs no C cross-compiler for it.
func otherArch(t *testing.T, _, path string) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-buildmode=pie", "-o", path, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building an aarch64 binary: %v\n%s", err, out)
	}
}

// compileC builds testdata/src into the shared library out with the system C compiler.
func compileC(t *testing.T, src, out string, flags ...string) {
	t.Helper()
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	if _, err := exec.LookPath(cc); err != nil {
		t.Fatalf("no C compiler (%s) for the test plugins; XLA builds need one too: %v", cc, err)
	}
	args := append([]string{"-shared", "-fPIC", "-O1", "-o", out, filepath.Join("testdata", src)}, flags...)
	args = append(args, "-ldl")
	if b, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, b)
	}
}

// goXLAHeaders is the directory of the pjrt_c_api.h that go-xla is built with.
func goXLAHeaders(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/gomlx/go-xla").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/gomlx/go-xla: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "pjrt")
}
