// SPDX-License-Identifier: Apache-2.0

package backendsel

import (
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

func timesTwo(t *testing.T, c Choice) Choice {
	t.Helper()
	backend, used, err := New(c)
	if err != nil {
		t.Fatalf("New(%s): %v", c, err)
	}
	defer backend.Finalize()
	out, err := graph.CallOnce(backend, func(x *graph.Node) *graph.Node { return graph.MulScalar(x, 2) }, []float32{1, 2, 3})
	if err != nil {
		t.Fatalf("x*2 on %s: %v", used, err)
	}
	if got, ok := out.Value().([]float32); !ok || !slices.Equal(got, []float32{2, 4, 6}) {
		t.Fatalf("x*2 of [1 2 3] on %s = %v", used, out.Value())
	}
	return used
}

func TestNewGoBackendRunsGraph(t *testing.T) {
	f := newTree(t)
	c := Select(f.env(nil, no))
	used := timesTwo(t, c)
	if used.Kind != KindGo || used.String() != c.String() {
		t.Errorf("used %s, chose %s", used, c)
	}
	// A zero Choice gives the Go backend too.
	if used := timesTwo(t, Choice{}); used.Kind != KindGo {
		t.Errorf("New(Choice{}) used %s", used)
	}
}

func TestNewBrokenPluginFallsBack(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	f.plugin(jax13) // ELF magic, then junk: Select takes it, dlopen refuses it
	c := Select(f.env(map[string]string{"VIRTUAL_ENV": "/x/.venv"}, yes))
	if c.Kind != KindXLACUDA {
		t.Fatalf("Select: %s", f.strip(c.String()))
	}
	used := timesTwo(t, c)
	line := f.strip(used.String())
	wantPrefix := "backend: go (pure Go; fell back: CUDA PJRT plugin " + jax13 + " failed: "
	if used.Kind != KindGo || used.Config != "go" || !strings.HasPrefix(line, wantPrefix) ||
		!strings.HasSuffix(line, ")"+goSuffix) || strings.Contains(line, "\n") {
		t.Errorf("String():\n got %s\nwant %s...)%s", line, wantPrefix, goSuffix)
	}
	t.Log(line)
	if n := len(used.Skipped); n == 0 || !strings.HasPrefix(f.strip(used.Skipped[n-1]), jax13+": failed to load: ") {
		t.Errorf("Skipped = %q", f.stripAll(used.Skipped))
	}
}

func TestNewEnvErrors(t *testing.T) {
	f := newTree(t)
	f.plugin("/opt/broken/xla_cuda_plugin.so")
	for _, tc := range []struct{ value, want string }{
		{"xla:" + f.root + "/opt/broken/xla_cuda_plugin.so", "GOMLX_BACKEND=\"xla:"},
		{"nosuch:x", `GOMLX_BACKEND="nosuch:x": backend "nosuch" not compiled in; available: `},
	} {
		c := Select(f.env(map[string]string{"GOMLX_BACKEND": tc.value}, yes))
		backend, used, err := New(c)
		if err == nil {
			backend.Finalize()
			t.Errorf("GOMLX_BACKEND=%s: no error, used %s", tc.value, used)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, tc.want) || !strings.Contains(msg, "unset GOMLX_BACKEND") || strings.Contains(msg, "\n") {
			t.Errorf("GOMLX_BACKEND=%s: error %q", tc.value, msg)
		}
		if !XLACompiledIn && strings.HasPrefix(tc.value, "xla:") && !strings.Contains(msg, noXLAReason) {
			t.Errorf("GOMLX_BACKEND=%s: error %q does not say XLA is not compiled in", tc.value, msg)
		}
		t.Log(msg)
	}
}

func TestNewEnvGo(t *testing.T) {
	f := newTree(t)
	c := Select(f.env(map[string]string{"GOMLX_BACKEND": "go"}, no))
	if used := timesTwo(t, c); used.String() != "backend: go (set by GOMLX_BACKEND)" {
		t.Errorf("used %s", used)
	}
}

// GOMLX_BACKEND=xla:cpu names a plugin by name: go-xla would auto-install it; New must not.
func TestNewEnvNoDownload(t *testing.T) {
	needXLA(t)
	f := newTree(t)
	c := Select(f.env(map[string]string{"GOMLX_BACKEND": "xla:cpu"}, no))
	backend, used, err := New(c)
	if err == nil { // a CPU plugin is installed on this machine
		defer backend.Finalize()
		t.Logf("xla:cpu works here: %s (%s)", used, backend.Description())
		return
	}
	msg := err.Error()
	t.Log(msg)
	if strings.Contains(msg, "failed to auto-install") {
		t.Errorf("New tried to install a plugin: %s", msg)
	}
}
