// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// labDiagramJS opens the executed diagrams notebook in JupyterLab (headless Chromium via
// playwright-core; only the loopback server reachable) and drives its first diagram:
// hover shows details, a click opens a box in its own view, the breadcrumb leads back.
const labDiagramJS = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = { blocked: [], errors: [] };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(String(e)));
    await page.route('**/*', r => { const u = new URL(r.request().url()); if (u.protocol === 'data:' || u.hostname === '127.0.0.1') r.continue(); else { out.blocked.push(u.href); r.abort(); } });
    await page.goto(process.env.PAGE);
    await page.waitForSelector('.gonbviz-diagram[data-view="v0"]', { timeout: 90000 });
    const d = page.locator('.gonbviz-diagram').first();
    await d.scrollIntoViewIfNeeded();
    out.diagrams = await page.locator('.gonbviz-diagram').count();
    out.inlineSVG = await d.locator('.gonbviz-dg-view svg').count();
    out.staticVisible = await d.locator('.gonbviz-static img').isVisible();
    await d.locator('.gonbviz-dg-view .dg-node[data-info]').first().hover();
    out.info = await d.locator('.gonbviz-dg-info').textContent();
    const target = d.locator('.gonbviz-dg-view .dg-node[data-view]').first();
    out.opens = await target.getAttribute('data-view');
    await target.click();
    out.viewAfterClick = await d.getAttribute('data-view');
    await d.locator('.gonbviz-dg-bar a').first().click();
    out.viewAfterBack = await d.getAttribute('data-view');
    if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
  } catch (e) { out.error = String(e); }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})();
`

// TestDiagramsInJupyterLab opens the executed, trusted 02-network-diagrams.ipynb in a real
// JupyterLab: the diagrams turn interactive there, and opening a box works.
func TestDiagramsInJupyterLab(t *testing.T) {
	browsertest.Require(t)
	executed := execute(t, "02-network-diagrams.ipynb")
	root := t.TempDir()
	writeTrusted(t, root, "diagrams.ipynb", executed)
	lab := notebooktest.StartLab(t, root)
	var r struct {
		Blocked, Errors             []string
		Error                       string
		Diagrams, InlineSVG         int
		StaticVisible               bool
		Info, Opens, ViewAfterClick string
		ViewAfterBack               string
	}
	shot := filepath.Join(browsertest.Artifacts(t), "jupyterlab-diagram.png")
	if err := browsertest.RunScript(labDiagramJS, []string{"PAGE=" + lab.NotebookURL("diagrams.ipynb"), "SHOT=" + shot}, &r); err != nil {
		t.Fatal(err)
	}
	defer keepDocImage(t, shot, "jupyterlab-diagram.png")
	t.Logf("%+v", r)
	if r.Error != "" || len(r.Blocked) > 0 {
		t.Fatalf("error %q, network %v\nserver log:\n%s", r.Error, r.Blocked, lab.Log())
	}
	for _, e := range r.Errors {
		if strings.Contains(e, "gonbviz") {
			t.Errorf("page error from gonbviz: %s", e)
		}
	}
	if r.Diagrams < 3 || r.InlineSVG != 1 || r.StaticVisible {
		t.Errorf("%d interactive diagrams, first with %d inline SVGs, static visible %v", r.Diagrams, r.InlineSVG, r.StaticVisible)
	}
	if !strings.Contains(r.Info, "output: float32") {
		t.Errorf("hover info %q", r.Info)
	}
	if r.Opens == "" || r.ViewAfterClick != r.Opens || r.ViewAfterBack != "v0" {
		t.Errorf("click opened %q (box says %q), back to %q", r.ViewAfterClick, r.Opens, r.ViewAfterBack)
	}
}
