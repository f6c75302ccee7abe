// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// jsonWriter writes the JSON-like tree deterministically: object keys sorted, numbers in the
// shortest form that reads back exactly, and <, >, &, U+2028 and U+2029 escaped so the text
// can be placed inside an HTML <script> element as it is.
type jsonWriter struct {
	buf    []byte
	indent string
	depth  int
}

// encodeJSON encodes a tree from plain (with *table values inline). indent "" is compact.
func encodeJSON(v any, indent string) ([]byte, error) {
	w := &jsonWriter{indent: indent}
	if err := w.value(v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

func (w *jsonWriter) newline() {
	if w.indent == "" {
		return
	}
	w.buf = append(w.buf, '\n')
	for i := 0; i < w.depth; i++ {
		w.buf = append(w.buf, w.indent...)
	}
}

func (w *jsonWriter) value(v any) error {
	switch x := v.(type) {
	case nil:
		w.buf = append(w.buf, "null"...)
	case bool:
		w.buf = strconv.AppendBool(w.buf, x)
	case float64:
		w.number(x)
	case string:
		w.str(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w.buf = append(w.buf, '{')
		w.depth++
		for i, k := range keys {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.newline()
			w.str(k)
			w.buf = append(w.buf, ':')
			if w.indent != "" {
				w.buf = append(w.buf, ' ')
			}
			if err := w.value(x[k]); err != nil {
				return err
			}
		}
		w.depth--
		if len(keys) > 0 {
			w.newline()
		}
		w.buf = append(w.buf, '}')
	case []any:
		w.buf = append(w.buf, '[')
		w.depth++
		for i, e := range x {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			w.newline()
			if err := w.value(e); err != nil {
				return err
			}
		}
		w.depth--
		if len(x) > 0 {
			w.newline()
		}
		w.buf = append(w.buf, ']')
	case *table:
		return w.table(x)
	case buildError:
		return x.err
	default:
		return fmt.Errorf("vegalite: internal error: cannot encode %T", v)
	}
	return nil
}

// number writes f like JavaScript's JSON.stringify (and encoding/json): shortest round-trip
// form, exponent only for very small or large magnitudes. NaN and ±Inf are written as null.
func (w *jsonWriter) number(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.buf = append(w.buf, "null"...)
		return
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		w.buf = strconv.AppendInt(w.buf, int64(f), 10)
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	n := len(w.buf)
	w.buf = strconv.AppendFloat(w.buf, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as JavaScript writes it.
		b := w.buf[n:]
		if m := len(b); m >= 4 && b[m-4] == 'e' && b[m-3] == '-' && b[m-2] == '0' {
			b[m-2] = b[m-1]
			w.buf = w.buf[:len(w.buf)-1]
		}
	}
}

const hexDigits = "0123456789abcdef"

func (w *jsonWriter) str(s string) {
	w.buf = append(w.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			w.buf = append(w.buf, s[start:i]...)
			switch b {
			case '"', '\\':
				w.buf = append(w.buf, '\\', b)
			case '\n':
				w.buf = append(w.buf, '\\', 'n')
			case '\r':
				w.buf = append(w.buf, '\\', 'r')
			case '\t':
				w.buf = append(w.buf, '\\', 't')
			default:
				w.buf = append(w.buf, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.buf = append(w.buf, s[start:i]...)
			w.buf = append(w.buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.buf = append(w.buf, s[start:i]...)
			w.buf = append(w.buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	w.buf = append(w.buf, s[start:]...)
	w.buf = append(w.buf, '"')
}

// table writes the rows of t as a JSON array of objects (or of scalars).
func (w *jsonWriter) table(t *table) error {
	if t.err != nil {
		return t.err
	}
	if t.csv {
		w.str(string(t.appendCSV(make([]byte, 0, t.n*(1+len(t.names)*8)), -1)))
		return nil
	}
	// Keys are written once, pre-escaped.
	keys := make([][]byte, len(t.names))
	for j, name := range t.names {
		kw := jsonWriter{}
		kw.str(name)
		keys[j] = append(kw.buf, ':')
	}
	// Reserve about what the rows will take, so the buffer is not copied as it grows.
	w.buf = slices.Grow(w.buf, t.n*(2+len(t.names)*16))
	w.buf = append(w.buf, '[')
	w.depth++
	for i := 0; i < t.n; i++ {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.newline()
		if t.scalar {
			if err := w.cell(t, i, 0); err != nil {
				return err
			}
			continue
		}
		w.buf = append(w.buf, '{')
		first := true
		for j := range t.cols {
			c := &t.cols[j]
			if c.numeric {
				if c.present != nil && !c.present[i] {
					continue
				}
			} else if c.str == nil && c.a[i] == missingCell {
				continue
			}
			if !first {
				w.buf = append(w.buf, ',')
			}
			first = false
			w.buf = append(w.buf, keys[j]...)
			if err := w.cell(t, i, j); err != nil {
				return err
			}
		}
		w.buf = append(w.buf, '}')
	}
	w.depth--
	if t.n > 0 {
		w.newline()
	}
	w.buf = append(w.buf, ']')
	return nil
}

func (w *jsonWriter) cell(t *table, i, j int) error {
	c := &t.cols[j]
	if c.numeric {
		w.number(c.f[i])
		return nil
	}
	if c.str != nil {
		w.str(c.str[i])
		return nil
	}
	saved := w.indent
	w.indent = "" // nested values in a row stay on its line
	err := w.value(c.a[i])
	w.indent = saved
	return err
}

// SafeJSON encodes a decoded JSON value (from encoding/json) the way Build writes specs:
// keys sorted, and <, >, &, U+2028, U+2029 escaped so the text can sit inside an HTML
// <script> element.
func SafeJSON(v any) ([]byte, error) { return encodeJSON(plain(v), "") }
