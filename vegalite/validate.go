package vegalite

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	vlschema "github.com/gonbviz/gonbviz/vegalite/schema"
)

// Problem is one thing wrong with a Vega-Lite specification.
type Problem struct {
	// Path is a JSON pointer (RFC 6901) into the specification: "/" for the
	// root, "/encoding/x/type" for the type of the x channel.
	Path string
	// Message is a single line that says what is wrong and, where it can,
	// how to fix it.
	Message string
}

// String formats the problem as "path: message", for example
// `/encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal`.
func (p Problem) String() string {
	return p.Path + ": " + p.Message
}

// ValidationError is returned by Validate and ValidateValue when a
// specification has problems. It lists every problem found, sorted by path.
type ValidationError struct {
	// Problems holds at least one problem.
	Problems []Problem
}

// Error returns one Problem.String() per line.
func (e *ValidationError) Error() string {
	var sb strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(p.String())
	}
	return sb.String()
}

// Validate checks Vega-Lite JSON text against the Vega-Lite v5 JSON schema
// (embedded, see package schema) and against rules the schema cannot express:
// fields used by encodings and transforms must exist in inline data, params
// used by conditions, filters and expressions must be defined, and selection
// bindings must suit the selection type.
//
// It returns nil when the specification is valid and a *ValidationError
// otherwise. Text that is not JSON gives a single Problem at path "/" whose
// message names the line and column of the syntax error.
func Validate(spec []byte) error {
	var v any
	if err := json.Unmarshal(spec, &v); err != nil {
		return &ValidationError{Problems: []Problem{{Path: "/", Message: chkJSONErrorMessage(spec, err)}}}
	}
	return chkProblemsError(validateTree(v))
}

// ValidateValue is like Validate for a specification that has already been
// decoded, as by encoding/json into an any: map[string]any, []any, string,
// float64, json.Number, bool and nil. Other Go values (typed slices and maps,
// structs) are converted through encoding/json first.
func ValidateValue(spec any) error {
	return chkProblemsError(validateTree(spec))
}

func chkProblemsError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// validateTree runs the schema and the semantic checks on a decoded
// specification and returns the problems sorted by path (stable: problems at
// the same path keep the order in which they were found).
func validateTree(spec any) []Problem {
	spec, convProblems := chkNormalizeJSON(spec)
	var ps []Problem
	ps = append(ps, convProblems...)
	cs, err := chkLoadSchema()
	if err != nil {
		ps = append(ps, Problem{Path: "/", Message: "cannot load the embedded Vega-Lite schema: " + err.Error()})
	} else {
		ps = append(ps, cs.check(spec)...)
	}
	ps = append(ps, semanticProblems(spec)...)
	ps = chkSortProblems(ps)
	if len(ps) > chkMaxProblems {
		n := len(ps) - chkMaxProblems
		ps = append(ps[:chkMaxProblems:chkMaxProblems], Problem{Path: "/", Message: fmt.Sprintf("%d more problems not shown", n)})
	}
	return ps
}

// chkMaxProblems bounds the problems reported for one spec (a data array of
// mixed rows could otherwise give one per row). A last problem at "/" says
// how many were left out.
const chkMaxProblems = 100

// chkSortProblems sorts by path, segment by segment (numeric segments
// numerically), keeps the first of identical problems and returns the result.
func chkSortProblems(ps []Problem) []Problem {
	seen := make(map[Problem]bool, len(ps))
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int { return chkComparePaths(a.Path, b.Path) })
	return out
}

func chkComparePaths(a, b string) int {
	if a == b {
		return 0
	}
	as := strings.Split(strings.TrimPrefix(a, "/"), "/")
	bs := strings.Split(strings.TrimPrefix(b, "/"), "/")
	if a == "/" {
		as = nil
	}
	if b == "/" {
		bs = nil
	}
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
		return strings.Compare(as[i], bs[i])
	}
	return cmp.Compare(len(as), len(bs))
}

// chkJSONErrorMessage turns a decoding error into "invalid JSON at line L,
// column C: ...". Lines and columns count from 1; columns count characters.
func chkJSONErrorMessage(data []byte, err error) string {
	var off int64 = -1
	var synErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &synErr):
		off = synErr.Offset
	case errors.As(err, &typeErr):
		off = typeErr.Offset
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if off < 0 {
		return "invalid JSON: " + msg
	}
	line, col := chkLineCol(data, off)
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, msg)
}

// chkLineCol returns the position of the byte that made the decoder stop after
// reading off bytes: encoding/json reports the offset just past it.
func chkLineCol(data []byte, off int64) (line, col int) {
	pos := int(off) - 1
	if pos >= len(data) {
		pos = len(data)
	}
	// At the end of the input (unexpected end), point just past the last
	// character that is not white space.
	if pos == len(data) || off == 0 {
		pos = len(bytes.TrimRight(data, " \t\r\n"))
	}
	if pos < 0 {
		pos = 0
	}
	line = 1 + bytes.Count(data[:pos], []byte{'\n'})
	start := bytes.LastIndexByte(data[:pos], '\n') + 1
	col = 1 + utf8.RuneCount(data[start:pos])
	return line, col
}

