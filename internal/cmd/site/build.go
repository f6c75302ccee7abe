// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/internal/export"
)

type options struct {
	Out       string // folder written anew
	Notebooks string // executed notebooks, *.ipynb
	Gallery   string // the chart builders' pictures, *.png ("" for none)
	Repo      string // repository root, for go list / go doc
	NoAPI     bool
}

// stats says what a build wrote.
type stats struct {
	Notebooks []notebookPage
	Charts    int // interactive charts on the notebook pages
	Pictures  int // thumbnails in the gallery (charts and diagrams)
	APIPages  int
	Files     int
	Bytes     int64
}

type notebookPage struct {
	Name     string // file name without .ipynb
	File     string // the page, relative to the site root
	Title    string
	Blurb    string // what this step teaches, plain text
	Charts   []export.ChartRef
	Pictures []export.ChartRef
}

// lessons says what each step of the learning path teaches, by the notebook's number.
// Notebooks are found by globbing, so a new one joins the path in the order of its number,
// with the first sentence of its introduction when it has no line here.
var lessons = map[string]string{
	"00": "Start here. A chart is data, a mark and an encoding; one call shows it in the notebook, interactive where JavaScript runs and a static picture everywhere else.",
	"01": "Train a first model and watch it learn: loss and accuracy live while it trains, TensorBoard's smoothing, and a learning-rate sweep compared run by run.",
	"02": "See what you built before you train it: the layers of a network, their output shapes and parameter counts, opened layer by layer.",
	"03": "Look inside while it trains: weights, activations and gradients, and why a deep sigmoid network stalls where ReLU with layer normalisation learns.",
	"04": "Know your data: each feature across the training, validation and test splits, and the shifts that break a model.",
	"05": "Judge the decisions: the confusion matrix, ROC and precision-recall curves, and whether the model's confidence can be trusted.",
	"06": "Bring your logs: TensorBoard event files written while training, and read back from TensorBoard, TensorFlow and PyTorch.",
}

// captionRE is the start of a chart's description that a gallery caption leaves out.
var captionRE = regexp.MustCompile(`^Vega-Lite [a-z]+ chart: `)

var numberRE = regexp.MustCompile(`^(\d+)`)

