// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// getJSON fetches a TensorBoard data API path into out.
func getJSON(t *testing.T, base, path string, out any) {
	t.Helper()
	body := get(t, base, path)
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("TensorBoard %s: %v: %.300s", path, err, body)
	}
}

func get(t *testing.T, base, path string) []byte {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatalf("TensorBoard %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("TensorBoard %s: %s %v: %.300s", path, resp.Status, err, body)
	}
	return body
}

// checkTensorBoardServer starts TensorBoard's server on the directory holding the run
// directory dir (so the run is named by its directory, as in a sweep) and checks what its
// HTTP data API serves: the run, every scalar of the run store (as float32), a histogram
// per capture snapshot, the graph's nodes and edges, the configuration text. Then it
// screenshots its Scalars and Graphs pages in Chromium (the network beyond loopback
// blocked), kept as the artifacts tensorboard-scalars.png and tensorboard-graphs.png.
func checkTensorBoardServer(t *testing.T, dir string, stored map[string][]runs.Point, snaps []capture.Snapshot, graph tensorboard.Graph) {
	base := tbcheck.Serve(t, filepath.Dir(dir))
	run := filepath.Base(dir)
	q := func(tag string) string { return "?run=" + url.QueryEscape(run) + "&tag=" + url.QueryEscape(tag) }

	// The server loads the logs in the background: wait for the run.
	var names []string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		getJSON(t, base, "/data/runs", &names)
		if len(names) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(names) != 1 || names[0] != run {
		t.Fatalf("TensorBoard serves the runs %v, want [%s]", names, run)
	}

	// Scalars.
	var scalarTags map[string]map[string]any
	getJSON(t, base, "/data/plugin/scalars/tags", &scalarTags)
	if len(scalarTags[run]) != len(stored) {
		t.Errorf("TensorBoard serves %d scalar tags, the run store holds %d series", len(scalarTags[run]), len(stored))
	}
	for name, points := range stored {
		var got [][3]float64 // wall, step, value
		getJSON(t, base, "/data/plugin/scalars/scalars"+q(name), &got)
		if len(got) != len(points) {
			t.Errorf("scalars %q: TensorBoard serves %d points, the run store holds %d", name, len(got), len(points))
			continue
		}
		for i, p := range points {
			if int64(got[i][1]) != p.Step || got[i][2] != float64(float32(p.Value)) {
				t.Errorf("scalars %q point %d: served step %v value %v, stored %d %v", name, i, got[i][1], got[i][2], p.Step, p.Value)
				break
			}
		}
	}

	// Histograms: one per snapshot, its buckets counting its values.
	var histoTags map[string]map[string]any
	getJSON(t, base, "/data/plugin/histograms/tags", &histoTags)
	served := map[string][]struct {
		step  int64
		count float64
	}{}
	for tag := range histoTags[run] {
		var got [][]json.RawMessage // wall, step, [[left, right, count], ...]
		getJSON(t, base, "/data/plugin/histograms/histograms"+q(tag), &got)
		for _, h := range got {
			var step int64
			var buckets [][3]float64
			if len(h) != 3 || json.Unmarshal(h[1], &step) != nil || json.Unmarshal(h[2], &buckets) != nil {
				t.Fatalf("histograms %q: served %s", tag, h)
			}
			n := 0.0
			for _, b := range buckets {
				n += b[2]
			}
			served[tag] = append(served[tag], struct {
				step  int64
				count float64
			}{step, n})
		}
	}
	total := 0
	for _, sn := range snaps {
		tag := capture.TensorBoardTag(sn.Kind, sn.Name)
		ok := false
		for _, h := range served[tag] {
			ok = ok || h.step == int64(sn.Step) && h.count == float64(sn.Count)
		}
		if !ok {
			t.Errorf("histograms %q: nothing served at step %d with %d values: %v", tag, sn.Step, sn.Count, served[tag])
		}
	}
	for _, hs := range served {
		total += len(hs)
	}
	if total != len(snaps) {
		t.Errorf("TensorBoard serves %d histograms, the capture took %d snapshots", total, len(snaps))
	}

	// The graph, as the Graphs tab loads it: a GraphDef in text format.
	pbtxt := string(get(t, base, "/data/plugin/graphs/graph?run="+url.QueryEscape(run)+"&conceal_large_attrs=true"))
	if n := strings.Count(pbtxt, "\nnode {") + strings.Count(pbtxt[:min(len(pbtxt), 6)], "node {"); n != len(graph.Nodes) {
		t.Errorf("the graph served has %d nodes, we wrote %d", n, len(graph.Nodes))
	}
	for _, n := range graph.Nodes {
		block := fmt.Sprintf("name: %q\n  op: %q\n", n.Name, n.Op)
		for _, in := range n.Inputs {
			block += fmt.Sprintf("  input: %q\n", in)
		}
		if !strings.Contains(pbtxt, block) {
			t.Errorf("the graph served lacks the node\n%s", block)
			break
		}
	}
	if !strings.Contains(pbtxt, `key: "_output_shapes"`) {
		t.Errorf("the graph served has no _output_shapes")
	}

	// The configuration text.
	var text []map[string]any
	getJSON(t, base, "/data/plugin/text/text"+q("config"), &text)
	if len(text) != 1 || !strings.Contains(fmt.Sprint(text[0]["text"]), "backend") {
		t.Errorf("config text served as %v", text)
	}

	// The pages, in Chromium.
	browsertest.Require(t)
	art := browsertest.Artifacts(t)
	var r struct {
		Blocked, Errors       []string
		Error                 string
		ScalarCards, GraphSVG int
	}
	env := []string{"BASE=" + base, "RUN=" + run, "OUT=" + art}
	if err := browsertest.RunScript(tensorBoardPages, env, &r); err != nil {
		t.Fatal(err)
	}
	t.Logf("TensorBoard pages: %+v (screenshots in %s)", r, art)
	if r.Error != "" {
		t.Fatalf("TensorBoard pages: %s (page errors %v)", r.Error, r.Errors)
	}
	for _, u := range r.Blocked {
		t.Logf("TensorBoard's page asked for %s (blocked: only loopback is reached)", u)
	}
	if r.ScalarCards == 0 || r.GraphSVG == 0 {
		t.Errorf("Scalars page: %d charts of train/loss; Graphs page: %d graph nodes drawn", r.ScalarCards, r.GraphSVG)
	}
	for _, f := range []string{"tensorboard-scalars.png", "tensorboard-graphs.png"} {
		if fi, err := os.Stat(filepath.Join(art, f)); err != nil || fi.Size() < 10_000 {
			t.Errorf("screenshot %s: %v", f, err)
		}
	}
}

