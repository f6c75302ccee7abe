// SPDX-License-Identifier: Apache-2.0

package bundle

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/jsbundle"
)

func chart() Chart {
	return Chart{ID: "gonbviz-abc", Spec: map[string]any{"mark": "bar"}, SpecJSON: []byte(`{"mark":"bar"}`),
		SVG: `<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;b&gt;</text></svg>`, Text: `chart "<b>" & co`,
		Notes: []string{`field "<x>" has NaN`}}
}

func TestHTML(t *testing.T) {
	h, err := chart().HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<div id="gonbviz-abc" class="gonbviz-chart" role="figure" aria-label="chart &#34;&lt;b&gt;&#34; &amp; co">`,
		`<img alt="chart &#34;&lt;b&gt;&#34; &amp; co" src="data:image/svg+xml;base64,`,
		`field &#34;&lt;x&gt;&#34; has NaN`,
		`<script type="application/json" class="gonbviz-spec">{"mark":"bar"}</script>`,
		`var id = "gonbviz-abc";`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(h, "__ID__") || strings.Contains(h, "__VERSIONS__") || strings.Contains(h, "__ACTIONS__") {
		t.Error("a loader placeholder was left in")
	}
	if _, err := (Chart{ID: `x" onload="alert(1)`}).HTML(); err == nil {
		t.Error("an id that is not a plain DOM id was accepted")
	}
}

// The library copy decompresses to exactly vega + vega-lite + vega-embed.
func TestLibsRoundTrip(t *testing.T) {
	raw, err := base64.StdEncoding.DecodeString(libs())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	code, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	want := jsbundle.Vega() + ";\n" + jsbundle.VegaLite() + ";\n" + jsbundle.VegaEmbed() + ";\n"
	if string(code) != want {
		t.Errorf("library copy differs: %d bytes, want %d", len(code), len(want))
	}
}

func TestPageSharesOneLibraryCopy(t *testing.T) {
	a, b := chart(), chart()
	b.ID = "gonbviz-def"
	page, err := Page(`title </title><script>`, a, b)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if n := strings.Count(s, `class="gonbviz-lib"`); n != 1 {
		t.Errorf("%d library copies in the page, want 1", n)
	}
	if !strings.Contains(s, "<title>title &lt;/title&gt;&lt;script&gt;</title>") {
		t.Error("the page title is not escaped")
	}
	m, err := a.MIME()
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 4 || m[MIMEVegaLite] == nil || m[MIMESVG] != a.SVG || m[MIMEText] != a.Text {
		t.Errorf("MIME: %v", m)
	}
}
