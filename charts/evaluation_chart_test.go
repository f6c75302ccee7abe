// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// evaluationExamples are the evaluation charts' Examples (in the golden table).
var evaluationExamples = []string{"confusion-matrix", "roc", "precision-recall", "reliability"}

// checkDrawn renders a chart's spec statically (render.Spec: the SVG a notebook output
// carries) and in the scenegraph, and checks that its bars stand on zero with their
// values' heights (for each value field) and that its text is laid out to be read, in
// the interactive and the static view. It returns the bars checked per value field.
func checkDrawn(t *testing.T, name string, spec []byte, valueFields ...string) map[string]int {
	t.Helper()
	out, err := render.Spec(spec)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !strings.HasPrefix(out.SVG(), "<svg") {
		t.Errorf("%s: no static SVG: %.100s", name, out.SVG())
	}
	bars := map[string]int{}
	for _, static := range []bool{false, true} {
		s := scene(t, name, spec, static)
		for _, p := range chartcheck.Layout(s, chartcheck.LayoutOptions{NoHiddenLabels: true}) {
			t.Errorf("%s (static %v): %s", name, static, p)
		}
		for _, f := range append([]string{"count"}, valueFields...) {
			rep := chartcheck.Check(s, chartcheck.Options{ValueField: f})
			for _, p := range rep.Problems {
				t.Errorf("%s (static %v, value field %s): %s", name, static, f, p)
			}
			bars[f] = rep.Bars
		}
	}
	return bars
}

// Each evaluation chart's Example renders, statically and interactively, and draws what
// it should: bars from zero at their values' heights, its text readable.
func TestEvaluationChartsDraw(t *testing.T) {
	labels, scores := classifierOutputs()
	cal, err := charts.ComputeCalibration(labels, scores, 0)
	if err != nil {
		t.Fatal(err)
	}
	filled := 0
	for _, b := range cal.Bins {
		if b.Count > 0 {
			filled++
		}
	}
	golden := goldenSpecs(t)
	for _, name := range evaluationExamples {
		spec := golden[name]
		bars := checkDrawn(t, name, spec, "accuracy")
		if name == "reliability" {
			// A bar per bin of the count plot, a bar per bin with examples of the
			// accuracy plot; each checked against its own value.
			if bars["accuracy"] != charts.DefaultCalibrationBins+filled {
				t.Errorf("reliability: %d bars, want %d", bars["accuracy"], charts.DefaultCalibrationBins+filled)
			}
		} else if bars["count"] > 0 {
			t.Errorf("%s draws %d bars", name, bars["count"])
		}
	}
}

// The legends carry each class's AUC or AP, the subtitles the macro averages and the ECE,
// as the Compute functions give them.
func TestEvaluationChartsSayTheirNumbers(t *testing.T) {
	labels, scores := classifierOutputs()
	names := []string{"cat", "dog", "bird", "fish"}
	roc, _ := charts.ComputeROC(labels, scores)
	pr, _ := charts.ComputePrecisionRecall(labels, scores)
	cal, _ := charts.ComputeCalibration(labels, scores, 0)
	conf, _ := charts.ComputeConfusion(labels, scores)
	var want = map[string][]string{
		"roc":              {fmt.Sprintf("macro-average AUC %.3f over 4 classes", roc.MacroAUC)},
		"precision-recall": {fmt.Sprintf("macro-average AP %.3f over 4 classes", pr.MacroAP)},
		"reliability":      {fmt.Sprintf("ECE %.4f (15 equal-width confidence bins)", cal.ECE)},
		"confusion-matrix": {fmt.Sprintf("800 examples, accuracy %.1f%%", 100*conf.Accuracy)},
	}
	for k, n := range names {
		want["roc"] = append(want["roc"], fmt.Sprintf("%s (AUC %.3f)", n, roc.Curves[k].AUC))
		want["precision-recall"] = append(want["precision-recall"], fmt.Sprintf("%s (AP %.3f)", n, pr.Curves[k].AveragePrecision))
		want["confusion-matrix"] = append(want["confusion-matrix"],
			fmt.Sprintf("%d\n%d%%", conf.Counts[k][k], int(100*conf.Normalized[k][k]+0.5)))
	}
	golden := goldenSpecs(t)
	for _, name := range evaluationExamples {
		spec := golden[name]
		out, err := render.Spec(spec)
		if err != nil {
			t.Fatal(err)
		}
		text := out.SVG()
		for _, w := range want[name] {
			// The SVG writes each line of a text as its own tspan.
			for _, line := range strings.Split(w, "\n") {
				if !strings.Contains(text, line) {
					t.Errorf("%s: the picture does not say %q", name, line)
				}
			}
		}
		if len(spec) > 60_000 {
			t.Errorf("%s: the spec is %d bytes", name, len(spec))
		}
	}
}

