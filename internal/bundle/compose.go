// SPDX-License-Identifier: Apache-2.0

package bundle

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"

	"github.com/gonbviz/gonbviz/internal/jsbundle"
)

// PageOptions says how Compose lays out a page.
type PageOptions struct {
	Title string // the page's <title>, escaped
	// CSS replaces the default style sheet when not empty. It is written as given: callers
	// pass their own constants, never user text.
	CSS string
	// LibDir, when not empty, is the relative URL of a folder holding [LibFiles]: the page
	// loads the libraries from there with <script src> (one copy for a whole site) instead
	// of carrying one inline copy. It must be a plain relative path ("lib", "../lib").
	LibDir string
}

// LibFiles returns the library files a page made with PageOptions.LibDir loads, by file
// name: vega, vega-lite and vega-embed, minified, in the versions of [Versions].
func LibFiles() map[string]string {
	return map[string]string{
		"vega.min.js":       jsbundle.Vega(),
		"vega-lite.min.js":  jsbundle.VegaLite(),
		"vega-embed.min.js": jsbundle.VegaEmbed(),
	}
}

// libFileOrder is the order the files must load in: vega-lite needs vega, vega-embed both.
var libFileOrder = []string{"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}

var libDirRE = regexp.MustCompile(`^(\.\./)*[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$`)

// contentSecurityPolicy keeps a page offline and its charts' HTML inert beyond our own
// scripts: scripts only from the page itself or files beside it (inline scripts are the
// chart loaders; eval is vega's expression compiler and the loader's evaluation of the
// inline library copy), images only from data: URIs and files beside the page, no requests at all (connect-src
// 'none'), no frames, no plugins, no forms.
const contentSecurityPolicy = "default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; " +
	"style-src 'unsafe-inline'; img-src 'self' data: blob:; font-src data:; connect-src 'none'; " +
	"object-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'"

// Compose returns a self-contained HTML page made of parts (offline, interactive, with the
// static charts as fallback), with one copy of the libraries for all its charts (none when
// it has no chart): inline, or, with PageOptions.LibDir, as files shared by every page of
// a site. Where the library files
// do not load, every chart says so and keeps its static SVG.
func Compose(o PageOptions, parts []Part) ([]byte, error) {
	if o.LibDir != "" && !libDirRE.MatchString(o.LibDir) {
		return nil, fmt.Errorf("bundle: library folder %q is not a plain relative path such as \"lib\" or \"../lib\"", o.LibDir)
	}
	charts := false
	for _, p := range parts {
		charts = charts || p.Chart != nil
	}
	css := o.CSS
	if css == "" {
		css = documentCSS
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>\n", html.EscapeString(o.Title))
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">`)
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + contentSecurityPolicy + `">` + "\n")
	b.WriteString(`<meta name="generator" content="gonbviz"><style>` + css + `</style>` + "\n")
	if o.LibDir != "" && charts {
		for _, f := range libFileOrder {
			fmt.Fprintf(&b, "<script src=\"%s/%s\"></script>\n", o.LibDir, f)
		}
		// Hand the loaded libraries to the chart loaders: they take a copy registered under
		// the versions they want instead of looking for an inline one.
		fmt.Fprintf(&b, "<script>(function(W){var l={vega:W.vega,vegaLite:W.vegaLite,vegaEmbed:W.vegaEmbed},p;"+
			"if(!l.vega||!l.vegaLite||!l.vegaEmbed)p=Promise.reject(new Error(%s));"+
			"else if(l.vega.version!==%s||l.vegaLite.version!==%s||l.vegaEmbed.version!==%s)p=Promise.reject(new Error(%s+[l.vega.version,l.vegaLite.version,l.vegaEmbed.version].join(\" \")));"+
			"else p=Promise.resolve(l);p.catch(function(){});W.__gonbvizLibs={versions:%s,ready:p};})(window);</script>\n",
			strconv.Quote("the library files in "+o.LibDir+"/ did not load"),
			strconv.Quote(jsbundle.VegaVersion), strconv.Quote(jsbundle.VegaLiteVersion), strconv.Quote(jsbundle.VegaEmbedVersion),
			strconv.Quote("the library files in "+o.LibDir+"/ are other versions than "+Versions+": "),
			strconv.Quote(Versions))
	}
	b.WriteString("</head><body>\n")
	if o.LibDir == "" && charts {
		writeLibs(&b)
		b.WriteByte('\n')
	}
	if err := writeParts(&b, parts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
