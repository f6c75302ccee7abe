// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// TestDiagramsNotebook executes 02-network-diagrams.ipynb with the real GoNB kernel and
// checks its outputs: three diagrams (each with the interactive HTML, its static <img>
// fallback, the static SVG and the summary as text), a summary table, and a trainer that
// still trains after its model was drawn.
func TestDiagramsNotebook(t *testing.T) {
	executed := execute(t, "02-network-diagrams.ipynb")
	outs, err := notebooktest.Parse(executed)
	if err != nil {
		t.Fatal(err)
	}
	var diagrams []notebooktest.Output
	var stream strings.Builder
	summaryTable := false
	for _, o := range outs {
		switch o.Type {
		case "error":
			t.Errorf("cell %d failed: %s: %s", o.Cell, o.EName, o.EValue)
		case "stream":
			stream.WriteString(o.Text)
		}
		h, _ := o.DataText("text/html")
		if strings.Contains(h, `class="gonbviz-diagram"`) {
			diagrams = append(diagrams, o)
		} else if strings.Contains(h, `class="gonbviz-summary"`) {
			summaryTable = true
		}
	}
	if len(diagrams) != 3 {
		t.Fatalf("%d diagram outputs, want 3 (mlp, tabular, transformer); stream:\n%s", len(diagrams), stream.String())
	}
	for i, want := range []string{"/model/hidden_0/dense (Dense)", "/block_0/dense (Dense)", "/transformer/layer_0/attn/MultiHeadAttention (Attention)"} {
		h, _ := diagrams[i].DataText("text/html")
		svg, _ := diagrams[i].DataText("image/svg+xml")
		text, _ := diagrams[i].DataText("text/plain")
		if !strings.Contains(h, `<div class="gonbviz-static"><img`) || !strings.HasPrefix(svg, "<svg") || !strings.Contains(text, want) {
			t.Errorf("diagram %d: static image %v, svg %v, summary lacks %q:\n%s", i,
				strings.Contains(h, "<img"), strings.HasPrefix(svg, "<svg"), want, text)
		}
	}
	if !summaryTable {
		t.Error("no summary table output (DisplaySummary)")
	}
	for _, want := range []string{"Total params: ", "/head/dense (Dense)", "trained 100 steps"} {
		if !strings.Contains(stream.String(), want) {
			t.Errorf("printed output lacks %q:\n%s", want, stream.String())
		}
	}
}
