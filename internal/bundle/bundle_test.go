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

// gunzipBase64 decodes what gzipBase64 (and libs) write.
func gunzipBase64(t *testing.T, text string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestLargeSpecCompressed checks that a spec from compressSpecAt bytes is carried
// gzipped and base64-encoded, decodes to the same JSON, and leaves nothing of the user's
// strings in the HTML to break out of the script.
func TestLargeSpecCompressed(t *testing.T) {
	c := chart()
	var spec strings.Builder
	spec.WriteString(`{"title":"</script><script>alert(1)</script>","data":{"values":[`)
	for i := 0; spec.Len() < compressSpecAt; i++ {
		if i > 0 {
			spec.WriteString(",")
		}
		spec.WriteString(`{"x":1.5,"y":"<!--"}`)
	}
	spec.WriteString(`]},"mark":"bar"}`)
	c.SpecJSON = []byte(spec.String())
	h, err := c.HTML()
	if err != nil {
		t.Fatal(err)
	}
	const open = `<script type="application/gzip;base64" class="gonbviz-spec">`
	i := strings.Index(h, open)
	if i < 0 {
		t.Fatal("the large spec is not carried compressed")
	}
	text := h[i+len(open):]
	text = text[:strings.Index(text, "</script>")]
	if got := gunzipBase64(t, text); got != spec.String() {
		t.Error("the compressed spec does not decode to the spec")
	}
	if len(text) > len(c.SpecJSON)/2 {
		t.Errorf("compressed spec is %d bytes for %d of JSON", len(text), len(c.SpecJSON))
	}
	if strings.Contains(h, "alert(1)") || strings.Contains(h, "<!--") {
		t.Error("a user's string is in the HTML as text")
	}
}

// The library copy decompresses to exactly vega + vega-lite + vega-embed.
func TestLibsRoundTrip(t *testing.T) {
	code := gunzipBase64(t, libs())
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
}

// A notebook output carries the Vega-Lite spec, the SVG and the text, and no HTML: no
// library travels in a notebook.
func TestMIMECarriesNoLibrary(t *testing.T) {
	a := chart()
	m, err := a.MIME()
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 3 || m[MIMEVegaLite] == nil || m[MIMESVG] != a.SVG || m[MIMEText] != a.Text {
		t.Errorf("MIME: %v", m)
	}
	opts, _ := a.Metadata()[MIMEVegaLite].(map[string]any)["embed_options"].(map[string]any)
	if opts["renderer"] != "svg" || opts["actions"] != false {
		t.Errorf("metadata: %v", a.Metadata())
	}
}
