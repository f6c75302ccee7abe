// SPDX-License-Identifier: Apache-2.0

// Package render turns a chart (a vegalite.Chart or a Vega-Lite spec) into what is shown
// of it: a static SVG drawn in-process by the real vega and vega-lite code, a
// self-contained HTML page that works offline, and the Jupyter mime bundle of a notebook
// output. Nothing is fetched from the network.
//
//	out, err := render.Chart(chart)
//	svg := out.SVG()                 // the static picture
//	page, err := out.HTML()          // a page: interactive where scripts run, else the SVG
//	mime, err := out.MIMEBundle()    // what notebookviz.Display sends to the notebook
//
// A notebook output carries the chart three ways, so that it reads well wherever it is
// opened, and no JavaScript library, so that a notebook stays small: the Vega-Lite JSON
// (JupyterLab, Notebook 7 and VS Code draw it interactive with their own vega, trusted or
// not), the static SVG (viewers without JavaScript: GitHub, nbviewer, nbconvert's HTML
// export) and a line of text. A page
// (HTML, Page, Document) carries one copy of vega, vega-lite and vega-embed for all its
// charts, each shown as its static SVG until the interactive view replaces it.
//
// A picture has no controls: the static SVG leaves out the layers that only serve
// interaction (vegalite.InteractiveOnlyPrefix), and where parameters are bound to a
// slider, a drop-down or a checkbox, its subtitle ends with a line that says which values
// it shows ("showing step 1500 of 10–1500; move the slider in the interactive view").
// What Vega-Lite warns of while compiling a valid chart is kept in the output's notes,
// each warning once; the notes (with values drawn as gaps) end the chart's subtitle.
package render

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/dsv"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/vegalite"
)

// DefaultMaxRows is the default limit on inline data rows in a chart, as in Altair: past
// it a notebook grows slow to save and to open. gonbviz's own charts downsample to stay
// under it; WithMaxRows(0) lifts the limit for a chart of your own.
const DefaultMaxRows = 5000

// Option changes how a chart is rendered.
type Option func(*options)

type options struct {
	maxRows     int
	actions     bool
	timeout     time.Duration
	id          string
	noStatic    bool
	staticChart *vegalite.Chart
}

// WithMaxRows sets the limit on inline data rows (0: no limit; default DefaultMaxRows).
func WithMaxRows(n int) Option { return func(o *options) { o.maxRows = n } }

// WithActions shows vega-embed's menu (save as SVG/PNG, view the spec) on the
// interactive chart.
func WithActions(on bool) Option { return func(o *options) { o.actions = on } }

// WithTimeout bounds the time to render the static SVG (default 30 s).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithElementID sets the DOM id of the output's root element (default: a fresh random
// one). An output updated in place keeps one id.
func WithElementID(id string) Option { return func(o *options) { o.id = id } }

// WithoutStatic leaves the static SVG out: the output is interactive only, and cheap to
// make (rendering the SVG is most of the cost). For intermediate states of a live chart,
// whose last state is rendered in full.
func WithoutStatic() Option { return func(o *options) { o.noStatic = true } }

// WithStaticChart draws the static SVG from c instead of the chart itself: the same
// picture with less in it, faster to render (charts.CurvesOptions.Static draws one).
func WithStaticChart(c vegalite.Chart) Option { return func(o *options) { o.staticChart = &c } }

func newOptions(opts []Option) options {
	o := options{maxRows: DefaultMaxRows, timeout: 30 * time.Second}
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.id == "" {
		o.id = bundle.NewID()
	}
	return o
}

// Output is a rendered chart.
type Output struct {
	b bundle.Chart
}

// Chart validates and renders a chart. An invalid chart is an error that lists every
// problem with its JSON path; so is a chart with more inline rows than the limit.
func Chart(c vegalite.Chart, opts ...Option) (out *Output, err error) {
	defer guard(&err)
	o := newOptions(opts)
	b, err := prepare(c, &o)
	if err != nil {
		return nil, err
	}
	return &Output{b: b}, nil
}

// Spec validates and renders a Vega-Lite spec given as JSON text.
func Spec(specJSON []byte, opts ...Option) (out *Output, err error) {
	defer guard(&err)
	o := newOptions(opts)
	warmUp(&o)
	if err := vegalite.Validate(specJSON); err != nil {
		return nil, fmt.Errorf("render: the spec is not valid, so nothing was drawn:\n%w", err)
	}
	// Re-encoded script-safe: a spec from a file or a user may hold "</script>" in a
	// string, and the HTML carries the spec in a script element.
	m, err := vegalite.Spec{JSON: specJSON}.Value()
	if err != nil {
		return nil, fmt.Errorf("render: the spec is not a JSON object: %w", err)
	}
	if specJSON, err = vegalite.SafeJSON(m); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	b, err := prepareSpec(specJSON, nil, &o)
	if err != nil {
		return nil, err
	}
	return &Output{b: b}, nil
}

// SVG renders a chart's static SVG: Chart(c, opts...).SVG().
func SVG(c vegalite.Chart, opts ...Option) (string, error) {
	out, err := Chart(c, opts...)
	if err != nil {
		return "", err
	}
	return out.SVG(), nil
}

// SVG is the static picture ("" with WithoutStatic).
func (o *Output) SVG() string { return o.b.SVG }

// Text is the one-line text form: "Vega-Lite bar chart: weights".
func (o *Output) Text() string { return o.b.Text }

// Notes are what a reader should know that the chart does not show: values drawn as gaps,
// what Vega-Lite warned of. The chart says them under its title, in every form.
func (o *Output) Notes() []string { return append([]string(nil), o.b.Notes...) }

// SpecJSON is the Vega-Lite spec the output carries (with the Notes as subtitle lines).
func (o *Output) SpecJSON() []byte { return append([]byte(nil), o.b.SpecJSON...) }

