// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
)

// op is one operation of the pruned graph. Indices (inputs, consumers) point into
// Diagram.ops, which is in graph node-id order, so inputs always come first.
type op struct {
	id        int // GoMLX node id
	typ       string
	dtype     dtypes.DType
	dims      []int
	inputs    []int
	consumers []int
	varPath   string // variable parameter: its path
	trainable bool
	input     int    // model input: its index + 1; 0 otherwise
	name      string // parameter name
	outputs   []int  // graph output indices this op is
	constant  bool   // a constant, or computed from constants only
	weight    bool   // computed from variables (and constants) only, no data
	scope     string // inferred model scope, "" for the root
}

// Variable is one model variable read by the graph.
type Variable struct {
	Path      string // e.g. "/model/hidden_0/dense/weights"
	DType     string // e.g. "float32"
	Shape     []int
	Size      int // number of elements
	Bytes     int
	Trainable bool
	// Unread is true for a variable of a layer in the diagram that this graph does not read
	// (e.g. a batch norm's averaging weight, used in training only).
	Unread bool
}

// ModelFn documents the model functions FromModel accepts: every signature GoMLX's
// train.NewTrainer accepts, i.e. a func whose first parameter is a *model.Scope, optionally
// followed by a spec (any, passed nil), then a *graph.Graph, one to three *graph.Node or a
// []*graph.Node; returning one to three *graph.Node or a []*graph.Node. For example
//
//	func(scope *model.Scope, x *graph.Node) *graph.Node
//	func(scope *model.Scope, spec any, inputs []*graph.Node) []*graph.Node
type ModelFn = any

// FromModel builds the diagram of a GoMLX model function for inputs of the given shapes,
// without training or running it: the graph is built (on Options.Backend, by default the
// pure-Go backend), its variables are created in store when missing (with no value: they
// are initialised as usual by the first training step or exec), and the graph is walked.
// store may be nil (a new, empty Store is used); pass the trainer's Store to get the
// trainable flags and variables it already has.
func FromModel(store *model.Store, modelFn ModelFn, inputShapes []shapes.Shape, opts Options) (d *Diagram, err error) {
	defer catch(&err)
	if store == nil {
		store = model.NewStore()
	}
	call, err := adaptModelFn(modelFn, len(inputShapes))
	if err != nil {
		return nil, err
	}
	backend := opts.Backend
	if backend == nil {
		if backend, err = goBackend(); err != nil {
			return nil, err
		}
	}
	var outputs []*graph.Node
	fn := func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		outputs = call(scope, inputs)
		return outputs
	}
	exec, err := model.NewExec(backend, store, fn)
	if err != nil {
		return nil, fmt.Errorf("diagram: %w", err)
	}
	g, err := exec.Compile(inputShapes...)
	if err != nil {
		return nil, fmt.Errorf("diagram: building the model graph for input shapes %v failed: %w", inputShapes, err)
	}
	if len(outputs) == 0 {
		return nil, fmt.Errorf("diagram: the model function returned no outputs")
	}
	return FromGraph(g, outputs, store, opts)
}

// FromTrainer builds the diagram of a trainer's model: FromModel with the trainer's Store
// (its variables, with their trainable flags) and backend. modelFn is the model function
// given to train.NewTrainer; inputShapes are the shapes of one batch of inputs (the labels
// are not part of the model).
func FromTrainer(trainer *train.Trainer, modelFn ModelFn, inputShapes []shapes.Shape, opts Options) (*Diagram, error) {
	if trainer == nil {
		return nil, fmt.Errorf("diagram: FromTrainer: trainer is nil")
	}
	if opts.Backend == nil {
		opts.Backend = trainer.Backend()
	}
	return FromModel(trainer.Store(), modelFn, inputShapes, opts)
}

var goBackendCache compute.Backend

func goBackend() (compute.Backend, error) {
	if goBackendCache != nil {
		return goBackendCache, nil
	}
	b, err := gobackend.New("")
	if err != nil {
		return nil, fmt.Errorf("diagram: creating the pure-Go backend: %w", err)
	}
	goBackendCache = b
	return b, nil
}

// catch turns a GoMLX panic into an error.
func catch(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(error); ok {
			*err = fmt.Errorf("diagram: %w", e)
		} else {
			*err = fmt.Errorf("diagram: %v", r)
		}
	}
}

var (
	scopeType  = reflect.TypeFor[*model.Scope]()
	nodeType   = reflect.TypeFor[*graph.Node]()
	nodesType  = reflect.TypeFor[[]*graph.Node]()
	graphType  = reflect.TypeFor[*graph.Graph]()
	anyType    = reflect.TypeFor[any]()
	errorsHelp = "use func(*model.Scope, *graph.Node) *graph.Node or func(*model.Scope, []*graph.Node) []*graph.Node (see diagram.ModelFn)"
)

