// browsercheck.mjs: opens a page in headless Debian Chromium (driven by playwright-core;
// never a downloaded browser) and reports what a reader would see of gonbviz charts.
//
// Input (stdin, JSON):
//   {"url": "file:///.../page.html" | "http://127.0.0.1:PORT/...",
//    "javascript": true, "allowHosts": ["127.0.0.1"], "screenshot": "/abs/out.png",
//    "waitFor": "interactive" | "static", "timeoutMs": 30000,
//    "slider": {"value": "3"}, "jupyterlab": false,
//    "hover": {"chart": 0, "selector": ".mark-symbol path", "nth": 0},
//    "drag": {"chart": 1, "selector": "path.background", "nth": 0, "from": [0.1, 0.1], "to": [0.5, 0.5],
//             "screenshot": "/abs/drag.png"}}
// Every request to a host not in allowHosts (and not file:) is blocked and listed, so a
// page that needs the network is caught.
// Output (stdout, JSON): {"blocked": [...], "consoleErrors": [...], "pageErrors": [...],
//   "charts": [{"id", "state", "staticVisible", "viewMarks", "viewSVG"}] (gonbviz's charts
//   on HTML pages, then the charts JupyterLab's own vega renderer drew),
//   "afterSlider": [...same...], "sliders": N,
//   "tooltip": {"found", "visible", "text", "images": [{"src", "width", "height", "decoded"}]} (hover: the
//   mouse on the center of the nth element matching selector in the chart's interactive view),
//   "afterDrag": [...charts...] (drag: the mouse pressed at "from" and released at "to", as
//   fractions of the nth matching element's box, in the chart's interactive view)}
// The chart index counts as "charts" does. The steps run in this order: screenshot,
// slider, hover, drag.
import { chromium } from 'playwright-core';

