// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// firstChart is the chart the child processes of runFirstChart prepare.
func firstChart() vl.Chart {
	type row struct {
		Step int     `json:"step"`
		Loss float64 `json:"loss"`
	}
	rows := make([]row, 200)
	for i := range rows {
		rows[i] = row{i, 1 / float64(i+1)}
	}
	return vl.NewChart().Title("loss").Data(vl.Values(rows)).Mark(vl.Line()).Encode(vl.X("step:Q"), vl.Y("loss:Q"))
}

// runFirstChart measures what the first chart of a new process costs, as every GoNB cell
// pays it: wall time of a process that prepares one chart and its mime bundle (validation,
// static SVG, HTML: render.Chart, then MIMEBundle) with the bytecode cache filled and with
// it off, against one node process rendering the same spec to SVG. Medians of n
// alternated runs.
func runFirstChart(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("firstchart", flag.ContinueOnError)
	n := fs.Int("n", 7, "processes of each kind")
	child := fs.Bool("child", false, "prepare the chart and exit (the measured process)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *child {
		b, err := render.Chart(firstChart())
		if err == nil {
			_, err = b.MIMEBundle() // the output a notebook receives, HTML included
		}
		return err
	}
	spec, err := firstChart().JSON()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gonbviz-bench-firstchart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ours := func(cacheDir string) (time.Duration, error) {
		cmd := exec.Command(self, "firstchart", "-child")
		cmd.Env = append(os.Environ(), "GONBVIZ_CACHE_DIR="+cacheDir, "GONBVIZ_OUT_DIR="+tmp)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("child: %v\n%s", err, out)
		}
		return time.Since(start), nil
	}
	cache := filepath.Join(tmp, "cache")
	if _, err := ours(cache); err != nil { // fills the cache
		return err
	}
	kinds := []struct {
		name string
		run  func() (time.Duration, error)
	}{
		{"gonbviz, bytecode cached", func() (time.Duration, error) { return ours(cache) }},
		{"gonbviz, cache off", func() (time.Duration, error) { return ours("off") }},
		{"node process (SVG only)", func() (time.Duration, error) {
			start := time.Now()
			_, err := nodecheck.Check(map[string][]byte{"chart": spec}, true)
			return time.Since(start), err
		}},
	}
	times := make([][]float64, len(kinds))
	for range *n {
		for i, k := range kinds {
			d, err := k.run()
			if err != nil {
				return fmt.Errorf("%s: %v", k.name, err)
			}
			times[i] = append(times[i], float64(d)/float64(time.Millisecond))
		}
	}
	med := make([]float64, len(kinds))
	var rows [][]string
	for i, k := range kinds {
		slices.Sort(times[i])
		med[i] = times[i][len(times[i])/2]
		rows = append(rows, []string{k.name, fmt.Sprintf("%.0f", med[i]), fmt.Sprintf("%.0f", times[i][0])})
	}
	fmt.Fprintf(out, "wall ms of a new process showing its first chart (a 200-point line), median of %d\n", *n)
	table(out, []string{"process", "median ms", "min ms"}, rows)
	fmt.Fprintf(out, "firstchart: cached/uncached=%.2f cached/node_process=%.2f\n", med[0]/med[1], med[0]/med[2])
	return nil
}
