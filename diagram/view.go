// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// unit is one box (or group container) of a view.
type unit struct {
	id        string
	class     string // input, output, layer, norm, act, ops, op, var, block, ext, group
	kind      string // shown kind: "Dense", "Activation", "Input", op type, ...
	name      string // short name
	full      string // full scope path or description
	ops       []int
	out       int // op whose shape is the unit's output, -1 for none
	group     string
	container bool
	scope     *scopeNode // scope units (collapsed or container)
	first     int        // order key
	params    int
	trainable int
	view      string // id of the view a click opens ("" none)
	drillable bool
}

type vedge struct{ from, to, label string }

// view is one drawing: the main diagram or what opening a box shows.
type view struct {
	id     string
	title  string
	units  []*unit
	edges  []vedge
	notes  []string
	parent string // view id to go back to
}

// focus is what a view shows: a scope's subtree, or a list of ops (a cluster).
type focus struct {
	scope *scopeNode
	ops   []int
	name  string
}

type viewBuilder struct {
	d          *Diagram
	v          *view
	unitOf     []*unit
	inFocus    []bool
	byKey      map[string]*unit
	expand     func(s *scopeNode, level int) bool
	cluster    bool
	fscope     *scopeNode
	collapseAt int  // collapse scopes at this tree depth and below (0: never)
	coarse     bool // runs of loose ops cross activations and pools
}

// mainView is the diagram as the options ask, collapsed to fit MaxBoxes: first outer
// scopes are drawn as single boxes (deepest first), then loose ops are gathered in runs.
func (d *Diagram) mainView() *view {
	build := func(collapseAt int, cluster, coarse bool) *view {
		depth := d.opts.Depth
		b := &viewBuilder{d: d, collapseAt: collapseAt, cluster: cluster, coarse: coarse}
		b.expand = func(s *scopeNode, level int) bool {
			if collapseAt > 0 && s.depth >= collapseAt {
				return false
			}
			if s.kind == "" && level < 0 {
				return true
			}
			return depth == OpLevel || level < depth
		}
		return b.build(focus{scope: d.root, name: d.title()}, "v0")
	}
	v := build(0, d.opts.Depth == 0, false)
	if len(v.units) <= d.opts.MaxBoxes {
		return v
	}
	maxDepth := 0
	for _, s := range d.scopes {
		maxDepth = max(maxDepth, s.depth)
	}
	best := v
	try := func(at int, cluster, coarse bool) bool {
		c := build(at, cluster, coarse)
		if len(c.units) < len(best.units) {
			best = c
		}
		return len(c.units) <= d.opts.MaxBoxes
	}
	// Collapse scopes from the deepest up; then also gather loose ops in runs; then in runs
	// that cross activations too (a flat graph of thousands of ops becomes a few boxes).
	done := false
	for _, mode := range [][2]bool{{d.opts.Depth == 0, false}, {true, false}, {true, true}} {
		for at := maxDepth; at >= 0 && !done; at-- {
			done = try(at, mode[0], mode[1])
		}
		if done {
			break
		}
	}
	best.notes = append(best.notes, fmt.Sprintf("%s ops: opened collapsed to fit %d boxes (Options.MaxBoxes); open a box by clicking it in the HTML view",
		commas(d.countOps()), d.opts.MaxBoxes))
	return best
}

func (d *Diagram) countOps() int {
	n := 0
	for _, o := range d.ops {
		if !o.constant {
			n++
		}
	}
	return n
}

// drillView shows one level inside a scope or a cluster: child scopes as boxes, ops one
// by one, and stubs for what comes from and goes to the rest of the graph.
func (d *Diagram) drillView(f focus, id string) *view {
	b := &viewBuilder{d: d, expand: func(*scopeNode, int) bool { return false }}
	return b.build(f, id)
}

