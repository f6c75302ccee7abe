// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
)

// diagramCmd draws a built-in demo model as a static SVG or a self-contained HTML page.
func diagramCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diagram", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("model", "", "built-in model: "+strings.Join(demo.ModelNames, ", "))
	out := fs.String("o", "", "output file: .svg (static) or .html (interactive, self-contained, with the summary)")
	depth := fs.Int("depth", 0, "0: one box per layer; N: open layers N levels deeper; -1: every op")
	direction := fs.String("direction", "TB", "TB (top to bottom) or LR (left to right)")
	summary := fs.Bool("summary", false, "also print the summary table")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *name == "" || *out == "" {
		fmt.Fprintf(stderr, "usage: gonbviz diagram --model %s [--depth N] [--direction TB|LR] -o OUT.svg|OUT.html\n", strings.Join(demo.ModelNames, "|"))
		return 2
	}
	if _, err := demo.GetModel(*name); err != nil {
		fmt.Fprintf(stderr, "gonbviz diagram: --model %s: unknown model; use one of %s\n", *name, strings.Join(demo.ModelNames, ", "))
		return 2
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".svg" && ext != ".html" && ext != ".htm" {
		fmt.Fprintf(stderr, "gonbviz diagram: -o %s: the output must end in .svg or .html\n", *out)
		return 2
	}
	if *depth < diagram.OpLevel {
		fmt.Fprintf(stderr, "gonbviz diagram: --depth %d: use 0 (layers), a positive number of levels, or -1 (every op)\n", *depth)
		return 2
	}
	opts := diagram.Options{Depth: *depth}
	switch strings.ToUpper(*direction) {
	case "TB", "TOPBOTTOM":
	case "LR", "LEFTRIGHT":
		opts.Direction = diagram.LeftRight
	default:
		fmt.Fprintf(stderr, "gonbviz diagram: --direction %s: use TB (top to bottom) or LR (left to right)\n", *direction)
		return 2
	}
	d, err := demo.Diagram(*name, opts)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz diagram: %v\n", err)
		return 1
	}
	var data []byte
	if ext == ".svg" {
		data, err = d.SVG()
	} else {
		data, err = d.Page()
	}
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz diagram: %v\n", err)
		return 1
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "gonbviz diagram: %v\n", err)
		return 1
	}
	if *summary {
		fmt.Fprint(stdout, d.Summary())
	}
	total, trainable := d.Params()
	fmt.Fprintf(stdout, "%s: wrote %s (%d bytes): %d ops, %d params (%d trainable)\n", *name, *out, len(data), d.NumOps(), total, trainable)
	return 0
}