// ---------------------------------------------------------------------------
// Normalization of decoded values.

// chkNormalizeJSON returns v with every value converted to the types produced by
// encoding/json (map[string]any, []any, string, float64/json.Number, bool,
// nil). Values that already have those types are returned as they are. NaN
// and infinite numbers, which JSON cannot represent, are reported.
func chkNormalizeJSON(v any) (any, []Problem) {
	n := chkNormalizer{}
	out := n.norm(v, "")
	return out, n.problems
}

type chkNormalizer struct {
	problems []Problem
}

func (n *chkNormalizer) norm(v any, path string) any {
	switch x := v.(type) {
	case nil, bool, string, json.Number:
		return v
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			n.badNumber(x, path)
			return nil
		}
		return v
	case float32:
		return n.norm(float64(x), path)
	case int:
		return float64(x)
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return json.Number(fmt.Sprint(x))
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			ne := n.norm(e, path+"/"+chkEscapePointer(k))
			if out == nil && !chkSameValue(ne, e) {
				out = make(map[string]any, len(x))
				for k2, e2 := range x {
					out[k2] = e2
				}
			}
			if out != nil {
				out[k] = ne
			}
		}
		if out == nil {
			return x
		}
		return out
	case []any:
		var out []any
		for i, e := range x {
			ne := n.norm(e, path+"/"+strconv.Itoa(i))
			if out == nil && !chkSameValue(ne, e) {
				out = slices.Clone(x)
			}
			if out != nil {
				out[i] = ne
			}
		}
		if out == nil {
			return x
		}
		return out
	}
	rv := reflect.ValueOf(v)
	if _, ok := v.(json.Marshaler); !ok {
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if rv.IsNil() {
				return nil
			}
			return n.norm(rv.Elem().Interface(), path)
		case reflect.Slice, reflect.Array:
			if rv.Kind() == reflect.Slice && rv.IsNil() {
				return nil
			}
			if rv.Type().Elem().Kind() != reflect.Uint8 {
				out := make([]any, rv.Len())
				for i := range out {
					out[i] = n.norm(rv.Index(i).Interface(), path+"/"+strconv.Itoa(i))
				}
				return out
			}
		case reflect.Map:
			if rv.Type().Key().Kind() == reflect.String {
				if rv.IsNil() {
					return nil
				}
				out := make(map[string]any, rv.Len())
				it := rv.MapRange()
				for it.Next() {
					k := it.Key().String()
					out[k] = n.norm(it.Value().Interface(), path+"/"+chkEscapePointer(k))
				}
				return out
			}
		case reflect.Float32, reflect.Float64:
			return n.norm(rv.Float(), path)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return json.Number(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return json.Number(strconv.FormatUint(rv.Uint(), 10))
		case reflect.String:
			return rv.String()
		case reflect.Bool:
			return rv.Bool()
		}
	}
	// Anything else goes through encoding/json.
	b, err := json.Marshal(v)
	if err != nil {
		n.problems = append(n.problems, Problem{Path: chkPathOrRoot(path), Message: "cannot be converted to JSON: " + strings.TrimPrefix(err.Error(), "json: ")})
		return nil
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		n.problems = append(n.problems, Problem{Path: chkPathOrRoot(path), Message: "cannot be converted to JSON: " + err.Error()})
		return nil
	}
	return out
}

func (n *chkNormalizer) badNumber(f float64, path string) {
	n.problems = append(n.problems, Problem{Path: chkPathOrRoot(path),
		Message: fmt.Sprintf("%v is not a valid JSON number; use null for missing values", f)})
}

// chkSameValue reports whether a and b are the same value for normalization
// purposes: identical scalars or the same container.
func chkSameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case nil, bool, string, float64, json.Number:
		return chkTypeEq(a, b) && a == b
	}
	return false
}

func chkTypeEq(a, b any) bool { return reflect.TypeOf(a) == reflect.TypeOf(b) }

func chkPathOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func chkEscapePointer(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

func chkPointer(tokens []string) string {
	if len(tokens) == 0 {
		return "/"
	}
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(chkEscapePointer(t))
	}
	return sb.String()
}

// ---------------------------------------------------------------------------
// The compiled schema.

// chkSchemaID is the identifier under which the embedded schema is registered
// with the compiler; nothing is fetched from it.
const chkSchemaID = vlschema.URL

// chkCompiledSchema is the Vega-Lite schema compiled for validation, with an
// index from schema location to compiled subschema used to explain errors.
type chkCompiledSchema struct {
	root  *jsonschema.Schema
	index map[string]*jsonschema.Schema
}

