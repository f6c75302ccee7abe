// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonbviz/gonbviz/internal/atomicfile"
	"github.com/gonbviz/gonbviz/internal/export"
)

// exportCmd writes an executed notebook as one self-contained, offline HTML page whose
// gonbviz charts are interactive (the libraries inlined once for the whole page).
func exportCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the page to write: an .html file")
	title := fs.String("title", "", "the page's title (default: the notebook's first heading)")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(stderr, "usage: gonbviz export NOTEBOOK.ipynb -o OUT.html")
		return 2
	}
	if ext := strings.ToLower(filepath.Ext(*out)); ext != ".html" && ext != ".htm" {
		fmt.Fprintf(stderr, "gonbviz export: -o %s: the export is an HTML page; name it OUT.html\n", *out)
		return 2
	}
	in := fs.Arg(0)
	data, err := os.ReadFile(in)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz export: %v\n", err)
		return 1
	}
	nb, err := export.Parse(data)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz export: %s: %v\n", in, err)
		return 1
	}
	page, err := export.Build(nb, export.Options{Title: *title, Name: filepath.Base(in)})
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz export: %s: %v\n", in, err)
		return 1
	}
	html, err := export.Compose(page)
	if err != nil {
		fmt.Fprintf(stderr, "gonbviz export: %s: %v\n", in, err)
		return 1
	}
	if err := atomicfile.Write(*out, html, false); err != nil {
		fmt.Fprintf(stderr, "gonbviz export: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d cells, %d charts; wrote %s (%d KB)\n", in, len(nb.Cells), len(page.Charts), *out, len(html)>>10)
	return 0
}