// adaptModelFn turns any train.NewTrainer-compatible model function into one call form.
func adaptModelFn(fn any, numInputs int) (func(*model.Scope, []*graph.Node) []*graph.Node, error) {
	if fn == nil {
		return nil, fmt.Errorf("diagram: the model function is nil")
	}
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumIn() < 1 || t.In(0) != scopeType {
		return nil, fmt.Errorf("diagram: the model function has type %s; %s", t, errorsHelp)
	}
	args := 1
	spec := false
	if t.NumIn() > 1 && t.In(1) == anyType {
		spec = true
		args = 2
	}
	rest := t.NumIn() - args
	mode := ""
	switch {
	case rest == 1 && t.In(args) == graphType:
		return nil, fmt.Errorf("diagram: the model function takes a *graph.Graph and no inputs; build the graph yourself and use FromGraph with its outputs")
	case rest == 1 && t.In(args) == nodesType:
		mode = "slice"
	case rest >= 1 && rest <= 3:
		mode = "nodes"
		for i := args; i < t.NumIn(); i++ {
			if t.In(i) != nodeType {
				return nil, fmt.Errorf("diagram: the model function has type %s; %s", t, errorsHelp)
			}
		}
		if rest != numInputs {
			return nil, fmt.Errorf("diagram: the model function takes %d input nodes but %d input shapes were given", rest, numInputs)
		}
	default:
		return nil, fmt.Errorf("diagram: the model function has type %s; %s", t, errorsHelp)
	}
	for i := range t.NumOut() {
		if o := t.Out(i); o != nodeType && !(o == nodesType && t.NumOut() == 1) {
			return nil, fmt.Errorf("diagram: the model function has type %s; it must return *graph.Node values or a []*graph.Node", t)
		}
	}
	if t.NumOut() == 0 {
		return nil, fmt.Errorf("diagram: the model function has type %s and returns nothing: a diagram needs the model's outputs", t)
	}
	return func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		in := []reflect.Value{reflect.ValueOf(scope)}
		if spec {
			in = append(in, reflect.Zero(anyType))
		}
		switch mode {
		case "slice":
			in = append(in, reflect.ValueOf(inputs))
		default:
			for _, x := range inputs {
				in = append(in, reflect.ValueOf(x))
			}
		}
		out := v.Call(in)
		var nodes []*graph.Node
		for _, o := range out {
			switch x := o.Interface().(type) {
			case *graph.Node:
				nodes = append(nodes, x)
			case []*graph.Node:
				nodes = append(nodes, x...)
			}
		}
		return nodes
	}, nil
}

// FromGraph builds the diagram of an already built GoMLX graph (e.g. one returned by
// model.Exec.Compile or captured in your model function), drawing what outputs depend on:
// nodes they do not reach (such as the dead decomposition the Go backend leaves next to
// every fused op) are pruned. store (may be nil) gives the variables' trainable flags;
// without it every parameter whose name is a path ("/...") counts as a trainable variable.
func FromGraph(g *graph.Graph, outputs []*graph.Node, store *model.Store, opts Options) (d *Diagram, err error) {
	defer catch(&err)
	if g == nil {
		return nil, fmt.Errorf("diagram: FromGraph: the graph is nil")
	}
	if len(outputs) == 0 {
		return nil, fmt.Errorf("diagram: FromGraph: no outputs given; pass the nodes the model returns (the diagram shows what they depend on)")
	}
	for i, o := range outputs {
		if o == nil {
			return nil, fmt.Errorf("diagram: FromGraph: output %d is nil", i)
		}
		if o.Graph() != g {
			return nil, fmt.Errorf("diagram: FromGraph: output %d belongs to another graph", i)
		}
	}
	vars := map[string]*model.Variable{}
	if store != nil {
		for v := range store.IterVariables() {
			vars[v.Path()] = v
		}
	}
	// Reachability from the outputs (iterative: graphs may be deep).
	nodes := g.Nodes()
	reach := make([]bool, len(nodes))
	stack := append(make([]*graph.Node, 0, len(outputs)), outputs...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		id := int(n.Id())
		if id < 0 || id >= len(reach) || reach[id] {
			continue
		}
		reach[id] = true
		stack = append(stack, n.Inputs()...)
	}
	d = &Diagram{name: g.Name(), opts: opts.withDefaults(), pruned: len(nodes)}
	index := make([]int, len(nodes))
	for i := range index {
		index[i] = -1
	}
	numInputs := 0
	for _, n := range nodes {
		id := int(n.Id())
		if !reach[id] {
			continue
		}
		s := n.Shape()
		o := op{id: id, typ: n.Type().String(), dtype: s.DType, dims: slices.Clone(s.Dimensions)}
		for _, in := range n.Inputs() {
			if j := index[in.Id()]; j >= 0 {
				o.inputs = append(o.inputs, j)
			}
		}
		switch n.Type() {
		case graph.NodeTypeParameter:
			o.name = n.GetParameterName()
			if v, ok := vars[o.name]; ok {
				o.varPath, o.trainable = o.name, v.Trainable
			} else if store == nil && strings.HasPrefix(o.name, "/") {
				o.varPath, o.trainable = o.name, true
			} else {
				numInputs++
				o.input = numInputs
			}
		case graph.NodeTypeConstant, graph.NodeTypeIota:
			o.constant = true
		}
		index[id] = len(d.ops)
		d.ops = append(d.ops, o)
	}
	d.pruned -= len(d.ops)
	for i, o := range outputs {
		j := index[o.Id()]
		d.ops[j].outputs = append(d.ops[j].outputs, i)
		d.outputs = append(d.outputs, j)
	}
	d.analyse()
	if store != nil {
		d.addUnread(vars)
	}
	return d, nil
}

// addUnread adds the store's variables that live in a layer scope of the diagram but that
// the graph does not read: they are part of the layer (the summary counts them).
func (d *Diagram) addUnread(vars map[string]*model.Variable) {
	read := map[string]bool{}
	for _, v := range d.vars {
		read[v.Path] = true
	}
	paths := make([]string, 0, len(vars))
	for p := range vars {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		s, ok := d.scopes[parentPath(p)]
		if read[p] || !ok || len(s.vars) == 0 {
			continue
		}
		v := vars[p]
		sh := v.Shape()
		nv := Variable{Path: p, DType: strings.ToLower(sh.DType.String()), Shape: slices.Clone(sh.Dimensions), Size: sh.Size(),
			Bytes: sh.Size() * sh.DType.Size(), Trainable: v.Trainable, Unread: true}
		d.vars = append(d.vars, nv)
		for t := s; t != nil; t = t.parent {
			t.extra = append(t.extra, nv)
		}
	}
}
