// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"slices"
	"strings"
)

// scopeNode is one model scope ("/model/hidden_0/dense") of the scope tree.
type scopeNode struct {
	path     string // "" for the root
	name     string // last path element
	depth    int    // 0 for the root
	parent   *scopeNode
	children []*scopeNode // ordered by first op
	ops      []int        // ops directly in this scope, in order
	first    int          // smallest op index in the subtree
	kind     string       // "" for a container, else the layer kind
	nOps     int          // non-constant ops in the subtree
	vars     []int        // variable ops in the subtree
	extra    []Variable   // variables of the subtree's layers the graph does not read
}

// shape ops only move or reinterpret data.
var shapeOps = map[string]bool{
	"Reshape": true, "Transpose": true, "BroadcastInDim": true, "ConvertDType": true, "Identity": true,
}

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}

// lca is the longest common scope path of a and b.
func lca(a, b string) string {
	for a != b {
		if len(a) > len(b) {
			a = parentPath(a)
		} else if len(b) > len(a) {
			b = parentPath(b)
		} else {
			a, b = parentPath(a), parentPath(b)
		}
	}
	return a
}

func isUnder(p, scope string) bool {
	return scope == "" || p == scope || strings.HasPrefix(p, scope+"/")
}

// analyse infers every op's scope and builds the scope tree.
//
// Scope inference (GoMLX stores no scope on nodes): a variable's parameter node belongs
// to the variable's scope; an op computed from variables only (e.g. a reshaped bias)
// takes the scope of its newest variable input; an op reading such weights takes their
// scope; any other op takes the common scope of its data inputs (inputs and constants
// have none). An op that would so land in a layer scope (one owning variables) without
// reading its weights, such as the activation after a dense layer, goes to the layer's
// parent instead, except reshapes of the layer's own output. A second, backward pass moves
// ops whose consumers all sit in one layer created before them into that layer (the
// decomposed form of a norm or dense layer), reshapes and transposes of a scope's input
// into the scope that consumes them (also into a sibling layer: the flattening reshape in
// front of a dense layer on XLA), and gives constants the scope of their first consumer.
func (d *Diagram) analyse() {
	ops := d.ops
	for i := range ops {
		for _, j := range ops[i].inputs {
			ops[j].consumers = append(ops[j].consumers, i)
		}
	}
	owning := map[string]int{} // layer scope -> index of its first variable op
	for i, o := range ops {
		if o.varPath != "" {
			s := parentPath(o.varPath)
			if _, ok := owning[s]; !ok {
				owning[s] = i
			}
		}
	}
	for i := range ops {
		o := &ops[i]
		switch {
		case o.varPath != "":
			o.scope, o.weight = parentPath(o.varPath), true
			continue
		case o.input > 0, o.constant:
			continue
		}
		allConst, allWeight := len(o.inputs) > 0, len(o.inputs) > 0
		newestWeight := -1
		for _, j := range o.inputs {
			in := ops[j]
			allConst = allConst && in.constant
			allWeight = allWeight && (in.constant || in.weight)
			if in.weight {
				newestWeight = j
			}
		}
		switch {
		case allConst:
			o.constant = true
		case allWeight:
			o.weight = true
			o.scope = ops[newestWeight].scope
		case newestWeight >= 0:
			o.scope = ops[newestWeight].scope
		default:
			first, scope := true, ""
			for _, j := range o.inputs {
				in := ops[j]
				if in.constant || in.scope == "" {
					continue
				}
				if first {
					scope, first = in.scope, false
				} else {
					scope = lca(scope, in.scope)
				}
			}
			if _, ok := owning[scope]; ok && scope != "" {
				keep := shapeOps[o.typ]
				for _, j := range o.inputs {
					if !ops[j].constant && ops[j].scope != scope {
						keep = false
					}
				}
				if !keep {
					scope = parentPath(scope)
				}
			}
			o.scope = scope
		}
	}
	d.refineByRanges()
	// Backward pass.
	for i := len(ops) - 1; i >= 0; i-- {
		o := &ops[i]
		if o.varPath != "" || o.input > 0 || len(o.consumers) == 0 || len(o.outputs) > 0 {
			continue
		}
		if o.constant {
			o.scope = ops[o.consumers[0]].scope
			continue
		}
		if o.weight {
			continue
		}
		c := ops[o.consumers[0]].scope
		same := true
		for _, k := range o.consumers[1:] {
			if ops[k].scope != c {
				same = false
				break
			}
		}
		if !same || c == o.scope {
			continue
		}
		_, layer := owning[c]
		if first, ok := owning[c]; ok && i > first && isUnder(c, o.scope) {
			o.scope = c
		} else if shapeOps[o.typ] && (isUnder(c, o.scope) || layer) {
			// A reshape feeding one layer alone is that layer's input adapter (XLA's dense
			// flattens [batch, seq, d] to [batch*seq, d]), not its producer's output.
			o.scope = c
		}
	}
	d.buildTree()
}