func build(o options) (*stats, error) {
	paths, err := filepath.Glob(filepath.Join(o.Notebooks, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no notebooks (*.ipynb) in %s; -notebooks names the folder of executed notebooks", o.Notebooks)
	}
	sort.Strings(paths) // the numbers order the learning path
	if err := os.RemoveAll(o.Out); err != nil {
		return nil, err
	}
	w := &writer{root: o.Out}
	s := &stats{}

	// The libraries, once for the whole site, with their licences.
	for name, code := range bundle.LibFiles() {
		w.write(filepath.Join("lib", name), []byte(code))
	}
	_ = filepath.WalkDir(filepath.Join(o.Repo, "internal", "jsbundle", "licenses"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, rerr := os.ReadFile(path)
		if rerr == nil {
			rel, _ := filepath.Rel(filepath.Join(o.Repo, "internal", "jsbundle"), path)
			w.write(filepath.Join("lib", rel), data)
		}
		return nil
	})

	// The notebooks: laid out first (titles for the navigation), then written.
	type laid struct {
		page  export.Page
		entry notebookPage
	}
	var pages []laid
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		nb, err := export.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".ipynb")
		p, err := export.Build(nb, export.Options{Name: filepath.Base(path), Link: notebookLink})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		e := notebookPage{Name: name, File: "notebooks/" + name + ".html", Title: p.Title, Charts: p.Charts, Pictures: p.Pictures}
		if m := numberRE.FindString(name); m != "" {
			e.Blurb = lessons[m]
		}
		if e.Blurb == "" {
			e.Blurb = firstSentence(nb)
		}
		pages = append(pages, laid{p, e})
	}
	for i, l := range pages {
		nav := navHTML(i, len(pages), func(j int) notebookPage { return pages[j].entry })
		parts := append([]bundle.Part{{HTML: headerHTML("..", "learn") + nav}}, l.page.Parts...)
		parts = append(parts, bundle.Part{HTML: nav})
		page, err := bundle.Compose(bundle.PageOptions{Title: l.page.Title + " · gonbviz", CSS: export.CSS + siteCSS, LibDir: "../lib"}, parts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.entry.Name, err)
		}
		w.write(l.entry.File, page)
		s.Notebooks = append(s.Notebooks, l.entry)
		s.Charts += len(l.entry.Charts)
	}

	// The gallery's thumbnails: the static SVG of every chart and diagram, as files.
	var gallery strings.Builder
	for _, e := range s.Notebooks {
		refs := append(append([]export.ChartRef(nil), e.Charts...), e.Pictures...)
		if len(refs) == 0 {
			continue
		}
		sort.SliceStable(refs, func(a, b int) bool { return refs[a].Cell < refs[b].Cell })
		fmt.Fprintf(&gallery, "<h3><a href=\"%s\">%s</a></h3><div class=\"thumbs\">", e.File, html.EscapeString(e.Title))
		for _, r := range refs {
			if r.SVG == "" {
				continue
			}
			thumb := "thumbs/" + e.Name + "-" + strings.TrimPrefix(r.ID, "gonbviz-nb-") + ".svg"
			w.write(thumb, []byte(r.SVG))
			caption := captionRE.ReplaceAllString(r.Text, "")
			if caption == "" {
				caption = fmt.Sprintf("cell %d", r.Cell)
			}
			fmt.Fprintf(&gallery, "<figure><a href=\"%s#%s\"><img src=\"%s\" alt=\"%s\"></a><figcaption>%s</figcaption></figure>",
				e.File, r.ID, thumb, html.EscapeString(caption), html.EscapeString(caption))
			s.Pictures++
		}
		gallery.WriteString("</div>\n")
	}
	if o.Gallery != "" {
		pngs, _ := filepath.Glob(filepath.Join(o.Gallery, "*.png"))
		var builders []string
		for _, p := range pngs {
			if !strings.HasPrefix(filepath.Base(p), "notebook-") { // those are the notebooks' charts, above
				builders = append(builders, p)
			}
		}
		if len(builders) > 0 {
			gallery.WriteString("<h3>What each chart builder and diagram draws</h3><div class=\"thumbs\">")
			for _, p := range builders {
				data, err := os.ReadFile(p)
				if err != nil {
					return nil, err
				}
				name := filepath.Base(p)
				w.write("gallery/"+name, data)
				label := strings.TrimSuffix(name, ".png")
				fmt.Fprintf(&gallery, "<figure><a href=\"gallery/%s\"><img src=\"gallery/%s\" alt=\"%s\"></a><figcaption>%s</figcaption></figure>",
					name, name, html.EscapeString(label), html.EscapeString(label))
			}
			gallery.WriteString("</div>\n")
		}
	}

	// The API pages.
	var api []apiPackage
	if !o.NoAPI {
		api, err = apiPackages(o.Repo)
		if err != nil {
			return nil, err
		}
		var list strings.Builder
		for _, p := range api {
			fmt.Fprintf(&list, "<tr><td><a href=\"%s\"><code>%s</code></a></td><td>%s</td></tr>\n", p.File, html.EscapeString(p.Path), html.EscapeString(p.Synopsis))
			body := headerHTML("..", "api") + fmt.Sprintf("<main><h1><code>%s</code></h1><p class=\"note\">The output of <code>go doc -all %s</code>.</p><pre class=\"godoc\">%s</pre></main>",
				html.EscapeString(p.Path), html.EscapeString(p.Path), html.EscapeString(p.Doc))
			page, err := bundle.Compose(bundle.PageOptions{Title: p.Path + " · gonbviz API", CSS: export.CSS + siteCSS, LibDir: "../lib"}, []bundle.Part{{HTML: body}})
			if err != nil {
				return nil, err
			}
			w.write("api/"+p.File, page)
			s.APIPages++
		}
		body := headerHTML("..", "api") + "<main><h1>API overview</h1><p>gonbviz's public packages, in the order data flows through them (model and training, record, draw, render, show), and the command line. Each links to its <code>go doc -all</code> output.</p><table class=\"api\">" + list.String() + "</table></main>"
		page, err := bundle.Compose(bundle.PageOptions{Title: "API · gonbviz", CSS: export.CSS + siteCSS, LibDir: "../lib"}, []bundle.Part{{HTML: body}})
		if err != nil {
			return nil, err
		}
		w.write("api/index.html", page)
	}

	// The index: the learning path, then the gallery.
	var idx strings.Builder
	idx.WriteString(headerHTML(".", "home"))
	idx.WriteString("<main><h1>gonbviz</h1><p>Model visualisation for Go notebooks: gonbviz trains <a href=\"https://github.com/gomlx/gomlx\">GoMLX</a> models in <a href=\"https://github.com/janpfeifer/gonb\">GoNB</a> cells and shows what happens inside them. This site is made from the executed example notebooks; it works offline, and every page reads without JavaScript (each chart's static picture).</p>")
	idx.WriteString("<h2 id=\"learn\">Learn deep learning in Go with gonbviz</h2><p>The notebooks in teaching order: each builds on the one before. Run them yourself in JupyterLab with the GoNB kernel (<code>bash scripts/setup-jupyter.sh</code>, then <code>.venv/bin/jupyter lab examples/notebooks</code>).</p><ol class=\"path\">")
	for _, e := range s.Notebooks {
		fmt.Fprintf(&idx, "<li><a href=\"%s\">%s</a> <span class=\"count\">%s</span><br>%s</li>", e.File, html.EscapeString(e.Title), counts(e), html.EscapeString(e.Blurb))
	}
	idx.WriteString("</ol>")
	if len(api) > 0 {
		idx.WriteString("<h2 id=\"api\">API</h2><p>The <a href=\"api/index.html\">API overview</a> lists the public packages, each with its <code>go doc</code> output.</p>")
	}
	idx.WriteString("<h2 id=\"gallery\">Gallery</h2><p>Every chart and diagram of the notebooks, as its static picture; click one to open it, interactive, on its notebook's page.</p>")
	idx.WriteString(gallery.String())
	idx.WriteString("</main>")
	page, err := bundle.Compose(bundle.PageOptions{Title: "gonbviz: model visualisation for Go notebooks", CSS: export.CSS + siteCSS, LibDir: "lib"}, []bundle.Part{{HTML: idx.String()}})
	if err != nil {
		return nil, err
	}
	w.write("index.html", page)
	if w.err != nil {
		return nil, w.err
	}
	s.Files, s.Bytes = w.files, w.bytes
	return s, nil
}

