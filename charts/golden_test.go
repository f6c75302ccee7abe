// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// UpdateGoldenEnv set to 1 makes checkExample write the golden specs instead of checking
// them: GONBVIZ_UPDATE_GOLDEN=1 go test -run TestExamplesAreGolden ./charts/
const UpdateGoldenEnv = "GONBVIZ_UPDATE_GOLDEN"

// example is an Example function that writes a chart's spec, and the spec's name.
type example struct {
	name string
	run  func()
}

// examples are the gallery of the chart builders (example_test.go): each writes NAME.vl.json
// in the current directory, and testdata/NAME.vl.json is what it must write. The gallery,
// scene and compact tests check the charts through these golden specs, and docs/gallery
// shows them as charts-NAME.png.
var examples = []example{
	{"curves", ExampleCurves},
	{"curves-runs", ExampleCurves_runs},
	{"curves-static", ExampleCurves_static},
	{"run-curves", ExampleRunCurves},
	{"compare-runs", ExampleCompareRuns},
	{"histogram", ExampleHistogram},
	{"histograms", ExampleHistograms},
	{"histograms-overlay", ExampleHistograms_overlay},
	{"histograms-offset", ExampleHistograms_offset},
	{"distributions", ExampleDistributions},
	{"distributions-long", ExampleDistributions_long},
	{"gradient-health", ExampleGradientHealth},
	{"gradient-health-wide", ExampleGradientHealth_wide},
	{"activation-stats", ExampleActivationStats},
	{"confusion-matrix", ExampleConfusionMatrix},
	{"roc", ExampleROC},
	{"precision-recall", ExamplePrecisionRecall},
	{"reliability", ExampleReliability},
	{"histogram-groups", ExampleHistogram_groups},
	{"histogram-stacked-log", ExampleHistogram_stackedLog},
	{"feature-distributions", ExampleFeatureDistributions},
	{"feature-box-plots", ExampleFeatureBoxPlots},
	{"scatter-matrix", ExampleScatterMatrix},
	{"correlations", ExampleCorrelations},
	{"image-grid", ExampleImageGrid},
	{"image-grid-viridis", ExampleImageGrid_viridis},
	{"image-grid-overlay", ExampleImageGrid_overlay},
	{"conv-filters", ExampleConvFilters},
	{"feature-maps", ExampleFeatureMaps},
	{"most-confidently-wrong", ExampleMostConfidentlyWrong},
	{"confusion-matrix-images", ExampleConfusionMatrix_images},
	{"attributions", ExampleAttributions},
	{"attributions-right-wrong", ExampleAttributions_rightAndWrong},
	{"projection", ExampleProjection},
	{"projection-steps", ExampleProjectionSteps},
}

// goldenPath is the golden spec of an example, as an absolute path (the examples run in
// another directory).
func goldenPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name+".vl.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkExample runs an example in a temporary directory and compares the spec it writes,
// name.vl.json, with its golden file testdata/name.vl.json, byte for byte; with
// GONBVIZ_UPDATE_GOLDEN=1 it writes the golden file instead. As gonum/plot's
// cmpimg.CheckPlot(ExampleX, t, "x.png") does for pictures.
func checkExample(t *testing.T, example func(), name string) {
	t.Helper()
	golden := goldenPath(t, name)
	t.Chdir(t.TempDir())
	example()
	got, err := os.ReadFile(name + ".vl.json")
	if err != nil {
		t.Fatalf("the example did not write its spec: %v", err)
	}
	if os.Getenv(UpdateGoldenEnv) == "1" {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v: write it with %s=1 go test -run TestExamplesAreGolden ./charts/", err, UpdateGoldenEnv)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s.vl.json differs from testdata/%s.vl.json (%d bytes, golden %d) %s\n"+
			"if the change is meant, write the golden files anew with %s=1 go test -run TestExamplesAreGolden ./charts/ "+
			"and the gallery with scripts/update-gallery.sh",
			name, name, len(got), len(want), firstDifference(got, want), UpdateGoldenEnv)
	}
}

// firstDifference says where two texts first differ, with some of each around it.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	line := bytes.Count(want[:i], []byte("\n")) + 1
	around := func(b []byte) string {
		lo, hi := max(0, i-60), min(len(b), i+60)
		return strings.ToValidUTF8(string(b[lo:hi]), "?")
	}
	return fmt.Sprintf("first at byte %d (line %d):\n  got:    …%s…\n  golden: …%s…", i, line, around(got), around(want))
}

// The gallery's examples write exactly their golden specs.
func TestExamplesAreGolden(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) { checkExample(t, ex.run, ex.name) })
	}
	// Every golden spec belongs to an example.
	files, err := filepath.Glob(filepath.Join("testdata", "*.vl.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".vl.json")
		if !slices.ContainsFunc(examples, func(e example) bool { return e.name == name }) {
			t.Errorf("%s belongs to no example: remove it, or add its example to examples", f)
		}
	}
}

// goldenSpecs returns the golden spec of every example (name -> Vega-Lite JSON), for the
// tests that check what the gallery's charts draw.
func goldenSpecs(t *testing.T) map[string][]byte {
	t.Helper()
	specs := map[string][]byte{}
	for _, ex := range examples {
		b, err := os.ReadFile(goldenPath(t, ex.name))
		if err != nil {
			t.Fatalf("%v: write it with %s=1 go test -run TestExamplesAreGolden ./charts/", err, UpdateGoldenEnv)
		}
		specs[ex.name] = b
	}
	return specs
}