const job = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const out = { blocked: [], consoleErrors: [], pageErrors: [], charts: [], afterSlider: null, sliders: 0, tooltip: null, afterDrag: null };
const allow = new Set(job.allowHosts || []);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ javaScriptEnabled: job.javascript !== false, viewport: { width: 1200, height: 900 } });
  await context.route('**/*', route => {
    const u = new URL(route.request().url());
    if (u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'blob:' || allow.has(u.hostname)) return route.continue();
    out.blocked.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
  page.on('pageerror', e => out.pageErrors.push(String(e)));
  const timeout = job.timeoutMs || 30000;
  await page.goto(job.url, { waitUntil: 'load', timeout });
  if (job.prepare === 'jupyterlab') {
    // JupyterLab renders outputs after the notebook opens; wait for the first output with a
    // chart in it (ours, or another renderer's SVG).
    await page.waitForSelector('.jp-Notebook', { timeout });
    await page.waitForFunction(() => document.querySelectorAll('.jp-OutputArea-output').length > 0, null, { timeout });
    await page.waitForTimeout(3000);
  }
  const want = job.waitFor || (job.javascript === false ? 'static' : 'interactive');
  // The charts: ours (.gonbviz-chart, HTML pages) and the notebook outputs JupyterLab's
  // own vega renderer draws (.jp-RenderedVegaCommon5: gonbviz's notebook outputs carry
  // the compiled Vega spec, which it draws, trusted or not).
  if (want === 'interactive') {
    await page.waitForFunction(() => {
      const ours = [...document.querySelectorAll('.gonbviz-chart')];
      const lab = [...document.querySelectorAll('.jp-RenderedVegaCommon5')];
      const settled = ours.length + lab.length > 0 &&
        ours.every(c => ['interactive', 'static'].includes(c.getAttribute('data-gonbviz-state'))) &&
        lab.every(c => c.querySelector('svg.marks, canvas.marks') || c.textContent.trim() !== '');
      // JupyterLab creates its renderers one output at a time: settled means settled with
      // the same number of charts for a second.
      const n = ours.length + lab.length, now = Date.now();
      if (!settled || window.__gonbvizCount !== n) {
        window.__gonbvizCount = settled ? n : -1;
        window.__gonbvizSince = now;
        return false;
      }
      return now - window.__gonbvizSince >= 1000;
    }, null, { timeout, polling: 250 });
  }
  const snapshot = () => page.evaluate(() => {
    const markSel = '.mark-symbol path, .mark-rect path, .mark-line path, .mark-area path, .mark-arc path, .mark-rule line, .mark-text text, .mark-tick line, .mark-trail path, .mark-shape path, .mark-image image';
    const ours = [...document.querySelectorAll('.gonbviz-chart')].map(c => {
      const st = c.querySelector('.gonbviz-static');
      const svg = st && st.querySelector('svg, img');
      const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const view = c.querySelector('.gonbviz-view svg');
      const note = c.querySelector('.gonbviz-note');
      return {
        id: c.id,
        state: c.getAttribute('data-gonbviz-state') || '',
        staticVisible: !!svg && r.width > 0 && r.height > 0 && getComputedStyle(st).display !== 'none',
        viewMarks: view ? view.querySelectorAll(markSel).length : 0,
        viewSVG: view ? view.outerHTML : '',
        note: note && note.style.display !== 'none' ? note.textContent : '',
      };
    });
    const lab = [...document.querySelectorAll('.jp-RenderedVegaCommon5')].map((c, i) => {
      const view = c.querySelector('svg.marks');
      const drawn = view || c.querySelector('canvas.marks');
      return {
        id: 'jupyterlab-vega-' + i,
        state: drawn ? 'interactive' : (c.textContent.trim() !== '' ? 'error' : 'loading'),
        staticVisible: false,
        viewMarks: view ? view.querySelectorAll(markSel).length : 0,
        viewSVG: view ? view.outerHTML : '',
        note: drawn ? '' : c.textContent.trim().slice(0, 300),
      };
    });
    return ours.concat(lab);
  });
  out.charts = await snapshot();
  // The outputs as JupyterLab rendered them (mime type chosen, classes), for diagnosis.
  out.outputs = await page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o =>
    (o.getAttribute('data-mime-type') || '') + ' ' + o.className + ' ' + o.innerHTML.slice(0, 200)));
  out.sliders = await page.locator('input[type=range]').count();
  // Every visible SVG chart on the page, whoever drew it (ours, JupyterLab's own vega
  // renderer, an <img>): what a reader sees.
  out.visibleCharts = await page.evaluate(() => [...document.querySelectorAll('svg.marks, img[src^="data:image/svg"]')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 20 && r.height > 20 && getComputedStyle(e).visibility !== 'hidden';
  }).length);
  // JupyterLab scrolls inside its own panel: bring the first chart into view first.
  if (job.prepare === 'jupyterlab') {
    await page.evaluate(chartInView => {
      const first = document.querySelector('.gonbviz-chart, .jp-RenderedVegaCommon5, .jp-OutputArea-output svg');
      const cell = first && first.closest('.jp-Cell');
      if (chartInView && first) first.scrollIntoView({ block: 'center' });
      else if (cell) cell.scrollIntoView({ block: 'start' });
    }, !!job.chartInView);
    await page.waitForTimeout(300);
  }
  // What drew the charts in JupyterLab: ours (.gonbviz-chart), its own vega renderer
  // (.vega-embed outside ours), or a plain SVG output.
  out.renderers = await page.evaluate(() => ({
    gonbviz: document.querySelectorAll('.gonbviz-chart').length,
    jupyterLabVega: document.querySelectorAll('.jp-RenderedVegaCommon5').length,
    otherVegaEmbed: [...document.querySelectorAll('.vega-embed')].filter(e => !e.closest('.gonbviz-chart')).length,
    svgOutputs: document.querySelectorAll('.jp-RenderedSVG, .jp-RenderedImage').length,
  }));
  if (job.screenshot) await page.screenshot({ path: job.screenshot, fullPage: true });
  if (job.slider && out.sliders > 0) {
    const s = page.locator('input[type=range]').first();
    await s.evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); }, String(job.slider.value));
    await page.waitForTimeout(500);
    out.afterSlider = await snapshot();
    if (job.sliderScreenshot) await page.screenshot({ path: job.sliderScreenshot, fullPage: true });
  }
  // The interactive view of chart i (as "charts" counts them): its element for locators.
  const view = async i => {
    const ours = await page.locator('.gonbviz-chart').count();
    return i < ours ? page.locator('.gonbviz-chart').nth(i).locator('.gonbviz-view svg').first()
      : page.locator('.jp-RenderedVegaCommon5').nth(i - ours).locator('svg.marks').first();
  };
  // The nth element matching selector in chart i's view, scrolled into sight, and its box.
  const target = async (step) => {
    const el = (await view(step.chart || 0)).locator(step.selector).nth(step.nth || 0);
    await el.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    const box = await el.boundingBox();
    if (!box) throw new Error(`no visible ${step.selector} #${step.nth || 0} in chart ${step.chart || 0}`);
    return box;
  };
  if (job.hover) {
    const box = await target(job.hover);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(400);
    out.tooltip = await page.evaluate(async () => {
      const t = document.getElementById('vg-tooltip-element');
      if (!t) return { found: false, visible: false, text: '', images: [] };
      const images = [];
      for (const im of t.querySelectorAll('img')) {
        const decoded = await new Promise(done => { if (im.complete) done(im.naturalWidth > 0); else { im.onload = () => done(im.naturalWidth > 0); im.onerror = () => done(false); } });
        images.push({ src: im.getAttribute('src') || '', width: im.naturalWidth, height: im.naturalHeight, decoded });
      }
      return { found: true, visible: t.classList.contains('visible') && getComputedStyle(t).visibility === 'visible', text: t.textContent, images };
    });
    if (job.hover.screenshot) await page.screenshot({ path: job.hover.screenshot });
    await page.mouse.move(0, 0);
  }
  if (job.drag) {
    const box = await target(job.drag);
    const at = f => [box.x + f[0] * box.width, box.y + f[1] * box.height];
    const [x0, y0] = at(job.drag.from || [0.1, 0.1]), [x1, y1] = at(job.drag.to || [0.5, 0.5]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 5 });
    await page.mouse.move(x1, y1, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(500);
    out.afterDrag = await snapshot();
    if (job.drag.screenshot) await page.screenshot({ path: job.drag.screenshot });
  }
} catch (e) {
  out.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
