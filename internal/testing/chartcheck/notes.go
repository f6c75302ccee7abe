// SPDX-License-Identifier: Apache-2.0

package chartcheck

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
)

var svgTextRun = regexp.MustCompile(`>([^<>]+)<`)

// SVGText is the text an SVG shows, its runs joined by spaces and unescaped: a note broken
// into subtitle lines reads as one.
func SVGText(svg string) string {
	var runs []string
	for _, m := range svgTextRun.FindAllStringSubmatch(svg, -1) {
		if t := strings.TrimSpace(m[1]); t != "" {
			runs = append(runs, html.UnescapeString(t))
		}
	}
	return strings.Join(runs, " ")
}

// StaticNoteProblems checks the static note of a rendered chart (render's "showing ...;
// move the slider in the interactive view"): the static SVG shows each of want, or no
// note at all when want is empty; the interactive spec never carries it.
func StaticNoteProblems(svg string, spec []byte, want []string) []string {
	var problems []string
	text := SVGText(svg)
	for _, w := range want {
		if !strings.Contains(text, w) {
			problems = append(problems, fmt.Sprintf("the static SVG does not say %q", w))
		}
	}
	if len(want) == 0 && strings.Contains(text, "showing ") {
		problems = append(problems, "a chart without bound parameters has a note in its static SVG")
	}
	if strings.Contains(string(spec), "showing ") {
		problems = append(problems, "the interactive spec carries the static note")
	}
	return problems
}

// Subtitle is the subtitle of a spec's title, its lines joined by spaces (gonbviz's
// charts break long subtitles into lines), "" when it has none or the spec is not JSON.
func Subtitle(spec []byte) string {
	var m struct {
		Title struct {
			Subtitle any `json:"subtitle"`
		} `json:"title"`
	}
	if json.Unmarshal(spec, &m) != nil {
		return ""
	}
	switch sub := m.Title.Subtitle.(type) {
	case string:
		return sub
	case []any:
		lines := make([]string, len(sub))
		for i, l := range sub {
			lines[i], _ = l.(string)
		}
		return strings.Join(lines, " ")
	}
	return ""
}