var (
	chkSchemaOnce sync.Once
	chkSchemaVal  *chkCompiledSchema
	chkSchemaErr  error
)

// chkLoadSchema compiles the embedded schema on first use. It is safe for
// concurrent use; the compiled schema is immutable afterwards.
func chkLoadSchema() (*chkCompiledSchema, error) {
	chkSchemaOnce.Do(func() {
		chkSchemaVal, chkSchemaErr = chkCompileSchema(vlschema.Gzipped)
	})
	return chkSchemaVal, chkSchemaErr
}

// chkCompileSchema decompresses and compiles a gzipped Vega-Lite JSON schema.
func chkCompileSchema(gz []byte) (*chkCompiledSchema, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(zr)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	if err := c.AddResource(chkSchemaID, doc); err != nil {
		return nil, err
	}
	root, err := c.Compile(chkSchemaID + "#/definitions/TopLevelSpec")
	if err != nil {
		return nil, err
	}
	cs := &chkCompiledSchema{root: root, index: map[string]*jsonschema.Schema{}}
	cs.indexSchema(root)
	return cs, nil
}

func (cs *chkCompiledSchema) indexSchema(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if _, ok := cs.index[s.Location]; ok {
		return
	}
	cs.index[s.Location] = s
	cs.indexSchema(s.Ref)
	cs.indexSchema(s.Not)
	cs.indexSchema(s.If)
	cs.indexSchema(s.Then)
	cs.indexSchema(s.Else)
	cs.indexSchema(s.PropertyNames)
	cs.indexSchema(s.Contains)
	for _, l := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, sub := range l {
			cs.indexSchema(sub)
		}
	}
	for _, sub := range s.Properties {
		cs.indexSchema(sub)
	}
	for _, sub := range s.PatternProperties {
		cs.indexSchema(sub)
	}
	for _, sub := range s.Dependencies {
		if sub, ok := sub.(*jsonschema.Schema); ok {
			cs.indexSchema(sub)
		}
	}
	for _, x := range []any{s.AdditionalProperties, s.Items, s.AdditionalItems} {
		switch x := x.(type) {
		case *jsonschema.Schema:
			cs.indexSchema(x)
		case []*jsonschema.Schema:
			for _, sub := range x {
				cs.indexSchema(sub)
			}
		}
	}
}

// check validates spec against the schema and explains the failures.
func (cs *chkCompiledSchema) check(spec any) []Problem {
	err := cs.root.Validate(chkSchemaInput(spec))
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Problem{{Path: "/", Message: err.Error()}}
	}
	ex := chkExplainer{cs: cs, root: spec}
	return ex.problems(ex.leaves(verr))
}

// chkSchemaInput returns spec with long inline data arrays shortened for the
// schema: the schema only checks that data rows are all numbers, all strings,
// all booleans or all objects, so a homogeneous array is represented by its
// first row. This keeps validation fast for specs with many rows.
func chkSchemaInput(spec any) any {
	return chkShrinkData(spec, false)
}

const chkShrinkMin = 16

func chkShrinkData(v any, inData bool) any {
	switch x := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			var ne any
			switch {
			case inData && k == "values":
				ne = chkShrinkRows(e)
			case k == "datasets":
				if ds, ok := e.(map[string]any); ok {
					var nds map[string]any
					for name, rows := range ds {
						if nr := chkShrinkRows(rows); !chkSameValue(nr, rows) {
							if nds == nil {
								nds = chkMaps(ds)
							}
							nds[name] = nr
						}
					}
					if nds != nil {
						ne = nds
					} else {
						ne = e
					}
				} else {
					ne = e
				}
			default:
				ne = chkShrinkData(e, k == "data")
			}
			if !chkSameValue(ne, e) {
				if out == nil {
					out = chkMaps(x)
				}
				out[k] = ne
			}
		}
		if out != nil {
			return out
		}
		return x
	case []any:
		var out []any
		for i, e := range x {
			ne := chkShrinkData(e, false)
			if !chkSameValue(ne, e) {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = ne
			}
		}
		if out != nil {
			return out
		}
		return x
	}
	return v
}

func chkMaps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func chkShrinkRows(v any) any {
	rows, ok := v.([]any)
	if !ok || len(rows) < chkShrinkMin {
		return v
	}
	k := chkJSONKind(rows[0])
	if k == "null" || k == "array" {
		return v
	}
	for _, r := range rows[1:] {
		if chkJSONKind(r) != k {
			return v
		}
	}
	return rows[:1:1]
}

// chkJSONKind names the JSON type of a decoded value.
func chkJSONKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64, float32, json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "invalid"
}

// ---------------------------------------------------------------------------
// Explaining schema errors.
//
// The raw error of the schema validator is a tree that mirrors the schema:
// every anyOf in the Vega-Lite schema (there are more than 1800) contributes
// one subtree per alternative. The explainer walks the tree, picks at each
// anyOf the alternative that best matches what the user wrote, and turns the
// remaining leaf errors into one-line problems.

