// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"context"
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
	"github.com/gonbviz/gonbviz/internal/dsv"
	"github.com/gonbviz/gonbviz/internal/gonbout"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/vegalite"
)

// DefaultMaxRows is the default limit on inline data rows in a displayed chart, as in
// Altair: past it a notebook grows slow to save and to open. Charts gonbviz builds itself
// downsample to stay under it; WithMaxRows(0) lifts the limit for a chart of your own.
const DefaultMaxRows = 5000

// Option changes how a chart is displayed.
type Option func(*options)

type options struct {
	maxRows   int
	actions   bool
	outDir    string
	timeout   time.Duration
	name      string
	inNB      *bool // for tests: force notebook or file output
	sendFn    func(mime map[string]any, displayID string) error
	announced *atomic.Bool
	noStatic  bool // leave the static SVG out (intermediate live updates)
}

func defaults() options {
	return options{maxRows: DefaultMaxRows, timeout: 30 * time.Second}
}

// WithMaxRows sets the limit on inline data rows (0: no limit).
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

// Prepare builds, validates, renders and bundles a chart without showing it: the mime
// bundle a notebook output carries (see package bundle for what is in it).
func Prepare(c vegalite.Chart, opts ...Option) (b bundle.Chart, err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	return prepare(c, &o, bundle.NewID())
}

func prepare(c vegalite.Chart, o *options, id string) (bundle.Chart, error) {
	warmUp(o)
	spec, err := c.Build()
	if err != nil {
		return bundle.Chart{}, fmt.Errorf("notebookviz: the chart is not valid, so nothing was drawn:\n%w", err)
	}
	return prepareSpec(spec.JSON, spec.Notes, o, id)
}

func prepareSpec(specJSON []byte, notes []vegalite.Note, o *options, id string) (bundle.Chart, error) {
	m, err := vegalite.Spec{JSON: specJSON}.Value()
	if err != nil {
		return bundle.Chart{}, fmt.Errorf("notebookviz: spec is not a JSON object: %w", err)
	}
	if o.maxRows > 0 {
		if n, where := inlineRows(m); n > o.maxRows {
			return bundle.Chart{}, fmt.Errorf(
				"notebookviz: the chart has %d inline data rows (%s), more than the limit of %d; "+
					"aggregate or sample the data first, or display it anyway with notebookviz.WithMaxRows(0)",
				n, where, o.maxRows)
		}
	}
	noteText := make([]string, len(notes))
	for i, n := range notes {
		noteText[i] = n.String()
	}
	svg := ""
	if !o.noStatic {
		var warnings []string
		if svg, warnings, err = renderStatic(o, specJSON); err != nil {
			return bundle.Chart{}, err
		}
		noteText = withWarnings(noteText, warnings)
	}
	return bundle.Chart{
		ID:       id,
		Spec:     m,
		SpecJSON: specJSON,
		SVG:      svg,
		Text:     describe(m),
		Notes:    noteText,
		Actions:  o.actions,
	}, nil
}

// warmUp does in the background, while the spec is validated (the schema compile,
// about 120 ms for the first chart of a process, i.e. of every GoNB cell), the other
// start-up work of a first output: building the library copy its HTML carries, and
// starting an SVG engine when the chart is drawn statically. It returns at once; once
// done in a process, the goroutine has nothing to do.
func warmUp(o *options) {
	static, timeout := !o.noStatic, o.timeout
	go func() {
		bundle.Warm()
		if static {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			_ = svgrender.Warm(ctx) // a failure shows when the chart is rendered
		}
	}()
}

// renderStatic renders a spec to the static SVG (see staticSpec) within the options'
// time limit, and returns what Vega-Lite's compiler warned of: what is wrong with the
// spec itself. What the view warns of while it runs is left out: it concerns the data
// ("Infinite extent" for a layer the data leaves empty, such as a box plot's outliers).
func renderStatic(o *options, specJSON []byte) (string, []string, error) {
	staticJSON, err := staticSpec(specJSON)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	res, err := svgrender.RenderWithWarnings(ctx, staticJSON)
	if err != nil {
		return "", nil, fmt.Errorf("notebookviz: rendering the static SVG failed: %w", err)
	}
	return res.SVG, res.CompileWarnings, nil
}

// withWarnings adds to a chart's notes what Vega-Lite warned of while compiling it
// ("Selection not supported for boxplot yet."), each warning once: Vega-Lite repeats one
// for every mark it concerns.
func withWarnings(notes, warnings []string) []string {
	seen := map[string]bool{}
	for _, w := range warnings {
		if w = strings.TrimSpace(w); w == "" || seen[w] {
			continue
		}
		seen[w] = true
		notes = append(notes, "warning: "+w)
	}
	return notes
}

