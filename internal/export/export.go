// SPDX-License-Identifier: Apache-2.0

// Package export turns an executed Jupyter notebook into one self-contained, offline HTML
// page (what `gonbviz export` writes, and each notebook page of the docs site): markdown
// cells rendered, code cells with their source, and every output: text, errors, images,
// HTML (sanitized) and gonbviz charts, which become interactive through the chart loader
// of internal/bundle, with their static SVG shown first and wherever scripts do not run.
//
// A chart is taken from the output's Vega-Lite spec (application/vnd.vegalite.v5+json)
// and its static SVG (image/svg+xml), as the notebook stored them: nothing is rendered
// again. Outputs written by older gonbviz versions, whose text/html carried the libraries
// and the spec, work too. The page carries the libraries once, however many charts it has
// (or none, when a site shares them as files).
//
// Every string taken from the notebook is escaped or sanitized: markdown is rendered with
// raw HTML left out and dangerous links dropped; sources, text outputs and tracebacks are
// escaped; HTML outputs go through an allow-list sanitizer; specs are re-encoded as
// script-safe JSON. The page's Content-Security-Policy allows no network request.
package export

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/gonbviz/gonbviz/internal/bundle"
)

// MIME types an export reads.
const (
	MIMEVegaLite = "application/vnd.vegalite.v5+json"
	MIMESVG      = "image/svg+xml"
	MIMEHTML     = "text/html"
	MIMEText     = "text/plain"
	MIMEMarkdown = "text/markdown"
)

// Options says how to lay out a notebook.
type Options struct {
	// Title of the page; default the text of the notebook's first level-1 heading, else
	// Name.
	Title string
	// Name of the notebook (its file name), for the default title and the page footer.
	Name string
	// IDPrefix starts the DOM id of every chart ("gonbviz-nb" by default); the ids are
	// IDPrefix-c<cell>-<n>, stable from one export to the next.
	IDPrefix string
	// Link, when set, rewrites the destination of every markdown link (the docs site
	// points links to other notebooks at their pages).
	Link func(dest string) string
}

// ChartRef names one chart of a page, for galleries.
type ChartRef struct {
	ID   string // DOM id on the page, a link target
	Cell int    // 1-based cell number
	Text string // the output's one-line description
	SVG  string // the static SVG
}

// Page is a notebook laid out: the parts of an HTML document, its charts and its other
// SVG pictures (network diagrams, ...), in the order of the notebook.
type Page struct {
	Title    string
	Parts    []bundle.Part
	Charts   []ChartRef
	Pictures []ChartRef // ID is the id of the picture's element
}

