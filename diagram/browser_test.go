// SPDX-License-Identifier: Apache-2.0

package diagram_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
)

// checkJS drives headless Chromium (playwright-core, network blocked): the interactive view
// replaces the static image, hovering shows details, clicking a box opens it, the
// breadcrumb leads back; with JavaScript off the static image shows.
const checkJS = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = { blocked: [], errors: [] };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    for (const js of [true, false]) {
      const ctx = await browser.newContext({ javaScriptEnabled: js });
      const page = await ctx.newPage();
      page.on('pageerror', e => out.errors.push(String(e)));
      page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
      await page.route('**/*', r => { const u = r.request().url(); if (u.startsWith('file:') || u.startsWith('data:')) r.continue(); else { out.blocked.push(u); r.abort(); } });
      await page.goto(process.env.PAGE);
      if (!js) {
        out.noJSStaticVisible = await page.locator('.gonbviz-static img').isVisible();
        out.noJSInteractiveVisible = await page.locator('.gonbviz-dg').isVisible();
        continue;
      }
      await page.waitForSelector('.gonbviz-diagram[data-view="v0"]', { timeout: 10000 });
      out.staticVisible = await page.locator('.gonbviz-static img').isVisible();
      out.inlineSVG = await page.locator('.gonbviz-dg-view svg').count();
      await page.locator('.gonbviz-dg-view [data-info]').first().hover();
      out.info = await page.locator('.gonbviz-dg-info').textContent();
      const target = page.locator('.gonbviz-dg-view [data-view]').first();
      out.opens = await target.getAttribute('data-view');
      await target.click();
      out.viewAfterClick = await page.locator('.gonbviz-diagram').getAttribute('data-view');
      out.crumbs = await page.locator('.gonbviz-dg-bar').textContent();
      await page.locator('.gonbviz-dg-bar a').first().click();
      out.viewAfterBack = await page.locator('.gonbviz-diagram').getAttribute('data-view');
      await ctx.close();
    }
  } catch (e) { out.error = String(e); }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})();
`

func TestDiagramInChromium(t *testing.T) {
	browsertest.Require(t)
	d, err := demo.Diagram("transformer", diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := d.Page()
	if err != nil {
		t.Fatal(err)
	}
	pagePath := filepath.Join(t.TempDir(), "diagram.html")
	if err := os.WriteFile(pagePath, page, 0o644); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Blocked, Errors                           []string
		Error                                     string
		StaticVisible                             bool
		InlineSVG                                 int
		Info, Opens, ViewAfterClick, Crumbs       string
		ViewAfterBack                             string
		NoJSStaticVisible, NoJSInteractiveVisible bool
	}
	if err := browsertest.RunScript(checkJS, []string{"PAGE=file://" + pagePath}, &r); err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Error != "" || len(r.Errors) > 0 || len(r.Blocked) > 0 {
		t.Fatalf("error %q, page errors %v, network %v", r.Error, r.Errors, r.Blocked)
	}
	if r.StaticVisible || r.InlineSVG != 1 {
		t.Errorf("interactive view: static visible %v, %d inline SVGs", r.StaticVisible, r.InlineSVG)
	}
	if !strings.Contains(r.Info, "/transformer") || !strings.Contains(r.Info, "params") {
		t.Errorf("hover info %q", r.Info)
	}
	if r.Opens == "" || r.ViewAfterClick != r.Opens || !strings.Contains(r.Crumbs, "›") || r.ViewAfterBack != "v0" {
		t.Errorf("click opened %q (box says %q), breadcrumb %q, back to %q", r.ViewAfterClick, r.Opens, r.Crumbs, r.ViewAfterBack)
	}
	if !r.NoJSStaticVisible || r.NoJSInteractiveVisible {
		t.Errorf("without JavaScript: static visible %v, interactive visible %v", r.NoJSStaticVisible, r.NoJSInteractiveVisible)
	}
}