// Degenerate and large inputs draw too: a class that never occurs (no ROC or PR curve,
// named in the subtitle; a row of zeros in the matrix), 12 classes (colours repeat, the
// dash tells them apart), and 6,000 examples (the curves thinned below the row limit,
// the examples listed per cell capped).
func TestEvaluationChartsOfHardInput(t *testing.T) {
	dLabels, dScores := degenerateClassified()
	big, bigScores := classified(5, 6000, 12)
	type build func(labels []int, scores [][]float64) (vl.Chart, error)
	builders := map[string]build{
		"confusion-matrix": func(l []int, s [][]float64) (vl.Chart, error) {
			return charts.ConfusionMatrix(l, s, charts.ConfusionMatrixOptions{ListExamples: true})
		},
		"roc": func(l []int, s [][]float64) (vl.Chart, error) {
			return charts.ROC(l, s, charts.CurvesPerClassOptions{})
		},
		"precision-recall": func(l []int, s [][]float64) (vl.Chart, error) {
			return charts.PrecisionRecall(l, s, charts.CurvesPerClassOptions{})
		},
		"reliability": func(l []int, s [][]float64) (vl.Chart, error) {
			return charts.Reliability(l, s, charts.ReliabilityOptions{Bins: 10})
		},
	}
	says := map[string]string{
		"confusion-matrix": `no examples of "3"`,
		"roc":              `no curve for "3" (no examples)`,
		"precision-recall": `no curve for "3" (no examples)`,
		"reliability":      "ECE 0.1900 (10 equal-width confidence bins)",
	}
	for _, name := range slices.Sorted(maps.Keys(builders)) {
		c, err := builders[name](dLabels, dScores)
		if err != nil {
			t.Fatalf("%s, degenerate: %v", name, err)
		}
		built, err := c.Build()
		if err != nil {
			t.Fatal(err)
		}
		checkDrawn(t, name+" (degenerate)", built.JSON, "accuracy")
		m, _ := built.Value()
		if sub := fmt.Sprint(m["title"].(map[string]any)["subtitle"]); !strings.Contains(sub, says[name]) {
			t.Errorf("%s (degenerate): the subtitle %q does not say %q", name, sub, says[name])
		}

		c, err = builders[name](big, bigScores)
		if err != nil {
			t.Fatalf("%s, 6,000 examples: %v", name, err)
		}
		out, err := render.Chart(c) // with render.DefaultMaxRows
		if err != nil {
			t.Fatalf("%s, 6,000 examples: %v", name, err)
		}
		spec := out.SpecJSON()
		if len(spec) > 400_000 {
			t.Errorf("%s, 6,000 examples: the spec is %d bytes", name, len(spec))
		}
		checkDrawn(t, name+" (12 classes)", spec, "accuracy")
		if name == "roc" || name == "precision-recall" {
			// The curves have more points than are drawn: thinned to a few per pixel.
			var m map[string]any
			if err := json.Unmarshal(spec, &m); err != nil {
				t.Fatal(err)
			}
			drawn, all := len(dataRows(t, m["data"])), 0
			roc, _ := charts.ComputeROC(big, bigScores)
			pr, _ := charts.ComputePrecisionRecall(big, bigScores)
			for k := range roc.Curves {
				if name == "roc" {
					all += len(roc.Curves[k].FPR)
				} else {
					all += len(pr.Curves[k].Recall)
				}
			}
			if drawn >= all || drawn > 12*2*320 {
				t.Errorf("%s, 6,000 examples: %d rows drawn of %d points", name, drawn, all)
			}
			t.Logf("%s, 6,000 examples: %d rows drawn of %d points, spec %d bytes", name, drawn, all, len(spec))
		}
	}
}

