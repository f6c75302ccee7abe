// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
)

// imagesJS drives headless Chromium (playwright-core, network blocked) over a page of
// image charts: in every chart's interactive view it counts the <image> elements whose
// PNG the browser decodes and that take room on the page; then it clicks the confusion
// matrix's cell CELL (its aria label) and counts the images the side panel shows.
const imagesJS = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = { blocked: [], errors: [], charts: [] };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', e => out.errors.push(String(e)));
    page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
    await page.route('**/*', r => { const u = r.request().url(); if (u.startsWith('file:') || u.startsWith('data:')) r.continue(); else { out.blocked.push(u); r.abort(); } });
    await page.goto(process.env.PAGE);
    await page.waitForFunction(() => {
      const cs = document.querySelectorAll('.gonbviz-chart');
      return cs.length > 0 && [...cs].every(c => c.getAttribute('data-gonbviz-state') === 'interactive');
    }, null, { timeout: 30000 });
    const count = () => page.evaluate(async () => {
      const res = [];
      for (const c of document.querySelectorAll('.gonbviz-chart')) {
        let decoded = 0, visible = 0, images = 0;
        for (const im of c.querySelectorAll('.gonbviz-view svg image')) {
          images++;
          const href = im.getAttribute('href') || im.getAttribute('xlink:href') || '';
          const r = im.getBoundingClientRect();
          if (r.width > 0 && r.height > 0) visible++;
          if (href.startsWith('data:image/png;base64,')) {
            const ok = await new Promise(done => { const i = new Image(); i.onload = () => done(i.naturalWidth > 0); i.onerror = () => done(false); i.src = href; });
            if (ok) decoded++;
          }
        }
        res.push({ id: c.id, images, visible, decoded, text: c.querySelector('.gonbviz-view').textContent });
      }
      return res;
    });
    out.charts = await count();
    const cell = page.locator('.gonbviz-chart').last().locator('.gonbviz-view svg path[aria-label*="' + process.env.CELL + '"]').first();
    out.cellFound = await cell.count();
    await cell.click({ position: { x: 6, y: 24 } });
    await page.waitForTimeout(500);
    out.afterClick = (await count()).pop();
    await page.screenshot({ path: process.env.SHOT, fullPage: true });
  } catch (e) { out.error = String(e); }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})();
`

// TestImagesInChromium: an image grid, the most confidently wrong examples and a
// confusion matrix with images open in Chromium; every PNG decodes and takes room, and
// clicking a cell of the matrix shows that cell's examples as images.
func TestImagesInChromium(t *testing.T) {
	browsertest.Require(t)
	d := digitsClassified()
	n := 40
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = d.scores[i][d.predictions[i]]
	}
	gridChart, err := charts.ImageGrid(d.images[:n], charts.ImageGridOptions{Labels: d.labels[:n], Predictions: d.predictions[:n], Scores: scores})
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := charts.MostConfidentlyWrong(d.labels, d.scores, d.images, charts.MostConfidentlyWrongOptions{Count: 16})
	if err != nil {
		t.Fatal(err)
	}
	matrix, err := charts.ConfusionMatrix(d.labels, d.scores, charts.ConfusionMatrixOptions{Images: d.images})
	if err != nil {
		t.Fatal(err)
	}
	// The cell clicked: the most frequent mistake.
	c, _ := charts.ComputeConfusion(d.labels, d.scores)
	bt, bp := 0, 1
	for tr, row := range c.Counts {
		for p, m := range row {
			if tr != p && m > c.Counts[bt][bp] {
				bt, bp = tr, p
			}
		}
	}
	inCell := c.Counts[bt][bp]
	dir := browsertest.Artifacts(t)
	page := filepath.Join(dir, "images.html")
	savePage(t, page, "images", gridChart, wrong, matrix)
	var r struct {
		Blocked, Errors []string
		Error           string
		CellFound       int
		Charts          []struct {
			ID                       string
			Images, Visible, Decoded int
			Text                     string
		}
		AfterClick struct {
			Images, Visible, Decoded int
			Text                     string
		}
	}
	env := []string{"PAGE=file://" + page, "SHOT=" + filepath.Join(dir, "images-clicked.png"),
		fmt.Sprintf("CELL=predicted class: %d; true class: %d", bp, bt)}
	if err := browsertest.RunScript(imagesJS, env, &r); err != nil {
		t.Fatal(err)
	}
	if r.Error != "" || len(r.Errors) > 0 || len(r.Blocked) > 0 {
		t.Fatalf("error %q, page errors %v, network %v", r.Error, r.Errors, r.Blocked)
	}
	if len(r.Charts) != 3 {
		t.Fatalf("%d charts on the page, want 3", len(r.Charts))
	}
	for i, want := range []int{n, 16, 0} {
		ch := r.Charts[i]
		if ch.Images != want || ch.Visible != want || ch.Decoded != want {
			t.Errorf("chart %d: %d images, %d visible, %d decoded; want %d of each", i, ch.Images, ch.Visible, ch.Decoded, want)
		}
	}
	if r.CellFound == 0 {
		t.Fatalf("no cell of true class %d, predicted %d in the matrix's view", bt, bp)
	}
	want := min(inCell, 12)
	a := r.AfterClick
	if a.Images != want || a.Visible != want || a.Decoded != want {
		t.Errorf("after clicking the cell of true %d, predicted %d (%d examples): %d images, %d visible, %d decoded; want %d",
			bt, bp, inCell, a.Images, a.Visible, a.Decoded, want)
	}
	if head := fmt.Sprintf("true %d, predicted %d: %d examples", bt, bp, inCell); !strings.Contains(a.Text, head) {
		t.Errorf("after the click the panel does not say %q: %.300q", head, a.Text)
	}
}
