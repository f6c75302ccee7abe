// SPDX-License-Identifier: Apache-2.0

// Command gpucheck prints what backendsel chooses on this machine, creates that backend and runs a
// tiny graph on it (x*2, then a chain of 1024x1024 matmuls, timed). It is built ahead of time (see
// ../../gpucheck.sh) so it can run on a machine without Go or network.
//
//	gpucheck [-roots dir1:dir2] [-matmul 1024]
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/internal/backendsel"
)

func main() {
	roots := flag.String("roots", "", "extra search roots, \":\"-separated (plugin dirs, site-packages or Python prefixes)")
	n := flag.Int("matmul", 1024, "size of the square matmul to time")
	flag.Parse()

	dir, _ := os.Getwd()
	env := backendsel.Env{Getenv: os.Getenv, Dir: dir}
	for _, r := range strings.Split(*roots, ":") {
		if r != "" {
			if abs, err := filepath.Abs(r); err == nil {
				r = abs
			}
			env.Roots = append(env.Roots, r)
		}
	}
	for _, v := range []string{backendsel.BackendEnvVar, backendsel.PluginPathEnvVar, "VIRTUAL_ENV", "CONDA_PREFIX", "HOME", "LD_LIBRARY_PATH"} {
		fmt.Printf("env %s=%q\n", v, os.Getenv(v))
	}
	fmt.Printf("xla compiled in: %v\n", backendsel.XLACompiledIn)

	choice := backendsel.Select(env)
	fmt.Println("selected:", choice)
	fmt.Printf("config: %q kind: %s\n", choice.Config, choice.Kind)
	for _, s := range choice.Skipped {
		fmt.Println("  skipped:", s)
	}

	t0 := time.Now()
	backend, used, err := backendsel.New(choice)
	if err != nil {
		fmt.Println("RESULT: FAIL creating backend:", err)
		os.Exit(1)
	}
	defer backend.Finalize()
	fmt.Printf("created in %s: %s\n", time.Since(t0).Round(time.Millisecond), used)
	fmt.Println("description:", backend.Description())
	if backend.NumDevices() > 0 {
		fmt.Println("device 0:", backend.DeviceDescription(0))
	}

	// x*2 through GoMLX's graph package.
	out, err := graph.CallOnce(backend, func(x *graph.Node) *graph.Node { return graph.MulScalar(x, 2) }, []float32{1, 2, 3})
	if err != nil {
		fmt.Println("RESULT: FAIL x*2:", err)
		os.Exit(1)
	}
	fmt.Println("x*2 of [1 2 3]:", out.Value())

	// A chain of matmuls of x = ones/n (so every product is ones/n again): the max must be 1/n.
	// Timed after a warm-up call; the input goes over to the device at each call.
	const chain = 8
	exec, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node {
		y := x
		for range chain {
			y = graph.MatMul(y, x)
		}
		return graph.ReduceAllMax(y)
	})
	if err != nil {
		fmt.Println("RESULT: FAIL matmul exec:", err)
		os.Exit(1)
	}
	flat := make([]float32, *n**n)
	for i := range flat {
		flat[i] = 1 / float32(*n)
	}
	x := tensors.FromFlatDataAndDimensions(flat, *n, *n)
	const runs = 5
	var elapsed time.Duration
	var got any
	for i := 0; i <= runs; i++ {
		t := time.Now()
		rs, err := exec.Call(x)
		if err != nil {
			fmt.Println("RESULT: FAIL matmul:", err)
			os.Exit(1)
		}
		got = rs[0].Value() // forces the transfer back, so the time includes the computation
		if i > 0 {
			elapsed += time.Since(t)
		}
	}
	per := elapsed / runs
	flops := chain * 2 * float64(*n) * float64(*n) * float64(*n)
	fmt.Printf("%d matmuls %dx%d: max=%v (want %v), %s per call, %.1f GFLOP/s\n",
		chain, *n, *n, got, 1/float32(*n), per, flops/per.Seconds()/1e9)
	if v, ok := got.(float32); !ok || math.Abs(float64(v)-1/float64(*n)) > 1e-3/float64(*n) {
		fmt.Println("RESULT: FAIL matmul value")
		os.Exit(1)
	}
	fmt.Printf("RESULT: OK %s\n", used)
}