func (b *viewBuilder) build(f focus, id string) *view {
	d := b.d
	b.v = &view{id: id, title: f.name}
	b.unitOf = make([]*unit, len(d.ops))
	b.inFocus = make([]bool, len(d.ops))
	b.byKey = map[string]*unit{}
	b.fscope = f.scope
	if f.scope != nil {
		b.markScope(f.scope)
		b.addScope(f.scope, "", "", -1, true)
	} else {
		for _, i := range f.ops {
			b.inFocus[i] = true
		}
		for _, i := range f.ops {
			b.addOp(i, "")
		}
	}
	b.addEdges()
	slices.SortStableFunc(b.v.units, func(x, y *unit) int { return x.first - y.first })
	return b.v
}

func (b *viewBuilder) markScope(s *scopeNode) {
	for _, i := range s.ops {
		b.inFocus[i] = true
	}
	for _, c := range s.children {
		b.markScope(c)
	}
}

func (b *viewBuilder) newUnit(u *unit) *unit {
	u.id = fmt.Sprintf("u%d", len(b.v.units))
	if u.out == 0 && len(u.ops) == 0 {
		u.out = -1
	}
	b.v.units = append(b.v.units, u)
	return u
}

// addScope adds the contents of an expanded scope s, drawn inside group.
func (b *viewBuilder) addScope(s *scopeNode, base, group string, level int, isFocus bool) {
	d := b.d
	if !isFocus {
		c := b.newUnit(&unit{class: "group", container: true, scope: s, group: group, first: s.first, out: -1,
			name: relName(s, base), full: s.path, kind: kindOrBlock(s)})
		b.sumParams(c, s)
		c.drillable = true
		group = c.id
	}
	for _, c := range s.children {
		// A scope holding nothing but one sub-scope is drawn as that sub-scope
		// ("attn/MultiHeadAttention"), not as a group around a single box.
		for c.kind == "" && len(c.children) == 1 && !hasOps(b.d, c) {
			c = c.children[0]
		}
		lvl := -1
		if level >= 0 {
			lvl = level + 1
		} else if c.kind != "" {
			lvl = 0
		}
		if b.expand(c, lvl) {
			b.addScope(c, s.path, group, lvl, false)
			continue
		}
		u := b.newUnit(&unit{class: classOf(c.kind), scope: c, group: group, first: c.first,
			name: relName(c, s.path), full: c.path, kind: kindOrBlock(c), drillable: c.nOps > 1 || len(c.children) > 0})
		b.collect(u, c)
		b.sumParams(u, c)
		u.out = b.outputOp(u.ops)
	}
	// Loose ops of s.
	var loose []int
	for _, i := range s.ops {
		o := d.ops[i]
		if o.constant {
			continue
		}
		if o.input > 0 || o.varPath != "" || !b.cluster || s.kind != "" || level >= 0 {
			b.addOp(i, group)
			continue
		}
		loose = append(loose, i)
	}
	if len(loose) > 0 {
		b.addClusters(loose, group, s)
	}
}

func kindOrBlock(s *scopeNode) string {
	if s.kind == "" {
		return "Block"
	}
	return s.kind
}

func classOf(kind string) string {
	switch kind {
	case "":
		return "block"
	case "LayerNorm", "BatchNorm", "RMSNorm":
		return "norm"
	}
	return "layer"
}

// relName is s's path relative to base.
func relName(s *scopeNode, base string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s.path, base), "/")
}

func hasOps(d *Diagram, s *scopeNode) bool {
	for _, i := range s.ops {
		if !d.ops[i].constant {
			return true
		}
	}
	return false
}

func (b *viewBuilder) collect(u *unit, s *scopeNode) {
	for _, i := range s.ops {
		u.ops = append(u.ops, i)
		b.unitOf[i] = u
	}
	for _, c := range s.children {
		b.collect(u, c)
	}
	sort.Ints(u.ops)
}

func (b *viewBuilder) sumParams(u *unit, s *scopeNode) {
	for _, i := range s.vars {
		n := 1
		for _, x := range b.d.ops[i].dims {
			n *= x
		}
		u.params += n
		if b.d.ops[i].trainable {
			u.trainable += n
		}
	}
	for _, v := range s.extra {
		u.params += v.Size
		if v.Trainable {
			u.trainable += v.Size
		}
	}
}