// MIMEBundle is the Jupyter mime bundle of a notebook output: the Vega-Lite spec (which
// JupyterLab, Notebook 7 and VS Code draw interactive with their own vega), the static SVG
// (viewers without JavaScript) and a line of text. It carries no JavaScript library: a
// notebook stays small however many charts it holds.
func (o *Output) MIMEBundle() (map[string]any, error) { return o.b.MIME() }

// MIMEMetadata is the output metadata that goes with MIMEBundle: the options of
// JupyterLab's vega renderer (draw SVG; vega-embed's action menu per WithActions).
func (o *Output) MIMEMetadata() map[string]any { return o.b.Metadata() }

// HTML is a self-contained page holding the chart alone (see Page).
func (o *Output) HTML() ([]byte, error) { return Page(o.b.Text, o) }

// Part is one part of a Document: a chart, or else an HTML fragment (written as given:
// escape what it holds).
type Part struct {
	HTML  string
	Chart *Output
}

// Document is a self-contained HTML page of parts, with one copy of the chart libraries
// for all its charts: interactive where scripts run, static SVG where they do not,
// offline.
func Document(title string, parts ...Part) ([]byte, error) {
	bs := make([]bundle.Part, len(parts))
	for i, p := range parts {
		bs[i].HTML = p.HTML
		if p.Chart != nil {
			c := p.Chart.b
			bs[i].Chart = &c
		}
	}
	return bundle.Document(title, bs)
}

// Page is a Document of charts, one after the other.
func Page(title string, outs ...*Output) ([]byte, error) {
	parts := make([]Part, len(outs))
	for i, o := range outs {
		parts[i].Chart = o
	}
	return Document(title, parts...)
}

// guard turns a panic inside the package into an error, so none escapes the public API.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("render: internal error (please report it): %v", r)
	}
}

func prepare(c vegalite.Chart, o *options) (bundle.Chart, error) {
	warmUp(o)
	spec, err := c.Build()
	if err != nil {
		return bundle.Chart{}, fmt.Errorf("render: the chart is not valid, so nothing was drawn:\n%w", err)
	}
	return prepareSpec(spec.JSON, spec.Notes, o)
}

func prepareSpec(specJSON []byte, notes []vegalite.Note, o *options) (bundle.Chart, error) {
	m, err := vegalite.Spec{JSON: specJSON}.Value()
	if err != nil {
		return bundle.Chart{}, fmt.Errorf("render: the spec is not a JSON object: %w", err)
	}
	if o.maxRows > 0 {
		if n, where := inlineRows(m); n > o.maxRows {
			return bundle.Chart{}, fmt.Errorf(
				"render: the chart has %d inline data rows (%s), more than the limit of %d; "+
					"aggregate or sample the data first, or lift the limit with render.WithMaxRows(0) (notebookviz.WithMaxRows(0) in Display)",
				n, where, o.maxRows)
		}
	}
	noteText := make([]string, len(notes))
	for i, n := range notes {
		noteText[i] = n.String()
	}
	svg := ""
	if !o.noStatic {
		staticJSON := specJSON
		if o.staticChart != nil {
			st, err := o.staticChart.Build()
			if err != nil {
				return bundle.Chart{}, fmt.Errorf("render: the static chart (WithStaticChart) is not valid:\n%w", err)
			}
			staticJSON = st.JSON
		}
		var warnings, staticNotes []string
		if svg, warnings, staticNotes, err = renderStatic(o, staticJSON, noteText); err != nil {
			return bundle.Chart{}, err
		}
		if more := append(withWarnings(noteText, warnings), staticNotes...); len(more) > len(noteText) {
			// Vega-Lite warned of the spec, or images were not fetched: the picture says so too.
			noteText = more
			if svg, _, _, err = renderStatic(o, staticJSON, noteText); err != nil {
				return bundle.Chart{}, err
			}
		}
	}
	shown, err := withNotes(specJSON, noteText)
	if err != nil {
		return bundle.Chart{}, err
	}
	if len(noteText) > 0 {
		if m, err = (vegalite.Spec{JSON: shown}).Value(); err != nil {
			return bundle.Chart{}, fmt.Errorf("render: %w", err)
		}
	}
	return bundle.Chart{
		ID:       o.id,
		Spec:     m,
		SpecJSON: shown,
		SVG:      svg,
		Text:     describe(m),
		Notes:    noteText,
		Actions:  o.actions,
	}, nil
}

// warmUp does in the background, while the spec is validated (the schema compile, the
// largest start-up cost of the first chart of a process, i.e. of every GoNB cell), the other
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

// renderStatic renders a spec, with notes as its last subtitle lines, to the static SVG
// (see staticSpec) within the options' time limit, and returns what Vega-Lite's compiler warned of: what is wrong with the
// spec itself. What the view warns of while it runs is left out: it concerns the data
// ("Infinite extent" for a layer the data leaves empty, such as a box plot's outliers).
// It also returns what the SVG leaves out (images at URLs, which are never fetched).
func renderStatic(o *options, specJSON []byte, notes []string) (svg string, warnings, left []string, err error) {
	withN, err := withNotes(specJSON, notes)
	if err != nil {
		return "", nil, nil, err
	}
	staticJSON, err := staticSpec(withN)
	if err != nil {
		return "", nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	res, err := svgrender.RenderWithWarnings(ctx, staticJSON)
	if err != nil {
		return "", nil, nil, fmt.Errorf("render: rendering the static SVG failed: %w", err)
	}
	return res.SVG, res.CompileWarnings, res.Notes, nil
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
		// Ties go to the first path in byte order: maps are walked in random order, and
		// the error must not change from run to run.
		if n > most || n == most && n > 0 && p < where {
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
