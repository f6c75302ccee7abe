// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// SchemaURL is the "$schema" every built top-level spec carries.
const SchemaURL = "https://vega.github.io/schema/vega-lite/v5.json"

// Note is something the builder changed or wants the reader to know, that is not an error:
// for example NaN values written as null. Display code shows notes under the chart.
type Note struct {
	Path    string // JSON pointer to the place in the spec, e.g. "/data/values"
	Message string
}

func (n Note) String() string { return n.Path + ": " + n.Message }

// Spec is a built, validated Vega-Lite specification.
type Spec struct {
	// JSON is the compact spec text: keys sorted, so the same chart always gives the same
	// bytes; <, >, & and U+2028/U+2029 escaped, so it can be placed in an HTML <script>.
	JSON []byte
	// Notes lists what the builder changed on the way (NaN written as null, ...).
	Notes []Note
}

// Value decodes the spec into a map, as a notebook mime bundle wants it.
func (s Spec) Value() (map[string]any, error) {
	var m map[string]any
	err := json.Unmarshal(s.JSON, &m)
	return m, err
}

// Indent returns the spec text indented with two spaces.
func (s Spec) Indent() []byte {
	var v any
	if err := json.Unmarshal(s.JSON, &v); err != nil {
		return s.JSON
	}
	out, err := encodeJSON(v, "  ")
	if err != nil {
		return s.JSON
	}
	return out
}

// buildError carries an error from a constructor (bad shorthand, bad rows) in the tree, so
// the error surfaces at Build with the rest, and every builder method stays chainable.
type buildError struct{ err error }

// buildObject turns a props map plus its pending Sets into a plain object.
func buildObject(p props, sets []pathSet) any {
	tree := plain(p)
	if tree == nil {
		tree = map[string]any{}
	}
	t, err := applySets(tree, sets)
	if err != nil {
		return buildError{err}
	}
	return t
}

func appendSet(sets []pathSet, path string, v any) []pathSet {
	out := make([]pathSet, len(sets), len(sets)+1)
	copy(out, sets)
	return append(out, pathSet{path: path, value: v})
}

// spaceSeparators replaces U+2028 and U+2029 in the titles of encoding channels (and of
// their axes and legends) with spaces, in place, with a note: Vega-Lite writes those titles
// into Vega expressions (descriptions, tooltips), and Vega's expression parser rejects the
// two characters. Chart titles and data are not touched.
func spaceSeparators(v any, path string, inEncoding bool, notes *[]Note) {
	fix := func(s string, p string) string {
		if !strings.ContainsAny(s, "\u2028\u2029") {
			return s
		}
		*notes = append(*notes, Note{Path: p, Message: "U+2028/U+2029 in a channel title shown as a space (Vega's expressions reject them)"})
		return strings.NewReplacer("\u2028", " ", "\u2029", " ").Replace(s)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "data" || k == "datasets" {
				continue
			}
			p := path + "/" + k
			enc := inEncoding || k == "encoding"
			switch s := e.(type) {
			case string:
				if enc && k == "title" {
					x[k] = fix(s, p)
				}
			case []any:
				if enc && k == "title" {
					for i, el := range s {
						if str, ok := el.(string); ok {
							s[i] = fix(str, p+"/"+strconv.Itoa(i))
						}
					}
					continue
				}
				spaceSeparators(s, p, enc, notes)
			default:
				spaceSeparators(e, p, enc, notes)
			}
		}
	case []any:
		for i, e := range x {
			spaceSeparators(e, path+"/"+strconv.Itoa(i), inEncoding, notes)
		}
	}
}

// forValidation returns a copy of the tree where every table is replaced by a small sample
// of rows that still names every column (the schema and the field checks need no more),
// plus the notes of the tables and the errors of the constructors, in path order.
func forValidation(v any, path string, notes *[]Note, errs *[]error) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for _, k := range chkSortedKeys(x) {
			m[k] = forValidation(x[k], path+"/"+chkEscapePointer(k), notes, errs)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = forValidation(e, path+"/"+strconv.Itoa(i), notes, errs)
		}
		return s
	case *table:
		if x.err != nil {
			*errs = append(*errs, x.err)
			return []any{}
		}
		*notes = append(*notes, x.notes(pathOr(path))...)
		if x.csv {
			return string(x.appendCSV(nil, 1))
		}
		return x.sample()
	case buildError:
		*errs = append(*errs, x.err)
		return nil
	}
	return v
}

func pathOr(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// build turns a top-level tree into a validated Spec.
func build(tree any) (Spec, error) {
	var notes []Note
	var errs []error
	sample := forValidation(tree, "", &notes, &errs)
	if len(errs) > 0 {
		return Spec{Notes: notes}, errors.Join(errs...)
	}
	if problems := validateTree(sample); len(problems) > 0 {
		return Spec{Notes: notes}, &ValidationError{Problems: problems}
	}
	spaceSeparators(tree, "", false, &notes)
	out, err := encodeJSON(tree, "")
	if err != nil {
		return Spec{Notes: notes}, err
	}
	return Spec{JSON: out, Notes: notes}, nil
}
