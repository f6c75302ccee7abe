// SPDX-License-Identifier: Apache-2.0

// Command gpuhist times gonbviz's in-graph histogram summary (internal/graphhisto, what a
// capture computes on an accelerator) on the backend backendsel chooses, against
// torch.histc on the same GPU, on the same number of normally distributed float32 values
// and bins. It is built ahead of time (see gpuhist.sh) so that it runs on a lent GPU machine
// without Go or network. The last line is
//
//	gpuhist: ours_ms=<median> torch_ms=<median> ours/torch=<ratio>
//
// (goal: at most 2). Ours is the whole summary: min and max, NaN/Inf counts, sum and sum
// of squares, and the histogram; torch.histc computes its own range and the histogram.
// Both are timed with the input already on the device, and synchronised on the result.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/graphhisto"
)

// torchScript times torch.histc; argv: n bins reps. It prints "torch_ms=<median>" or why not.
const torchScript = `
import sys, time, statistics
try:
    import torch
except Exception as e:
    print("torch: not importable:", e); sys.exit(0)
if not torch.cuda.is_available():
    print("torch: no CUDA device"); sys.exit(0)
n, bins, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
x = torch.randn(n, device="cuda", dtype=torch.float32)
for _ in range(3):
    torch.histc(x, bins=bins); torch.cuda.synchronize()
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); h = torch.histc(x, bins=bins); torch.cuda.synchronize(); ts.append((time.perf_counter() - t0) * 1e3)
print("torch", torch.__version__, torch.cuda.get_device_name(0))
print("torch_ms=%.4f" % statistics.median(ts))
`

func main() {
	n := flag.Int("n", 50_000_000, "float32 values")
	bins := flag.Int("bins", 240, "histogram bins (a capture's 30 bins x 8)")
	reps := flag.Int("reps", 20, "timed repetitions (after warm-up)")
	python := flag.String("python", "", "Python with torch (default: $GPUHIST_PYTHON, /opt/torch/.venv/bin/python, python3)")
	flag.Parse()

	backend, used, err := backendsel.New(backendsel.Default())
	if err != nil {
		fmt.Println("gpuhist: creating the backend:", err)
		os.Exit(1)
	}
	defer backend.Finalize()
	fmt.Println("backend:", used)

	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, *n)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	x := tensors.FromFlatDataAndDimensions(data, *n)
	exe, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node { return graphhisto.Summary(x, *bins, false) })
	if err != nil {
		fmt.Println("gpuhist:", err)
		os.Exit(1)
	}
	run := func() (float64, error) {
		out, err := exe.Call(x)
		if err != nil {
			return 0, err
		}
		v, err := tensors.CopyFlatData[float64](out[0]) // waits for the result
		out[0].FinalizeAll()
		if err != nil {
			return 0, err
		}
		return v[graphhisto.Count], nil
	}
	for range 3 { // compile, move x to the device, warm up
		if _, err := run(); err != nil {
			fmt.Println("gpuhist:", err)
			os.Exit(1)
		}
	}
	var ts []float64
	for range *reps {
		t0 := time.Now()
		count, err := run()
		if err != nil {
			fmt.Println("gpuhist:", err)
			os.Exit(1)
		}
		ts = append(ts, float64(time.Since(t0))/float64(time.Millisecond))
		if int(count) != *n {
			fmt.Printf("gpuhist: the summary counted %d values, want %d\n", int(count), *n)
			os.Exit(1)
		}
	}
	slices.Sort(ts)
	ours := ts[len(ts)/2]
	fmt.Printf("ours: %d values, %d bins, median of %d: %.3f ms\n", *n, *bins, *reps, ours)

	torch := -1.0
	for _, py := range pythons(*python) {
		out, err := exec.Command(py, "-c", torchScript, strconv.Itoa(*n), strconv.Itoa(*bins), strconv.Itoa(*reps)).CombinedOutput()
		text := strings.TrimSpace(string(out))
		fmt.Printf("%s: %s\n", py, strings.ReplaceAll(text, "\n", "\n  "))
		if err != nil {
			continue
		}
		if i := strings.LastIndex(text, "torch_ms="); i >= 0 {
			if v, err := strconv.ParseFloat(strings.TrimSpace(text[i+len("torch_ms="):]), 64); err == nil {
				torch = v
				break
			}
		}
	}
	if torch <= 0 {
		fmt.Printf("gpuhist: ours_ms=%.3f torch_ms=none (no Python with torch and CUDA)\n", ours)
		return
	}
	fmt.Printf("gpuhist: ours_ms=%.3f torch_ms=%.3f ours/torch=%.2f\n", ours, torch, ours/torch)
}

// pythons lists the interpreters to try, the explicit one first.
func pythons(explicit string) []string {
	var out []string
	for _, p := range []string{explicit, os.Getenv("GPUHIST_PYTHON"), "/opt/torch/.venv/bin/python", "python3"} {
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
