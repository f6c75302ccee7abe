// SPDX-License-Identifier: Apache-2.0

// Command gonbviz is the gonbviz command line.
//
// Usage:
//
//	gonbviz demo [-out DIR]              train an MLP on digits and write an offline HTML report
//	gonbviz validate FILE...             check Vega-Lite specs against the embedded v5.23.0 schema
//	gonbviz render SPEC -o OUT.svg|.html  render a spec to a static SVG or a self-contained page
//	gonbviz diagram --model mlp|cnn|transformer -o OUT.svg|.html  draw a built-in model
//	gonbviz new NAME.ipynb               write a starter notebook that uses this checkout
//	gonbviz tensorboard LOGDIR -o OUT.html  a TensorBoard log directory as one offline report
//	gonbviz export NOTEBOOK.ipynb -o OUT.html  an executed notebook as one offline, interactive page
//
// "-" reads a spec from standard input.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `gonbviz: model visualisation for GoNB notebooks

Usage:
  gonbviz demo [-out DIR] [-steps N] [-sweep-steps N]
                             train an MLP on handwritten digits with the best backend found
                             (XLA on a GPU where a PJRT plugin exists, else pure Go) and write
                             DIR/report.html (default gonbviz-demo/): self-contained, offline
  gonbviz validate FILE...   check Vega-Lite v5 specs ("-" reads standard input);
                             prints "FILE: ok" or one "FILE: /json/path: problem" line per problem;
                             exit status 0 when all are valid, 1 otherwise
  gonbviz render SPEC -o OUT.svg|OUT.html
                             render a spec in-process (the real vega and vega-lite code, no
                             Node, no network) to a static SVG, or to a self-contained HTML
                             page that works offline
  gonbviz diagram --model mlp|cnn|transformer [--depth N] [--direction TB|LR] [--summary] -o OUT.svg|OUT.html
                             draw the network structure of a built-in demo model (built, not
                             trained): one box per layer (--depth opens layers down to ops,
                             -1 every op); .html is interactive (click a box to open it) and
                             carries the summary table
  gonbviz new [-gonbviz DIR] NAME.ipynb
                             write a starter notebook (never over an existing file) whose first
                             cell points its Go module at this gonbviz checkout (the one
                             holding the working directory, or DIR); then a chart, a model's
                             diagram, the demo MLP trained with a live dashboard, and the
                             last run read back with runs.Latest
  gonbviz tensorboard LOGDIR -o REPORT.html [-title T]
                             turn a TensorBoard log directory (TensorBoard, TensorFlow,
                             tensorboardX, PyTorch's SummaryWriter, gonbviz runs) into one
                             offline HTML report: the runs' scalars overlaid with smoothing,
                             each run's histograms and distributions, its texts
  gonbviz export NOTEBOOK.ipynb -o OUT.html [-title T]
                             write an executed notebook as one self-contained, offline HTML
                             page: markdown, code, outputs, and every gonbviz chart
                             interactive (the libraries inlined once), its static SVG shown
                             where JavaScript does not run
  gonbviz help               this text
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status: 0 success, 1 a check failed,
// 2 bad usage.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "validate":
		return validateCmd(args[1:], stdin, stdout, stderr)
	case "render":
		return renderCmd(args[1:], stdin, stdout, stderr)
	case "diagram":
		return diagramCmd(args[1:], stdout, stderr)
	case "demo":
		return demoCmd(args[1:], stdout, stderr)
	case "new":
		return newCmd(args[1:], stdout, stderr)
	case "tensorboard":
		return tensorboardCmd(args[1:], stdout, stderr)
	case "export":
		return exportCmd(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "gonbviz: unknown command %q; run \"gonbviz help\" for the list\n", args[0])
	return 2
}
