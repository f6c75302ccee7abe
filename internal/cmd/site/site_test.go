// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/jsbundle"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
)

const repo = "../../.."

var (
	attrRE      = regexp.MustCompile(`\s(href|src)="([^"]*)"`)
	inlineLibRE = regexp.MustCompile(`class="` + bundle.LibClass + `"`)
)

// The site built from the executed notebooks: every page's links lead to files of the
// site, nothing is loaded from the network, the libraries are there once, as files, and
// in Chromium with the network blocked every chart of every notebook page becomes
// interactive, and shows its static SVG without JavaScript.
func TestSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	s, err := build(options{Out: out, Notebooks: filepath.Join(repo, "docs/notebooks"), Gallery: filepath.Join(repo, "docs/gallery"), Repo: repo})
	if err != nil {
		t.Fatal(err)
	}
	nbs, _ := filepath.Glob(filepath.Join(repo, "docs/notebooks/*.ipynb"))
	if len(s.Notebooks) != len(nbs) || s.Charts == 0 || s.APIPages < 10 {
		t.Fatalf("%d notebook pages for %d notebooks, %d charts, %d API pages", len(s.Notebooks), len(nbs), s.Charts, s.APIPages)
	}
	t.Logf("%d files, %d KB; %d charts, %d thumbnails, %d API pages", s.Files, s.Bytes>>10, s.Charts, s.Pictures, s.APIPages)

	for name, code := range bundle.LibFiles() {
		got, err := os.ReadFile(filepath.Join(out, "lib", name))
		if err != nil || string(got) != code {
			t.Errorf("lib/%s is not the embedded library (%v)", name, err)
		}
	}
	// Every HTML file: no inline library copy, no library code, no network source, and
	// every relative link or source names a file of the site.
	vegaStart := jsbundle.Vega()[:200]
	var pages []string
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		pages = append(pages, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		if inlineLibRE.Match(data) || bytes.Contains(data, []byte(vegaStart)) {
			t.Errorf("%s carries a copy of the libraries", rel)
		}
		for _, m := range attrRE.FindAllSubmatch(data, -1) {
			kind, u := string(m[1]), string(m[2])
			switch {
			case strings.HasPrefix(u, "data:"), strings.HasPrefix(u, "#"):
			case strings.Contains(u, "://"):
				if kind == "src" {
					t.Errorf("%s loads %s from the network", rel, u)
				}
			default:
				target, _, _ := strings.Cut(u, "#")
				if _, err := os.Stat(filepath.Join(filepath.Dir(path), target)); err != nil {
					t.Errorf("%s: %s=%q leads nowhere", rel, kind, u)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	// The learning path lists the notebooks in their order, and the gallery one thumbnail
	// per chart and diagram.
	last := -1
	for _, e := range s.Notebooks {
		i := bytes.Index(index, []byte(`<li><a href="`+e.File+`"`))
		if i < last {
			t.Errorf("%s is out of order in the learning path", e.Name)
		}
		last = i
	}
	if n := bytes.Count(index, []byte(`<img src="thumbs/`)); n != s.Pictures {
		t.Errorf("%d thumbnails in the gallery, want %d", n, s.Pictures)
	}

	browsertest.Require(t)
	for _, e := range s.Notebooks {
		t.Run(e.Name, func(t *testing.T) {
			url := "file://" + filepath.Join(out, e.File)
			charts, pictures := len(e.Charts), len(e.Pictures)
			wait := ""
			if charts == 0 {
				wait = "static"
			}
			r, err := browsertest.Run(browsertest.Job{URL: url, JavaScript: true, WaitFor: wait})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Blocked) > 0 || len(r.PageErrors) > 0 || len(r.ConsoleErrors) > 0 {
				t.Errorf("blocked %v, page errors %v, console errors %v", r.Blocked, r.PageErrors, r.ConsoleErrors)
			}
			if len(r.Charts) != charts || r.VisibleCharts < charts+pictures {
				t.Errorf("%d charts (want %d), %d visible charts and pictures (want %d)", len(r.Charts), charts, r.VisibleCharts, charts+pictures)
			}
			for _, c := range r.Charts {
				if c.State != "interactive" || c.ViewMarks == 0 {
					t.Errorf("chart %s: state %q with %d marks (%s)", c.ID, c.State, c.ViewMarks, c.Note)
				}
			}
			off, err := browsertest.Run(browsertest.Job{URL: url, JavaScript: false})
			if err != nil {
				t.Fatal(err)
			}
			if len(off.Charts) != charts || off.VisibleCharts < charts+pictures || len(off.Blocked) > 0 {
				t.Errorf("without JavaScript: %d charts, %d visible pictures (want %d + %d), blocked %v", len(off.Charts), off.VisibleCharts, charts, pictures, off.Blocked)
			}
			for _, c := range off.Charts {
				if !c.StaticVisible || c.State != "" {
					t.Errorf("without JavaScript, chart %s: static visible %v, state %q", c.ID, c.StaticVisible, c.State)
				}
			}
		})
	}
	// The index and an API page, with and without JavaScript: every image loads, nothing
	// is blocked, no error.
	var got []struct {
		Page, JS             string
		Images, Loaded, Text int
		Blocked, Errors      []string
	}
	if err := browsertest.RunScript(pageCheck, []string{"PAGES=" + strings.Join([]string{
		"file://" + filepath.Join(out, "index.html"), "file://" + filepath.Join(out, "api", "index.html"), "file://" + filepath.Join(out, "api", "charts.html"),
	}, "\n")}, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("%d page checks, want 6", len(got))
	}
	for _, g := range got {
		if g.Loaded != g.Images || len(g.Blocked) > 0 || len(g.Errors) > 0 || g.Text < 500 {
			t.Errorf("%s (JavaScript %s): %d of %d images loaded, %d characters of text, blocked %v, errors %v", g.Page, g.JS, g.Loaded, g.Images, g.Text, g.Blocked, g.Errors)
		}
		if strings.HasSuffix(g.Page, "/index.html") && !strings.Contains(g.Page, "/api/") && g.Images < s.Pictures {
			t.Errorf("the index shows %d images, want at least the %d thumbnails", g.Images, s.Pictures)
		}
	}
}

// pageCheck opens each page (one per line of $PAGES) with and without JavaScript, the
// network blocked, and reports its images (how many decoded), its text length, what was
// blocked and the errors.
const pageCheck = `
const path = require('path');
const { chromium } = require(path.join(process.env.NODE_DIR, 'node_modules', 'playwright-core'));
(async () => {
  const out = [];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    for (const page of process.env.PAGES.split('\n')) {
      for (const js of [true, false]) {
        const r = { page, js: String(js), blocked: [], errors: [] };
        const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1200, height: 900 } });
        await ctx.route('**/*', route => {
          const u = new URL(route.request().url());
          if (['file:', 'data:', 'blob:'].includes(u.protocol)) return route.continue();
          r.blocked.push(route.request().url());
          return route.abort();
        });
        const p = await ctx.newPage();
        p.on('console', m => { if (m.type() === 'error') r.errors.push(m.text()); });
        p.on('pageerror', e => r.errors.push(String(e)));
        await p.goto(page, { waitUntil: 'load', timeout: 30000 });
        const s = await p.evaluate(() => ({
          images: document.images.length,
          loaded: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
          text: document.body.innerText.length,
        }));
        Object.assign(r, s);
        out.push(r);
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`

// New notebooks join the learning path by their number, with their own lesson line, or
// their introduction's first sentence when the number has none.
func TestLearningPathFindsNotebooks(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repo, "docs/notebooks/00-charts.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	small := []byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Later steps\n\nA notebook <b>not</b> known yet. It says more."}]}`)
	for name, data := range map[string][]byte{"00-charts.ipynb": src, "04-features.ipynb": small, "12-later.ipynb": small} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	s, err := build(options{Out: out, Notebooks: dir, NoAPI: true, Repo: repo})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range s.Notebooks {
		names = append(names, e.Name)
	}
	if strings.Join(names, " ") != "00-charts 04-features 12-later" {
		t.Errorf("learning path %v", names)
	}
	if s.Notebooks[1].Blurb != lessons["04"] || s.Notebooks[2].Blurb != "A notebook <b>not</b> known yet." {
		t.Errorf("lesson lines %q, %q", s.Notebooks[1].Blurb, s.Notebooks[2].Blurb)
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !bytes.Contains(index, []byte("A notebook &lt;b&gt;not&lt;/b&gt; known yet.")) {
		t.Error("the index does not show the new notebook's first sentence, escaped")
	}
	page, _ := os.ReadFile(filepath.Join(out, "notebooks", "04-features.html"))
	if !bytes.Contains(page, []byte(`href="00-charts.html" rel="prev"`)) || !bytes.Contains(page, []byte(`href="12-later.html" rel="next"`)) {
		t.Error("04-features.html does not link its neighbours on the path")
	}
}
