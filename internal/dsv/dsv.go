// SPDX-License-Identifier: Apache-2.0

// Package dsv reads delimited text (CSV, TSV, DSV) as vega does: the inline data
// that a Vega-Lite spec carries as a string in "values", with "format": {"type": "csv"}.
// It is a port of d3-dsv's parseRows (the parser vega-loader uses), so a row count or a
// header read here is what the renderer will see, quirks included: one trailing newline
// is ignored, an empty line is a row with one empty field, and "" inside quotes is a quote.
package dsv

import (
	"math"
	"strconv"
	"strings"
)

// Delimiter returns the delimiter a Vega-Lite data format names: ',' for "csv", '\t' for
// "tsv", the one-character "delimiter" for "dsv"; ok is false for anything else (JSON,
// TopoJSON, no format, a bad delimiter).
func Delimiter(format any) (delim byte, ok bool) {
	fm, _ := format.(map[string]any)
	switch t, _ := fm["type"].(string); t {
	case "csv":
		return ',', true
	case "tsv":
		return '\t', true
	case "dsv":
		if d, _ := fm["delimiter"].(string); len(d) == 1 {
			return d[0], true
		}
	}
	return 0, false
}

// Parse splits text into records of fields, as d3-dsv's parseRows does.
func Parse(text string, delim byte) [][]string {
	var rows [][]string
	each(text, delim, func(row []string) bool {
		rows = append(rows, row)
		return true
	})
	return rows
}

// Header returns the first record (the column names) of text.
func Header(text string, delim byte) []string {
	var head []string
	each(text, delim, func(row []string) bool {
		head = row
		return false
	})
	return head
}

// Rows counts the data records of text: the records after the header.
func Rows(text string, delim byte) int {
	n := 0
	each(text, delim, func([]string) bool {
		n++
		return true
	})
	return max(0, n-1)
}

// each calls f with every record of text until f returns false.
func each(text string, delim byte, f func(row []string) bool) {
	const quote, newline, cr = '"', '\n', '\r'
	n := len(text)
	// Strip the trailing newline.
	if n > 0 && text[n-1] == newline {
		n--
	}
	if n > 0 && text[n-1] == cr {
		n--
	}
	i := 0
	eof, eol := n <= 0, false
	// token returns the next field; atEOL/atEOF mark the end of a record or of the text.
	token := func() (field string, atEOL, atEOF bool) {
		if eof {
			return "", false, true
		}
		if eol {
			eol = false
			return "", true, false
		}
		j := i
		// Past the end (the text ends with a delimiter) d3's charCodeAt is NaN, not a
		// quote: the last field is empty.
		if j < n && text[j] == quote {
			// A quoted field: up to the closing quote; "" is a quote.
			k := j + 1
			for {
				for k < n && text[k] != quote {
					k++
				}
				if k+1 < n && text[k+1] == quote {
					k += 2
					continue
				}
				break
			}
			end := min(k, n)
			raw := text[j+1 : end]
			i = k + 1
			if i >= n {
				eof = true
			} else {
				c := text[i]
				i++
				if c == newline {
					eol = true
				} else if c == cr {
					eol = true
					if i < n && text[i] == newline {
						i++
					}
				}
			}
			return unquote(raw), false, false
		}
		for i < n {
			c := text[i]
			k := i
			i++
			switch c {
			case newline:
				eol = true
			case cr:
				eol = true
				if i < n && text[i] == newline {
					i++
				}
			case delim:
			default:
				continue
			}
			return text[j:k], false, false
		}
		eof = true
		return text[j:n], false, false
	}
	for {
		t, atEOL, atEOF := token()
		if atEOF {
			return
		}
		row := []string{}
		for !atEOL && !atEOF {
			row = append(row, t)
			t, atEOL, atEOF = token()
		}
		if !f(row) {
			return
		}
	}
}

func unquote(s string) string {
	out := []byte(nil)
	for i := 0; i < len(s); i++ {
		if s[i] == '"' && i+1 < len(s) && s[i+1] == '"' {
			if out == nil {
				out = append(make([]byte, 0, len(s)), s[:i]...)
			}
			out = append(out, '"')
			i++
			continue
		}
		if out != nil {
			out = append(out, s[i])
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

// Read reads inline delimited text as vega reads "values" with this format: the records
// as objects keyed by the header, then format.parse applied as vega-util does ("number":
// an empty field is null, else the number; "boolean": an empty field is null, "false"
// and "0" are false, anything else true; "string": an empty field is null). Fields with
// no parse entry stay strings. Parse keys are Vega-Lite fields: "a\.b" is the column
// "a.b". ok is false when format is not delimited text or has a parse this does not know.
func Read(values string, format any) (rows []any, ok bool) {
	delim, ok := Delimiter(format)
	if !ok {
		return nil, false
	}
	fm, _ := format.(map[string]any)
	parse := map[string]string{}
	if p, isMap := fm["parse"].(map[string]any); isMap {
		for k, v := range p {
			s, _ := v.(string)
			if s != "number" && s != "boolean" && s != "string" {
				return nil, false
			}
			parse[unescapeField(k)] = s
		}
	} else if fm["parse"] != nil {
		return nil, false
	}
	records := Parse(values, delim)
	if len(records) == 0 {
		return []any{}, true
	}
	header := records[0]
	rows = make([]any, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := make(map[string]any, len(header))
		for j, name := range header {
			s := ""
			if j < len(rec) {
				s = rec[j]
			}
			var v any = s
			switch parse[name] {
			case "number":
				if s == "" {
					v = nil
				} else if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
					v = f
				} else {
					v = math.NaN()
				}
			case "boolean":
				v = s != "false" && s != "0"
				if s == "" {
					v = nil
				}
			case "string":
				if s == "" {
					v = nil
				}
			}
			row[name] = v
		}
		rows = append(rows, row)
	}
	return rows, true
}

// unescapeField turns a Vega-Lite field with escapes ("a\.b") into the column name.
func unescapeField(f string) string {
	if !strings.Contains(f, `\`) {
		return f
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] == '\\' && i+1 < len(f) {
			i++
		}
		b.WriteByte(f[i])
	}
	return b.String()
}

// InlineRows returns the rows of an inline data object ({"values": ..., "format": ...}),
// whether written as rows or as delimited text; ok is false when there are none to read.
func InlineRows(data any) (rows []any, ok bool) {
	d, _ := data.(map[string]any)
	switch v := d["values"].(type) {
	case []any:
		return v, true
	case string:
		return Read(v, d["format"])
	}
	return nil, false
}