// Build lays out a parsed notebook.
func Build(nb *Notebook, o Options) (Page, error) {
	if o.IDPrefix == "" {
		o.IDPrefix = "gonbviz-nb"
	}
	p := Page{Title: o.Title}
	if p.Title == "" {
		p.Title = firstHeading(nb)
	}
	if p.Title == "" {
		p.Title = o.Name
	}
	if p.Title == "" {
		p.Title = "notebook"
	}
	md := newMarkdown(o.Link)
	var b strings.Builder // the HTML since the last chart
	flush := func() {
		if b.Len() > 0 {
			p.Parts = append(p.Parts, bundle.Part{HTML: b.String()})
			b.Reset()
		}
	}
	lang := safeClass(nb.Language)
	b.WriteString(`<main class="nb">`)
	for i, c := range nb.Cells {
		cell := i + 1
		switch c.Type {
		case "markdown":
			h, err := md.render(c.Source, c.Attachments)
			if err != nil {
				return Page{}, fmt.Errorf("cell %d: markdown: %w", cell, err)
			}
			fmt.Fprintf(&b, "<section class=\"nb-cell nb-markdown\" id=\"cell-%d\">%s</section>\n", cell, h)
		case "code":
			fmt.Fprintf(&b, "<section class=\"nb-cell nb-code\" id=\"cell-%d\"><div class=\"nb-in\"><span class=\"nb-prompt\">%s</span>", cell, prompt(c.ExecutionCount))
			fmt.Fprintf(&b, "<pre class=\"nb-source\"><code class=\"language-%s\">%s</code></pre></div>", lang, html.EscapeString(c.Source))
			if len(c.Outputs) > 0 {
				b.WriteString(`<div class="nb-outputs">`)
			}
			n, pics := 0, 0
			for j, out := range c.Outputs {
				picID := fmt.Sprintf("%s-c%d-p%d", o.IDPrefix, cell, pics+1)
				chart, h, pic, err := renderOutput(out, md, picID)
				if err != nil {
					return Page{}, fmt.Errorf("cell %d, output %d: %w", cell, j+1, err)
				}
				if pic != nil {
					pics++
					pic.Cell = cell
					p.Pictures = append(p.Pictures, *pic)
				}
				if chart == nil {
					b.WriteString(h)
					continue
				}
				n++
				chart.ID = fmt.Sprintf("%s-c%d-%d", o.IDPrefix, cell, n)
				b.WriteString(`<div class="nb-output nb-chart">`)
				flush()
				p.Parts = append(p.Parts, bundle.Part{Chart: chart})
				p.Charts = append(p.Charts, ChartRef{ID: chart.ID, Cell: cell, Text: chart.Text, SVG: chart.SVG})
				b.WriteString(`</div>`)
			}
			if len(c.Outputs) > 0 {
				b.WriteString(`</div>`)
			}
			b.WriteString("</section>\n")
		default: // raw cells are shown as text
			fmt.Fprintf(&b, "<section class=\"nb-cell nb-raw\" id=\"cell-%d\"><pre>%s</pre></section>\n", cell, html.EscapeString(c.Source))
		}
	}
	b.WriteString("</main>\n")
	if o.Name != "" {
		fmt.Fprintf(&b, "<footer class=\"nb-footer\">%s, exported by gonbviz: the charts are interactive where JavaScript runs, static pictures elsewhere.</footer>\n", html.EscapeString(o.Name))
	}
	flush()
	return p, nil
}

// HTML exports a notebook file's contents as one self-contained page with one inline copy
// of the libraries.
func HTML(notebook []byte, o Options) ([]byte, error) {
	nb, err := Parse(notebook)
	if err != nil {
		return nil, err
	}
	p, err := Build(nb, o)
	if err != nil {
		return nil, err
	}
	return Compose(p)
}

// Compose returns the page as one self-contained HTML document with one inline copy of
// the libraries.
func Compose(p Page) ([]byte, error) {
	return bundle.Compose(bundle.PageOptions{Title: p.Title, CSS: CSS}, p.Parts)
}

