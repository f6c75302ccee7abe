// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/vegalite"
)

// recorder captures what would be sent to GoNB.
type recorder struct {
	mu    sync.Mutex
	sends []sent
}

type sent struct {
	mime      map[string]any
	metadata  map[string]any
	displayID string
}

func (r *recorder) option() Option {
	return func(o *options) {
		yes := true
		o.inNB = &yes
		o.sendFn = func(mime, metadata map[string]any, id string) error {
			// What crosses the pipe must survive a JSON round trip (Jupyter's wire format).
			if _, err := json.Marshal(mime); err != nil {
				return err
			}
			if _, err := json.Marshal(metadata); err != nil {
				return err
			}
			r.mu.Lock()
			r.sends = append(r.sends, sent{mime, metadata, id})
			r.mu.Unlock()
			return nil
		}
	}
}

func barChart(title string) vegalite.Chart {
	return vegalite.NewChart().Title(title).
		Data(vegalite.Values([]map[string]any{{"name": "a", "v": 3}, {"name": "b", "v": 5}})).
		Mark(vegalite.Bar()).
		Encode(vegalite.X("name:N"), vegalite.Y("v:Q"))
}

func TestDisplaySendsFourMimeTypes(t *testing.T) {
	var r recorder
	if err := Display(barChart("Counts"), r.option()); err != nil {
		t.Fatal(err)
	}
	if len(r.sends) != 1 {
		t.Fatalf("%d sends, want 1", len(r.sends))
	}
	m := r.sends[0].mime
	spec, ok := m[bundle.MIMEVegaLite].(map[string]any)
	if !ok || spec["mark"] != "bar" {
		t.Errorf("vegalite mime type is not the spec object: %T", m[bundle.MIMEVegaLite])
	}
	svg, _ := m[bundle.MIMESVG].(string)
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "Counts") {
		t.Errorf("svg: %.200s", svg)
	}
	if _, ok := m[bundle.MIMEHTML]; ok || len(m) != 3 {
		t.Errorf("mime types %v, want vegalite, svg and text (no HTML, no library)", keys(m))
	}
	opts, _ := r.sends[0].metadata[bundle.MIMEVegaLite].(map[string]any)["embed_options"].(map[string]any)
	if opts["renderer"] != "svg" {
		t.Errorf("metadata: %v", r.sends[0].metadata)
	}
	if txt, _ := m[bundle.MIMEText].(string); txt != "Vega-Lite bar chart: Counts" {
		t.Errorf("text/plain: %q", txt)
	}
}

func TestInvalidChartShowsErrorAndSendsNoChart(t *testing.T) {
	var r recorder
	bad := barChart("x").Encode(vegalite.Y("v:Q").Set("titel", "oops"))
	err := Display(bad, r.option())
	if err == nil || !strings.Contains(err.Error(), `/encoding/y: unknown property "titel" (did you mean "title"?)`) {
		t.Fatalf("err = %v", err)
	}
	if len(r.sends) != 1 {
		t.Fatalf("%d sends, want 1 (the error)", len(r.sends))
	}
	m := r.sends[0].mime
	if _, ok := m[bundle.MIMEVegaLite]; ok {
		t.Error("an invalid chart was sent")
	}
	if h, _ := m[bundle.MIMEHTML].(string); !strings.Contains(h, "gonbviz-error") || !strings.Contains(h, "/encoding/y: unknown property &#34;titel&#34;") {
		t.Errorf("error output: %s", h)
	}
}

func TestRowLimit(t *testing.T) {
	rows := make([]float64, render.DefaultMaxRows+1)
	c := vegalite.NewChart().Data(vegalite.Values(rows)).Mark(vegalite.Tick()).Encode(vegalite.X("data:Q"))
	var r recorder
	err := Display(c, r.option())
	if err == nil || !strings.Contains(err.Error(), "5001 inline data rows (5001 at /data/values), more than the limit of 5000") ||
		!strings.Contains(err.Error(), "WithMaxRows(0)") {
		t.Fatalf("err = %v", err)
	}
	if err := Display(c, r.option(), WithMaxRows(0)); err != nil {
		t.Fatalf("opt-out: %v", err)
	}
}

func TestHostileStringsAreEscaped(t *testing.T) {
	// U+2028 in the chart title only: vega's expression parser rejects it in a string
	// literal, and vega-lite writes field names and channel titles into expressions.
	field := `</script><script>alert(1)</script><img src=x onerror=alert(2)>&amp;`
	hostile := field + "\u2028"
	c := vegalite.NewChart().Title(hostile).Description(hostile).
		Data(vegalite.Values([]map[string]any{{field: "a</script>", "v": 1}})).
		Mark(vegalite.Bar()).
		Encode(vegalite.X(vegalite.Field(field)).Type("nominal").Title(field), vegalite.Y("v:Q"))
	var r recorder
	if err := Display(c, r.option()); err != nil {
		t.Fatal(err)
	}
	m := r.sends[0].mime
	for k, s := range map[string]string{bundle.MIMESVG: m[bundle.MIMESVG].(string)} {
		for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>alert"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains unescaped %q", k, bad)
			}
		}
	}
	// The spec survives: the title reads back exactly.
	if got := m[bundle.MIMEVegaLite].(map[string]any)["title"]; got != hostile {
		t.Errorf("title changed: %q", got)
	}
}

func TestOutsideNotebookWritesHTML(t *testing.T) {
	dir := t.TempDir()
	no := false
	err := Display(barChart("File"), WithOutputDir(dir), WithName("bars"), func(o *options) { o.inNB = &no })
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "bars.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if !strings.HasPrefix(s, "<!DOCTYPE html>") || strings.Count(s, `class="gonbviz-lib"`) != 1 || !strings.Contains(s, `src="data:image/svg+xml;base64,`) {
		t.Errorf("page: %.300s", s)
	}
}

func TestLiveUpdatesInOrder(t *testing.T) {
	var r recorder
	l := NewLive(r.option())
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := l.Update(barChart(fmt.Sprint("update ", i))); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if len(r.sends) != 4 {
		t.Fatalf("%d sends", len(r.sends))
	}
	ids := map[string]bool{}
	for _, s := range r.sends {
		ids[s.displayID] = true
		if s.mime[bundle.MIMEVegaLite] == nil {
			t.Error("an update without the spec")
		}
	}
	if len(ids) != 1 || ids[""] {
		t.Errorf("display ids: %v", ids)
	}
	// An invalid update keeps the last good state and reports the error.
	if err := l.Update(barChart("x").Mark(vegalite.MarkOf("lines"))); err == nil {
		t.Error("invalid update accepted")
	}
	if len(r.sends) != 4 {
		t.Error("an invalid update was sent")
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
