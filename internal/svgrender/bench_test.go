package svgrender

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

// BenchmarkRender renders each spec on a warm engine (one engine, so one
// render at a time).
func BenchmarkRender(b *testing.B) {
	specs := loadSpecs(b)
	r := New(Options{MaxEngines: 1})
	defer r.Close()
	ctx := context.Background()
	if err := r.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	for _, name := range sortedNames(specs) {
		spec := specs[name]
		b.Run(name, func(b *testing.B) {
			if _, err := r.Render(ctx, spec); err != nil { // warm the caches of this spec's code paths
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := r.Render(ctx, spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderParallel renders the histogram from GOMAXPROCS goroutines on
// a pool of GOMAXPROCS engines.
func BenchmarkRenderParallel(b *testing.B) {
	spec := loadSpecs(b)["histogram"]
	r := New(Options{})
	defer r.Close()
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(ctx, spec); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkColdStart is the first render of a new Renderer: starting an
// engine (evaluating the bundles' bytecode, compiled or read from the cache
// once per process) and rendering the histogram on it.
func BenchmarkColdStart(b *testing.B) {
	spec := loadSpecs(b)["histogram"]
	ctx := context.Background()
	if _, _, _, err := bytecode(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r := New(Options{MaxEngines: 1})
		if _, err := r.Render(ctx, spec); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkEngineStart is starting one engine from the bytecode (compiled, or
// read from the cache, once per process).
func BenchmarkEngineStart(b *testing.B) {
	if _, _, _, err := bytecode(); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(time.Hour)
	for b.Loop() {
		e, err := newEngine(context.Background(), deadline, DefaultMemoryLimit)
		if err != nil {
			b.Fatal(err)
		}
		e.close()
	}
}

// BenchmarkCompileBytecode is compiling the bundles to bytecode, done once
// per process when the cache is off or has no file for them.
func BenchmarkCompileBytecode(b *testing.B) {
	srcs, err := sources()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := compileScripts(srcs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadBytecode is reading the bytecode from the cache file instead.
func BenchmarkLoadBytecode(b *testing.B) {
	srcs, err := sources()
	if err != nil {
		b.Fatal(err)
	}
	code, err := compileScripts(srcs)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "svgrender-bench.qjsbc")
	storeCache(path, code)
	for b.Loop() {
		if loadCache(path, len(scripts)) == nil {
			b.Fatal("no bytecode in the cache")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestSpeedVersusNode prints, per spec, the CPU and wall time per chart of
// a warm engine here and of Node (nodecheck.Bench). It runs only with
// SVGRENDER_SPEED=n (renders per spec, e.g. 10).
func TestSpeedVersusNode(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("SVGRENDER_SPEED"), &n)
	if n <= 0 {
		t.Skip("set SVGRENDER_SPEED=n to compare speed with node")
	}
	nodecheck.Require(t)
	specs := loadSpecs(t)
	node, err := nodecheck.Bench(specs, true, n)
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{MaxEngines: 1})
	defer r.Close()
	ctx := context.Background()
	var sumQ, sumN, sumQW, sumNW float64
	t.Logf("%-30s %9s %9s %9s %9s %6s", "spec", "qjs cpu", "node cpu", "qjs wall", "node wall", "ratio")
	for _, name := range sortedNames(specs) {
		if _, err := r.Render(ctx, specs[name]); err != nil {
			t.Fatal(err)
		}
		c0, w0 := cpuTime(), time.Now()
		for i := 0; i < n; i++ {
			if _, err := r.Render(ctx, specs[name]); err != nil {
				t.Fatal(err)
			}
		}
		cpu := float64(cpuTime()-c0) / 1e6 / float64(n)
		wall := float64(time.Since(w0)) / 1e6 / float64(n)
		nb := node[name]
		sumQ += cpu
		sumN += nb.CPUMS
		sumQW += wall
		sumNW += nb.WallMS
		t.Logf("%-30s %7.1fms %7.1fms %7.1fms %7.1fms %6.2f", name, cpu, nb.CPUMS, wall, nb.WallMS, cpu/nb.CPUMS)
	}
	k := float64(len(specs))
	t.Logf("%-30s %7.1fms %7.1fms %7.1fms %7.1fms %6.2f", "mean", sumQ/k, sumN/k, sumQW/k, sumNW/k, sumQ/sumN)
}
