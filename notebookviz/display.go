// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gonbviz/gonbviz/internal/atomicfile"
	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/gonbout"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/vegalite"
)

// Option changes how a chart is displayed.
type Option func(*options)

type options struct {
	maxRows   int
	actions   bool
	outDir    string
	timeout   time.Duration
	name      string
	inNB      *bool // for tests: force notebook or file output
	sendFn    func(mime, metadata map[string]any, displayID string) error
	announced *atomic.Bool
	noStatic  bool // leave the static SVG out (intermediate live updates)
}

func defaults() options {
	return options{maxRows: render.DefaultMaxRows, timeout: 30 * time.Second}
}

// render renders c under the display options, with extra options after them.
func (o *options) render(c vegalite.Chart, extra ...render.Option) (*render.Output, error) {
	return render.Chart(c, o.renderOptions(extra)...)
}

func (o *options) renderOptions(extra []render.Option) []render.Option {
	opts := []render.Option{render.WithMaxRows(o.maxRows), render.WithActions(o.actions), render.WithTimeout(o.timeout)}
	if o.noStatic {
		opts = append(opts, render.WithoutStatic())
	}
	return append(opts, extra...)
}

// WithMaxRows sets the limit on inline data rows (0: no limit; default
// render.DefaultMaxRows).
func WithMaxRows(n int) Option { return func(o *options) { o.maxRows = n } }

// WithActions shows vega-embed's menu (save as SVG/PNG, view the spec) on the chart.
func WithActions(on bool) Option { return func(o *options) { o.actions = on } }

// WithOutputDir sets where charts displayed outside a notebook are written (default: the
// directory in $GONBVIZ_OUT_DIR, else gonbviz under the system's temporary directory).
func WithOutputDir(dir string) Option { return func(o *options) { o.outDir = dir } }

// WithName sets the file name (without .html) of a chart written outside a notebook.
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithRenderTimeout bounds the time to render the static SVG (default 30 s).
func WithRenderTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Display shows a chart in the current GoNB cell: interactive where scripts run, a static
// SVG everywhere else. Outside a notebook it writes a self-contained HTML file and prints
// its path on standard error. An invalid chart is never sent: the cell shows the problems,
// with their JSON paths, and Display returns them.
func Display(c vegalite.Chart, opts ...Option) (err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	out, err := o.render(c)
	if err != nil {
		showError(&o, err)
		return err
	}
	return show(&o, out, "")
}

// DisplaySpec shows a Vega-Lite spec given as JSON text, validated first.
func DisplaySpec(specJSON []byte, opts ...Option) (err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	out, err := render.Spec(specJSON, o.renderOptions(nil)...)
	if err != nil {
		showError(&o, err)
		return err
	}
	return show(&o, out, "")
}

func (o *options) inNotebook() bool {
	if o.inNB != nil {
		return *o.inNB
	}
	return gonbout.InNotebook()
}

func (o *options) send(mime map[string]any, displayID string) error {
	return o.sendWith(mime, nil, displayID)
}

func (o *options) sendWith(mime, metadata map[string]any, displayID string) error {
	if o.sendFn != nil {
		return o.sendFn(mime, metadata, displayID)
	}
	return gonbout.Send(mime, metadata, displayID)
}

// show sends the bundle (displayID "" for a new output) or writes it to a file.
func show(o *options, b *render.Output, displayID string) error {
	if !o.inNotebook() {
		path, err := writeFile(o, b)
		if err != nil {
			return err
		}
		if o.announced == nil || !o.announced.Swap(true) {
			fmt.Fprintf(os.Stderr, "notebookviz: not in a notebook; wrote %s\n", path)
		}
		return nil
	}
	mime, err := b.MIMEBundle()
	if err != nil {
		return err
	}
	return o.sendWith(mime, b.MIMEMetadata(), displayID)
}