// CSS is the style sheet of an exported notebook.
const CSS = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.5}` +
	`h1{font-size:1.7em}h2{font-size:1.3em;margin-top:1.6em}code{font-size:.92em}` +
	`table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}` +
	`.nb-cell{margin:.8em 0}.nb-in{display:flex;gap:.6em;align-items:flex-start}` +
	`.nb-prompt{color:#777;font:12px monospace;min-width:3.5em;padding-top:.7em;text-align:right}` +
	`.nb-source{flex:1;margin:0;background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.6em .8em;overflow:auto;font-size:13px;line-height:1.4}` +
	`.nb-outputs{margin-left:4.1em}.nb-output{margin:.4em 0;overflow:auto}` +
	`.nb-stream,.nb-text,.nb-error{margin:.3em 0;padding:.2em .4em;font-size:13px;line-height:1.35;white-space:pre-wrap;word-break:break-word}` +
	`.nb-stderr{background:#fff5f5}.nb-error{background:#fdecea;color:#8a1c1c;border-left:3px solid #c62828}` +
	`.nb-output img{max-width:100%}.gonbviz-chart{margin:.4em 0}.nb-footer{margin-top:3em;color:#777;font-size:12px}`

func prompt(n int) string {
	if n <= 0 {
		return "[ ]:"
	}
	return "[" + strconv.Itoa(n) + "]:"
}

var classRE = regexp.MustCompile(`[^a-z0-9-]+`)

func safeClass(s string) string {
	s = classRE.ReplaceAllString(strings.ToLower(s), "")
	if s == "" {
		return "text"
	}
	return s
}

var headingRE = regexp.MustCompile(`(?m)^#[ \t]+(.+?)[ \t#]*$`)

// firstHeading is the plain text of the first level-1 heading of the notebook's
// markdown, or "".
func firstHeading(nb *Notebook) string {
	for _, c := range nb.Cells {
		if c.Type != "markdown" {
			continue
		}
		if m := headingRE.FindStringSubmatch(c.Source); m != nil {
			return strings.NewReplacer("`", "", "*", "", "_", "").Replace(m[1])
		}
	}
	return ""
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

// plain removes terminal colour codes.
func plain(s string) string { return ansiRE.ReplaceAllString(s, "") }

// renderOutput returns a chart, or the HTML of any other output; and for an output shown
// as its SVG picture, the picture, which gets the id picID.
func renderOutput(o Output, md *markdown, picID string) (*bundle.Chart, string, *ChartRef, error) {
	switch o.Type {
	case "stream":
		class := "nb-stdout"
		if o.Name == "stderr" {
			class = "nb-stderr"
		}
		return nil, fmt.Sprintf(`<pre class="nb-output nb-stream %s">%s</pre>`, class, html.EscapeString(plain(o.Text))), nil, nil
	case "error":
		var b strings.Builder
		fmt.Fprintf(&b, `<pre class="nb-output nb-error"><b>%s: %s</b>`, html.EscapeString(o.EName), html.EscapeString(plain(o.EValue)))
		if len(o.Traceback) > 0 {
			b.WriteString("\n")
			b.WriteString(html.EscapeString(plain(strings.Join(o.Traceback, "\n"))))
		}
		b.WriteString("</pre>")
		return nil, b.String(), nil, nil
	case "display_data", "execute_result", "update_display_data":
	default:
		return nil, "", nil, nil // not an output a reader sees
	}
	chart, err := chartOf(o)
	if err != nil || chart != nil {
		return chart, "", nil, err
	}
	text, _ := o.DataText(MIMEText)
	alt := html.EscapeString(firstLine(text))
	h, hasHTML := o.DataText(MIMEHTML)
	img := imageOf(o)
	// HTML with scripts (an interactive view, such as a network diagram's) shows its
	// picture: the sanitizer would leave only the static part of it anyway.
	if hasHTML && !(img != "" && strings.Contains(strings.ToLower(h), "<script")) {
		if s := strings.TrimSpace(sanitizeHTML(h)); s != "" {
			return nil, `<div class="nb-output nb-html">` + s + `</div>`, nil, nil
		}
	}
	if img != "" {
		var pic *ChartRef
		if svg, ok := o.DataText(MIMESVG); ok && strings.TrimSpace(svg) != "" {
			pic = &ChartRef{ID: picID, Text: firstLine(text), SVG: svg}
		}
		return nil, fmt.Sprintf(`<div class="nb-output nb-image" id="%s"><img alt="%s" src="%s"></div>`, picID, alt, img), pic, nil
	}
	if m, ok := o.DataText(MIMEMarkdown); ok {
		h, err := md.render(m, nil)
		if err != nil {
			return nil, "", nil, err
		}
		return nil, `<div class="nb-output nb-markdown-output">` + h + `</div>`, nil, nil
	}
	for _, mime := range []string{"text/latex", "application/json"} {
		if raw, ok := o.Data[mime]; ok {
			s, ok := multiline(raw)
			if !ok {
				var buf bytes.Buffer
				if json.Indent(&buf, raw, "", "  ") == nil {
					s = buf.String()
				}
			}
			return nil, fmt.Sprintf(`<pre class="nb-output nb-text">%s</pre>`, html.EscapeString(s)), nil, nil
		}
	}
	if text != "" {
		return nil, fmt.Sprintf(`<pre class="nb-output nb-text">%s</pre>`, html.EscapeString(plain(text))), nil, nil
	}
	return nil, "", nil, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// imageOf returns a data: URI of the output's picture (SVG first, then raster), or "".
func imageOf(o Output) string {
	if svg, ok := o.DataText(MIMESVG); ok && strings.TrimSpace(svg) != "" {
		return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
	}
	for _, mime := range imageTypes {
		if b64, ok := o.DataText(mime); ok {
			b64 = strings.Join(strings.Fields(b64), "")
			if _, err := base64.StdEncoding.DecodeString(b64); err == nil && b64 != "" {
				return "data:" + mime + ";base64," + b64
			}
		}
	}
	return ""
}

// Patterns of the text/html of charts written by older gonbviz versions (the libraries
// and spec inside the output).
var (
	oldChartRE = regexp.MustCompile(`class="gonbviz-chart"`)
	oldSpecRE  = regexp.MustCompile(`(?s)<script type="(application/json|application/gzip;base64)" class="gonbviz-spec">(.*?)</script>`)
	oldSVGRE   = regexp.MustCompile(`<div class="gonbviz-static"><img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">`)
	oldNoteRE  = regexp.MustCompile(`<div class="gonbviz-datanote"[^>]*>([^<]*)</div>`)
)

// chartOf returns the output as a chart when it is one: it has a Vega-Lite spec (the
// vegalite mime type, else, in an older output, the spec inside its text/html) and a
// static SVG.
func chartOf(o Output) (*bundle.Chart, error) {
	var spec []byte
	h, _ := o.DataText(MIMEHTML)
	if raw, ok := o.Data[MIMEVegaLite]; ok {
		s, err := specJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", MIMEVegaLite, err)
		}
		spec = s
	} else if oldChartRE.MatchString(h) {
		m := oldSpecRE.FindStringSubmatch(h)
		if m == nil {
			return nil, nil
		}
		text := []byte(html.UnescapeString(m[2]))
		if m[1] == "application/gzip;base64" {
			var err error
			if text, err = gunzipBase64(m[2]); err != nil {
				return nil, fmt.Errorf("the chart's spec in its HTML: %w", err)
			}
		}
		s, err := specJSON(text)
		if err != nil {
			return nil, fmt.Errorf("the chart's spec in its HTML: %w", err)
		}
		spec = s
	} else {
		return nil, nil
	}
	c := &bundle.Chart{SpecJSON: spec}
	c.Text, _ = o.DataText(MIMEText)
	c.Text = firstLine(c.Text)
	c.SVG, _ = o.DataText(MIMESVG)
	if c.SVG == "" {
		if m := oldSVGRE.FindStringSubmatch(h); m != nil {
			if svg, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
				c.SVG = string(svg)
			}
		}
	}
	for _, m := range oldNoteRE.FindAllStringSubmatch(h, -1) {
		c.Notes = append(c.Notes, html.UnescapeString(m[1]))
	}
	return c, nil
}

// specJSON checks that raw is a JSON object (or a string holding one) and returns it
// compact and script-safe: <, >, & and U+2028/9 escaped, so that no text in it can close
// the <script> element that carries it.
func specJSON(raw []byte) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("the spec does not parse: %v", err)
		}
		raw = bytes.TrimSpace([]byte(s))
	}
	if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return nil, errors.New("the spec is not a JSON object")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	var safe bytes.Buffer
	json.HTMLEscape(&safe, compact.Bytes())
	return safe.Bytes(), nil
}

func gunzipBase64(s string) ([]byte, error) {
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, 256<<20))
}