type chkExplainer struct {
	cs   *chkCompiledSchema
	root any
}

// chkLeaf is one primitive failure, or a merged "value does not match any
// alternative" failure (mm != nil).
type chkLeaf struct {
	loc  []string
	kind jsonschema.ErrorKind
	sch  *jsonschema.Schema
	mm   *chkMismatch
	msg  string // a ready message, for synthesized failures
}

// chkMismatch describes the alternatives a value failed to match: types
// (described in words) and literal values.
type chkMismatch struct {
	alts []chkAlt
}

type chkAlt struct {
	desc   string // for a type alternative: "a number", `{"step": ...}`
	prim   bool   // a type alternative for number, integer, boolean or string
	isVal  bool
	val    any
	source string // enum definition name, for value alternatives
	nsrc   int    // number of values in the source enum
}

func (ex *chkExplainer) schemaAt(url string) *jsonschema.Schema {
	return ex.cs.index[url]
}

func (ex *chkExplainer) valueAt(loc []string) (any, bool) {
	v := ex.root
	for _, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			e, ok := x[tok]
			if !ok {
				return nil, false
			}
			v = e
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// leaves flattens the error tree, choosing one alternative at each anyOf.
func (ex *chkExplainer) leaves(e *jsonschema.ValidationError) []chkLeaf {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.AllOf, *kind.Reference:
		var out []chkLeaf
		for _, c := range e.Causes {
			out = append(out, ex.leaves(c)...)
		}
		return out
	case *kind.AnyOf:
		return ex.choose(e)
	case *kind.OneOf:
		if k.Subschemas == nil {
			return ex.choose(e)
		}
	}
	return []chkLeaf{{loc: e.InstanceLocation, kind: e.ErrorKind, sch: ex.schemaAt(e.SchemaURL)}}
}

type chkBranch struct {
	idx       int
	leaves    []chkLeaf
	sch       *jsonschema.Schema
	shallow   bool // every leaf is a mismatch at the anyOf's own location
	exact     int  // keys of the object that the branch declares
	fuzzy     int  // keys that are close to a declared key
	fuzzyDist int  // total edit distance of the fuzzy keys to the declared ones
	disc      int  // enum or const failures of the object's properties (a wrong discriminator)
	hard      int  // failures that are not explained by a misspelt property name
	required  int  // number of required-property failures at the location
	depth     int  // deepest leaf location
}

