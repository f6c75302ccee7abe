// SPDX-License-Identifier: Apache-2.0

package export

import (
	"net/url"
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy is what survives of a notebook's own HTML outputs (tables, summaries, error
// boxes), built on bluemonday: text, lists, tables and links (http, https and mailto,
// made rel="nofollow noreferrer"); class names; inline styles limited to layout, font and
// colour properties, whose values bluemonday checks; images only from data: URIs (raster
// images, and SVG, which an <img> shows without running its scripts), so that nothing
// loads from the network. No scripts, event handlers, ids (they could take a chart's),
// forms, frames, embeds or style sheets.
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "div", "span", "pre", "code", "kbd", "samp", "var", "blockquote",
		"b", "i", "u", "s", "em", "strong", "small", "sub", "sup", "mark", "del", "ins", "abbr", "cite", "q",
		"h1", "h2", "h3", "h4", "h5", "h6", "details", "summary", "figure", "figcaption")
	p.AllowLists()
	p.AllowTables()
	p.AllowAttrs("title", "lang").Globally()
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(rtl|ltr)$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[A-Za-z0-9_ -]*$`)).Globally()
	p.AllowStyles("color", "background-color", "font", "font-family", "font-size", "font-weight", "font-style",
		"text-align", "vertical-align", "white-space", "text-decoration",
		"margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
		"padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
		"border", "border-top", "border-bottom", "border-left", "border-right", "border-collapse", "border-radius",
		"width", "max-width", "min-width", "height", "max-height", "display", "overflow").Globally()
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("src").OnElements("img")
	p.AllowDataURIImages()
	// An image from anywhere but a data: URI would load over the network: it loses its
	// source.
	p.RewriteSrc(func(u *url.URL) {
		if u.Scheme != "data" {
			*u = url.URL{}
		}
	})
	return p
})

// sanitizeHTML returns the safe part of an HTML output.
func sanitizeHTML(s string) string { return htmlPolicy().Sanitize(s) }
