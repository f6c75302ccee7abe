package vegalite

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gonbviz/gonbviz/internal/dsv"
)

// Semantic checks: mistakes that the JSON schema cannot see.
//
//   - Fields used by encodings, sort definitions, facets, selections and
//     transforms must exist in the inline data of the view (data.values, or a
//     top-level dataset named by data.name), taking into account the data
//     inherited from parent views and the fields created or removed by
//     earlier transforms. Views whose data is loaded from a URL, or whose
//     fields cannot be known after a transform (pivot, ...), are not checked.
//   - Params used by conditions, filters, scale domains, lookups and
//     expressions must be defined somewhere in the specification.
//   - Names in expressions must be datum, event, item, parent, a Vega
//     constant, a built-in signal or a param; called functions must be Vega
//     expression functions.
//   - Selection bindings must suit the selection: "scales" needs an interval
//     selection, legend and input bindings a point selection over the right
//     fields or encodings.

// semanticProblems runs the semantic checks on a decoded specification.
func semanticProblems(spec any) []Problem {
	root, ok := spec.(map[string]any)
	if !ok {
		return nil
	}
	c := &semChecker{params: map[string]bool{}}
	if ds, ok := root["datasets"].(map[string]any); ok {
		c.datasets = ds
	}
	c.collectParams(root)
	c.view(root, "", semFields{})
	c.walk(root, "")
	return c.problems
}

// semChecker collects the semantic problems of one spec.
type semChecker struct {
	datasets map[string]any
	params   map[string]bool // every param defined anywhere in the spec
	problems []Problem
}

func (c *semChecker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: chkPathOrRoot(path), Message: fmt.Sprintf(format, args...)})
}

// semJoin appends a key or index to a JSON pointer.
func semJoin(path string, key any) string {
	switch k := key.(type) {
	case int:
		return path + "/" + strconv.Itoa(k)
	case string:
		return path + "/" + chkEscapePointer(k)
	}
	return path
}

// semViewKeys are the keys that hold sub-views.
var semViewKeys = []string{"layer", "concat", "hconcat", "vconcat", "spec"}

// semSkipKey reports whether key k holds data or free-form values, never
// spec structure.
func semSkipKey(k string) bool {
	return k == "data" || k == "datasets" || k == "usermeta"
}

// ---------------------------------------------------------------------------
// Params.

// collectParams records the names of all params: those defined in "params"
// of any view, and those defined by extent transforms.
func (c *semChecker) collectParams(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if semSkipKey(k) {
				continue
			}
			if k == "params" {
				if list, ok := e.([]any); ok {
					for _, p := range list {
						if pm, ok := p.(map[string]any); ok {
							if name, ok := pm["name"].(string); ok {
								c.params[name] = true
							}
						}
					}
				}
			}
			if k == "extent" {
				if name, ok := x["param"].(string); ok {
					c.params[name] = true
				}
			}
			c.collectParams(e)
		}
	case []any:
		for _, e := range x {
			c.collectParams(e)
		}
	}
}

func (c *semChecker) paramNames() []string {
	return chkKeys(c.params)
}

// checkParamRef reports a reference to a param that is not defined.
func (c *semChecker) checkParamRef(name, path string) {
	if c.params[name] {
		return
	}
	names := c.paramNames()
	switch {
	case len(names) == 0:
		c.add(path, "param %q is not defined; add {\"name\": %q, ...} to \"params\"", name, name)
	case chkSuggest(name, names) != "":
		c.add(path, "param %q is not defined (did you mean %q?); params: %s", name, chkSuggest(name, names), chkJoinLimited(names, 20))
	default:
		c.add(path, "param %q is not defined; params: %s", name, chkJoinLimited(names, 20))
	}
}