// choose picks the alternative of a failed anyOf that best matches the value.
func (ex *chkExplainer) choose(e *jsonschema.ValidationError) []chkLeaf {
	loc := e.InstanceLocation
	val, _ := ex.valueAt(loc)
	obj, isObj := val.(map[string]any)
	// Causes correspond one to one to the alternatives: all of them failed.
	var alts []*jsonschema.Schema
	if parent := ex.schemaAt(e.SchemaURL); parent != nil {
		alts = parent.AnyOf
		if _, ok := e.ErrorKind.(*kind.OneOf); ok {
			alts = parent.OneOf
		}
	}
	var bs []*chkBranch
	for i, c := range e.Causes {
		b := &chkBranch{idx: i, leaves: ex.leaves(c)}
		if len(alts) == len(e.Causes) {
			b.sch = alts[i]
		}
		b.shallow = len(b.leaves) > 0
		for j, l := range b.leaves {
			if len(l.loc) == len(loc) {
				if mm := ex.asMismatch(l); mm != nil {
					b.leaves[j].mm = mm
				} else {
					b.shallow = false
				}
				if _, ok := l.kind.(*kind.Required); ok {
					b.required++
				}
			} else {
				b.shallow = false
			}
			if len(l.loc) == len(loc)+1 {
				switch l.kind.(type) {
				case *kind.Const, *kind.Enum:
					b.disc++
				default:
					if l.mm != nil && l.mm.picksValue(ex.valueAtOr(l.loc)) {
						b.disc++
					}
				}
			}
			b.depth = max(b.depth, len(l.loc))
		}
		b.hard = ex.hardCount(b.leaves)
		if isObj && b.sch != nil {
			props, _ := chkDeclaredProps(b.sch)
			for k := range obj {
				if props[k] {
					b.exact++
				} else if sug, d := chkSuggestDist(k, chkKeys(props)); sug != "" {
					b.fuzzy++
					b.fuzzyDist += d
				}
			}
		}
		bs = append(bs, b)
	}
	if len(bs) == 0 {
		return []chkLeaf{{loc: loc, kind: e.ErrorKind, sch: ex.schemaAt(e.SchemaURL)}}
	}

	// The value matches none of the alternatives at its own level: merge them
	// into one "expected ..." failure.
	allShallow := true
	for _, b := range bs {
		allShallow = allShallow && b.shallow
	}
	if allShallow {
		mm := &chkMismatch{}
		for _, b := range bs {
			for _, l := range b.leaves {
				mm.add(l.mm)
			}
		}
		return []chkLeaf{{loc: loc, mm: mm}}
	}

	var cands []*chkBranch
	for _, b := range bs {
		if !b.shallow {
			cands = append(cands, b)
		}
	}
	score := func(a, b *chkBranch) int {
		if c := cmp.Compare(b.exact*2+b.fuzzy, a.exact*2+a.fuzzy); c != 0 {
			return c
		}
		if c := cmp.Compare(a.fuzzyDist, b.fuzzyDist); c != 0 {
			return c
		}
		if c := cmp.Compare(a.disc, b.disc); c != 0 {
			return c
		}
		if c := cmp.Compare(a.hard, b.hard); c != 0 {
			return c
		}
		if c := cmp.Compare(a.required, b.required); c != 0 {
			return c
		}
		if c := cmp.Compare(b.depth, a.depth); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.leaves), len(b.leaves)); c != 0 {
			return c
		}
		return 0
	}
	slices.SortStableFunc(cands, score)
	best := cands[0]

	// An object that matches none of several object alternatives by any of
	// its keys: say which keys would select an alternative.
	if isObj && len(obj) > 0 && best.exact+best.fuzzy == 0 && len(cands) > 2 {
		var heads []string
		for _, b := range cands {
			if b.sch == nil {
				continue
			}
			if req := chkRequiredOf(b.sch); len(req) > 0 && !slices.Contains(heads, req[0]) {
				heads = append(heads, req[0])
			}
		}
		if len(heads) > 2 {
			slices.Sort(heads)
			k := chkSortedKeys(obj)[0]
			msg := fmt.Sprintf("unknown property %q; expected an object with one of %s", k, strings.Join(heads, ", "))
			return []chkLeaf{{loc: loc, msg: msg}}
		}
	}

	// Alternatives that tie and fail on the same value only by enum or const
	// (e.g. a mark type that is neither a mark nor a composite mark) merge.
	var tied []*chkBranch
	for _, b := range cands {
		if score(b, best) == 0 {
			tied = append(tied, b)
		}
	}
	if len(tied) > 1 {
		var at []string
		ok := true
		mm := &chkMismatch{}
		for _, b := range tied {
			for _, l := range b.leaves {
				lm := l.mm
				if lm == nil {
					lm = ex.asMismatch(l)
				}
				if lm == nil || (at != nil && !slices.Equal(at, l.loc)) {
					ok = false
					break
				}
				at = l.loc
				mm.add(lm)
			}
		}
		if ok && at != nil {
			return []chkLeaf{{loc: at, mm: mm}}
		}
	}
	return best.leaves
}

// hardCount counts the leaves that a did-you-mean does not explain: an
// unknown property close to a declared one, and a missing required property
// that such a typo stands for, are soft.
func (ex *chkExplainer) hardCount(ls []chkLeaf) int {
	suggested := map[string]map[string]bool{}
	hard := 0
	for _, l := range ls {
		ak, ok := l.kind.(*kind.AdditionalProperties)
		if !ok {
			continue
		}
		props, _ := chkDeclaredProps(l.sch)
		cands := chkKeys(props)
		path := chkPointer(l.loc)
		for _, p := range ak.Properties {
			if sug := chkSuggest(p, cands); sug != "" {
				if suggested[path] == nil {
					suggested[path] = map[string]bool{}
				}
				suggested[path][sug] = true
			} else {
				hard++
			}
		}
	}
	for _, l := range ls {
		switch k := l.kind.(type) {
		case *kind.AdditionalProperties:
		case *kind.Required:
			for _, m := range k.Missing {
				if !suggested[chkPointer(l.loc)][m] {
					hard++
					break
				}
			}
		default:
			hard++
		}
	}
	return hard
}

// asMismatch converts a type, enum or const failure into a mismatch.
func (ex *chkExplainer) asMismatch(l chkLeaf) *chkMismatch {
	if l.mm != nil {
		return l.mm
	}
	mm := &chkMismatch{}
	switch k := l.kind.(type) {
	case *kind.Type:
		if l.sch != nil && l.sch.Enum != nil {
			mm.addValues(l.sch.Enum.Values, chkDefName(l.sch))
		} else if l.sch != nil && l.sch.Const != nil {
			mm.addValues([]any{*l.sch.Const}, chkDefName(l.sch))
		} else {
			for _, t := range k.Want {
				mm.alts = append(mm.alts, chkAlt{desc: chkDescribeType(t, l.sch), prim: t != "object" && t != "array" && t != "null"})
			}
		}
	case *kind.Enum:
		mm.addValues(k.Want, chkDefName(l.sch))
	case *kind.Const:
		mm.addValues([]any{k.Want}, chkDefName(l.sch))
	default:
		return nil
	}
	return mm
}

