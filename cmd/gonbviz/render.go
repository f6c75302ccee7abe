// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonbviz/gonbviz/render"
)

// renderCmd renders a Vega-Lite spec to a static SVG or a self-contained HTML page.
func renderCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output file: .svg (static) or .html (self-contained, offline, interactive)")
	timeout := fs.Duration("timeout", 60*time.Second, "time limit for rendering")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(stderr, "usage: gonbviz render SPEC.json -o OUT.svg|OUT.html (\"-\" reads the spec from standard input)")
		return 2
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".svg" && ext != ".html" && ext != ".htm" {
		fmt.Fprintf(stderr, "gonbviz render: -o %s: the output must end in .svg or .html\n", *out)
		return 2
	}
	name := fs.Arg(0)
	var spec []byte
	var err error
	if name == "-" {
		spec, err = io.ReadAll(stdin)
	} else {
		spec, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz render: cannot read %s: %v\n", name, err)
		return 1
	}
	// No row limit: the file is what was asked for.
	rendered, err := render.Spec(spec, render.WithTimeout(*timeout), render.WithMaxRows(0))
	if err != nil {
		fmt.Fprintf(stderr, "%s: not rendered: %v\n", name, err)
		return 1
	}
	for _, note := range rendered.Notes() {
		fmt.Fprintf(stderr, "%s: %s\n", name, note)
	}
	data := []byte(rendered.SVG())
	if ext != ".svg" {
		if data, err = render.Page(filepath.Base(name), rendered); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "gonbviz render: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: wrote %s (%d bytes)\n", name, *out, len(data))
	return 0
}

// reorder moves flags before positional arguments, so "render spec.json -o out.svg" works.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