// walk visits the whole spec (but not data) for param references,
// expressions and selection bindings.
func (c *semChecker) walk(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		if name, ok := x["param"].(string); ok {
			if _, isExtent := x["extent"]; !isExtent {
				c.checkParamRef(name, semJoin(path, "param"))
			}
		}
		for _, k := range chkSortedKeys(x) {
			e := x[k]
			p := semJoin(path, k)
			if semSkipKey(k) {
				continue
			}
			switch k {
			case "calculate", "expr", "labelExpr", "test", "not":
				if s, ok := e.(string); ok {
					c.checkExpr(s, p)
					continue
				}
			case "filter":
				switch f := e.(type) {
				case string:
					c.checkExpr(f, p)
					continue
				case []any: // event stream filters
					for i, s := range f {
						if s, ok := s.(string); ok {
							c.checkExpr(s, semJoin(p, i))
						}
					}
					continue
				}
			case "and", "or":
				if list, ok := e.([]any); ok {
					for i, s := range list {
						if s, ok := s.(string); ok {
							c.checkExpr(s, semJoin(p, i))
						}
					}
				}
			case "params":
				if list, ok := e.([]any); ok {
					for i, pd := range list {
						if pm, ok := pd.(map[string]any); ok {
							c.checkBinding(pm, semJoin(p, i))
						}
					}
				}
			}
			c.walk(e, p)
		}
	case []any:
		for i, e := range x {
			c.walk(e, semJoin(path, i))
		}
	}
}

// ---------------------------------------------------------------------------
// Selection bindings.

func (c *semChecker) checkBinding(p map[string]any, path string) {
	bind, ok := p["bind"]
	if !ok {
		return
	}
	bp := semJoin(path, "bind")
	bm, _ := bind.(map[string]any)
	c.checkInputs(bm, bp)
	sel, isSel := p["select"]
	if !isSel {
		return // variable params: the schema checks the rest
	}
	var typ string
	var proj []string
	switch s := sel.(type) {
	case string:
		typ = s
	case map[string]any:
		typ, _ = s["type"].(string)
		for _, k := range []string{"fields", "encodings"} {
			if l, ok := s[k].([]any); ok {
				for _, f := range l {
					if f, ok := f.(string); ok {
						proj = append(proj, f)
					}
				}
			}
		}
	}
	if typ != "point" && typ != "interval" {
		return
	}
	_, legendStream := bm["legend"]
	switch {
	case bind == "scales":
		if typ != "interval" {
			c.add(bp, `"scales" binding needs an interval selection; use "select": "interval"`)
		}
	case bind == "legend" || legendStream:
		if typ != "point" {
			c.add(bp, `legend binding needs a point selection; use "select": {"type": "point", "fields": [...]}`)
		} else if len(proj) != 1 {
			c.add(bp, `legend binding needs a selection over exactly one field or encoding; set "fields": ["<field>"] or "encodings": ["color"] in "select"`)
		}
	case bm != nil:
		_, input := bm["input"]
		_, element := bm["element"]
		if typ == "interval" {
			c.add(bp, `interval selections cannot be bound to input elements; use "bind": "scales", or a point selection`)
			return
		}
		if len(proj) == 0 {
			c.add(bp, `a point selection bound to input elements needs "fields" or "encodings" in "select" to say what the inputs set`)
			return
		}
		if !input && !element {
			// A mapping from projected field or encoding to binding.
			for _, k := range chkSortedKeys(bm) {
				if _, isBinding := bm[k].(map[string]any); isBinding && !slices.Contains(proj, k) {
					msg := fmt.Sprintf("binding for %q, which is not a field or encoding of the selection", k)
					if s := chkSuggest(k, proj); s != "" {
						msg += fmt.Sprintf(" (did you mean %q?)", s)
					}
					c.add(semJoin(bp, k), "%s; selection projects: %s", msg, strings.Join(proj, ", "))
				}
			}
		}
	}
}

// checkInputs reports select and radio inputs without options, in a
// binding or in a mapping from field to binding.
func (c *semChecker) checkInputs(bm map[string]any, path string) {
	if bm == nil {
		return
	}
	if in, ok := bm["input"].(string); ok {
		if _, ok := bm["options"]; !ok && (in == "select" || in == "radio") && !semHasTypoOf(bm, "options") {
			c.add(path, `%q input needs "options": [...], the values to choose from`, in)
		}
		return
	}
	if _, ok := bm["element"]; ok {
		return
	}
	for _, k := range chkSortedKeys(bm) {
		if sub, ok := bm[k].(map[string]any); ok {
			if _, ok := sub["input"]; ok {
				c.checkInputs(sub, semJoin(path, k))
			}
		}
	}
}