// picksValue reports whether the mismatch offers literal values of the
// same JSON type as v: v was meant to select one of them.
func (mm *chkMismatch) picksValue(v any) bool {
	k := chkJSONKind(v)
	for _, a := range mm.alts {
		if a.isVal && chkJSONKind(a.val) == k {
			return true
		}
	}
	return false
}

func (ex *chkExplainer) valueAtOr(loc []string) any {
	v, _ := ex.valueAt(loc)
	return v
}

func (mm *chkMismatch) addValues(vals []any, source string) {
	for _, v := range vals {
		mm.alts = append(mm.alts, chkAlt{isVal: true, val: v, source: source, nsrc: len(vals)})
	}
}

func (mm *chkMismatch) add(o *chkMismatch) {
	if o == nil {
		return
	}
	for _, a := range o.alts {
		dup := false
		for i, b := range mm.alts {
			if a.isVal == b.isVal && a.desc == b.desc && (!a.isVal || reflect.DeepEqual(a.val, b.val)) {
				dup = true
				if a.nsrc > b.nsrc {
					// Listed by the larger enumeration: keep the value with it.
					mm.alts[i].nsrc, mm.alts[i].source = a.nsrc, a.source
				}
				break
			}
		}
		if !dup {
			mm.alts = append(mm.alts, a)
		}
	}
}

// chkDefName returns the definition name of a schema located directly at
// #/definitions/Name, or "".
func chkDefName(s *jsonschema.Schema) string {
	if s == nil {
		return ""
	}
	_, frag, ok := strings.Cut(s.Location, "#/definitions/")
	if !ok || strings.Contains(frag, "/") {
		return ""
	}
	return frag
}

// chkDescribeType describes a JSON type wanted by schema s in words.
func chkDescribeType(t string, s *jsonschema.Schema) string {
	switch t {
	case "object":
		if s != nil && len(s.Required) > 0 {
			var parts []string
			for _, r := range s.Required {
				parts = append(parts, strconv.Quote(r)+": ...")
			}
			return "{" + strings.Join(parts, ", ") + "}"
		}
		return "an object"
	case "array":
		return "an array"
	case "number":
		return "a number"
	case "integer":
		return "an integer"
	case "string":
		return "a string"
	case "boolean":
		return "true/false"
	case "null":
		return "null"
	}
	return t
}

