// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
)

// Data is a Vega-Lite data source: inline values (from Go slices of structs, slices of maps,
// column slices or plain slices), a URL, a named data set or a generator. The zero value is
// no data. Values are immutable; each method returns a changed copy.
type Data struct {
	p    props
	sets []pathSet
}

func (d Data) specValue() any {
	return buildObject(d.p, d.sets)
}

// IsZero reports whether d names no data at all.
func (d Data) IsZero() bool { return len(d.p) == 0 && len(d.sets) == 0 }

// Values makes inline data from rows, which may be:
//   - a slice (or array) of structs or pointers to structs: one row per element, one field
//     per exported struct field, named by its `json` tag when it has one ("-" skips it);
//   - a slice of maps with string keys ([]map[string]any, []map[string]float64, ...);
//   - a slice of scalars (numbers, strings, bools), which Vega-Lite reads as a field "data".
//
// Numbers NaN, +Inf and -Inf have no JSON form: they are written as null (drawn as gaps) and
// reported as a Note by Chart.Build. time.Time values are written as ISO-8601 strings.
// The rows are copied: changing them afterwards does not change the chart.
func Values(rows any) Data {
	t := newTableFromRows(rows)
	return Data{p: props{"values": t}}
}

// Columns makes inline data from named columns of equal length, e.g.
//
//	vegalite.Columns(map[string]any{"step": steps, "loss": losses})
//
// Each column is a slice of numbers, strings, bools or time.Time. NaN and ±Inf become null.
func Columns(cols map[string]any) Data {
	t := newTableFromColumns(cols)
	return Data{p: props{"values": t}}
}

// URL makes data loaded from a URL by the renderer. gonbviz renders offline: prefer inline
// values; URL data is kept for specs meant for other hosts.
func URL(url string) Data { return Data{p: props{"url": url}} }

// NamedData refers to a data set by name: one given with Chart.Dataset, or one bound
// later by the host through the view API.
func NamedData(name string) Data { return Data{p: props{"name": name}} }

// Sequence generates rows {as: start}, {as: start+step}, ... below stop; as defaults to "data".
func Sequence(start, stop, step float64, as string) Data {
	s := props{"start": start, "stop": stop, "step": step}
	if as != "" {
		s = s.with("as", as)
	}
	return Data{p: props{"sequence": s}}
}

// Name names inline data, so other views and lookups can refer to it.
func (d Data) Name(name string) Data { return Data{p: d.p.with("name", name), sets: d.sets} }

// Format sets the data format: {"type": "json"|"csv"|"tsv"|"dsv"|"topojson", "parse": {...}, ...}.
// On Compact data the CSV type and the column types stay: the format's other keys, and its
// parse entries (e.g. {"parse": {"day": "date:'%d/%m'"}}), are added to them.
func (d Data) Format(format map[string]any) Data {
	if t, ok := d.p["values"].(*table); ok && t.csv {
		return Data{p: d.p.with("format", compactFormat(format, t.csvParse)), sets: d.sets}
	}
	return Data{p: d.p.with("format", format), sets: d.sets}
}

// Compact writes the inline data of Values or Columns as CSV text with a header line,
// instead of an array of row objects that repeats every field name on every row: a table
// of many short columns (gonbviz's training curves) takes about half the space, in each
// place the spec is stored (a notebook keeps it twice per output). The format gives the
// type of every column that is not text ("format": {"type": "csv", "parse": {"step":
// "number", "best": "boolean"}}), so nothing is left to type inference; text columns are
// read as the strings they are.
//
// It reads back to the same values: numbers in their shortest exact form, NaN and ±Inf as
// empty fields that read as null (with the same Note as rows, or none after SilentGaps),
// fields quoted (RFC 4180) when they hold a comma, a quote, a line break or leading or
// trailing spaces. Data that CSV cannot carry exactly stays in rows: a single column of
// plain values, nested values, a column mixing numbers, text or booleans, text with
// nulls, rows of maps that lack some keys.
//
// Fields typed here are parsed as the format says: a filter comparing a number column
// with a string (FieldEqual("step", "3")) no longer makes Vega-Lite read it as text.
// Data sets (Chart.Dataset) are always written as rows, as they carry no format.
func (d Data) Compact() Data {
	t, ok := d.p["values"].(*table)
	if !ok || t.err != nil || t.csv {
		return d
	}
	parse, ok := t.csvPlan()
	if !ok {
		return d
	}
	c := *t
	c.csv, c.csvParse = true, parse
	user, _ := d.p["format"].(map[string]any)
	return Data{p: d.p.with("values", &c).with("format", compactFormat(user, parse)), sets: d.sets}
}

