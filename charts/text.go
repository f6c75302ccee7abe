// SPDX-License-Identifier: Apache-2.0

package charts

import "github.com/gonbviz/gonbviz/internal/textwrap"

// subtitle is s broken into lines that keep the static picture of a chart px pixels wide
// no wider (see package textwrap): a string when it fits one line, else the lines.
func subtitle(s string, px int) any {
	lines := textwrap.Lines(s, textwrap.Chars(px))
	if len(lines) == 1 {
		return lines[0]
	}
	return lines
}

// subtitleLines is lines broken as subtitle breaks one, for a chart px pixels wide.
func subtitleLines(px int, lines ...string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, textwrap.Lines(l, textwrap.Chars(px))...)
	}
	return out
}
