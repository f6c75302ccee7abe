// SPDX-License-Identifier: Apache-2.0

// Command site builds gonbviz's docs site from the executed example notebooks: an index
// with a learning path through the notebooks and a gallery (one static thumbnail per
// chart), every notebook as a page whose charts are interactive, the API overview with
// each public package's `go doc -all`, and the vega libraries as files, once for the whole
// site. No page loads anything from the network, and every page reads without JavaScript
// (the charts' static SVGs).
//
// Usage, from the repository root (scripts/build-site.sh does this):
//
//	go run ./internal/cmd/site -o docs/site
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.Out, "o", "", "the folder to write the site into (made anew)")
	flag.StringVar(&o.Notebooks, "notebooks", "docs/notebooks", "the folder of executed notebooks (*.ipynb)")
	flag.StringVar(&o.Gallery, "gallery", "docs/gallery", "the folder of the chart builders' gallery pictures")
	flag.StringVar(&o.Repo, "repo", ".", "the repository root, for go list and go doc")
	flag.BoolVar(&o.NoAPI, "no-api", false, "leave out the API pages (no go doc)")
	flag.Parse()
	if o.Out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/site -o DIR [-notebooks DIR] [-gallery DIR] [-repo DIR] [-no-api]")
		os.Exit(2)
	}
	s, err := build(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "site: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("site: %d notebook pages with %d interactive charts, %d thumbnails in the gallery, %d API pages; %d files, %d KB in %s\n",
		len(s.Notebooks), s.Charts, s.Pictures, s.APIPages, s.Files, s.Bytes>>10, o.Out)
}
