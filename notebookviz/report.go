// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"fmt"
	"html"
	"strings"

	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Report is a self-contained, offline HTML report: a title, then sections of text, key-value
// tables and charts. The gonbviz demo writes one; later features add their sections.
type Report struct {
	Title    string
	Sections []Section
}

// Section is one part of a report. Text is plain text (escaped); each paragraph is a line.
type Section struct {
	Heading string
	Text    string
	Table   [][2]string // key, value rows
	Charts  []vl.Chart
	// Diagram, when set, is drawn after the charts (interactive, with its static SVG and
	// its summary table).
	Diagram *diagram.Diagram
}

// WriteHTML writes the report to path, atomically.
func (r Report) WriteHTML(path string) (err error) {
	defer guard(&err)
	o := defaults()
	o.maxRows = 0 // charts gonbviz builds are already bounded
	var parts []render.Part
	parts = append(parts, render.Part{HTML: "<h1>" + html.EscapeString(r.Title) + "</h1>"})
	for si, s := range r.Sections {
		var b strings.Builder
		if s.Heading != "" {
			fmt.Fprintf(&b, "<h2>%s</h2>", html.EscapeString(s.Heading))
		}
		for _, p := range strings.Split(strings.TrimSpace(s.Text), "\n") {
			if p != "" {
				fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
			}
		}
		if len(s.Table) > 0 {
			b.WriteString("<table>")
			for _, row := range s.Table {
				fmt.Fprintf(&b, "<tr><th>%s</th><td>%s</td></tr>", html.EscapeString(row[0]), html.EscapeString(row[1]))
			}
			b.WriteString("</table>")
		}
		parts = append(parts, render.Part{HTML: b.String()})
		for ci, c := range s.Charts {
			out, err := o.render(c)
			if err != nil {
				return fmt.Errorf("notebookviz: Report.Sections[%d] (%q): Charts[%d]: %w", si, s.Heading, ci, err)
			}
			parts = append(parts, render.Part{Chart: out})
		}
		if s.Diagram != nil {
			h, err := s.Diagram.HTML()
			if err != nil {
				return fmt.Errorf("notebookviz: Report.Sections[%d] (%q): Diagram: %w", si, s.Heading, err)
			}
			parts = append(parts, render.Part{HTML: h + s.Diagram.SummaryHTML()})
		}
	}
	page, err := render.Document(r.Title, parts...)
	if err != nil {
		return err
	}
	return writeAtomic(path, page)
}