// outputOp is the op of ops whose value leaves them (newest such), else the last.
func (b *viewBuilder) outputOp(ops []int) int {
	if len(ops) == 0 {
		return -1
	}
	in := map[int]bool{}
	for _, i := range ops {
		in[i] = true
	}
	best := -1
	for _, i := range ops {
		o := b.d.ops[i]
		if o.constant || o.varPath != "" {
			continue
		}
		if len(o.outputs) > 0 {
			best = i
			continue
		}
		for _, c := range o.consumers {
			if !in[c] {
				best = i
				break
			}
		}
	}
	if best < 0 {
		best = ops[len(ops)-1]
	}
	return best
}

// addOp adds a box for one op.
func (b *viewBuilder) addOp(i int, group string) {
	o := b.d.ops[i]
	if o.constant {
		return
	}
	u := &unit{group: group, first: i, ops: []int{i}, out: i, kind: o.typ, name: o.typ, class: "op"}
	switch {
	case o.input > 0:
		u.class, u.kind, u.name, u.full = "input", "Input", fmt.Sprintf("input %d", o.input-1), o.name
		u.group = ""
	case o.varPath != "":
		u.class, u.kind, u.full = "var", "Variable", o.varPath
		u.name = o.varPath[strings.LastIndexByte(o.varPath, '/')+1:]
		n := 1
		for _, x := range o.dims {
			n *= x
		}
		u.params = n
		if o.trainable {
			u.trainable = n
		}
	default:
		u.full = fmt.Sprintf("%s #%d in %s", o.typ, o.id, scopeLabel(o.scope))
	}
	b.newUnit(u)
	b.unitOf[i] = u
}

func scopeLabel(s string) string {
	if s == "" {
		return "/"
	}
	return s
}

