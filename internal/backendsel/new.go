// SPDX-License-Identifier: Apache-2.0

package backendsel

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"

	// Registers the "go" backend.
	_ "github.com/gomlx/compute/gobackend"
)

// New creates the backend of a Choice with compute.NewWithConfig(c.Config) and checks it with a
// tiny computation (Check). It never downloads plugins: go-xla's auto-install is turned off first.
//
// When an XLA choice (Kind "xla-cuda" or "xla-cpu") fails to load or to run, New falls back to
// the pure-Go backend and says so in used.Reason (and adds the plugin to used.Skipped); err is nil.
// When the choice came from GOMLX_BACKEND (Kind "env") a failure is returned as an error that
// names the variable and says what to do. used is the Choice actually in effect.
func New(c Choice) (backend compute.Backend, used Choice, err error) {
	disableAutoInstall()
	switch c.Kind {
	case KindEnv:
		backend, err = create(c.Config)
		if err != nil {
			return nil, c, fmt.Errorf("%s=%q: %s; unset %s to let gonbviz choose, or set it to \"go\" (pure Go) "+
				"or \"xla:/abs/path/to/plugin.so\"; plugins are never downloaded: %s",
				BackendEnvVar, c.Config, shorten(err, c.Plugin), BackendEnvVar, InstallHint)
		}
		return backend, c, nil

	case KindXLACUDA, KindXLACPU:
		backend, err = create(c.Config)
		if err == nil {
			return backend, c, nil
		}
		class := classCUDA
		if c.Kind == KindXLACPU {
			class = classCPU
		}
		msg := shorten(err, c.Plugin)
		goBackend, goErr := create("go")
		if goErr != nil {
			return nil, c, fmt.Errorf("%s PJRT plugin %s failed: %s; the pure-Go backend failed too: %w", class, c.Plugin, msg, goErr)
		}
		used = Choice{
			Config:  "go",
			Kind:    KindGo,
			Reason:  fmt.Sprintf("pure Go; fell back: %s PJRT plugin %s failed: %s", class, c.Plugin, msg),
			Skipped: append(slices.Clone(c.Skipped), c.Plugin+": failed to load: "+msg),
		}
		return goBackend, used, nil

	default: // KindGo, or a zero Choice
		backend, err = create("go")
		if err != nil {
			return nil, c, err
		}
		if c.Kind == "" {
			c = Choice{Config: "go", Kind: KindGo, Reason: "pure Go; no choice given"}
		}
		return backend, c, nil
	}
}

// shorten puts err on one line and writes the plugin path, which go-xla repeats, as "<plugin>".
func shorten(err error, plugin string) string {
	msg := oneLine(err.Error())
	if plugin != "" {
		msg = strings.ReplaceAll(msg, plugin, "<plugin>")
	}
	return msg
}

// create is compute.NewWithConfig plus Check, without its panics (unknown backend name). A
// plugin given by path is loaded and its PJRT API version checked first (preflight).
func create(config string) (backend compute.Backend, err error) {
	name, _, _ := strings.Cut(config, ":")
	if !slices.Contains(compute.List(), name) {
		if name == "xla" || name == "stablehlo" || name == "hlo" || name == "shlo" {
			return nil, fmt.Errorf("backend %q: %s", name, noXLAReason)
		}
		list := compute.List()
		slices.Sort(list)
		return nil, fmt.Errorf("backend %q not compiled in; available: %s", name, strings.Join(list, ", "))
	}
	defer func() {
		if r := recover(); r != nil {
			backend, err = nil, fmt.Errorf("creating backend %q panicked: %v", config, r)
		}
	}()
	if plugin := envPlugin(config); plugin != "" {
		// The header first: the loader maps a truncated file and dies of SIGBUS reading it.
		if problem := elfProblem(plugin); problem != "" {
			return nil, errors.New(problem)
		}
		if err := preflight(plugin); err != nil {
			return nil, err
		}
	}
	if plugin := envPlugin(config); plugin != "" && classify(plugin) == classCPU && plugin == strings.TrimPrefix(config, name+":") {
		backend, err = newCPUClient(plugin)
	} else {
		backend, err = compute.NewWithConfig(config)
	}
	if err != nil {
		return nil, err
	}
	if err = Check(backend); err != nil {
		backend.Finalize()
		return nil, err
	}
	return backend, nil
}

// Check runs a tiny computation (x*2 on [1 2 3]) on the backend, to catch plugins that load but
// cannot compile or run (missing CUDA libraries, driver mismatch).
func Check(backend compute.Backend) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("check computation panicked: %v", r)
		}
	}()
	b := backend.Builder("backendsel_check")
	fn := b.Main()
	x, err := fn.Constant([]float32{1, 2, 3}, 3)
	if err != nil {
		return fmt.Errorf("check computation: %w", err)
	}
	two, err := fn.Constant([]float32{2, 2, 2}, 3)
	if err != nil {
		return fmt.Errorf("check computation: %w", err)
	}
	y, err := fn.Mul(x, two)
	if err != nil {
		return fmt.Errorf("check computation: %w", err)
	}
	if err = fn.Return([]compute.Value{y}, nil); err != nil {
		return fmt.Errorf("check computation: %w", err)
	}
	exec, err := b.Compile()
	if err != nil {
		return fmt.Errorf("check computation: compile: %w", err)
	}
	defer exec.Finalize()
	out, err := exec.Execute(nil, nil, 0)
	if err != nil {
		return fmt.Errorf("check computation: execute: %w", err)
	}
	defer func() {
		for _, o := range out {
			_ = o.Finalize()
		}
	}()
	if len(out) != 1 {
		return fmt.Errorf("check computation: %d outputs, want 1", len(out))
	}
	if s, err := out[0].Shape(); err != nil || !s.Equal(shapes.Make(dtypes.Float32, 3)) {
		return fmt.Errorf("check computation: output shape %v (%v), want float32[3]", s, err)
	}
	got := make([]float32, 3)
	if err = out[0].ToFlatData(got); err != nil {
		return fmt.Errorf("check computation: reading the output: %w", err)
	}
	if !slices.Equal(got, []float32{2, 4, 6}) {
		return fmt.Errorf("check computation: x*2 of [1 2 3] gave %v", got)
	}
	return nil
}