// inlineRows counts the rows of inline data anywhere in the spec (arrays of rows, and
// CSV/TSV/DSV text such as vegalite.Data.Compact writes), and says where the largest set is.
func inlineRows(spec map[string]any) (int, string) {
	total, most, where := 0, 0, ""
	count := func(n int, p string) {
		total += n
		if n > most {
			most, where = n, p
		}
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := path + "/" + k
				if vals, ok := e.([]any); ok && (k == "values" || strings.HasSuffix(path, "/datasets")) {
					count(len(vals), p)
					continue
				}
				if text, ok := e.(string); ok && k == "values" {
					if delim, ok := dsv.Delimiter(x["format"]); ok {
						count(dsv.Rows(text, delim), p)
					}
					continue
				}
				walk(e, p)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s/%d", path, i))
			}
		}
	}
	walk(spec, "")
	if where != "" {
		where = fmt.Sprintf("%d at %s", most, where)
	}
	return total, where
}

// describe is the one-line text/plain form of a chart.
func describe(spec map[string]any) string {
	title := ""
	switch t := spec["title"].(type) {
	case string:
		title = t
	case map[string]any:
		title, _ = t["text"].(string)
	}
	if title == "" {
		title, _ = spec["description"].(string)
	}
	kind := "chart"
	switch m := spec["mark"].(type) {
	case string:
		kind = m + " chart"
	case map[string]any:
		if s, ok := m["type"].(string); ok {
			kind = s + " chart"
		}
	}
	for _, k := range []string{"layer", "hconcat", "vconcat", "concat", "facet", "repeat"} {
		if _, ok := spec[k]; ok {
			kind = k + " chart"
		}
	}
	if title != "" {
		return fmt.Sprintf("Vega-Lite %s: %s", kind, title)
	}
	return "Vega-Lite " + kind
}

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
	id := bundle.NewID()
	b, err := prepare(c, &o, id)
	if err != nil {
		showError(&o, err)
		return err
	}
	return show(&o, b, "")
}

// DisplaySpec shows a Vega-Lite spec given as JSON text, validated first.
func DisplaySpec(specJSON []byte, opts ...Option) (err error) {
	defer guard(&err)
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	warmUp(&o)
	if err := vegalite.Validate(specJSON); err != nil {
		err = fmt.Errorf("notebookviz: the spec is not valid, so nothing was drawn:\n%w", err)
		showError(&o, err)
		return err
	}
	b, err := prepareSpec(specJSON, nil, &o, bundle.NewID())
	if err != nil {
		showError(&o, err)
		return err
	}
	return show(&o, b, "")
}

func (o *options) inNotebook() bool {
	if o.inNB != nil {
		return *o.inNB
	}
	return gonbout.InNotebook()
}

func (o *options) send(mime map[string]any, displayID string) error {
	if o.sendFn != nil {
		return o.sendFn(mime, displayID)
	}
	return gonbout.Send(mime, displayID)
}

// show sends the bundle (displayID "" for a new output) or writes it to a file.
func show(o *options, b bundle.Chart, displayID string) error {
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
	mime, err := b.MIME()
	if err != nil {
		return err
	}
	return o.send(mime, displayID)
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
func writeFile(o *options, b bundle.Chart) (string, error) {
	dir := outDir(o)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("notebookviz: cannot create the output directory: %w", err)
	}
	name := o.name
	if name == "" {
		name = fmt.Sprintf("chart-%d-%d", os.Getpid(), fileSeq.Add(1))
	}
	path := filepath.Join(dir, safeFileName(name)+".html")
	page, err := bundle.Page(b.Text, b)
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
	bs := make([]bundle.Chart, len(charts))
	for i, c := range charts {
		b, err := prepare(c, &o, bundle.NewID())
		if err != nil {
			return fmt.Errorf("notebookviz: SaveHTML: chart %d: %w", i, err)
		}
		bs[i] = b
	}
	page, err := bundle.Page(title, bs...)
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
	o.noStatic = !static || staticChart != nil
	b, err := prepare(c, &o, l.id)
	if err != nil {
		return err
	}
	if static && staticChart != nil {
		st, err := staticChart.Build()
		if err != nil {
			return fmt.Errorf("notebookviz: the static chart is not valid:\n%w", err)
		}
		var warnings []string
		if b.SVG, warnings, err = renderStatic(&o, st.JSON); err != nil {
			return err
		}
		b.Notes = withWarnings(b.Notes, warnings)
	}
	return show(&o, b, l.display)
}

// guard turns a panic inside the package into an error, so none escapes the public API.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("notebookviz: internal error (please report it): %v", r)
	}
}
