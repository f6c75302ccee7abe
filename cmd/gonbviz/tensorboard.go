// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/notebookviz"
	"github.com/gonbviz/gonbviz/tensorboard"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// tensorboardCmd turns a TensorBoard log directory into one offline HTML report: the runs'
// scalars overlaid (with smoothing), each run's histograms and distributions, its texts.
func tensorboardCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tensorboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the report to write: an .html file")
	title := fs.String("title", "", "the report's title (default: the log directory's name)")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(stderr, "usage: gonbviz tensorboard LOGDIR -o REPORT.html")
		return 2
	}
	if ext := strings.ToLower(filepath.Ext(*out)); ext != ".html" && ext != ".htm" {
		fmt.Fprintf(stderr, "gonbviz tensorboard: -o %s: the report is an HTML page; name it REPORT.html\n", *out)
		return 2
	}
	logdir := fs.Arg(0)
	log, err := tensorboard.Read(logdir)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz tensorboard: %v\n", err)
		return 1
	}
	if *title == "" {
		abs, _ := filepath.Abs(logdir)
		*title = "TensorBoard log " + filepath.Base(abs)
	}
	report, err := tensorboardReport(log, *title)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz tensorboard: %v\n", err)
		return 1
	}
	if err := report.WriteHTML(*out); err != nil {
		fmt.Fprintf(stderr, "gonbviz tensorboard: %v\n", err)
		return 1
	}
	for _, n := range log.Notes {
		fmt.Fprintf(stderr, "%s: %s\n", logdir, n)
	}
	fmt.Fprintf(stdout, "%s: %d runs; wrote %s\n", logdir, len(log.Runs), *out)
	return 0
}

// tensorboardReport lays a log out as a report: a summary of its runs, the scalars of all
// runs in one curves chart, then per run its histograms and distributions by kind, and its
// texts.
func tensorboardReport(log *tensorboard.Log, title string) (notebookviz.Report, error) {
	summary := notebookviz.Section{Heading: "Runs"}
	for _, r := range log.Runs {
		var skipped []string
		for _, kind := range slices.Sorted(maps.Keys(r.Skipped)) {
			skipped = append(skipped, fmt.Sprintf("%d %s", r.Skipped[kind], kind))
		}
		row := fmt.Sprintf("%d scalar, %d histogram and %d text series from %d event files",
			len(r.Scalars), len(r.Histograms), len(r.Texts), len(r.Files))
		if len(skipped) > 0 {
			row += "; not drawn: " + strings.Join(skipped, ", ")
		}
		summary.Table = append(summary.Table, [2]string{r.Name, row})
	}
	summary.Text = strings.Join(log.Notes, "\n")
	sections := []notebookviz.Section{summary}

	if curves := charts.TensorBoardCurves(log, 0); len(curves) > 0 {
		c, err := charts.Curves(curves, charts.CurvesOptions{Title: "scalars"})
		if err != nil {
			return notebookviz.Report{}, err
		}
		sections = append(sections, notebookviz.Section{
			Heading: "Scalars",
			Text:    "Every run's scalars, one chart per kind of series, runs in colour (click the legend to pick runs); the smoothing control is TensorBoard's.",
			Charts:  []vl.Chart{c},
		})
	}
	for i := range log.Runs {
		r := &log.Runs[i]
		snaps := capture.TensorBoardSnapshots(r, 0)
		byKind := map[capture.Kind][]capture.Snapshot{}
		for _, s := range snaps {
			byKind[s.Kind] = append(byKind[s.Kind], s)
		}
		var cs []vl.Chart
		for _, kind := range slices.Sorted(maps.Keys(byKind)) {
			h, err := charts.Histograms(byKind[kind], charts.HistogramsOptions{Mode: charts.ModeOffset})
			if err != nil {
				return notebookviz.Report{}, fmt.Errorf("run %s, %s histograms: %w", r.Name, kind, err)
			}
			d, err := charts.Distributions(byKind[kind], charts.DistributionsOptions{})
			if err != nil {
				return notebookviz.Report{}, fmt.Errorf("run %s, %s distributions: %w", r.Name, kind, err)
			}
			cs = append(cs, h, d)
		}
		var texts []string
		for _, t := range r.Texts {
			for _, p := range t.Points {
				texts = append(texts, fmt.Sprintf("%s (step %d): %s", t.Tag, p.Step, p.Text))
			}
		}
		if len(cs) == 0 && len(texts) == 0 {
			continue
		}
		sections = append(sections, notebookviz.Section{
			Heading: "Run " + r.Name,
			Text:    strings.Join(texts, "\n"),
			Charts:  cs,
		})
	}
	return notebookviz.Report{Title: title, Sections: sections}, nil
}
