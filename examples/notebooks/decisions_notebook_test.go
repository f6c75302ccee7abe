// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// decisionsCharts are the chart outputs of notebook 05, in order: what each shows, and
// how many images its Vega-Lite spec carries (-1: some) and its static SVG draws.
var decisionsCharts = []struct {
	what             string
	specImages       int
	svgImages        int
	titleHas         string
	subtitleHas      string
	imagesAreVisible bool
}{
	{"conv1 filters", 8, 8, "conv1 filters", "", true},
	{"conv1 feature maps", 9, 9, "/model/cnn/conv1", "", true},
	{"conv2 feature maps", 17, 17, "/model/cnn/conv2", "", true},
	{"confusion matrix", -1, 0, "CNN on the test digits", "", false},
	{"ROC", 0, 0, "ROC", "AUC", false},
	{"precision-recall", 0, 0, "precision", "", false},
	{"reliability", 0, 0, "reliability", "ECE", false},
	{"most confidently wrong", -1, -1, "most confidently wrong", "wrong prediction", true},
	{"right and wrong", 2, 2, "a right and a wrong prediction", "the surest wrong one", true},
	{"twelve digits", 12, 12, "integrated gradients", "12 of 179 examples", true},
}

func TestDecisionsNotebook(t *testing.T) {
	executed := execute(t, "05-decisions.ipynb")
	outs, err := notebooktest.Parse(executed)
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	for _, o := range outs {
		if o.Type == "stream" {
			stdout.WriteString(o.Text)
		}
	}
	charts := chartOutputs(t, executed)
	if len(charts) != len(decisionsCharts) {
		t.Fatalf("%d chart outputs, want %d; the cells printed:\n%s", len(charts), len(decisionsCharts), stdout.String())
	}
	text := stdout.String()

	// The CNN learned: most test digits right.
	m := regexp.MustCompile(`test accuracy: (\d+) of (\d+) digits`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no test accuracy printed:\n%s", text)
	}
	right, n := atoi(t, m[1]), atoi(t, m[2])
	if n != 179 || float64(right)/float64(n) < 0.9 {
		t.Errorf("test accuracy %d of %d; want 179 digits, at least 90%% right", right, n)
	}
	// The completeness check of integrated gradients is printed, and holds within a few
	// percent for the relu CNN at 64 steps.
	m = regexp.MustCompile(`integrated gradients from zeros of the target's logit, 64 steps, 179 examples in \d+ executions: sum of attributions = f\(x\) − f\(baseline\) within ([0-9.e+-]+)%`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no completeness check printed:\n%s", text)
	}
	if e, err := strconv.ParseFloat(m[1], 64); err != nil || e > 5 {
		t.Errorf("integrated gradients complete within %s%%; want under 5%%", m[1])
	}

	for i, want := range decisionsCharts {
		c := charts[i]
		raw := c.Data["application/vnd.vegalite.v5+json"]
		var spec map[string]any
		if err := json.Unmarshal(raw, &spec); err != nil {
			t.Fatalf("%s: %v", want.what, err)
		}
		title, _ := spec["title"].(map[string]any)
		head := fmt.Sprint(title["text"])
		var sub string
		switch x := title["subtitle"].(type) {
		case string:
			sub = x
		case []any:
			for _, p := range x {
				sub += fmt.Sprint(p) + " "
			}
		}
		if !strings.Contains(head, want.titleHas) || !strings.Contains(sub, want.subtitleHas) {
			t.Errorf("%s: title %q, subtitle %q; want %q and %q in them", want.what, head, sub, want.titleHas, want.subtitleHas)
		}
		// The images travel in the Vega-Lite spec as PNG data URLs; the static SVG draws them.
		got := strings.Count(string(raw), "data:image/png;base64,")
		if want.specImages >= 0 && got != want.specImages || want.specImages < 0 && got == 0 {
			t.Errorf("%s: the spec carries %d PNG images; want %d", want.what, got, want.specImages)
		}
		svg, ok := c.DataText("image/svg+xml")
		if !ok || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("%s: no image/svg+xml", want.what)
			continue
		}
		got = strings.Count(svg, `href="data:image/png;base64,`)
		if want.svgImages >= 0 && got != want.svgImages || want.svgImages < 0 && got == 0 {
			t.Errorf("%s: the static SVG draws %d PNG images; want %d", want.what, got, want.svgImages)
		}
	}
	// Right then wrong, on one scale, captioned with the completeness figure.
	var spec map[string]any
	_ = json.Unmarshal(charts[8].Data["application/vnd.vegalite.v5+json"], &spec)
	rows := inlineRows(t, spec["data"])
	if len(rows) != 2 {
		t.Fatalf("right and wrong: %d rows", len(rows))
	}
	for k, wrong := range []bool{false, true} {
		row := rows[k].(map[string]any)
		if row["wrong"] != wrong || !regexp.MustCompile(`\nIG ±[0-9.e+-]+%$`).MatchString(fmt.Sprint(row["caption"])) {
			t.Errorf("right and wrong, image %d: wrong=%v caption %q; want wrong=%v and the completeness figure", k, row["wrong"], row["caption"], wrong)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// labImagesJS opens a notebook in JupyterLab (headless Chromium, the network blocked but
// for the lab), waits until its vega renderer has drawn WANT charts, then counts in each
// the image marks (.mark-image image) with a data: href that take room on the page. It
// clicks the confusion matrix's cell CELL (its aria label) and counts the images again.
const labImagesJS = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = { blocked: [], errors: [], charts: [] };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', e => out.errors.push(String(e)));
    await page.route('**/*', r => { const u = new URL(r.request().url()); if (u.hostname === '127.0.0.1' || u.protocol === 'data:') r.continue(); else { out.blocked.push(u.href); r.abort(); } });
    await page.goto(process.env.PAGE, { waitUntil: 'load', timeout: 60000 });
    await page.waitForSelector('.jp-Notebook', { timeout: 60000 });
    const want = Number(process.env.WANT);
    await page.waitForFunction(n => {
      const lab = [...document.querySelectorAll('.jp-RenderedVegaCommon5')];
      return lab.length >= n && lab.every(c => c.querySelector('svg.marks'));
    }, want, { timeout: 90000, polling: 250 });
    const count = () => page.evaluate(() => [...document.querySelectorAll('.jp-RenderedVegaCommon5')].map(c => {
      let images = 0, dataHref = 0, visible = 0, first = '';
      for (const im of c.querySelectorAll('svg.marks .mark-image image')) {
        images++;
        const href = im.getAttribute('href') || im.getAttribute('xlink:href') || '';
        if (href.startsWith('data:image/png;base64,')) dataHref++;
        if (!first) first = [...im.attributes].map(a => a.name + '=' + a.value.slice(0, 40)).join(' ');
        const r = im.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) visible++;
      }
      return { images, dataHref, visible, first, text: c.textContent.slice(0, 2000) };
    }));
    // Vega draws an image mark once its image has loaded: bring each chart into view and
    // wait (up to 20 s in all) until every image mark has its href.
    const charts = page.locator('.jp-RenderedVegaCommon5');
    const deadline = Date.now() + 20000;
    for (let i = 0; i < await charts.count(); i++) {
      await charts.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction(i => [...document.querySelectorAll('.jp-RenderedVegaCommon5')[i].querySelectorAll('svg.marks .mark-image image')]
        .every(im => (im.getAttribute('href') || '') !== ''), i, { timeout: Math.max(1000, deadline - Date.now()), polling: 250 }).catch(() => {});
    }
    out.charts = await count();
    const matrix = page.locator('.jp-RenderedVegaCommon5').nth(Number(process.env.MATRIX));
    await matrix.scrollIntoViewIfNeeded();
    const cell = matrix.locator('svg.marks path[aria-label*="' + process.env.CELL + '"]').first();
    out.cellFound = await cell.count();
    if (out.cellFound) {
      await cell.click({ position: { x: 6, y: 6 } });
      await page.waitForTimeout(800);
      out.afterClick = (await count())[Number(process.env.MATRIX)];
      await matrix.screenshot({ path: process.env.SHOT });
    }
  } catch (e) { out.error = String(e); }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})();