// chkDescribeValue shows a value in a message: scalars as JSON (long strings
// shortened), containers by type.
func chkDescribeValue(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		if utf8.RuneCountInString(x) > 40 {
			r := []rune(x)
			return strconv.Quote(string(r[:37]) + "...")
		}
		return strconv.Quote(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func chkJSONText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// chkEnumNouns names the enumerations whose chkMismatch reads better as "is not a
// valid <noun>".
var chkEnumNouns = map[string]string{
	"Mark":                "mark",
	"CompositeMark":       "mark",
	"BoxPlot":             "mark",
	"ErrorBar":            "mark",
	"ErrorBand":           "mark",
	"ScaleType":           "scale type",
	"Cursor":              "cursor",
	"Interpolate":         "interpolation",
	"NonArgAggregateOp":   "operation",
	"AggregateOp":         "operation",
	"WindowOnlyOp":        "operation",
	"ProjectionType":      "projection type",
	"SingleTimeUnit":      "time unit",
	"LocalSingleTimeUnit": "time unit",
	"LocalMultiTimeUnit":  "time unit",
	"UtcSingleTimeUnit":   "time unit",
	"UtcMultiTimeUnit":    "time unit",
	"MultiTimeUnit":       "time unit",
	"Blend":               "blend mode",
	"FontWeight":          "font weight",
	"StrokeCap":           "stroke cap",
	"StrokeJoin":          "stroke join",
}

// message renders a mismatch for value v.
func (mm *chkMismatch) message(v any) string {
	var vals []chkAlt
	onlyStructured := true // no alternative of a scalar type other than null
	for _, a := range mm.alts {
		if a.isVal {
			vals = append(vals, a)
		} else if a.prim {
			onlyStructured = false
		}
	}
	var strs []string
	for _, a := range vals {
		if s, ok := a.val.(string); ok {
			strs = append(strs, s)
		}
	}
	vs, isStr := v.(string)
	dym := ""
	if isStr {
		if s := chkSuggest(vs, strs); s != "" {
			dym = fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	if len(vals) > 0 && onlyStructured && chkSameKindAsAny(v, vals) {
		// Order the values by source enumeration, largest first.
		ordered := slices.Clone(vals)
		slices.SortStableFunc(ordered, func(a, b chkAlt) int { return cmp.Compare(b.nsrc, a.nsrc) })
		var list []string
		for _, a := range ordered {
			if s, ok := a.val.(string); ok {
				list = append(list, s)
			} else {
				list = append(list, chkJSONText(a.val))
			}
		}
		listStr := chkJoinLimited(list, 24)
		noun := chkEnumNouns[ordered[0].source]
		switch {
		case noun != "":
			return fmt.Sprintf("%s is not a valid %s%s; one of %s", chkDescribeValue(v), noun, dym, listStr)
		case len(list) == 1:
			return fmt.Sprintf("expected %s, got %s%s", chkJSONText(ordered[0].val), chkDescribeValue(v), dym)
		case len(list) > 10:
			return fmt.Sprintf("%s is not an allowed value%s; one of %s", chkDescribeValue(v), dym, listStr)
		}
		return fmt.Sprintf("%s is not one of %s%s", chkDescribeValue(v), listStr, dym)
	}
	// Values of a long enumeration are shortened to a few examples.
	var parts []string
	for i := 0; i < len(mm.alts); i++ {
		a := mm.alts[i]
		if !a.isVal {
			parts = append(parts, a.desc)
			continue
		}
		j := i
		for j < len(mm.alts) && mm.alts[j].isVal && mm.alts[j].source == a.source {
			j++
		}
		if a.source == "" || j-i <= 6 {
			parts = append(parts, chkJSONText(a.val))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s, %s, ... (%d values)", chkJSONText(a.val), chkJSONText(mm.alts[i+1].val), j-i))
		i = j - 1
	}
	return fmt.Sprintf("expected %s, got %s%s", chkJoinOr(parts, 40), chkDescribeValue(v), dym)
}

func chkSameKindAsAny(v any, vals []chkAlt) bool {
	k := chkJSONKind(v)
	for _, a := range vals {
		if chkJSONKind(a.val) == k {
			return true
		}
	}
	return false
}

// chkJoinLimited joins at most limit items with ", ".
func chkJoinLimited(items []string, limit int) string {
	if len(items) > limit {
		return strings.Join(items[:limit], ", ") + fmt.Sprintf(", ... (%d more)", len(items)-limit)
	}
	return strings.Join(items, ", ")
}

// chkJoinOr joins items as "a, b or c".
func chkJoinOr(items []string, limit int) string {
	switch {
	case len(items) == 0:
		return "something else"
	case len(items) == 1:
		return items[0]
	case len(items) > limit:
		return strings.Join(items[:limit], ", ") + fmt.Sprintf(", ... (%d more)", len(items)-limit)
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// chkDeclaredProps collects the property names a schema declares, following
// $ref, allOf, anyOf and oneOf. dict reports whether the schema also accepts
// arbitrary keys.
func chkDeclaredProps(s *jsonschema.Schema) (props map[string]bool, dict bool) {
	props = map[string]bool{}
	seen := map[*jsonschema.Schema]bool{}
	var walk func(*jsonschema.Schema)
	walk = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for k := range s.Properties {
			props[k] = true
		}
		if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok && a != nil {
			dict = true
		}
		walk(s.Ref)
		for _, l := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range l {
				walk(sub)
			}
		}
	}
	walk(s)
	return props, dict
}

// chkRequiredOf returns the required properties of a schema, following $ref.
func chkRequiredOf(s *jsonschema.Schema) []string {
	for i := 0; s != nil && i < 8; i++ {
		if len(s.Required) > 0 {
			return s.Required
		}
		s = s.Ref
	}
	return nil
}

func chkKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func chkSortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// problems turns leaves into problems.
func (ex *chkExplainer) problems(ls []chkLeaf) []Problem {
	// Properties suggested for unknown properties, per location: a missing
	// required property that was misspelt is reported once, as the typo.
	suggested := map[string]map[string]bool{}
	var ps []Problem
	for _, l := range ls {
		ak, ok := l.kind.(*kind.AdditionalProperties)
		if !ok {
			continue
		}
		path := chkPointer(l.loc)
		val, _ := ex.valueAt(l.loc)
		obj, _ := val.(map[string]any)
		props, _ := chkDeclaredProps(l.sch)
		var cands []string
		for _, k := range chkKeys(props) {
			if _, present := obj[k]; !present {
				cands = append(cands, k)
			}
		}
		extra := slices.Clone(ak.Properties)
		slices.Sort(extra)
		for _, p := range extra {
			msg := fmt.Sprintf("unknown property %q", p)
			if s := chkSuggest(p, cands); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				if suggested[path] == nil {
					suggested[path] = map[string]bool{}
				}
				suggested[path][s] = true
			} else if len(props) > 0 {
				msg += "; valid properties: " + chkJoinLimited(chkKeys(props), 15)
			} else {
				msg += "; no properties are allowed here"
			}
			ps = append(ps, Problem{Path: path, Message: msg})
		}
	}
	for _, l := range ls {
		path := chkPointer(l.loc)
		val, _ := ex.valueAt(l.loc)
		if l.mm != nil {
			ps = append(ps, Problem{Path: path, Message: l.mm.message(val)})
			continue
		}
		if l.msg != "" {
			ps = append(ps, Problem{Path: path, Message: l.msg})
			continue
		}
		switch k := l.kind.(type) {
		case *kind.AdditionalProperties:
			// done above
		case *kind.Required:
			var missing []string
			for _, m := range k.Missing {
				if !suggested[path][m] {
					missing = append(missing, m)
				}
			}
			if len(missing) == 0 {
				continue
			}
			ps = append(ps, Problem{Path: path, Message: chkRequiredMessage(val, l.sch, missing)})
		default:
			ps = append(ps, Problem{Path: path, Message: chkLeafMessage(l, val)})
		}
	}
	return ps
}

func chkQuoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func chkRequiredMessage(val any, s *jsonschema.Schema, missing []string) string {
	obj, _ := val.(map[string]any)
	req := chkRequiredOf(s)
	if len(req) > 0 && req[0] != "data" && !slices.Contains(missing, req[0]) {
		if _, ok := obj[req[0]]; ok {
			return fmt.Sprintf("%s needs %s", req[0], chkQuoteAll(missing))
		}
	}
	if len(missing) == 1 {
		return fmt.Sprintf("missing required property %q", missing[0])
	}
	return "missing required properties " + chkQuoteAll(missing)
}

func chkLeafMessage(l chkLeaf, val any) string {
	switch k := l.kind.(type) {
	case *kind.Type:
		if mm := (&chkExplainer{}).asMismatch(l); mm != nil {
			return mm.message(val)
		}
	case *kind.Enum, *kind.Const:
		if mm := (&chkExplainer{}).asMismatch(l); mm != nil {
			return mm.message(val)
		}
	case *kind.Minimum:
		return fmt.Sprintf("must be at least %s, got %s", chkRatString(k.Want), chkDescribeValue(val))
	case *kind.Maximum:
		return fmt.Sprintf("must be at most %s, got %s", chkRatString(k.Want), chkDescribeValue(val))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("must be greater than %s, got %s", chkRatString(k.Want), chkDescribeValue(val))
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("must be less than %s, got %s", chkRatString(k.Want), chkDescribeValue(val))
	case *kind.MinItems:
		return fmt.Sprintf("needs at least %d items, got %d", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("takes at most %d items, got %d", k.Want, k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("needs at least %d characters, got %d", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("takes at most %d characters, got %d", k.Want, k.Got)
	case *kind.MinProperties:
		return fmt.Sprintf("needs at least %d properties, got %d", k.Want, k.Got)
	case *kind.Pattern:
		return fmt.Sprintf("%s does not match the pattern %s", chkDescribeValue(val), k.Want)
	case *kind.Format:
		return fmt.Sprintf("%s is not a valid %s: %v", chkDescribeValue(val), k.Want, k.Err)
	case *kind.UniqueItems:
		return fmt.Sprintf("items %d and %d are equal; items must be unique", k.Duplicates[0], k.Duplicates[1])
	case *kind.InvalidJsonValue:
		return fmt.Sprintf("%v (%T) is not a JSON value", k.Value, k.Value)
	case *kind.FalseSchema, *kind.Not:
		return "this value is not allowed here"
	}
	// Anything else: the validator's own wording, without its location.
	msg := (&jsonschema.ValidationError{ErrorKind: l.kind}).Error()
	if _, after, ok := strings.Cut(msg, ": "); ok {
		msg = after
	}
	return msg
}

// ---------------------------------------------------------------------------
// Did you mean?

// chkSuggest returns the candidate closest to s, or "" when none is close
// enough to be a plausible typo.
func chkSuggest(s string, cands []string) string {
	best, _ := chkSuggestDist(s, cands)
	return best
}

// chkSuggestDist is chkSuggest that also returns the edit distance of the
// suggestion.
func chkSuggestDist(s string, cands []string) (string, int) {
	if s == "" {
		return "", 0
	}
	ls := strings.ToLower(s)
	best, bestD := "", math.MaxInt
	// Allowed edits: none but case for a name of one letter, then one edit
	// per three letters, at least one and at most three.
	limit := 0
	if n := utf8.RuneCountInString(s); n >= 2 {
		limit = max(1, min(3, n/3))
	}
	for _, c := range cands {
		if c == s {
			continue
		}
		lc := strings.ToLower(c)
		d := chkEditDistance(ls, lc)
		if d > limit {
			// A prefix of at least 3 letters also counts ("temp" for "temporal").
			if len(ls) >= 3 && len(lc) >= 3 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)) {
				d = limit
			} else {
				continue
			}
		}
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best, bestD
}

// chkEditDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between a and b.
func chkEditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func chkRatString(r interface{ RatString() string }) string {
	if r == nil {
		return "?"
	}
	return r.RatString()
}