// showError puts a readable error in the cell (in a notebook); outside one the returned
// error is enough.
func showError(o *options, err error) {
	if !o.inNotebook() {
		return
	}
	lines := strings.Split(err.Error(), "\n")
	var b strings.Builder
	b.WriteString(`<div class="gonbviz-error" style="font:13px monospace;color:#a00;border-left:3px solid #a00;padding:4px 8px;white-space:pre-wrap">`)
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(html.EscapeString(l))
	}
	b.WriteString(`</div>`)
	_ = o.send(map[string]any{bundle.MIMEHTML: b.String(), bundle.MIMEText: err.Error()}, "")
}

var fileSeq atomic.Int64

func outDir(o *options) string {
	if o.outDir != "" {
		return o.outDir
	}
	if d := os.Getenv("GONBVIZ_OUT_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "gonbviz")
}

// writeFile writes the chart as a self-contained page, atomically (a reader never sees a
// half-written file), and returns its path.
func writeFile(o *options, b *render.Output) (string, error) {
	dir := outDir(o)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("notebookviz: cannot create the output directory: %w", err)
	}
	name := o.name
	if name == "" {
		name = fmt.Sprintf("chart-%d-%d", os.Getpid(), fileSeq.Add(1))
	}
	path := filepath.Join(dir, safeFileName(name)+".html")
	page, err := b.HTML()
	if err != nil {
		return "", err
	}
	return path, writeAtomic(path, page)
}

// writeAtomic replaces path with data atomically: a reader never sees a half-written page.
func writeAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data, false); err != nil {
		return fmt.Errorf("notebookviz: %w", err)
	}
	return nil
}

func safeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// SaveHTML writes charts, one after the other, to a self-contained HTML file that works
// offline: interactive where scripts run, static SVG where they do not.
func SaveHTML(path, title string, charts ...vegalite.Chart) (err error) {
	defer guard(&err)
	o := defaults()
	outs := make([]*render.Output, len(charts))
	for i, c := range charts {
		if outs[i], err = o.render(c); err != nil {
			return fmt.Errorf("notebookviz: SaveHTML: charts[%d]: %w", i, err)
		}
	}
	page, err := render.Page(title, outs...)
	if err != nil {
		return err
	}
	return writeAtomic(path, page)
}

// Live is a chart output updated in place, e.g. a training curve redrawn as it grows.
// Update may be called from any goroutine; updates are sent in order, and after a notebook
// is saved only the last state remains. Outside a notebook, each update rewrites the same
// HTML file.
type Live struct {
	mu      sync.Mutex
	o       options
	id      string // DOM id, stable across updates
	display string // GoNB display id
}

// NewLive returns a live output; nothing is shown until the first Update.
func NewLive(opts ...Option) *Live {
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	if o.name == "" {
		o.name = fmt.Sprintf("live-%d-%d", os.Getpid(), fileSeq.Add(1))
	}
	o.announced = &atomic.Bool{}
	id := bundle.NewID()
	return &Live{o: o, id: id, display: "display-" + id}
}

// Update replaces the output with the chart, with its static SVG. An invalid chart leaves
// the last good state in place and returns the error.
func (l *Live) Update(c vegalite.Chart) (err error) {
	defer guard(&err)
	return l.update(c, true, nil)
}

// UpdateInteractive replaces the output with the chart without rendering a new static SVG
// (the costly part of an update: the interactive view is what a running notebook shows).
// The output keeps no static chart until the next Update; end with Update, so the saved
// notebook and viewers without JavaScript get the final state.
func (l *Live) UpdateInteractive(c vegalite.Chart) (err error) {
	defer guard(&err)
	return l.update(c, false, nil)
}

// update replaces the output with c. With static false it carries no static SVG; with
// static true the SVG is drawn from staticChart when given (the same picture with less in
// it, much cheaper to render: see Dashboard), else from c.
func (l *Live) update(c vegalite.Chart, static bool, staticChart *vegalite.Chart) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	o := l.o
	o.noStatic = !static
	extra := []render.Option{render.WithElementID(l.id)}
	if static && staticChart != nil {
		extra = append(extra, render.WithStaticChart(*staticChart))
	}
	out, err := o.render(c, extra...)
	if err != nil {
		return err
	}
	return show(&o, out, l.display)
}

// guard turns a panic inside the package into an error, so none escapes the public API.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("notebookviz: internal error (please report it): %v", r)
	}
}
