// SPDX-License-Identifier: Apache-2.0

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gonbviz/gonbviz/internal/starter"
)

// newCmd writes a starter notebook whose first cell points at a gonbviz checkout.
func newCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	checkout := fs.String("gonbviz", "", "the gonbviz checkout the notebook uses (default: the one holding the working directory)")
	if err := fs.Parse(reorder(args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: gonbviz new [-gonbviz DIR] NAME.ipynb")
		return 2
	}
	path := fs.Arg(0)
	dir := *checkout
	if dir == "" {
		wd, err := os.Getwd()
		if err == nil {
			dir, err = starter.FindCheckout(wd)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gonbviz new: %v; the notebook's first cell must point at a clone of gonbviz (no version is published yet): run gonbviz new from your clone, or pass -gonbviz /path/to/gonbviz\n", err)
			return 1
		}
	} else {
		abs, err := filepath.Abs(dir)
		if err != nil || !starter.IsCheckout(abs) {
			fmt.Fprintf(stderr, "gonbviz new: -gonbviz %s: not a gonbviz checkout (its go.mod declares module %s); pass the directory of your clone\n", dir, starter.Module)
			return 2
		}
		dir = abs
	}
	if err := starter.Write(path, dir); err != nil {
		fmt.Fprintf(stderr, "gonbviz new: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: a starter notebook using gonbviz at %s\n", path, dir)
	if jupyter := filepath.Join(dir, ".venv", "bin", "jupyter"); fileExists(jupyter) {
		fmt.Fprintf(stdout, "open it with: %s lab %s\n", jupyter, path)
	} else {
		fmt.Fprintf(stdout, "open it in a JupyterLab with the GoNB kernel (bash %s installs one into %s)\n",
			filepath.Join(dir, "scripts", "setup-jupyter.sh"), filepath.Join(dir, ".venv"))
	}
	return 0
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}
