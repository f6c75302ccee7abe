// SPDX-License-Identifier: Apache-2.0

// Package bundle turns a validated Vega-Lite spec and its static SVG into what a notebook
// output carries (a Jupyter mime bundle) and into self-contained HTML pages.
//
// A notebook output (MIME) holds three representations, so it reads well wherever it is
// opened, and carries no JavaScript library:
//
//   - application/vnd.vegalite.v5+json: the spec as a JSON object, which JupyterLab,
//     Notebook 7 and VS Code draw interactive with their own vega, trusted or not;
//   - image/svg+xml: the static chart, for viewers that run no JavaScript (GitHub, nbviewer,
//     nbconvert's HTML export);
//   - text/plain: a one-line description.
//
// HTML pages (Page, Document) carry, per chart, the static SVG (as an image, which HTML
// sanitizers keep), shown at once and wherever scripts do not run, and the spec; one
// compressed copy of vega, vega-lite and vega-embed per page, which a small loader
// decompresses to replace the SVG with the interactive view (no CDN, no network).
//
// Everything taken from users is escaped: spec JSON is written with <, >, & and U+2028/9
// escaped (vegalite does this), and the description and titles are HTML-escaped.
package bundle

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/gonbviz/gonbviz/internal/jsbundle"
)

// MIME types of a chart output.
const (
	MIMEVegaLite = "application/vnd.vegalite.v5+json"
	MIMEHTML     = "text/html"
	MIMESVG      = "image/svg+xml"
	MIMEText     = "text/plain"
)

//go:embed loader.js
var loaderJS string

// Chart is one chart ready to be shown.
type Chart struct {
	ID       string         // DOM id of the output's root element
	Spec     map[string]any // the spec, decoded (for the vegalite mime type)
	SpecJSON []byte         // the spec text, script-safe
	SVG      string         // the static rendering
	Text     string         // one-line description
	Notes    []string       // what the chart says under its title (NaN written as gaps, ...)
	Actions  bool           // show vega-embed's action menu (export PNG/SVG, view source)
	// SharedLibs leaves the library copy out of this chart's HTML: the page carries one
	// copy for all its charts (Document does this).
	SharedLibs bool
}

// NewID returns a fresh DOM id for an output.
func NewID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "gonbviz-" + hex.EncodeToString(b[:])
}

// compressSpecAt is the spec size from which the HTML carries the spec gzipped and
// base64-encoded rather than as JSON text: the data of a chart (numbers, repeated
// field names) shrinks about 5x, and the HTML of a notebook output holds the spec
// beside the vegalite mime type's copy. Smaller specs stay readable.
const compressSpecAt = 8 << 10

// gzipBase64 is data gzipped and base64-encoded, as the loader's gunzip reads it.
func gzipBase64(data []byte) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// libs is the gzip of vega + vega-lite + vega-embed, base64-encoded, built once.
var libs = sync.OnceValue(func() string {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for _, code := range []string{jsbundle.Vega(), jsbundle.VegaLite(), jsbundle.VegaEmbed()} {
		_, _ = zw.Write([]byte(code))
		_, _ = zw.Write([]byte(";\n"))
	}
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
})

// Warm builds the library copy that outputs carry (once per process; its cost is in
// docs/measurements/costs.md), so that a caller can do it in the background before the first output
// needs it.
func Warm() { libs() }

// Versions names the library versions every page carries; the loader reuses a copy
// already on the page only when these match.
var Versions = fmt.Sprintf("vega@%s vega-lite@%s vega-embed@%s", jsbundle.VegaVersion, jsbundle.VegaLiteVersion, jsbundle.VegaEmbedVersion)

var idRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// HTML returns the text/html representation: static SVG, spec, libraries and loader.
func (c Chart) HTML() (string, error) {
	if !idRE.MatchString(c.ID) {
		return "", fmt.Errorf("bundle: output id %q is not a plain DOM id", c.ID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" class="gonbviz-chart" role="figure" aria-label="%s">`, c.ID, html.EscapeString(c.Text))
	// The static chart is an <img> of the SVG, not inline <svg>: the HTML sanitizers of
	// JupyterLab (untrusted notebooks) and other viewers strip <svg> elements but keep
	// images with data: URIs.
	// Live outputs between two static renderings carry none (SVG ""): the interactive view
	// is what a running notebook shows, and the next static rendering replaces them.
	b.WriteString(`<div class="gonbviz-static">`)
	if c.SVG != "" {
		fmt.Fprintf(&b, `<img alt="%s" src="data:image/svg+xml;base64,%s">`,
			html.EscapeString(c.Text), base64.StdEncoding.EncodeToString([]byte(c.SVG)))
	}
	b.WriteString(`</div><div class="gonbviz-view" style="display:none"></div>`)
	b.WriteString(`<div class="gonbviz-note" style="display:none;font:12px sans-serif;color:#666"></div>`)
	if len(c.SpecJSON) >= compressSpecAt {
		b.WriteString(`<script type="application/gzip;base64" class="gonbviz-spec">`)
		b.WriteString(gzipBase64(c.SpecJSON))
	} else {
		b.WriteString(`<script type="application/json" class="gonbviz-spec">`)
		b.Write(c.SpecJSON)
	}
	b.WriteString(`</script>`)
	if !c.SharedLibs {
		writeLibs(&b)
	}
	b.WriteString(`<script>`)
	actions := "false"
	if c.Actions {
		actions = "true"
	}
	b.WriteString(strings.NewReplacer("__ID__", c.ID, "__VERSIONS__", Versions, "__ACTIONS__", actions).Replace(loaderJS))
	b.WriteString(`</script></div>`)
	return b.String(), nil
}

// MIME returns the Jupyter mime bundle of the chart: the Vega-Lite spec, the static SVG
// (when drawn) and a line of text; no HTML and no library (see the package comment).
func (c Chart) MIME() (map[string]any, error) {
	m := map[string]any{MIMEText: c.Text}
	if c.SVG != "" {
		m[MIMESVG] = c.SVG
	}
	if c.Spec != nil {
		m[MIMEVegaLite] = c.Spec
	}
	return m, nil
}

// Metadata returns the output metadata that goes with MIME: the embed options of
// JupyterLab's vega renderer (SVG, so the chart is as crisp as the static one, and
// vega-embed's action menu as Actions says).
func (c Chart) Metadata() map[string]any {
	return map[string]any{MIMEVegaLite: map[string]any{"embed_options": map[string]any{"renderer": "svg", "actions": c.Actions}}}
}

// LibClass is the class of the <script> element that carries the libraries (gzipped,
// base64-encoded) in an output's or a page's HTML: what counts copies of them.
const LibClass = "gonbviz-lib"

func writeLibs(b interface{ WriteString(string) (int, error) }) {
	b.WriteString(`<script type="application/gzip;base64" class="` + LibClass + `">`)
	b.WriteString(libs())
	b.WriteString(`</script>`)
}

// Part is one piece of a Document: trusted HTML written by gonbviz (callers escape
// whatever users gave them), or a chart.
type Part struct {
	HTML  string
	Chart *Chart
}

// Document returns a self-contained HTML page (offline, interactive, with the static charts
// as fallback) made of parts, with one copy of the libraries for all its charts.
func Document(title string, parts []Part) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>\n", html.EscapeString(title))
	b.WriteString(`<meta name="generator" content="gonbviz"><style>` + documentCSS + `</style></head><body>` + "\n")
	writeLibs(&b)
	b.WriteByte('\n')
	if err := writeParts(&b, parts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeParts writes the parts of a page, its charts without a library copy of their own
// (the page carries it), and closes the page.
func writeParts(b *bytes.Buffer, parts []Part) error {
	for _, p := range parts {
		if p.Chart == nil {
			b.WriteString(p.HTML)
			b.WriteByte('\n')
			continue
		}
		c := *p.Chart
		c.SharedLibs = true
		h, err := c.HTML()
		if err != nil {
			return err
		}
		b.WriteString(h)
		b.WriteByte('\n')
	}
	b.WriteString("</body></html>\n")
	return nil
}

const documentCSS = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}` +
	`.gonbviz-chart{margin:1em 0}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}` +
	`h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}code{font-size:.95em}`

// Page returns a self-contained HTML page (offline, interactive, with the static charts as
// fallback) showing the charts one after the other.
func Page(title string, charts ...Chart) ([]byte, error) {
	parts := make([]Part, len(charts))
	for i := range charts {
		parts[i] = Part{Chart: &charts[i]}
	}
	return Document(title, parts)
}
