// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"math"
	"strings"
)

// The compact form of inline data (Data.Compact): CSV text read by vega's loader (d3-dsv)
// with the column types in format.parse. See internal/dsv for the reading side.

// csvPlan returns the parse type of each column that needs one ("number" or "boolean",
// keyed by the field name escaped for Vega-Lite), and whether the table can be written as
// CSV that reads back to the same values as its rows.
//
// Text columns get no parse entry: d3-dsv already gives strings, and Vega's "string"
// parser would turn "" into null, while an explicit type in Vega-Lite also replaces the
// implicit "date" parse of a temporal field. So a text column holding nulls (which would
// read back as "") cannot be written as CSV.
func (t *table) csvPlan() (map[string]string, bool) {
	if t.err != nil || t.scalar {
		return nil, false
	}
	parse := make(map[string]string, len(t.names))
	for j, name := range t.names {
		c := &t.cols[j]
		typ := ""
		switch {
		case c.numeric:
			if c.present != nil {
				for _, ok := range c.present {
					if !ok {
						return nil, false
					}
				}
			}
			typ = "number"
		case c.str != nil:
		default:
			num, boolean, text, null := false, false, false, false
			for _, v := range c.a {
				switch v.(type) {
				case nil:
					null = true
				case float64:
					num = true
				case bool:
					boolean = true
				case string:
					text = true
				default: // missing cells, nested values
					return nil, false
				}
			}
			switch {
			case num && !boolean && !text, !num && !boolean && !text:
				typ = "number" // all null reads back as null too
			case boolean && !num && !text:
				typ = "boolean"
			case text && !num && !boolean && !null:
			default:
				return nil, false
			}
		}
		if typ != "" {
			parse[escapeField(name)] = typ
		}
	}
	return parse, true
}

// escapeField escapes a column name for use as a Vega-Lite field: "ema0.1" is the column
// named so, not the field "1" of "ema0".
func escapeField(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '\\' || c == '.' || c == '[' || c == ']' || (i == 0 && (c == '"' || c == '\'')) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// appendCSV appends the table as CSV text: a header line, then up to rows rows (all when
// rows < 0), lines ended by \n except the last.
func (t *table) appendCSV(buf []byte, rows int) []byte {
	if rows < 0 || rows > t.n {
		rows = t.n
	}
	// With one column an empty field would make an empty line, which d3-dsv drops at the
	// end of the text: write it quoted.
	quoteEmpty := len(t.names) == 1
	for j, name := range t.names {
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = appendCSVField(buf, name, quoteEmpty)
	}
	num := jsonWriter{}
	for i := 0; i < rows; i++ {
		buf = append(buf, '\n')
		for j := range t.cols {
			if j > 0 {
				buf = append(buf, ',')
			}
			c := &t.cols[j]
			var v any
			switch {
			case c.numeric:
				v = c.f[i]
			case c.str != nil:
				v = c.str[i]
			default:
				v = c.a[i]
			}
			switch x := v.(type) {
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					buf = appendCSVField(buf, "", quoteEmpty)
					continue
				}
				num.buf = buf
				num.number(x)
				buf = num.buf
			case bool:
				if x {
					buf = append(buf, "true"...)
				} else {
					buf = append(buf, "false"...)
				}
			case string:
				buf = appendCSVField(buf, x, quoteEmpty)
			default: // nil (csvPlan allows no other)
				buf = appendCSVField(buf, "", quoteEmpty)
			}
		}
	}
	return buf
}

// appendCSVField appends s, quoted as RFC 4180 says when it holds the delimiter, a quote
// or a line break, and also when it starts or ends with a space (which readers may trim).
func appendCSVField(buf []byte, s string, quoteEmpty bool) []byte {
	quote := s == "" && quoteEmpty
	if s != "" {
		quote = strings.ContainsAny(s, ",\"\r\n") || isCSVSpace(s[0]) || isCSVSpace(s[len(s)-1])
	}
	if !quote {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}

func isCSVSpace(c byte) bool { return c == ' ' || c == '\t' }