// compactFormat is the format of Compact data: the user's format, CSV, and the column
// types with the user's parse entries over them.
func compactFormat(user map[string]any, parse map[string]string) map[string]any {
	f := make(map[string]any, len(user)+2)
	for k, v := range user {
		f[k] = v
	}
	p := make(map[string]any, len(parse))
	for k, v := range parse {
		p[k] = v
	}
	if up, ok := user["parse"].(map[string]any); ok {
		for k, v := range up {
			p[k] = v
		}
	}
	f["type"], f["parse"] = "csv", p
	delete(f, "delimiter")
	return f
}

// SilentGaps writes NaN and ±Inf in the inline data as null without a Note: for callers
// that report the gaps themselves (gonbviz's own charts name them in the subtitle).
func (d Data) SilentGaps() Data {
	t, ok := d.p["values"].(*table)
	if !ok {
		return d
	}
	c := *t
	c.silent = true
	return Data{p: d.p.with("values", &c), sets: d.sets}
}

// Set sets any data property by slash-separated path (validated with the rest of the spec).
func (d Data) Set(path string, v any) Data {
	return Data{p: d.p, sets: appendSet(d.sets, path, v)}
}

// ---- the table: inline rows held compactly until they are encoded ----

// table holds inline rows in columns. Rows of scalars have one column with an empty name.
type table struct {
	names []string // sorted column names
	cols  []column
	n     int
	err   error
	// nonFinite counts NaN/±Inf per column name, with the first few row indices.
	nonFinite map[string][]int
	nfCount   map[string]int
	scalar    bool
	silent    bool // no notes for non-finite numbers (SilentGaps)
	// csv: written as CSV text (Compact), with csvParse the type of each typed column, by
	// its escaped field name.
	csv      bool
	csvParse map[string]string
}

// column is one column: numbers in f, strings in str, or any other values in a
// (missingCell marks absent cells).
type column struct {
	numeric bool
	f       []float64
	present []bool // for numeric columns of maps: whether the row has the key; nil = all
	str     []string
	a       []any
}

type missing struct{}

var missingCell = missing{}

const maxNoteRows = 5

func (t *table) noteNonFinite(col string, row int) {
	if t.nonFinite == nil {
		t.nonFinite = map[string][]int{}
		t.nfCount = map[string]int{}
	}
	t.nfCount[col]++
	if len(t.nonFinite[col]) < maxNoteRows {
		t.nonFinite[col] = append(t.nonFinite[col], row)
	}
}

// notes returns one note per column with non-finite numbers.
func (t *table) notes(path string) []Note {
	if t.silent {
		return nil
	}
	var out []Note
	names := make([]string, 0, len(t.nfCount))
	for k := range t.nfCount {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		rows := t.nonFinite[name]
		s := make([]string, len(rows))
		for i, r := range rows {
			s[i] = fmt.Sprint(r)
		}
		list := strings.Join(s, ", ")
		if c := t.nfCount[name]; c > len(rows) {
			list += fmt.Sprintf(", ... (%d in all)", c)
		}
		what := fmt.Sprintf("field %q", name)
		if t.scalar {
			what = "the values"
		}
		how := "JSON has no NaN, so they are written as null and drawn as gaps"
		if t.csv {
			how = "they are written as empty fields, read as null, and drawn as gaps"
		}
		out = append(out, Note{Path: path, Message: fmt.Sprintf(
			"%s has %d NaN/Inf value(s) at row(s) %s; %s", what, t.nfCount[name], list, how)})
	}
	return out
}

// sample returns a few rows as plain values, with every column present in the first row,
// for validation and field discovery (the full data is not needed there).
func (t *table) sample() []any {
	if t.scalar {
		out := []any{}
		if t.n > 0 {
			out = append(out, t.cell(0, 0))
		}
		return out
	}
	first := map[string]any{}
	for j, name := range t.names {
		first[name] = nil
		for i := 0; i < t.n; i++ {
			if v := t.cell(i, j); v != missingCell {
				first[name] = v
				break
			}
		}
	}
	return []any{first}
}

