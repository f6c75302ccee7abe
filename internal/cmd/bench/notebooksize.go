// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/starter"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// nbOutput is one output of a saved notebook, sized.
type nbOutput struct {
	cell  int
	kinds map[string]int // mime type (or stream/NAME, error) -> bytes of its content
	total int
	chart bool // a Vega-Lite chart (has the vegalite mime type)
	spec  int  // bytes of the spec, compact JSON
	svg   int  // bytes of the static SVG
	libs  int  // copies of the vega libraries in its text/html
	html  htmlParts
}

// htmlParts splits an output's text/html by what it carries.
type htmlParts struct {
	libs, staticSVG, spec, rest int
}

// nbSize is what one notebook weighs.
type nbSize struct {
	name    string
	bytes   int
	cells   int
	outputs []nbOutput
}

var (
	libRE  = regexp.MustCompile(`<script type="application/gzip;base64" class="` + regexp.QuoteMeta(bundle.LibClass) + `">[^<]*</script>`)
	imgRE  = regexp.MustCompile(`<img [^>]*src="data:image/svg\+xml;base64,[^"]*">`)
	specRE = regexp.MustCompile(`<script type="application/(?:json|gzip;base64)" class="gonbviz-spec">[^<]*</script>`)
)

// measureNotebook sizes the outputs of a saved .ipynb: per output and mime type, the bytes
// of the content (text as text, JSON values as compact JSON), and what its HTML carries.
func measureNotebook(name string, data []byte) (nbSize, error) {
	cells, outs, err := notebooktest.ParseCells(data)
	if err != nil {
		return nbSize{}, fmt.Errorf("%s: not a notebook: %v", name, err)
	}
	s := nbSize{name: name, bytes: len(data), cells: cells}
	for _, o := range outs {
		out := nbOutput{cell: o.Cell, kinds: map[string]int{}}
		switch o.Type {
		case "stream":
			out.kinds["stream/"+o.Name] = len(o.Text)
		case "error":
			out.kinds["error"] = len(o.EName) + len(o.EValue) + len(strings.Join(o.Traceback, "\n"))
		default:
			for mime := range o.Data {
				n, text := contentSize(o, mime)
				out.kinds[mime] = n
				switch mime {
				case bundle.MIMEVegaLite:
					out.chart, out.spec = true, n
				case bundle.MIMESVG:
					out.svg = n
				case bundle.MIMEHTML:
					out.html = splitHTML(text)
					out.libs = len(libRE.FindAllStringIndex(text, -1))
				}
			}
		}
		for _, n := range out.kinds {
			out.total += n
		}
		s.outputs = append(s.outputs, out)
	}
	return s, nil
}

// contentSize is the size of a mime type's content: the text of a string (or list of
// strings), else the compact JSON of the value.
func contentSize(o notebooktest.Output, mime string) (int, string) {
	if text, ok := o.DataText(mime); ok {
		return len(text), text
	}
	raw := o.Data[mime]
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return len(raw), ""
	}
	return b.Len(), ""
}

func splitHTML(h string) htmlParts {
	var p htmlParts
	for _, m := range libRE.FindAllString(h, -1) {
		p.libs += len(m)
	}
	for _, m := range imgRE.FindAllString(h, -1) {
		p.staticSVG += len(m)
	}
	for _, m := range specRE.FindAllString(h, -1) {
		p.spec += len(m)
	}
	p.rest = len(h) - p.libs - p.staticSVG - p.spec
	return p
}