`

// TestDecisionsNotebookInJupyterLab: notebook 05 opened in JupyterLab, drawn by the lab's
// own vega renderer: every image is an SVG image mark with a PNG data URL that takes room,
// and clicking a cell of the confusion matrix shows that cell's digits.
func TestDecisionsNotebookInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "05-decisions.ipynb")
	charts := chartOutputs(t, executed)
	if len(charts) != len(decisionsCharts) {
		t.Fatalf("%d chart outputs, want %d", len(charts), len(decisionsCharts))
	}
	// The cell to click: the diagonal cell of the digit with the most test examples right
	// (a cell that has examples whatever the training did), and how many it lists.
	var spec map[string]any
	if err := json.Unmarshal(charts[3].Data["application/vnd.vegalite.v5+json"], &spec); err != nil {
		t.Fatal(err)
	}
	cellTrue, cellCount, listed := -1, 0, 0
	for _, r := range matrixCells(t, spec) {
		if r.truth == r.pred && r.count > cellCount {
			cellTrue, cellCount, listed = r.truth, r.count, r.count
			if m := regexp.MustCompile(`the (\d+) most confident listed`).FindStringSubmatch(r.header); m != nil {
				listed = atoi(t, m[1])
			}
		}
	}
	if cellTrue < 0 {
		t.Fatal("no diagonal cell with examples in the confusion matrix's data")
	}
	root := t.TempDir()
	writeTrusted(t, root, "decisions.ipynb", executed)
	lab := notebooktest.StartLab(t, root)
	dir := browsertest.Artifacts(t)
	var r struct {
		Blocked, Errors []string
		Error           string
		CellFound       int
		Charts          []struct {
			Images, DataHref, Visible int
			First, Text               string
		}
		AfterClick struct {
			Images, DataHref, Visible int
			Text                      string
		}
	}
	env := []string{"PAGE=" + lab.NotebookURL("decisions.ipynb"), "WANT=" + strconv.Itoa(len(decisionsCharts)),
		"MATRIX=3", "SHOT=" + filepath.Join(dir, "jupyterlab-decisions-matrix.png"),
		fmt.Sprintf("CELL=predicted class: %d; true class: %d", cellTrue, cellTrue)}
	if err := browsertest.RunScript(labImagesJS, env, &r); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, lab.Log())
	}
	if r.Error != "" || len(r.Errors) > 0 {
		t.Fatalf("error %q, page errors %v\nserver log:\n%s", r.Error, r.Errors, lab.Log())
	}
	if bad := vegaBlocked(r.Blocked); len(bad) > 0 {
		t.Errorf("the charts asked the network for %v", bad)
	}
	if len(r.Charts) != len(decisionsCharts) {
		t.Fatalf("%d charts drawn by JupyterLab, want %d", len(r.Charts), len(decisionsCharts))
	}
	for i, want := range decisionsCharts {
		c := r.Charts[i]
		if !want.imagesAreVisible {
			continue
		}
		if c.Images == 0 || c.DataHref != c.Images || c.Visible != c.Images {
			t.Errorf("%s: %d image marks, %d with data: hrefs, %d taking room; want all of them (the first: %s)", want.what, c.Images, c.DataHref, c.Visible, c.First)
		}
		if want.specImages > 0 && c.Images != want.specImages {
			t.Errorf("%s: %d image marks; want %d", want.what, c.Images, want.specImages)
		}
	}
	if r.CellFound == 0 {
		t.Fatalf("no cell of true and predicted class %d in the lab's confusion matrix", cellTrue)
	}
	wantImages := listed
	a := r.AfterClick
	if a.Images != wantImages || a.DataHref != wantImages || a.Visible != wantImages {
		t.Errorf("after clicking the cell of digit %d (%d examples): %d images, %d with data: hrefs, %d taking room; want %d",
			cellTrue, cellCount, a.Images, a.DataHref, a.Visible, wantImages)
	}
	if head := fmt.Sprintf("true %d, predicted %d: %d examples", cellTrue, cellTrue, cellCount); !strings.Contains(a.Text, head) {
		t.Errorf("after the click the panel does not say %q: %.300q", head, a.Text)
	}
}

// matrixCell is one cell of a confusion matrix chart's data.
type matrixCell struct {
	truth, pred, count int
	header             string
}

// matrixCells reads the cells of a confusion matrix spec: the rows of its data (inline,
// at the top or in a layer) that have true, predicted and count fields.
func matrixCells(t *testing.T, spec map[string]any) []matrixCell {
	t.Helper()
	var cells []matrixCell
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if d, ok := x["data"]; ok {
				if dm, ok := d.(map[string]any); ok && dm["values"] != nil {
					for _, row := range inlineRows(t, d) {
						r, _ := row.(map[string]any)
						tr, ok1 := num(r["actual"])
						pr, ok2 := num(r["predicted"])
						n, ok3 := num(r["count"])
						if ok1 && ok2 && ok3 {
							cells = append(cells, matrixCell{int(tr), int(pr), int(n), fmt.Sprint(r["header"])})
						}
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(spec)
	return cells
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}