// cell returns row i of column j as a plain value (nil for null, missingCell when absent).
func (t *table) cell(i, j int) any {
	c := &t.cols[j]
	if c.numeric {
		if c.present != nil && !c.present[i] {
			return missingCell
		}
		f := c.f[i]
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	}
	if c.str != nil {
		return c.str[i]
	}
	return c.a[i]
}

// structField is an exported field of a struct type, with its JSON name.
type structField struct {
	name  string
	index []int
}

var structFieldCache sync.Map // reflect.Type -> []structField

// structFields lists the exported fields of a struct type (embedded structs flattened), named
// by their json tag when present, sorted by name.
func structFields(t reflect.Type) []structField {
	if c, ok := structFieldCache.Load(t); ok {
		return c.([]structField)
	}
	var out []structField
	seen := map[string]bool{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" && tag == "-" {
				continue
			}
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, structField{name: name, index: idx})
		}
	}
	walk(t, nil)
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	structFieldCache.Store(t, out)
	return out
}

var timeType = reflect.TypeOf(time.Time{})

// scalarValue converts a scalar reflect.Value into a plain value; ok is false for values that
// are not scalars (slices, maps, structs other than time.Time).
func scalarValue(v reflect.Value) (f float64, isNum bool, a any, ok bool) {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), true, nil, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(v.Uint()), true, nil, true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true, nil, true
	case reflect.String:
		return 0, false, v.String(), true
	case reflect.Bool:
		return 0, false, v.Bool(), true
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0, false, nil, true
		}
		return scalarValue(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return 0, false, formatTime(v.Interface().(time.Time)), true
		}
	case reflect.Invalid:
		return 0, false, nil, true
	}
	return 0, false, nil, false
}

func formatTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z07:00") }

// anyCell converts any value for an "any" column: scalars stay scalars (NaN -> nil with a
// note), everything else goes through plain.
func (t *table) anyCell(v reflect.Value, col string, row int) any {
	f, isNum, a, ok := scalarValue(v)
	if !ok {
		return plain(v.Interface())
	}
	if isNum {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			t.noteNonFinite(col, row)
			return nil
		}
		return f
	}
	return a
}

