// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"fmt"
	"html"
	"strings"

	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/bundle"
	"github.com/gonbviz/gonbviz/runs"
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
	var parts []bundle.Part
	parts = append(parts, bundle.Part{HTML: "<h1>" + html.EscapeString(r.Title) + "</h1>"})
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
		parts = append(parts, bundle.Part{HTML: b.String()})
		for ci, c := range s.Charts {
			bc, err := prepare(c, &o, bundle.NewID())
			if err != nil {
				return fmt.Errorf("notebookviz: report section %d (%q), chart %d: %w", si, s.Heading, ci, err)
			}
			parts = append(parts, bundle.Part{Chart: &bc})
		}
		if s.Diagram != nil {
			h, err := s.Diagram.HTML()
			if err != nil {
				return fmt.Errorf("notebookviz: report section %d (%q), diagram: %w", si, s.Heading, err)
			}
			parts = append(parts, bundle.Part{HTML: h + s.Diagram.SummaryHTML()})
		}
	}
	page, err := bundle.Document(r.Title, parts)
	if err != nil {
		return err
	}
	return writeAtomic(path, page)
}

// CompareRuns overlays the curves of several recorded runs (run directories written by a
// dashboard), one colour per run, with a legend that selects runs: e.g. a learning-rate
// sweep. Runs are named by their RunName, else their id. Moving-average series are left
// out (the smoothing control does their work).
func CompareRuns(title string, dirs ...string) (chart vl.Chart, err error) {
	defer guard(&err)
	if len(dirs) == 0 {
		return vl.Chart{}, fmt.Errorf("notebookviz: CompareRuns(title, dirs...): no run directories given")
	}
	var curves []Curve
	opened := make([]*runs.Run, len(dirs))
	nSeries := 0
	for i, dir := range dirs {
		run, err := runs.Open(dir)
		if err != nil {
			return vl.Chart{}, fmt.Errorf("notebookviz: CompareRuns: %w", err)
		}
		opened[i] = run
		for _, info := range run.SeriesList() {
			if !strings.HasSuffix(info.Name, "_ma") {
				nSeries++
			}
		}
	}
	for _, run := range opened {
		m := run.Meta()
		name := m.Name
		if name == "" {
			name = m.ID
		}
		for _, c := range runCurves(run, name, pointBudget(nSeries)) {
			// Moving averages repeat what the smoothing control does; one line per metric
			// and split keeps several runs readable.
			if !strings.HasSuffix(c.Name, "_ma") {
				curves = append(curves, c)
			}
		}
	}
	return CurvesChart(curves, CurvesOptions{Title: title}), nil
}
