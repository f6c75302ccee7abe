// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
)

// Every chart stored in the executed notebooks draws what the builders' own checks ask of
// them (internal/testing/chartcheck): bars from zero with the height of their value, a title and
// axis titles, no text cut off, crossed or crowded, legends inside the view.
func TestNotebookChartsLookRight(t *testing.T) {
	r := svgrender.New(svgrender.Options{Scenegraph: true})
	defer r.Close()
	drawn := 0
	for _, nb := range executedDocs(t) {
		for _, o := range nb.outputs {
			spec, ok := o.Data["application/vnd.vegalite.v5+json"]
			if !ok {
				continue
			}
			drawn++
			name := fmt.Sprintf("%s cell %d", nb.name, o.Cell)
			res, err := r.RenderWithWarnings(context.Background(), spec)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			scene, err := chartcheck.Parse(res.Scenegraph)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// Areas between two fields (percentile and health bands) float on purpose; the
			// builders' gallery cases check which of their areas start at zero.
			for _, problem := range chartcheck.Check(scene, chartcheck.Options{Floating: areas(scene.Root)}).Problems {
				t.Errorf("%s: %s", name, problem)
			}
			// Axes left untitled on purpose, as the builders' own checks know them
			// (charts/scene_test.go): a histogram slider's zoom strip repeats the axis
			// above it; the feature names beside the KS bars are their own title.
			var compact bytes.Buffer
			if err := json.Compact(&compact, spec); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			untitled := map[string]bool{}
			if strings.Contains(compact.String(), `"name":"`+charts.StepParam+`"`) {
				untitled["x axis of concat_1_group"] = true
			}
			if strings.Contains(compact.String(), "KS statistic D") {
				untitled["y axis of concat_0_concat_0_group"] = true
			}
			for _, problem := range chartcheck.Layout(scene, chartcheck.LayoutOptions{NoHiddenLabels: true}) {
				if axis, _, found := strings.Cut(problem, " has no title;"); found && untitled[strings.TrimPrefix(axis, "the ")] {
					continue
				}
				t.Errorf("%s: %s", name, problem)
			}
		}
	}
	if drawn < 10 {
		t.Errorf("%d charts in docs/notebooks, want the notebooks' charts (at least 10)", drawn)
	}
}

// areas names the area marks under m.
func areas(m chartcheck.Mark) []string {
	var out []string
	if m.Marktype == "area" && m.Role == "mark" && len(m.Items) > 0 {
		out = append(out, m.Name)
	}
	for _, it := range m.Items {
		for _, child := range it.Items {
			out = append(out, areas(child)...)
		}
	}
	return out
}