// tensorBoardPages opens TensorBoard's Scalars page (filtered to train/loss) and its
// Graphs page on the run (the model's scope opened), waits for them to draw, and takes a
// screenshot of each. Only the
// loopback server is reached; every other request is blocked and listed.
const tensorBoardPages = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = { blocked: [], errors: [] };
  const base = process.env.BASE, origin = new URL(base).origin;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await ctx.route('**/*', r => { const u = r.request().url(); if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) r.continue(); else { out.blocked.push(u); r.abort(); } });
    const page = await ctx.newPage();
    page.on('pageerror', e => out.errors.push(String(e)));
    await page.goto(base + '/#scalars&tagFilter=train%2Floss');
    await page.locator('tf-scalar-card, .tf-scalar-card, vz-line-chart2').first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(3000);
    out.scalarCards = await page.locator('vz-line-chart2').count();
    await page.screenshot({ path: path.join(process.env.OUT, 'tensorboard-scalars.png') });
    await page.goto(base + '/#graphs&run=' + encodeURIComponent(process.env.RUN));
    await page.locator('g.node').first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(1000);
    // Open the model's scope, as a user double-clicks it, to show its layers.
    await page.locator('g.node').filter({ hasText: 'model' }).first().dblclick();
    await page.waitForTimeout(1500);
    await page.getByText('Fit to screen').click();
    await page.waitForTimeout(2000);
    out.graphSVG = await page.locator('g.node').count();
    await page.screenshot({ path: path.join(process.env.OUT, 'tensorboard-graphs.png') });
    await ctx.close();
  } catch (e) { out.error = String(e); }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})();
`
