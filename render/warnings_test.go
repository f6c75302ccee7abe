// SPDX-License-Identifier: Apache-2.0

package render

import (
	"context"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/svgrender"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// What Vega-Lite warns of while compiling a chart reaches the reader as notes under the
// chart, each warning once however many marks repeat it; a clean chart has none.
func TestCompileWarningsBecomeNotes(t *testing.T) {
	rows := []map[string]any{}
	for i := range 30 {
		rows = append(rows, map[string]any{"group": []string{"a", "b", "c"}[i%3], "value": float64(i%7) * 1.5})
	}
	base := vl.NewChart().Data(vl.Values(rows)).Title("values by group").
		Encode(vl.X("group:N").Title("group"), vl.Y("value:Q").Title("value"))
	// Two box plots side by side, each with its selection: Vega-Lite warns twice.
	box := vl.HConcat(
		base.Mark(vl.Boxplot()).Params(vl.SelectPoint("pick").Fields("group")),
		base.Mark(vl.Boxplot()).Params(vl.SelectPoint("pick2").Fields("group")),
	).Title("values by group")
	spec, err := box.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if r, err := svgrender.RenderWithWarnings(context.Background(), spec); err != nil || len(r.CompileWarnings) != 2 {
		t.Fatalf("Vega-Lite's compiler warned %q (%v); the test wants it to warn twice", r.CompileWarnings, err)
	}
	out, err := Chart(box)
	if err != nil {
		t.Fatal(err)
	}
	const want = "Selection not supported for boxplot yet"
	n := 0
	for _, note := range out.Notes() {
		n += strings.Count(note, want)
	}
	if n != 1 {
		t.Errorf("the box plot with a selection has %d notes saying %q, want 1; notes: %q", n, want, out.Notes())
	}

	clean, err := Chart(base.Mark(vl.Boxplot()))
	if err != nil {
		t.Fatal(err)
	}
	if len(clean.Notes()) != 0 {
		t.Errorf("a clean box plot has notes %q", clean.Notes())
	}
}
