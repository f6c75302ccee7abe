// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/bundle"
)

// DisplayDiagram shows a network diagram (see package diagram) in the current GoNB cell:
// the interactive view where scripts run (click a box to open it, hover for details), the
// static SVG everywhere else (as an image, which HTML sanitizers keep), and the summary
// table as text. Outside a notebook it writes a self-contained HTML page (diagram and
// summary) and prints its path on standard error. WithOutputDir and WithName apply.
func DisplayDiagram(d *diagram.Diagram, opts ...Option) (err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	if d == nil {
		err = fmt.Errorf("notebookviz: DisplayDiagram: the diagram is nil")
		showError(&o, err)
		return err
	}
	if !o.inNotebook() {
		page, err := d.Page()
		if err != nil {
			return err
		}
		dir := outDir(&o)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("notebookviz: cannot create the output directory: %w", err)
		}
		name := o.name
		if name == "" {
			name = fmt.Sprintf("diagram-%d-%d", os.Getpid(), fileSeq.Add(1))
		}
		path := filepath.Join(dir, safeFileName(name)+".html")
		if err := writeAtomic(path, page); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "notebookviz: not in a notebook; wrote %s\n", path)
		return nil
	}
	mime, err := DiagramMIME(d)
	if err != nil {
		showError(&o, err)
		return err
	}
	return o.send(mime, "")
}

// DiagramMIME returns the Jupyter mime bundle DisplayDiagram sends: text/html (interactive
// diagram with its static fallback), image/svg+xml (the static diagram) and text/plain
// (the summary table).
func DiagramMIME(d *diagram.Diagram) (map[string]any, error) {
	h, err := d.HTML()
	if err != nil {
		return nil, err
	}
	svg, err := d.SVG()
	if err != nil {
		return nil, err
	}
	return map[string]any{
		bundle.MIMEHTML: h,
		bundle.MIMESVG:  string(svg),
		bundle.MIMEText: d.Summary(),
	}, nil
}

// DisplaySummary shows the Keras-like summary table of a diagram's model (HTML and text).
// Outside a notebook it prints the text table on standard output.
func DisplaySummary(d *diagram.Diagram, opts ...Option) (err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	if d == nil {
		return fmt.Errorf("notebookviz: DisplaySummary: the diagram is nil")
	}
	if !o.inNotebook() {
		fmt.Print(d.Summary())
		return nil
	}
	return o.send(map[string]any{bundle.MIMEHTML: d.SummaryHTML(), bundle.MIMEText: d.Summary()}, "")
}