// semHasTypoOf reports whether m has a key that looks like a misspelt name
// (the schema check reports it).
func semHasTypoOf(m map[string]any, name string) bool {
	for k := range m {
		if chkSuggest(k, []string{name}) != "" {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Expressions.

// semConstants are the names an expression may use besides params.
var semConstants = map[string]bool{
	// Variables.
	"datum": true, "event": true, "item": true, "parent": true,
	// Constants.
	"NaN": true, "E": true, "LN2": true, "LN10": true, "LOG2E": true, "LOG10E": true,
	"PI": true, "SQRT1_2": true, "SQRT2": true, "MIN_VALUE": true, "MAX_VALUE": true,
	"true": true, "false": true, "null": true, "undefined": true, "Infinity": true,
	// Built-in signals of Vega and Vega-Lite.
	"width": true, "height": true, "padding": true, "autosize": true, "background": true,
	"cursor": true, "child_width": true, "child_height": true, "unit": true,
	// Operators spelled as words.
	"typeof": true, "in": true, "instanceof": true, "void": true, "new": true, "this": true,
}

// semFunctions are the functions of the Vega expression language (Vega 5.33,
// including those added by vega-selections for Vega-Lite).
var semFunctions = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(`abs acos asin atan atan2 atob bandspace bandwidth
		btoa ceil clamp clampRange containerSize contrast copy cos cumulativeLogNormal
		cumulativeNormal cumulativeUniform data date datetime day dayAbbrevFormat dayFormat
		dayofyear debug densityLogNormal densityNormal densityUniform domain encode exp
		extent floor flush format geoArea geoBounds geoCentroid geoScale geoShape gradient
		group hcl hours hsl hypot if inScope indata indexof info inrange intersect
		intersectLasso invert isArray isBoolean isDate isDefined isFinite isNaN isNumber
		isObject isRegExp isString isTuple isValid item join lab lassoAppend lassoPath
		lastindexof length lerp log lower luminance max merge milliseconds min minutes
		modify month monthAbbrevFormat monthFormat now pad panLinear panLog panPow
		panSymlog parseFloat parseInt pathShape peek pinchAngle pinchDistance pluck pow
		quantileLogNormal quantileNormal quantileUniform quarter random range regexp
		replace reverse rgb round sampleLogNormal sampleNormal sampleUniform scale screen
		seconds sequence setdata sin slice sort span split sqrt substring tan test time
		timeFormat timeOffset timeParse timeSequence timeUnitSpecifier timezoneoffset
		toBoolean toDate toNumber toString treeAncestors treePath trim truncate upper utc
		utcFormat utcOffset utcParse utcSequence utcdate utcday utcdayofyear utchours
		utcmilliseconds utcminutes utcmonth utcquarter utcseconds utcweek utcyear view
		vlSelectionIdTest vlSelectionResolve vlSelectionTest vlSelectionTuples warn week
		windowSize x xy y year zoomLinear zoomLog zoomPow zoomSymlog`) {
		m[f] = true
	}
	return m
}()

// semIdent is a name found in an expression.
type semIdent struct {
	name string
	call bool // followed by "(": a function call
}

// semExprIdents returns the free names of a Vega expression: identifiers
// that are not member names (after "."), not object literal keys, and not
// inside string or regular expression literals.
func semExprIdents(src string) []semIdent {
	var out []semIdent
	var stack []byte // open brackets
	prev := byte(0)  // previous significant token: 'i' identifier, 'n' number, 's' string literal, or the punctuation
	i := 0
	isIdentStart := func(b byte) bool {
		return b == '_' || b == '$' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80
	}
	isIdentPart := func(b byte) bool {
		return isIdentStart(b) || (b >= '0' && b <= '9')
	}
	nextSig := func(j int) byte {
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n' || src[j] == '\r') {
			j++
		}
		if j < len(src) {
			return src[j]
		}
		return 0
	}
	for i < len(src) {
		b := src[i]
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			i++
		case b == '"' || b == '\'':
			j := i + 1
			for j < len(src) && src[j] != b {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
			prev = 's'
		case b >= '0' && b <= '9' || (b == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '.' ||
				((src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			i = j
			prev = 'n'
		case isIdentStart(b):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			name := src[i:j]
			after := nextSig(j)
			member := prev == '.'
			key := len(stack) > 0 && stack[len(stack)-1] == '{' && (prev == '{' || prev == ',') && after == ':'
			if !member && !key {
				out = append(out, semIdent{name: name, call: after == '('})
			}
			i = j
			prev = 'i'
		case b == '/' && prev != 'i' && prev != 'n' && prev != 's' && prev != ')' && prev != ']':
			// A regular expression literal.
			j := i + 1
			inClass := false
		scan:
			for ; j < len(src); j++ {
				switch src[j] {
				case '\\':
					j++
				case '[':
					inClass = true
				case ']':
					inClass = false
				case '/':
					if !inClass {
						break scan
					}
				}
			}
			j++
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			i = j
			prev = 's'
		default:
			switch b {
			case '(', '[', '{':
				stack = append(stack, b)
			case ')', ']', '}':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			prev = b
			i++
		}
	}
	return out
}

// checkExpr reports unknown names and functions in a Vega expression.
func (c *semChecker) checkExpr(src, path string) {
	seen := map[string]bool{}
	for _, id := range semExprIdents(src) {
		if seen[id.name] {
			continue
		}
		seen[id.name] = true
		if id.call {
			if semFunctions[id.name] {
				continue
			}
			msg := fmt.Sprintf("unknown function %q in expression", id.name)
			if s := chkSuggest(id.name, chkKeys(semFunctions)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += "; see https://vega.github.io/vega/docs/expressions/ for the functions"
			}
			c.add(path, "%s", msg)
			continue
		}
		if semConstants[id.name] || c.params[id.name] || c.paramPrefix(id.name) {
			continue
		}
		msg := fmt.Sprintf("unknown name %q in expression", id.name)
		if s := chkSuggest(id.name, c.paramNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean param %q?)", s)
		} else if s := chkSuggest(id.name, []string{"datum", "event", "item", "parent", "width", "height"}); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += fmt.Sprintf("; use datum[%q] for a data field, or define a param named %q", id.name, id.name)
		}
		c.add(path, "%s", msg)
	}
}

// paramPrefix reports whether name is a signal Vega-Lite derives from a
// param, such as brush_x or sel_tuple.
func (c *semChecker) paramPrefix(name string) bool {
	for p := range c.params {
		if strings.HasPrefix(name, p+"_") {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Fields.

// semFields is the set of fields a view's data rows are known to have.
type semFields struct {
	known bool
	set   map[string]bool
}

func (f semFields) with(names ...string) semFields {
	if !f.known {
		return f
	}
	out := semFields{known: true, set: make(map[string]bool, len(f.set)+len(names))}
	for k := range f.set {
		out.set[k] = true
	}
	for _, n := range names {
		out.set[n] = true
	}
	return out
}

func semKnown(names ...string) semFields {
	f := semFields{known: true, set: map[string]bool{}}
	for _, n := range names {
		f.set[n] = true
	}
	return f
}

// semRowFields returns the fields of inline rows: the keys of objects, and
// "data" for primitive values (which Vega-Lite wraps as {"data": value}).
func semRowFields(rows []any) semFields {
	if len(rows) == 0 {
		return semFields{}
	}
	f := semKnown()
	for _, r := range rows {
		switch r := r.(type) {
		case map[string]any:
			for k := range r {
				f.set[k] = true
			}
		default:
			f.set["data"] = true
		}
	}
	return f
}

// dataFields returns the fields of a data definition.
func (c *semChecker) dataFields(d any) semFields {
	dm, ok := d.(map[string]any)
	if !ok {
		return semFields{}
	}
	if fm, ok := dm["format"].(map[string]any); ok {
		if _, ok := fm["property"]; ok {
			return semFields{}
		}
		if t, _ := fm["type"].(string); t == "topojson" {
			return semFields{}
		}
	}
	switch vals := dm["values"].(type) {
	case []any:
		return semRowFields(vals)
	case string:
		return semTextFields(vals, dm["format"])
	}
	if name, ok := dm["name"].(string); ok {
		if rows, ok := c.datasets[name].([]any); ok {
			return semRowFields(rows)
		}
		return semFields{}
	}
	if seq, ok := dm["sequence"].(map[string]any); ok {
		if as, ok := seq["as"].(string); ok {
			return semKnown(as)
		}
		return semKnown("data")
	}
	return semFields{}
}

// semTextFields reads the header of inline CSV/TSV/DSV text, as vega's loader does.
func semTextFields(text string, format any) semFields {
	delim, ok := dsv.Delimiter(format)
	if !ok {
		return semFields{}
	}
	if fm, _ := format.(map[string]any); fm["header"] != nil {
		return semFields{} // names given apart from the text: not read here
	}
	header := dsv.Header(text, delim)
	if len(header) == 0 {
		return semFields{}
	}
	return semKnown(header...)
}

// semFieldHead returns the top-level field a field reference reads: "a" for
// "a.b" and "a[0]", "a.b" for the escaped "a\\.b".
func semFieldHead(f string) string {
	var sb strings.Builder
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '\\':
			if i+1 < len(f) {
				i++
				sb.WriteByte(f[i])
			}
		case '.', '[':
			return sb.String()
		default:
			sb.WriteByte(f[i])
		}
	}
	return sb.String()
}

// checkField reports a field that is not in the data.
func (c *semChecker) checkField(f any, path string, fs semFields) {
	name, ok := f.(string)
	if ok && strings.ContainsAny(name, "\u2028\u2029") {
		c.add(path, "field %q contains a line or paragraph separator (U+2028/U+2029), which Vega's expressions reject; rename the field", name)
		return
	}
	if !ok || !fs.known || name == "" || name == "*" {
		return
	}
	head := semFieldHead(name)
	if head == "" || fs.set[head] {
		return
	}
	all := chkKeys(fs.set)
	if fs.set[name] {
		esc := strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), ".", `\.`)
		c.add(path, "field %q reads the nested field %q of %q, which is not in the data; to use the field named %q escape the dots: %q",
			name, strings.TrimPrefix(name, head+"."), head, name, esc)
		return
	}
	msg := fmt.Sprintf("field %q is not in the data", name)
	if s := chkSuggest(head, all); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(all) == 0 {
		msg += "; the data has no fields"
	} else {
		msg += "; fields: " + chkJoinLimited(all, 20)
	}
	c.add(path, "%s", msg)
}

func (c *semChecker) checkFieldList(l any, path string, fs semFields) []string {
	var names []string
	switch x := l.(type) {
	case []any:
		for i, f := range x {
			c.checkField(f, semJoin(path, i), fs)
			if s, ok := f.(string); ok {
				names = append(names, s)
			}
		}
	case string:
		c.checkField(x, path, fs)
		names = append(names, x)
	}
	return names
}

// view checks a view and its sub-views. inherited is the data of the parent.
func (c *semChecker) view(v map[string]any, path string, inherited semFields) {
	fs := inherited
	if d, ok := v["data"]; ok {
		fs = c.dataFields(d)
	}
	if ts, ok := v["transform"].([]any); ok {
		fs = c.transforms(ts, semJoin(path, "transform"), fs)
	}
	_, isUnit := v["mark"]
	if enc, ok := v["encoding"].(map[string]any); ok {
		efs := fs
		if !isUnit {
			// A shared encoding applies in the sub-views, after their own
			// transforms: accept the fields they create.
			efs = c.merge(fs, c.descendantFields(v))
		}
		c.encoding(enc, semJoin(path, "encoding"), efs)
	}
	if facet, ok := v["facet"].(map[string]any); ok {
		if _, ok := facet["field"]; ok {
			c.channelDef(facet, semJoin(path, "facet"), fs)
		} else {
			for _, k := range []string{"row", "column"} {
				if d, ok := facet[k].(map[string]any); ok {
					c.channelDef(d, semJoin(semJoin(path, "facet"), k), fs)
				}
			}
		}
	}
	if isUnit {
		if ps, ok := v["params"].([]any); ok {
			for i, p := range ps {
				pm, _ := p.(map[string]any)
				if sel, ok := pm["select"].(map[string]any); ok {
					c.checkFieldList(sel["fields"], semJoin(semJoin(semJoin(semJoin(path, "params"), i), "select"), "fields"), fs)
				}
			}
		}
	}
	for _, k := range semViewKeys {
		switch sub := v[k].(type) {
		case []any:
			for i, s := range sub {
				if sm, ok := s.(map[string]any); ok {
					c.view(sm, semJoin(semJoin(path, k), i), fs)
				}
			}
		case map[string]any:
			c.view(sub, semJoin(path, k), fs)
		}
	}
}

func (c *semChecker) merge(a, b semFields) semFields {
	if !a.known || !b.known {
		return semFields{}
	}
	return a.with(chkKeys(b.set)...)
}

// descendantFields returns the fields that the sub-views of v read from
// their own data or create with their transforms.
func (c *semChecker) descendantFields(v map[string]any) semFields {
	out := semKnown()
	for _, k := range semViewKeys {
		var subs []any
		switch sub := v[k].(type) {
		case []any:
			subs = sub
		case map[string]any:
			subs = []any{sub}
		}
		for _, s := range subs {
			sm, ok := s.(map[string]any)
			if !ok {
				continue
			}
			if d, ok := sm["data"]; ok {
				out = c.merge(out, c.dataFields(d))
			}
			if ts, ok := sm["transform"].([]any); ok {
				out = c.merge(out, semKnown(semCreated(ts)...))
			}
			out = c.merge(out, c.descendantFields(sm))
		}
	}
	return out
}

// semCreated lists the output fields of transforms, ignoring what they
// remove.
func semCreated(ts []any) []string {
	var out []string
	for _, t := range ts {
		tm, ok := t.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, semStrings(tm["as"])...)
		for _, k := range []string{"aggregate", "joinaggregate", "window"} {
			if ops, ok := tm[k].([]any); ok {
				for _, op := range ops {
					if om, ok := op.(map[string]any); ok {
						out = append(out, semStrings(om["as"])...)
					}
				}
			}
		}
		for _, a := range semStrings(tm["as"]) {
			out = append(out, a+"_end")
		}
		out = append(out, "key", "value", "density", "prob", "coef", "rSquared")
		if fr, ok := tm["from"].(map[string]any); ok {
			out = append(out, semStrings(fr["fields"])...)
		}
	}
	return out
}

func semStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// encoding checks the field references of an encoding block.
func (c *semChecker) encoding(enc map[string]any, path string, fs semFields) {
	if !fs.known {
		return
	}
	for _, ch := range chkSortedKeys(enc) {
		switch d := enc[ch].(type) {
		case map[string]any:
			c.channelDef(d, semJoin(path, ch), fs)
		case []any:
			for i, e := range d {
				if em, ok := e.(map[string]any); ok {
					c.channelDef(em, semJoin(semJoin(path, ch), i), fs)
				}
			}
		}
	}
}

// channelDef checks the fields of a channel, facet or condition definition.
func (c *semChecker) channelDef(d map[string]any, path string, fs semFields) {
	c.checkField(d["field"], semJoin(path, "field"), fs)
	if agg, ok := d["aggregate"].(map[string]any); ok {
		for _, k := range []string{"argmax", "argmin"} {
			c.checkField(agg[k], semJoin(semJoin(path, "aggregate"), k), fs)
		}
	}
	if s, ok := d["sort"].(map[string]any); ok {
		c.checkField(s["field"], semJoin(semJoin(path, "sort"), "field"), fs)
	}
	if test, ok := d["test"].(map[string]any); ok {
		c.predicate(test, semJoin(path, "test"), fs)
	}
	switch cond := d["condition"].(type) {
	case map[string]any:
		c.channelDef(cond, semJoin(path, "condition"), fs)
	case []any:
		for i, e := range cond {
			if em, ok := e.(map[string]any); ok {
				c.channelDef(em, semJoin(semJoin(path, "condition"), i), fs)
			}
		}
	}
}

// predicate checks the fields of a filter predicate.
func (c *semChecker) predicate(p any, path string, fs semFields) {
	switch x := p.(type) {
	case map[string]any:
		c.checkField(x["field"], semJoin(path, "field"), fs)
		for _, k := range []string{"and", "or"} {
			if l, ok := x[k].([]any); ok {
				for i, e := range l {
					c.predicate(e, semJoin(semJoin(path, k), i), fs)
				}
			}
		}
		if n, ok := x["not"]; ok {
			c.predicate(n, semJoin(path, "not"), fs)
		}
	}
}

// transforms checks the input fields of each transform and returns the
// fields of the data after them.
func (c *semChecker) transforms(ts []any, path string, fs semFields) semFields {
	for i, t := range ts {
		tm, ok := t.(map[string]any)
		if !ok {
			continue
		}
		fs = c.transform(tm, semJoin(path, i), fs)
	}
	return fs
}

func (c *semChecker) transform(t map[string]any, p string, fs semFields) semFields {
	in := func(key string) { c.checkField(t[key], semJoin(p, key), fs) }
	list := func(key string) []string { return c.checkFieldList(t[key], semJoin(p, key), fs) }
	asOr := func(defaults ...string) []string {
		if as := semStrings(t["as"]); len(as) > 0 {
			for i := len(as); i < len(defaults); i++ {
				as = append(as, defaults[i])
			}
			return as
		}
		return defaults
	}
	// ops checks the fields of aggregate, joinaggregate and window
	// operations and returns their output names.
	ops := func(key string) []string {
		var out []string
		l, _ := t[key].([]any)
		for j, op := range l {
			om, ok := op.(map[string]any)
			if !ok {
				continue
			}
			c.checkField(om["field"], semJoin(semJoin(semJoin(p, key), j), "field"), fs)
			if as, ok := om["as"].(string); ok {
				out = append(out, as)
			}
		}
		return out
	}
	switch {
	case t["aggregate"] != nil:
		out := ops("aggregate")
		return semKnown(append(list("groupby"), out...)...)
	case t["joinaggregate"] != nil:
		out := ops("joinaggregate")
		list("groupby")
		return fs.with(out...)
	case t["window"] != nil:
		out := ops("window")
		list("groupby")
		if sl, ok := t["sort"].([]any); ok {
			for j, s := range sl {
				if sm, ok := s.(map[string]any); ok {
					c.checkField(sm["field"], semJoin(semJoin(semJoin(p, "sort"), j), "field"), fs)
				}
			}
		}
		return fs.with(out...)
	case t["bin"] != nil:
		in("field")
		as := semStrings(t["as"])
		if len(as) == 1 {
			as = append(as, as[0]+"_end")
		}
		return fs.with(as...)
	case t["calculate"] != nil:
		return fs.with(semStrings(t["as"])...)
	case t["density"] != nil:
		in("density")
		g := list("groupby")
		return semKnown(append(g, asOr("value", "density")...)...)
	case t["extent"] != nil:
		in("extent")
		return fs
	case t["filter"] != nil:
		c.predicate(t["filter"], semJoin(p, "filter"), fs)
		return fs
	case t["flatten"] != nil:
		list("flatten")
		return fs.with(semStrings(t["as"])...)
	case t["fold"] != nil:
		list("fold")
		return fs.with(asOr("key", "value")...)
	case t["impute"] != nil:
		in("impute")
		in("key")
		list("groupby")
		return fs
	case t["loess"] != nil || t["regression"] != nil:
		method := "loess"
		if t["regression"] != nil {
			method = "regression"
		}
		in(method)
		in("on")
		g := list("groupby")
		if b, _ := t["params"].(bool); b {
			return semKnown(append(g, "coef", "rSquared")...)
		}
		on, _ := t["on"].(string)
		y, _ := t[method].(string)
		return semKnown(append(g, asOr(on, y)...)...)
	case t["lookup"] != nil:
		in("lookup")
		from, _ := t["from"].(map[string]any)
		var fromFS semFields
		if d, ok := from["data"]; ok {
			fromFS = c.dataFields(d)
			c.checkField(from["key"], semJoin(semJoin(p, "from"), "key"), fromFS)
			c.checkFieldList(from["fields"], semJoin(semJoin(p, "from"), "fields"), fromFS)
		}
		as := semStrings(t["as"])
		fields := semStrings(from["fields"])
		switch {
		case len(as) > 0:
			return fs.with(as...)
		case len(fields) > 0:
			return fs.with(fields...)
		case fromFS.known:
			return fs.with(chkKeys(fromFS.set)...)
		}
		return semFields{}
	case t["pivot"] != nil:
		in("pivot")
		in("value")
		list("groupby")
		return semFields{}
	case t["quantile"] != nil:
		in("quantile")
		g := list("groupby")
		return semKnown(append(g, asOr("prob", "value")...)...)
	case t["sample"] != nil:
		return fs
	case t["stack"] != nil:
		in("stack")
		list("groupby")
		if sl, ok := t["sort"].([]any); ok {
			for j, s := range sl {
				if sm, ok := s.(map[string]any); ok {
					c.checkField(sm["field"], semJoin(semJoin(semJoin(p, "sort"), j), "field"), fs)
				}
			}
		}
		as := semStrings(t["as"])
		if len(as) == 1 {
			as = append(as, as[0]+"_end")
		}
		return fs.with(as...)
	case t["timeUnit"] != nil:
		in("field")
		as := semStrings(t["as"])
		if len(as) == 1 {
			as = append(as, as[0]+"_end")
		}
		return fs.with(as...)
	}
	return semFields{}
}
