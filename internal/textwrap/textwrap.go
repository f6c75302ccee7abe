// SPDX-License-Identifier: Apache-2.0

// Package textwrap breaks chart text into lines that keep a static picture its chart's
// width. Without a browser to measure text, vega sizes a picture by its estimate of a
// text's width, 0.8 x the font size per character, about 1.6 times what the text takes:
// a long one-line subtitle makes a static SVG far wider than its chart.
package textwrap

import (
	"strings"
	"unicode/utf8"
)

// Chars is how many characters of a 12 px text (a subtitle) vega estimates to fit px
// pixels, at least 40.
func Chars(px int) int {
	return max(40, px*10/96)
}

// Lines breaks s at spaces into lines of at most width characters (a longer word stands
// on a line of its own); one line when it fits.
func Lines(s string, width int) []string {
	if utf8.RuneCountInString(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wn := utf8.RuneCountInString(w)
		if n > 0 && n+1+wn > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wn
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