// In Chromium, clicking a cell of the confusion matrix lists that cell's examples, and
// only those; clicking another cell lists its own.
func TestConfusionMatrixSelectionInChromium(t *testing.T) {
	browsertest.Require(t)
	labels, scores := classifierOutputs()
	names := []string{"cat", "dog", "bird", "fish"}
	chart, err := charts.ConfusionMatrix(labels, scores, charts.ConfusionMatrixOptions{ClassNames: names, ListExamples: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "confusion-matrix.html")
	savePage(t, page, "confusion matrix", chart)

	// The examples of each cell, by the predicted class, as the chart lists them.
	conf, _ := charts.ComputeConfusion(labels, scores)
	cellExamples := func(tr, pr int) []string {
		var out []string
		for i, l := range labels {
			if l == tr && slices.Index(scores[i], slices.Max(scores[i])) == pr {
				out = append(out, "#"+strconv.Itoa(i))
			}
		}
		return out
	}
	var r struct {
		Error  string
		Clicks []struct {
			Cell  string
			Texts []string
		}
		Cleared []string
	}
	err = browsertest.RunScript(clickCellsScript, []string{
		"PAGE=file://" + page, "SHOTS=" + dir,
		`CELLS=["predicted class: cat; true class: dog;", "predicted class: fish; true class: fish;"]`,
	}, &r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	name := regexp.MustCompile(`^(#\d+) · p\(`)
	for i, cell := range [][2]int{{1, 0}, {3, 3}} {
		if i >= len(r.Clicks) {
			t.Fatalf("%d clicks reported", len(r.Clicks))
		}
		c := r.Clicks[i]
		n := conf.Counts[cell[0]][cell[1]]
		header := fmt.Sprintf("true %s, predicted %s: %d examples", names[cell[0]], names[cell[1]], n)
		if n > 20 {
			header += ", the 20 most confident listed"
		}
		if !slices.Contains(c.Texts, header) {
			t.Errorf("after clicking %q: no header %q in %q", c.Cell, header, c.Texts)
		}
		var listed []string
		for _, s := range c.Texts {
			if m := name.FindStringSubmatch(s); m != nil {
				listed = append(listed, m[1])
			}
		}
		all := cellExamples(cell[0], cell[1])
		if len(listed) != min(n, 20) {
			t.Errorf("after clicking %q: %d examples listed, want %d: %q", c.Cell, len(listed), min(n, 20), listed)
		}
		for _, l := range listed {
			if !slices.Contains(all, l) {
				t.Errorf("after clicking %q: %s is listed, but it is not in that cell", c.Cell, l)
			}
		}
	}
	if !slices.Contains(r.Cleared, "click a cell to list its examples here") ||
		slices.ContainsFunc(r.Cleared, name.MatchString) || slices.ContainsFunc(r.Cleared, regexp.MustCompile(`^true .*, predicted .*: \d+ example`).MatchString) {
		t.Errorf("a double click did not clear the list: %q", r.Cleared)
	}
}

// clickCellsScript opens $PAGE, clicks, in turn, the middle of the confusion-matrix cells
// whose descriptions (aria-label) contain each of $CELLS, and reports the texts the chart shows
// after each click, with a screenshot per click in $SHOTS.
const clickCellsScript = `
const { chromium } = require(process.env.NODE_DIR + '/node_modules/playwright-core');
(async () => {
  const out = { clicks: [] };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(process.env.PAGE);
    await page.waitForFunction(() => [...document.querySelectorAll('.gonbviz-chart')].every(c => c.getAttribute('data-gonbviz-state') === 'interactive'));
    const cells = JSON.parse(process.env.CELLS);
    for (let i = 0; i < cells.length; i++) {
      // Where a reader clicks: the middle of the cell, on its count.
      const box = await page.locator('.gonbviz-view svg path[aria-label*="' + cells[i] + '"]').first().boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(400);
      const texts = await page.evaluate(() => [...document.querySelectorAll('.gonbviz-view svg .mark-text text')].map(t => t.textContent));
      out.clicks.push({ cell: cells[i], texts });
      await page.screenshot({ path: process.env.SHOTS + '/confusion-matrix-click' + i + '.png' });
    }
    // A double click clears the list.
    const box = await page.locator('.gonbviz-view svg path[aria-label*="' + cells[0] + '"]').first().boundingBox();
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(400);
    out.cleared = await page.evaluate(() => [...document.querySelectorAll('.gonbviz-view svg .mark-text text')].map(t => t.textContent));
  } catch (e) {
    out.error = String(e && e.stack || e);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})();
`