// addClusters groups loose ops of one scope into connected runs: one box per run, named
// by what it computes (relu, gelu, add, ...).
func (b *viewBuilder) addClusters(loose []int, group string, s *scopeNode) {
	d := b.d
	parent := map[int]int{}
	for _, i := range loose {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	// Runs do not cross an anchor op (an activation or a pool: each is a box of its own),
	// except that reshapes join the op they reshape.
	for _, i := range loose {
		for _, j := range d.ops[i].inputs {
			if _, ok := parent[j]; !ok {
				continue
			}
			switch {
			case b.coarse:
			case d.poolReshape(i):
				continue // the reshape joins the pool it feeds, not its input
			case d.poolReshape(j) && d.isAnchor(i):
			case !shapeOps[d.ops[i].typ] && (d.isAnchor(i) || d.isAnchor(j)):
				continue
			}
			a, c := find(i), find(j)
			if a != c {
				parent[max(a, c)] = min(a, c)
			}
		}
	}
	comps := map[int][]int{}
	var roots []int
	for _, i := range loose {
		r := find(i)
		if _, ok := comps[r]; !ok {
			roots = append(roots, r)
		}
		comps[r] = append(comps[r], i)
	}
	for _, r := range roots {
		ops := comps[r]
		kind, name := d.classify(ops)
		cls := "ops"
		if kind == "Activation" {
			cls = "act"
		}
		u := b.newUnit(&unit{class: cls, kind: kind, name: name, group: group, first: ops[0], ops: ops,
			full: name + " in " + scopeLabel(s.path), drillable: len(ops) > 1})
		for _, i := range ops {
			b.unitOf[i] = u
		}
		u.out = b.outputOp(ops)
	}
}

// classify names a run of ops: an activation, an add, or its main op types.
func (d *Diagram) classify(ops []int) (kind, name string) {
	types := map[string]bool{}
	var main []string
	for _, i := range ops {
		t := d.ops[i].typ
		if !types[t] {
			types[t] = true
			if !shapeOps[t] && t != "Constant" && t != "Iota" {
				main = append(main, t)
			}
		}
	}
	switch {
	case types["FusedGelu"] || types["Erf"]:
		return "Activation", "gelu"
	case types["FusedSoftmax"] || types["Exp"] && types["ReduceSum"] && types["Div"]:
		return "Activation", "softmax"
	case types["Logistic"] && types["Mul"]:
		return "Activation", "silu"
	case types["Logistic"]:
		return "Activation", "sigmoid"
	case len(main) == 1 && main[0] == "Max":
		return "Activation", "relu"
	case len(main) == 1 && main[0] == "ReduceWindow",
		len(main) == 1 && main[0] == "ReduceMax" && slices.ContainsFunc(ops, d.isAnchor): // a max pool written as reshape + ReduceMax
		return "Pool", "pool"
	case len(main) == 1 && main[0] == "Tanh":
		return "Activation", "tanh"
	case len(main) == 0:
		return "Reshape", "reshape"
	case len(main) == 1:
		return main[0], strings.ToLower(main[0])
	}
	if len(main) > 3 {
		main = append(main[:3], "…")
	}
	return "Ops", strings.Join(main, ", ")
}

// addEdges connects the units, adds stubs for the outside of the focus, and the outputs.
func (b *viewBuilder) addEdges() {
	d := b.d
	seen := map[vedge]bool{}
	add := func(e vedge) {
		if e.from == e.to || seen[e] {
			return
		}
		seen[e] = true
		b.v.edges = append(b.v.edges, e)
	}
	stub := func(key, name, full string, first int) *unit {
		if u, ok := b.byKey[key]; ok {
			return u
		}
		u := b.newUnit(&unit{class: "ext", kind: "", name: name, full: full, first: first, out: -1})
		b.byKey[key] = u
		return u
	}
	for v, o := range d.ops {
		V := b.unitOf[v]
		if V == nil || o.constant {
			continue
		}
		for _, u := range o.inputs {
			in := d.ops[u]
			if in.constant {
				continue
			}
			U := b.unitOf[u]
			if U == nil && !b.inFocus[u] {
				from := scopeLabel(in.scope)
				if in.input > 0 {
					from = fmt.Sprintf("input %d", in.input-1)
				}
				U = stub("in:"+from, "from "+from, from, -1)
			}
			if U != nil {
				add(vedge{U.id, V.id, shapeText(in)})
			}
		}
		for _, c := range o.consumers {
			if b.inFocus[c] || d.ops[c].constant {
				continue
			}
			to := scopeLabel(d.ops[c].scope)
			W := stub("out:"+to, "to "+to, to, len(d.ops)+c)
			add(vedge{V.id, W.id, shapeText(o)})
		}
	}
	for k, j := range d.outputs {
		U := b.unitOf[j]
		if U == nil {
			continue
		}
		O := b.newUnit(&unit{class: "output", kind: "Output", name: fmt.Sprintf("output %d", k), first: len(d.ops) * 3, out: j})
		add(vedge{U.id, O.id, shapeText(d.ops[j])})
	}
}

// poolReshape reports a reshape that splits out the windows of a max pool written as
// reshape + ReduceMax: it belongs to the pool's box.
func (d *Diagram) poolReshape(i int) bool {
	if d.ops[i].typ != "Reshape" {
		return false
	}
	for _, c := range d.ops[i].consumers {
		if d.ops[c].typ == "ReduceMax" && d.isAnchor(c) {
			return true
		}
	}
	return false
}

// isAnchor reports ops that make a box of their own at layer level: activations and pools.
func (d *Diagram) isAnchor(i int) bool {
	o := d.ops[i]
	switch o.typ {
	case "FusedGelu", "FusedSoftmax", "Logistic", "Tanh", "ReduceWindow":
		return true
	case "ReduceMax":
		// A max pool over windows split out by a reshape (graph.MaxPool's gradient,
		// SelectAndScatterMax, is missing on the Go backend).
		return len(o.inputs) == 1 && d.ops[o.inputs[0]].typ == "Reshape"
	case "Max":
		for _, j := range o.inputs {
			if d.ops[j].constant {
				return true
			}
		}
	}
	return false
}
