// SPDX-License-Identifier: Apache-2.0

package export

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders the markdown cells of one notebook. goldmark runs in its safe mode:
// raw HTML in the markdown is left out (a comment says so), and links to javascript:,
// vbscript:, file: and data: URLs (but data: images) are dropped.
type markdown struct {
	md   goldmark.Markdown
	ids  *headingIDs
	link func(string) string
}

func newMarkdown(link func(string) string) *markdown {
	m := &markdown{ids: &headingIDs{used: map[string]bool{}}, link: link}
	m.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	return m
}

// render returns the HTML of a markdown cell's source. attachments resolve
// "attachment:NAME" images.
func (m *markdown) render(source string, attachments map[string]map[string]string) (string, error) {
	src := []byte(source)
	ctx := parser.NewContext(parser.WithIDs(m.ids))
	doc := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	m.rewrite(doc, attachments)
	var b bytes.Buffer
	if err := m.md.Renderer().Render(&b, src, doc); err != nil {
		return "", err
	}
	return b.String(), nil
}

// imageTypes are the attachment types shown inline: the raster formats goldmark keeps as
// data: images.
var imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// rewrite keeps the page offline: an image is shown only from a cell attachment (as a
// data: URI) or a data: URI; any other image (from the network or a file beside the
// notebook) becomes a link to it. Links go through m.link (the site points notebook links
// at their pages).
func (m *markdown) rewrite(doc ast.Node, attachments map[string]map[string]string) {
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			images = append(images, n)
		case *ast.Link:
			if m.link != nil {
				n.Destination = []byte(m.link(string(n.Destination)))
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		dest := string(img.Destination)
		if name, ok := strings.CutPrefix(dest, "attachment:"); ok {
			if uri := attachmentURI(attachments[name]); uri != "" {
				img.Destination = []byte(uri)
				continue
			}
		} else if strings.HasPrefix(strings.ToLower(dest), "data:image/") {
			continue
		}
		// Not loadable offline: a link with the image's text instead.
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if !link.HasChildren() {
			link.AppendChild(link, ast.NewString([]byte("image: "+dest)))
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// attachmentURI is a data: URI of an attachment's first raster image, or "".
func attachmentURI(files map[string]string) string {
	for _, mime := range imageTypes {
		b64, ok := files[mime]
		if !ok {
			continue
		}
		b64 = strings.Join(strings.Fields(b64), "")
		if _, err := base64.StdEncoding.DecodeString(b64); err != nil {
			continue
		}
		return "data:" + mime + ";base64," + b64
	}
	return ""
}

// headingIDs gives headings ids unique across all the cells of a page, made of letters,
// digits and dashes only.
type headingIDs struct {
	used map[string]bool
}

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	for _, r := range strings.ToLower(string(util.TrimRightSpace(util.TrimLeftSpace(value)))) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '_':
			b.WriteByte('-')
		}
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "section"
	}
	if strings.HasPrefix(base, "gonbviz") { // the charts' ids
		base = "h-" + base
	}
	id := base
	for i := 1; h.used[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
