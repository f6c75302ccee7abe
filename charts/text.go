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