// refineByRanges moves ops that got their scope from their inputs (not from weights)
// down into the deepest sub-scope whose weight-reading ops were built before and after
// them: a residual add between the attention and the norm of a transformer block belongs
// to the block, not to the model around it. (GoMLX builds ops in program order, so node
// ids are a timeline of the model function.)
func (d *Diagram) refineByRanges() {
	ops := d.ops
	type span struct{ lo, hi int }
	spans := map[string]span{}
	anchored := func(o op) bool {
		if o.varPath != "" {
			return true
		}
		if o.weight || o.constant || o.input > 0 {
			return false
		}
		for _, j := range o.inputs {
			if ops[j].weight {
				return true
			}
		}
		return false
	}
	for i, o := range ops {
		if !anchored(o) {
			continue
		}
		for p := o.scope; ; p = parentPath(p) {
			if sp, ok := spans[p]; ok {
				spans[p] = span{min(sp.lo, i), max(sp.hi, i)}
			} else {
				spans[p] = span{i, i}
			}
			if p == "" {
				break
			}
		}
	}
	children := map[string][]string{}
	for p := range spans {
		if p != "" {
			children[parentPath(p)] = append(children[parentPath(p)], p)
		}
	}
	for _, c := range children {
		slices.Sort(c)
	}
	for i := range ops {
		o := &ops[i]
		if o.varPath != "" || o.input > 0 || o.constant || o.weight || anchored(*o) {
			continue
		}
		s := o.scope
		for {
			next := ""
			for _, c := range children[s] {
				if sp := spans[c]; sp.lo < i && i < sp.hi {
					next = c
					break
				}
			}
			if next == "" {
				break
			}
			s = next
		}
		o.scope = s
	}
}

// buildTree makes the scope tree from the ops' scopes and gives each scope its kind.
func (d *Diagram) buildTree() {
	d.scopes = map[string]*scopeNode{}
	var get func(p string) *scopeNode
	get = func(p string) *scopeNode {
		if s, ok := d.scopes[p]; ok {
			return s
		}
		s := &scopeNode{path: p, first: -1}
		d.scopes[p] = s
		if p != "" {
			s.parent = get(parentPath(p))
			s.name = p[strings.LastIndexByte(p, '/')+1:]
			s.depth = s.parent.depth + 1
			s.parent.children = append(s.parent.children, s)
		}
		return s
	}
	d.root = get("")
	for i, o := range d.ops {
		s := get(o.scope)
		s.ops = append(s.ops, i)
		for t := s; t != nil; t = t.parent {
			if t.first < 0 || i < t.first {
				t.first = i
			}
			if !o.constant {
				t.nOps++
			}
			if o.varPath != "" {
				t.vars = append(t.vars, i)
			}
		}
	}
	var walk func(s *scopeNode)
	walk = func(s *scopeNode) {
		slices.SortStableFunc(s.children, func(a, b *scopeNode) int { return a.first - b.first })
		for _, c := range s.children {
			walk(c)
		}
		s.kind = d.scopeKind(s)
	}
	walk(d.root)
	// Variables, in graph order.
	for _, o := range d.ops {
		if o.varPath == "" {
			continue
		}
		size := 1
		for _, x := range o.dims {
			size *= x
		}
		d.vars = append(d.vars, Variable{Path: o.varPath, DType: dtypeName(o), Shape: slices.Clone(o.dims), Size: size,
			Bytes: size * o.dtype.Size(), Trainable: o.trainable})
	}
}

// scopeKind names the layer kind of a scope from its name and its ops ("" for a container).
func (d *Diagram) scopeKind(s *scopeNode) string {
	if s.path == "" {
		return ""
	}
	name := strings.ToLower(s.name)
	has := func(types ...string) bool {
		for _, i := range s.ops {
			if slices.Contains(types, d.ops[i].typ) {
				return true
			}
		}
		return false
	}
	ownsVars := false
	for _, i := range s.ops {
		if d.ops[i].varPath != "" {
			ownsVars = true
			break
		}
	}
	switch {
	case strings.Contains(name, "attention"):
		return "Attention"
	case has("FusedDense", "FusedQuantizedDense") || name == "dense" && ownsVars:
		return "Dense"
	case has("ConvGeneral") || strings.Contains(name, "conv") && ownsVars:
		return "Conv"
	case has("FusedLayerNorm") || strings.Contains(name, "layer_norm") || strings.Contains(name, "layernorm"):
		return "LayerNorm"
	case has("BatchNormForInference", "BatchNormForTraining") || strings.Contains(name, "batch_norm") || strings.Contains(name, "batchnorm"):
		return "BatchNorm"
	case strings.Contains(name, "rms_norm") || strings.Contains(name, "rmsnorm"):
		return "RMSNorm"
	case strings.Contains(name, "embed") && has("Gather", "QuantizedEmbeddingLookup"):
		return "Embedding"
	case ownsVars:
		return "Layer"
	}
	return ""
}

func dtypeName(o op) string {
	return strings.ToLower(o.dtype.String())
}

// shapeText writes an op's shape as "[1, 16]", prefixed with its dtype unless float32.
func shapeText(o op) string {
	var b strings.Builder
	if dt := dtypeName(o); dt != "float32" {
		b.WriteString(dt)
		b.WriteByte(' ')
	}
	b.WriteByte('[')
	for i, x := range o.dims {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, x)
	}
	b.WriteByte(']')
	return b.String()
}

// fullShape is the dtype and shape, e.g. "float32[1, 16]".
func fullShape(o op) string {
	s := shapeText(o)
	if strings.HasPrefix(s, "[") {
		return "float32" + s
	}
	return strings.Replace(s, " [", "[", 1)
}