// runNotebookSize reads the executed notebooks (docs/notebooks/*.ipynb) and prints what
// their outputs weigh: per notebook and output kind, the copies of the vega libraries, what
// a chart's HTML carries, and each chart output against its spec and static SVG.
// Nothing is executed.
func runNotebookSize(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("notebooksize", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory of the notebooks (default: docs/notebooks of this checkout)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	shown := *dir
	if *dir == "" {
		root, err := starter.FindCheckout(".")
		if err != nil {
			return fmt.Errorf("%v; run it in the checkout, or pass -dir", err)
		}
		*dir, shown = filepath.Join(root, "docs", "notebooks"), "docs/notebooks"
	}
	paths, err := filepath.Glob(filepath.Join(*dir, "*.ipynb"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no .ipynb in %s", *dir)
	}
	sort.Strings(paths)
	var sizes []nbSize
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s, err := measureNotebook(filepath.Base(p), data)
		if err != nil {
			return err
		}
		sizes = append(sizes, s)
	}
	printNotebookSizes(out, shown, sizes)
	return nil
}

func printNotebookSizes(out io.Writer, dir string, sizes []nbSize) {
	fmt.Fprintf(out, "CPU: %s (nothing is executed: the figures are the saved files')\n", cpuModel())
	fmt.Fprintf(out, "%s/*.ipynb as saved; an output's bytes are its contents (text as text, JSON values as compact JSON); MB = 10^6 bytes\n\n", dir)

	kb := func(n int) string { return fmt.Sprintf("%.1f", float64(n)/1e3) }
	var rows [][]string
	maxBytes, maxCopies, maxRatio := 0, 0, 0.0
	for _, s := range sizes {
		charts, copies, libBytes, outBytes := 0, 0, 0, 0
		for _, o := range s.outputs {
			if o.chart {
				charts++
			}
			copies += o.libs
			libBytes += o.html.libs
			outBytes += o.total
		}
		rows = append(rows, []string{s.name, kb(s.bytes), fmt.Sprint(s.cells), fmt.Sprint(len(s.outputs)), fmt.Sprint(charts),
			fmt.Sprint(copies), kb(libBytes), fmt.Sprintf("%.0f%%", 100*float64(libBytes)/float64(s.bytes)), kb(s.bytes - outBytes)})
		maxBytes, maxCopies = max(maxBytes, s.bytes), max(maxCopies, copies)
	}
	fmt.Fprintln(out, "per notebook (kB = 10^3 bytes; rest: cell sources, metadata, JSON syntax and escaping)")
	table(out, []string{"notebook", "kB", "cells", "outputs", "charts", "lib copies", "libs kB", "libs share", "rest kB"}, rows)

	rows = nil
	for _, s := range sizes {
		count, total := map[string]int{}, map[string]int{}
		for _, o := range s.outputs {
			for k, n := range o.kinds {
				count[k]++
				total[k] += n
			}
		}
		kinds := make([]string, 0, len(total))
		for k := range total {
			kinds = append(kinds, k)
		}
		sort.Slice(kinds, func(i, j int) bool {
			return total[kinds[i]] > total[kinds[j]] || total[kinds[i]] == total[kinds[j]] && kinds[i] < kinds[j]
		})
		for _, k := range kinds {
			rows = append(rows, []string{s.name, k, fmt.Sprint(count[k]), kb(total[k]), fmt.Sprintf("%.1f%%", 100*float64(total[k])/float64(s.bytes))})
		}
	}
	fmt.Fprintln(out, "\nper output kind")
	table(out, []string{"notebook", "kind", "outputs", "kB", "of the notebook"}, rows)

	rows = nil
	for _, s := range sizes {
		for _, o := range s.outputs {
			if !o.chart {
				continue
			}
			ratio := float64(o.total) / float64(o.spec+o.svg)
			maxRatio = max(maxRatio, ratio)
			h := o.html
			rows = append(rows, []string{s.name, fmt.Sprint(o.cell), kb(o.total), kb(o.spec), kb(o.svg),
				kb(h.libs), kb(h.staticSVG), kb(h.spec), kb(h.rest), fmt.Sprintf("%.1f", ratio)})
		}
	}
	fmt.Fprintln(out, "\nchart outputs (those with a Vega-Lite spec): all mime types against spec + static SVG, and what text/html carries")
	table(out, []string{"notebook", "cell", "output kB", "spec kB", "svg kB", "html: libs kB", "svg img kB", "spec kB", "rest kB", "output/(spec+svg)"}, rows)

	fmt.Fprintf(out, "notebooksize: max_notebook_mb=%.2f lib_copies_max=%d output/(spec+svg)_max=%.1f\n", float64(maxBytes)/1e6, maxCopies, maxRatio)
}
