// SPDX-License-Identifier: Apache-2.0

// Command bench runs gonbviz's side-by-side comparisons. Each benchmark prints a table,
// then a last line "NAME: figure=value ...", where figures are ratios measured in the same
// run on the same inputs (these machines are noisy; bare times mean little).
//
//	go run ./internal/cmd/bench render     in-process SVG renderer vs Node + the same vega bundles
//	go run ./internal/cmd/bench dashboard  training steps/s with the dashboard vs without (-backend go|xla-cpu)
//	go run ./internal/cmd/bench histogram  host histogram kernel vs a parallel read of the same memory,
//	                                       and training steps/s with capture every 10 steps vs none (-backend go|xla-cpu)
//	go run ./internal/cmd/bench layout     layout engine vs Graphviz dot (scripts/setup-graphviz.sh): time, crossings
//	                                       (runs diagram/internal/layout/layoutbench, next to the engine)
//	go run ./internal/cmd/bench firstchart a new process's first chart: bytecode cached vs not vs a node process
//	go run ./internal/cmd/bench backends   training steps/s on the Go backend vs XLA's CPU plugin vs PyTorch
//	                                       (scripts/setup-bench.sh), two MLPs
//	go run ./internal/cmd/bench steptime   where a training step of the demo MLP on XLA's CPU plugin spends its time
//	go run ./internal/cmd/bench saliency   integrated gradients of 256 digits through the demo CNN: package saliency
//	                                       (batched pairs) vs one execution per step and image, on go and xla-cpu
//	go run ./internal/cmd/bench projection PCA of 10,000 x 784 to 50 components (Go backend, XLA CPU) and t-SNE of
//	                                       5,000 points vs scikit-learn (the tests' .venv), trustworthiness of both
//	go run ./internal/cmd/bench notebooksize  what the executed notebooks (docs/notebooks) weigh, per output kind,
//	                                       with the copies of the vega libraries (executes nothing)
//	go run ./internal/cmd/bench tensorboard  one event file of 1M scalar events + 1000 histograms read by
//	                                       tensorboard.Read vs TensorBoard's own loaders (.venv); training
//	                                       steps/s with the dashboard writing TensorBoard files vs not
//	go run ./internal/cmd/bench firstcell  a new user's first chart cell in the GoNB kernel, from empty caches:
//	                                       cold vs after scripts/warm-cache.sh
//
// Run with GOEXPERIMENT=simd, like every gonbviz build.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// benchmark is one named comparison.
type benchmark struct {
	about string
	run   func(args []string, out io.Writer) error
}

var benchmarks = map[string]benchmark{
	"render":       {"CPU time per chart: in-process renderer (quickjs) vs node + vega", runRender},
	"dashboard":    {"training steps/s with the dashboard attached vs without (and GoMLX plotly)", runDashboard},
	"histogram":    {"host histogram kernel (10M float32, 64 bins) vs the bandwidth floor; capture vs none", runHistogram},
	"layout":       {"layout engine vs Graphviz dot: wall time and edge crossings, op graphs and random DAGs", runLayout},
	"backends":     {"training steps/s of two MLPs: Go backend vs XLA CPU plugin vs PyTorch CPU (same threads)", runBackends},
	"steptime":     {"one training step of the demo MLP on XLA's CPU plugin, split into its parts", runStepTime},
	"firstchart":   {"wall time of a new process's first chart (a GoNB cell): bytecode cached, not cached, node", runFirstChart},
	"firstcell":    {"a new user's first chart cell in the GoNB kernel, empty caches: cold vs scripts/warm-cache.sh", runFirstCell},
	"saliency":     {"integrated gradients (64 steps, 256 digits, demo CNN): batched (image, step) pairs vs one execution per step", runSaliency},
	"projection":   {"PCA (10,000 x 784 to 50) and t-SNE (5,000 points) vs scikit-learn, same data", runProjection},
	"notebooksize": {"bytes of the executed notebooks per output kind, library copies, outputs against spec + SVG", runNotebookSize},
	"tensorboard":  {"reading 1M scalar events + 1000 histograms: ours vs TensorBoard's loaders; TensorBoard writing in training", runTensorBoard},
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/bench NAME [flags]\n\nbenchmarks:")
		names := make([]string, 0, len(benchmarks))
		for n := range benchmarks {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(os.Stderr, "  %-12s %s\n", n, benchmarks[n].about)
		}
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	b, ok := benchmarks[flag.Arg(0)]
	if !ok {
		fmt.Fprintf(os.Stderr, "bench: unknown benchmark %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if err := b.run(flag.Args()[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
}

// table prints rows aligned in columns.
func table(out io.Writer, header []string, rows [][]string) {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = len(h)
	}
	for _, r := range rows {
		for i, c := range r {
			if len(c) > widths[i] {
				widths[i] = len(c)
			}
		}
	}
	line := func(cells []string) {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = fmt.Sprintf("%-*s", widths[i], c)
		}
		fmt.Fprintln(out, strings.TrimRight(strings.Join(parts, "  "), " "))
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
}
