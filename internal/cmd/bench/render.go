// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
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
	cold := fs.Bool("process", true, "also time one node process per chart (start-up included), for context")
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

	// Ours: one engine, sequential, so CPU time is not blurred by parallelism;
	// with the expression memos as in use, and emptied before every render (what
	// a chart whose expressions are all new costs).
	ctx := context.Background()
	timeOurs := func(opts svgrender.Options) (map[string]float64, error) {
		opts.MaxEngines = 1
		r := svgrender.New(opts)
		defer r.Close()
		ms := map[string]float64{}
		for _, name := range names {
			if _, err := r.Render(ctx, specs[name]); err != nil { // warm-up, and a check
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			start := cpuTime()
			for i := 0; i < *n; i++ {
				if _, err := r.Render(ctx, specs[name]); err != nil {
					return nil, fmt.Errorf("%s: %v", name, err)
				}
			}
			ms[name] = float64(cpuTime()-start) / float64(time.Millisecond) / float64(*n)
		}
		return ms, nil
	}
	ours, err := timeOurs(svgrender.Options{})
	if err != nil {
		return err
	}
	noMemo, err := timeOurs(svgrender.Options{NoMemo: true})
	if err != nil {
		return err
	}

	node, err := nodecheck.Bench(specs, true, *n)
	if err != nil {
		return err
	}
	// For context: the same node with its JIT compilers off (V8's interpreter
	// only), the kind of engine ours is.
	jitless, err := nodecheck.Bench(specs, true, *n, "--jitless")
	if err != nil {
		return err
	}
	// For context: what the alternative to an in-process renderer costs, one node process
	// per chart (start-up and loading the vega bundles included), as a command-line
	// converter or a notebook shelling out would pay; and one `gonbviz render` process
	// per chart, start-up included (validation, the bytecode from the cache, an engine),
	// which is also what the first chart of a GoNB cell costs. CPU time of the children.
	process := map[string]float64{}
	oursProcess := map[string]float64{}
	if *cold {
		tmp, err := os.MkdirTemp("", "gonbviz-bench-render-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		bin := filepath.Join(tmp, "gonbviz")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/gonbviz").CombinedOutput(); err != nil {
			return fmt.Errorf("building gonbviz: %v\n%s", err, out)
		}
		svg := filepath.Join(tmp, "out.svg")
		gonbviz := func(name string) error {
			cmd := exec.Command(bin, "render", filepath.Join(*dir, name+".vl.json"), "-o", svg)
			cmd.Env = append(os.Environ(), "GONBVIZ_CACHE_DIR="+filepath.Join(tmp, "cache"))
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("%s: gonbviz render: %v\n%s", name, err, out)
			}
			return nil
		}
		for i, name := range names {
			before := childCPUTime()
			if _, err := nodecheck.Check(map[string][]byte{name: specs[name]}, true); err != nil {
				return fmt.Errorf("%s: node process: %v", name, err)
			}
			process[name] = float64(childCPUTime()-before) / float64(time.Millisecond)
			if i == 0 { // fills the bytecode cache, as the first chart ever rendered does
				if err := gonbviz(name); err != nil {
					return err
				}
			}
			before = childCPUTime()
			if err := gonbviz(name); err != nil {
				return err
			}
			oursProcess[name] = float64(childCPUTime()-before) / float64(time.Millisecond)
		}
	}
	var rows [][]string
	var sumOurs, sumNoMemo, sumNode, sumJitless, sumProcess, sumOursProcess float64
	for _, name := range names {
		nb, ok := node[name]
		jb, jok := jitless[name]
		if !ok || !jok {
			return fmt.Errorf("%s: no node result", name)
		}
		sumOurs += ours[name]
		sumNoMemo += noMemo[name]
		sumNode += nb.CPUMS
		sumJitless += jb.CPUMS
		sumProcess += process[name]
		sumOursProcess += oursProcess[name]
		row := []string{name, fmt.Sprintf("%.1f", ours[name]), fmt.Sprintf("%.1f", noMemo[name]),
			fmt.Sprintf("%.1f", nb.CPUMS), fmt.Sprintf("%.1f", jb.CPUMS), fmt.Sprintf("%.2f", ours[name]/nb.CPUMS)}
		if *cold {
			row = append(row, fmt.Sprintf("%.0f", oursProcess[name]), fmt.Sprintf("%.0f", process[name]))
		}
		rows = append(rows, row)
	}
	total := []string{"TOTAL", fmt.Sprintf("%.1f", sumOurs), fmt.Sprintf("%.1f", sumNoMemo),
		fmt.Sprintf("%.1f", sumNode), fmt.Sprintf("%.1f", sumJitless), fmt.Sprintf("%.2f", sumOurs/sumNode)}
	header := []string{"spec", "ours", "ours, no memo", "node (warm)", "node --jitless", "ours/node"}
	if *cold {
		total = append(total, fmt.Sprintf("%.0f", sumOursProcess), fmt.Sprintf("%.0f", sumProcess))
		header = append(header, "gonbviz process per chart", "node process per chart")
	}
	rows = append(rows, total)
	fmt.Fprintf(out, "CPU ms per chart (compile + render to SVG), %d renders per spec after a warm-up, %d specs\n", *n, len(names))
	table(out, header, rows)
	last := fmt.Sprintf("render: ours/node=%.2f ours_nomemo/node=%.2f node_jitless/node=%.2f", sumOurs/sumNode, sumNoMemo/sumNode, sumJitless/sumNode)
	if *cold {
		last += fmt.Sprintf(" ours_process/node_process=%.3f", sumOursProcess/sumProcess)
	}
	fmt.Fprintln(out, last)
	return nil
}

// childCPUTime is the user+system CPU time of this process's finished children.
func childCPUTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
