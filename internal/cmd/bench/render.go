// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gonbviz/gonbviz/internal/nodecheck"
	"github.com/gonbviz/gonbviz/internal/svgrender"
)

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runRender renders the gallery specs n times each with a warm in-process engine, and the
// same specs n times in one warm node process, and compares CPU time per chart.
func runRender(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	n := fs.Int("n", 20, "renders per spec (after one warm-up)")
	dir := fs.String("specs", "vegalite/testdata/gallery", "directory of .vl.json specs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(*dir, "*.vl.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no specs in %s (run from the repository root)", *dir)
	}
	specs := map[string][]byte{}
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".vl.json")
		specs[name] = data
		names = append(names, name)
	}
	sort.Strings(names)

	// Ours: one engine, sequential, so CPU time is not blurred by parallelism.
	r := svgrender.New(svgrender.Options{MaxEngines: 1})
	defer r.Close()
	ctx := context.Background()
	ours := map[string]float64{}
	for _, name := range names {
		if _, err := r.Render(ctx, specs[name]); err != nil { // warm-up, and a check
			return fmt.Errorf("%s: %v", name, err)
		}
		start := cpuTime()
		for i := 0; i < *n; i++ {
			if _, err := r.Render(ctx, specs[name]); err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
		}
		ours[name] = float64(cpuTime()-start) / float64(time.Millisecond) / float64(*n)
	}

	node, err := nodecheck.Bench(specs, true, *n)
	if err != nil {
		return err
	}
	var rows [][]string
	var sumOurs, sumNode float64
	for _, name := range names {
		nb, ok := node[name]
		if !ok {
			return fmt.Errorf("%s: no node result", name)
		}
		sumOurs += ours[name]
		sumNode += nb.CPUMS
		rows = append(rows, []string{name, fmt.Sprintf("%.1f", ours[name]), fmt.Sprintf("%.1f", nb.CPUMS), fmt.Sprintf("%.2f", ours[name]/nb.CPUMS)})
	}
	rows = append(rows, []string{"TOTAL", fmt.Sprintf("%.1f", sumOurs), fmt.Sprintf("%.1f", sumNode), fmt.Sprintf("%.2f", sumOurs/sumNode)})
	fmt.Fprintf(out, "CPU ms per chart (compile + render to SVG), %d renders per spec after a warm-up, %d specs\n", *n, len(names))
	table(out, []string{"spec", "ours", "node", "ours/node"}, rows)
	fmt.Fprintf(out, "render: ours/node=%.2f\n", sumOurs/sumNode)
	return nil
}
