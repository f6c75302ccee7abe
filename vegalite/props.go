// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// props is the immutable property map behind every builder value. A method never changes a
// props in place: with returns a new map, so a half-built value can be shared and extended
// in several directions safely.
type props map[string]any

// with returns a copy of p with key set to v.
func (p props) with(key string, v any) props {
	n := make(props, len(p)+1)
	for k, x := range p {
		n[k] = x
	}
	n[key] = v
	return n
}

// without returns a copy of p without key.
func (p props) without(key string) props {
	n := make(props, len(p))
	for k, x := range p {
		if k != key {
			n[k] = x
		}
	}
	return n
}

// specValue is implemented by every builder value: it turns itself into plain JSON-like
// values (map[string]any, []any, string, float64, bool, nil, *table).
type specValue interface {
	specValue() any
}

// plain converts builder values, Go maps, slices and scalars into the JSON-like tree the
// encoder and validator work on. It copies user maps and slices, so later changes by the
// caller do not reach a built value.
func plain(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case specValue:
		return x.specValue()
	case props:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plain(e)
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plain(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = plain(e)
		}
		return s
	case []string:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = e
		}
		return s
	case []float64:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = e
		}
		return s
	case string, bool, float64, *table, buildError:
		return x
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	// Other numbers, slices, maps and structs: through reflection.
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		s := make([]any, rv.Len())
		for i := range s {
			s[i] = plain(rv.Index(i).Interface())
		}
		return s
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return fmt.Sprintf("%v", v)
		}
		m := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			m[iter.Key().String()] = plain(iter.Value().Interface())
		}
		return m
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return plain(rv.Elem().Interface())
	case reflect.Struct:
		m := map[string]any{}
		for _, f := range structFields(rv.Type()) {
			m[f.name] = plain(rv.FieldByIndex(f.index).Interface())
		}
		return m
	}
	return fmt.Sprintf("%v", v)
}

// setPath returns a copy of the tree root (a map[string]any from plain) with the value at
// path replaced by plain(v). The path is slash-separated ("config/axis/labelFontSize"; a
// leading slash is allowed); a number addresses an array element. Missing objects on the
// way are created. It is the engine behind every Set method.
func setPath(root any, path string, v any) (any, error) {
	segs := splitPath(path)
	if len(segs) == 0 {
		return nil, fmt.Errorf("vegalite: Set needs a property path such as \"config/axis/labelFontSize\", got %q", path)
	}
	return setSegs(root, segs, plain(v), path)
}

func splitPath(path string) []string {
	path = strings.Trim(path, "/")
	if path == "" {
		return nil
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		// JSON-pointer escapes, so a path from a validation error can be used as is.
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

func setSegs(node any, segs []string, v any, full string) (any, error) {
	if len(segs) == 0 {
		return v, nil
	}
	key := segs[0]
	switch n := node.(type) {
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n) {
			return nil, fmt.Errorf("vegalite: Set(%q): %q is not an index of an array of %d elements", full, key, len(n))
		}
		c := append([]any(nil), n...)
		child, err := setSegs(c[i], segs[1:], v, full)
		if err != nil {
			return nil, err
		}
		c[i] = child
		return c, nil
	case nil, map[string]any:
		m, _ := n.(map[string]any)
		c := make(map[string]any, len(m)+1)
		for k, x := range m {
			c[k] = x
		}
		child, err := setSegs(c[key], segs[1:], v, full)
		if err != nil {
			return nil, err
		}
		c[key] = child
		return c, nil
	default:
		return nil, fmt.Errorf("vegalite: Set(%q): %q sits under a value of type %T, not an object", full, key, node)
	}
}

// pathSet is one pending Set on a builder value, applied when the value is built.
type pathSet struct {
	path  string
	value any
}

// applySets applies the pending sets to a built object in order.
func applySets(tree any, sets []pathSet) (any, error) {
	var err error
	for _, s := range sets {
		if tree, err = setPath(tree, s.path, s.value); err != nil {
			return nil, err
		}
	}
	return tree, nil
}

// exprRef is an expression reference: a property whose value a Vega expression computes.
func exprRef(expr string) map[string]any { return map[string]any{"expr": expr} }

// Expr is an expression reference for properties that take a value or an expression
// (ExprRef in the Vega-Lite schema), for use where a method takes any: Expr("pointSize").
// Typed property methods have an ...Expr twin instead, e.g. Mark.SizeExpr("pointSize").
func Expr(expr string) map[string]any { return exprRef(expr) }