func counts(e notebookPage) string {
	var parts []string
	if n := len(e.Charts); n > 0 {
		parts = append(parts, plural(n, "chart"))
	}
	if n := len(e.Pictures); n > 0 {
		parts = append(parts, plural(n, "diagram"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

var sentenceRE = regexp.MustCompile(`^(?s)(.+?[.!?])(\s|$)`)

// firstSentence is the first sentence of the notebook's first paragraph that is not a
// heading, markdown marks removed.
func firstSentence(nb *export.Notebook) string {
	for _, c := range nb.Cells {
		if c.Type != "markdown" {
			continue
		}
		for _, para := range strings.Split(c.Source, "\n\n") {
			para = strings.TrimSpace(para)
			if para == "" || strings.HasPrefix(para, "#") {
				continue
			}
			para = strings.NewReplacer("`", "", "**", "", "*", "", "\n", " ").Replace(para)
			if m := sentenceRE.FindStringSubmatch(para); m != nil {
				return m[1]
			}
			return para
		}
	}
	return ""
}

// notebookLink points links to the example notebooks at their pages.
func notebookLink(dest string) string {
	base := filepath.Base(dest)
	if strings.HasSuffix(base, ".ipynb") && !strings.Contains(dest, "://") {
		return strings.TrimSuffix(base, ".ipynb") + ".html"
	}
	return dest
}

// headerHTML is the site's top bar; root is the relative path to the site root.
func headerHTML(root, active string) string {
	link := func(href, label, key string) string {
		class := ""
		if key == active {
			class = ` class="active"`
		}
		return fmt.Sprintf(`<a href="%s/%s"%s>%s</a>`, root, href, class, label)
	}
	return `<header class="site">` + link("index.html", "gonbviz", "home") + link("index.html#learn", "Learn", "learn") +
		link("index.html#gallery", "Gallery", "gallery") + link("api/index.html", "API", "api") + "</header>\n"
}

// navHTML is the learning path's previous/next bar of notebook i of n.
func navHTML(i, n int, at func(int) notebookPage) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<nav class="path"><span>Learn, step %d of %d</span>`, i+1, n)
	if i > 0 {
		fmt.Fprintf(&b, `<a href="%s.html" rel="prev">← %s</a>`, at(i-1).Name, html.EscapeString(at(i-1).Title))
	}
	if i+1 < n {
		fmt.Fprintf(&b, `<a href="%s.html" rel="next">%s →</a>`, at(i+1).Name, html.EscapeString(at(i+1).Title))
	}
	b.WriteString("</nav>\n")
	return b.String()
}

const siteCSS = `header.site{display:flex;gap:1.4em;align-items:baseline;border-bottom:1px solid #ddd;padding-bottom:.5em;margin-bottom:1em}` +
	`header.site a{color:#1a56a0;text-decoration:none}header.site a:first-child{font-weight:bold;font-size:1.15em;color:#222}header.site a.active{text-decoration:underline}` +
	`nav.path{display:flex;gap:1.5em;flex-wrap:wrap;font-size:.92em;color:#555;margin:1em 0;padding:.4em .6em;background:#f6f8fa;border-radius:4px}` +
	`nav.path a{color:#1a56a0}ol.path li{margin:.6em 0}ol.path .count{color:#777;font-size:.9em}` +
	`.thumbs{display:flex;flex-wrap:wrap;gap:14px}.thumbs figure{margin:0;width:250px;border:1px solid #e1e4e8;border-radius:4px;padding:6px;background:#fff}` +
	`.thumbs img{width:100%;height:170px;object-fit:contain}.thumbs figcaption{font-size:12px;color:#555;overflow-wrap:anywhere}` +
	`pre.godoc{font-size:13px;line-height:1.4;white-space:pre-wrap;background:#f6f8fa;padding:1em;border-radius:4px}p.note{color:#666}` +
	`table.api td{vertical-align:top;padding:4px 12px}`

// apiPackage is one public package's go doc page.
type apiPackage struct {
	Path     string // import path
	File     string // page name in api/
	Synopsis string
	Doc      string // go doc -all
}

// apiPackages lists the public packages (and the gonbviz command) with go list, and runs
// go doc -all on each.
func apiPackages(repo string) ([]apiPackage, error) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{.Name}}\t{{.Doc}}", "./...")
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.String())
	}
	var pkgs []apiPackage
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			continue
		}
		path, name, doc := f[0], f[1], f[2]
		if strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal") || strings.Contains(path, "/examples/") {
			continue
		}
		if name == "main" && !strings.HasSuffix(path, "/cmd/gonbviz") {
			continue
		}
		pkgs = append(pkgs, apiPackage{Path: path, Synopsis: doc})
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("go list found no public package in %s", repo)
	}
	// The module path: the longest common prefix of the packages' paths.
	module := pkgs[0].Path
	for _, p := range pkgs {
		for !strings.HasPrefix(p.Path+"/", module+"/") {
			module = filepath.Dir(module)
		}
	}
	for i := range pkgs {
		p := &pkgs[i]
		rel := strings.TrimPrefix(strings.TrimPrefix(p.Path, module), "/")
		if rel == "" {
			rel = "gonbviz"
		}
		p.File = strings.ReplaceAll(rel, "/", ".") + ".html"
		cmd := exec.Command("go", "doc", "-all", p.Path)
		cmd.Dir = repo
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go doc -all %s: %v: %s", p.Path, err, stderr.String())
		}
		p.Doc = string(out)
	}
	sort.SliceStable(pkgs, func(a, b int) bool { return stageOf(pkgs[a].Path) < stageOf(pkgs[b].Path) })
	return pkgs, nil
}

// stageOf orders packages along the data flow (docs/architecture.md).
func stageOf(path string) int {
	order := []string{"/vegalite", "/schedule", "/runs", "/tensorboard", "/capture", "/diagram", "/demo", "/charts", "/render", "/notebookviz", "/cmd/"}
	for i, s := range order {
		if strings.Contains(path, s) {
			return i
		}
	}
	return len(order)
}

// writer writes the site's files, keeping the first error.
type writer struct {
	root  string
	err   error
	files int
	bytes int64
	seen  map[string]bool
}

func (w *writer) write(rel string, data []byte) {
	if w.err != nil {
		return
	}
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if w.seen[rel] {
		w.err = fmt.Errorf("two files would be written to %s", rel)
		return
	}
	w.seen[rel] = true
	path := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.err = err
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		w.err = err
		return
	}
	w.files++
	w.bytes += int64(len(data))
}