func newTableFromRows(rows any) *table {
	t := &table{}
	if rows == nil {
		t.err = fmt.Errorf("vegalite: Values(rows): rows is nil; pass a slice of structs, a slice of maps or a slice of values")
		return t
	}
	rv := reflect.ValueOf(rows)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		t.err = fmt.Errorf("vegalite: Values(rows): rows is a %T; pass a slice of structs, a slice of maps or a slice of values", rows)
		return t
	}
	t.n = rv.Len()
	et := rv.Type().Elem()
	base := et
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	switch {
	case base.Kind() == reflect.Struct && base != timeType:
		fields := structFields(base)
		t.names = make([]string, len(fields))
		t.cols = make([]column, len(fields))
		for j, f := range fields {
			t.names[j] = f.name
			ft := base.FieldByIndex(f.index).Type
			numeric := isNumericKind(ft.Kind())
			c := column{numeric: numeric}
			switch {
			case numeric:
				c.f = make([]float64, t.n)
			case ft.Kind() == reflect.String:
				c.str = make([]string, t.n)
			default:
				c.a = make([]any, t.n)
			}
			t.cols[j] = c
		}
		for i := 0; i < t.n; i++ {
			ev := rv.Index(i)
			for ev.Kind() == reflect.Pointer || ev.Kind() == reflect.Interface {
				if ev.IsNil() {
					break
				}
				ev = ev.Elem()
			}
			if ev.Kind() != reflect.Struct {
				t.err = fmt.Errorf("vegalite: Values(rows): row %d is nil; every row needs a value", i)
				return t
			}
			for j, f := range fields {
				fv := ev.FieldByIndex(f.index)
				c := &t.cols[j]
				if c.numeric {
					x, _, _, _ := scalarValue(fv)
					if math.IsNaN(x) || math.IsInf(x, 0) {
						t.noteNonFinite(f.name, i)
					}
					c.f[i] = x
				} else if c.str != nil {
					c.str[i] = fv.String()
				} else {
					c.a[i] = t.anyCell(fv, f.name, i)
				}
			}
		}
	case base.Kind() == reflect.Map:
		if base.Key().Kind() != reflect.String {
			t.err = fmt.Errorf("vegalite: Values(rows): map rows need string keys, got %s", base)
			return t
		}
		index := map[string]int{}
		var keys []string
		for i := 0; i < t.n; i++ {
			mv := rv.Index(i)
			for mv.Kind() == reflect.Pointer || mv.Kind() == reflect.Interface {
				mv = mv.Elem()
			}
			if !mv.IsValid() || mv.Kind() != reflect.Map {
				continue
			}
			for _, k := range mv.MapKeys() {
				if _, ok := index[k.String()]; !ok {
					index[k.String()] = 0
					keys = append(keys, k.String())
				}
			}
		}
		sort.Strings(keys)
		t.names = keys
		t.cols = make([]column, len(keys))
		for j, k := range keys {
			index[k] = j
			t.cols[j].a = make([]any, t.n)
			for i := range t.cols[j].a {
				t.cols[j].a[i] = missingCell
			}
		}
		for i := 0; i < t.n; i++ {
			mv := rv.Index(i)
			for mv.Kind() == reflect.Pointer || mv.Kind() == reflect.Interface {
				mv = mv.Elem()
			}
			if !mv.IsValid() || mv.Kind() != reflect.Map {
				t.err = fmt.Errorf("vegalite: Values(rows): row %d is not a map", i)
				return t
			}
			iter := mv.MapRange()
			for iter.Next() {
				k := iter.Key().String()
				t.cols[index[k]].a[i] = t.anyCell(iter.Value(), k, i)
			}
		}
	default:
		t.scalar = true
		t.names = []string{""}
		c := column{numeric: isNumericKind(base.Kind())}
		if c.numeric {
			c.f = make([]float64, t.n)
		} else {
			c.a = make([]any, t.n)
		}
		for i := 0; i < t.n; i++ {
			ev := rv.Index(i)
			if c.numeric {
				x, _, _, _ := scalarValue(ev)
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.noteNonFinite("", i)
				}
				c.f[i] = x
			} else {
				c.a[i] = t.anyCell(ev, "", i)
			}
		}
		t.cols = []column{c}
	}
	return t
}

func isNumericKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func newTableFromColumns(cols map[string]any) *table {
	t := &table{}
	if len(cols) == 0 {
		t.err = fmt.Errorf("vegalite: Columns(cols): no columns; pass a map from field name to a slice of values")
		return t
	}
	names := make([]string, 0, len(cols))
	for k := range cols {
		names = append(names, k)
	}
	sort.Strings(names)
	t.names = names
	t.cols = make([]column, len(names))
	t.n = -1
	for j, name := range names {
		rv := reflect.ValueOf(cols[name])
		if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
			t.err = fmt.Errorf("vegalite: Columns(cols): column %q is a %T; each column must be a slice", name, cols[name])
			return t
		}
		if t.n == -1 {
			t.n = rv.Len()
		} else if rv.Len() != t.n {
			t.err = fmt.Errorf("vegalite: Columns(cols): column %q has %d values but column %q has %d; all columns need the same length",
				name, rv.Len(), names[0], t.n)
			return t
		}
		c := column{numeric: isNumericKind(rv.Type().Elem().Kind())}
		if ss, ok := cols[name].([]string); ok {
			c.str = append([]string(nil), ss...)
		} else if fs, ok := cols[name].([]float64); ok {
			c.f = append([]float64(nil), fs...)
			for i, x := range c.f {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.noteNonFinite(name, i)
				}
			}
		} else if c.numeric {
			c.f = make([]float64, rv.Len())
			for i := range c.f {
				x, _, _, _ := scalarValue(rv.Index(i))
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.noteNonFinite(name, i)
				}
				c.f[i] = x
			}
		} else {
			c.a = make([]any, rv.Len())
			for i := range c.a {
				c.a[i] = t.anyCell(rv.Index(i), name, i)
			}
		}
		t.cols[j] = c
	}
	return t
}
