// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// Graph is a network graph for TensorBoard's Graphs tab, written as a GraphDef (the
// graph_def of an Event), as PyTorch's SummaryWriter.add_graph writes one: a node per
// op, named by its scope ("model/hidden_0/dense/Dot_12": TensorBoard folds the nodes of
// a scope into one box that opens on a click), its inputs as edges, its output shapes as
// the attribute "_output_shapes".
type Graph struct {
	Nodes []GraphNode
}

// GraphNode is one node (a NodeDef) of a Graph.
type GraphNode struct {
	// Name is unique in the graph; "/" separates its scopes. It must not also be the scope
	// of another node (TensorBoard cannot draw a node that is also a group).
	Name string
	// Op is the operation ("Dot", "Add", "Parameter", ...).
	Op string
	// Inputs are the names of the nodes whose outputs this node reads, in order (an edge
	// each); "name:k" reads the k-th output of a node with several.
	Inputs []string
	// Device is optional ("/device:CPU:0").
	Device string
	// DType, when not empty, is written as the attribute "dtype" (a TensorFlow DataType):
	// one of float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8,
	// uint16, uint32, uint64, bool, complex64, complex128 and string.
	DType string
	// Shapes are the node's output shapes, written as the attribute "_output_shapes"
	// (TensorBoard labels edges with them); a dimension of -1 is unknown.
	Shapes [][]int64
	// Attrs are more attributes, written as strings (TensorBoard lists them when the node
	// is selected). The keys "dtype" and "_output_shapes" are taken.
	Attrs map[string]string
}

// graphProducer is the GraphDef's versions.producer, as PyTorch writes it.
const graphProducer = 22

// Field numbers of graph.proto, node_def.proto, attr_value.proto and versions.proto.
const (
	graphNode     = 1 // GraphDef.node, repeated NodeDef
	graphVersions = 4 // GraphDef.versions, VersionDef
	versionProd   = 1 // VersionDef.producer
	nodeName      = 1
	nodeOp        = 2
	nodeInput     = 3 // repeated string
	nodeDevice    = 4
	nodeAttr      = 5 // map<string, AttrValue>
	mapKey        = 1
	mapValue      = 2
	attrList      = 1 // AttrValue.list, ListValue
	attrS         = 2 // AttrValue.s, bytes
	attrType      = 6 // AttrValue.type, DataType
	listShape     = 7 // ListValue.shape, repeated TensorShapeProto
)

// dataTypes maps dtype names to TensorFlow's DataType values (types.proto).
var dataTypes = map[string]uint64{
	"float32": dtFloat, "float64": dtDouble, "int32": dtInt32, "uint8": 4, "int16": 5, "int8": 6,
	"string": dtString, "complex64": 8, "int64": dtInt64, "bool": 10, "bfloat16": dtBfloat16,
	"uint16": 17, "complex128": 18, "float16": dtHalf, "uint32": 22, "uint64": 23,
}

// check says what is wrong with g, naming the node.
func (g *Graph) check() error {
	if len(g.Nodes) == 0 {
		return fmt.Errorf("tensorboard: Writer.AddGraph: the graph has no nodes; give at least one")
	}
	names := make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		switch {
		case n.Name == "":
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d].Name is empty; name every node", i)
		case !utf8.ValidString(n.Name) || !utf8.ValidString(n.Op) || !utf8.ValidString(n.Device):
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] (%q) has a name, op or device that is not valid UTF-8", i, n.Name)
		case strings.HasPrefix(n.Name, "/") || strings.HasSuffix(n.Name, "/") || strings.Contains(n.Name, "//"):
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d].Name %q has an empty scope; write scopes as \"a/b/op\"", i, n.Name)
		case strings.ContainsAny(n.Name, ":^"):
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d].Name %q holds ':' or '^', which TensorBoard reads as an input's output index or control edge; use other characters", i, n.Name)
		case n.Op == "":
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] (%q) has no Op; name its operation", i, n.Name)
		}
		if j, dup := names[n.Name]; dup {
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] and [%d] are both named %q; node names are unique", j, i, n.Name)
		}
		names[n.Name] = i
		if _, ok := dataTypes[n.DType]; n.DType != "" && !ok {
			return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] (%q) has DType %q; use one of %s, or leave it empty", i, n.Name, n.DType, strings.Join(slices.Sorted(maps.Keys(dataTypes)), ", "))
		}
		for k, v := range n.Attrs {
			if k == "" || k == "dtype" || k == "_output_shapes" || !utf8.ValidString(k) || !utf8.ValidString(v) {
				return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] (%q) has the attribute %q; use a non-empty UTF-8 key other than \"dtype\" and \"_output_shapes\" (set by DType and Shapes), and a UTF-8 value", i, n.Name, k)
			}
		}
	}
	for i, n := range g.Nodes {
		for k, r := range n.Name {
			if r != '/' {
				continue
			}
			if _, scope := names[n.Name[:k]]; scope {
				return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] is named %q, inside node %q, which TensorBoard cannot draw as both a node and a scope; rename one", i, n.Name, n.Name[:k])
			}
		}
		for _, in := range n.Inputs {
			name := in
			if k := strings.LastIndexByte(in, ':'); k >= 0 {
				name = in[:k]
			}
			if _, ok := names[name]; !ok {
				return fmt.Errorf("tensorboard: Writer.AddGraph: Graph.Nodes[%d] (%q) reads %q, which is no node of the graph; list the nodes of its inputs", i, n.Name, in)
			}
		}
	}
	return nil
}

// appendShape appends a TensorShapeProto.
func appendShape(b []byte, dims []int64) []byte {
	for _, d := range dims {
		var dim []byte
		dim = protowire.AppendTag(dim, dimSize, protowire.VarintType)
		dim = protowire.AppendVarint(dim, uint64(d))
		b = appendMessage(b, shapeDim, dim)
	}
	return b
}

// appendAttr appends a NodeDef.attr map entry whose AttrValue is value.
func appendAttr(b []byte, key string, value []byte) []byte {
	var entry []byte
	entry = appendString(entry, mapKey, key)
	entry = appendMessage(entry, mapValue, value)
	return appendMessage(b, nodeAttr, entry)
}

// appendNode appends a NodeDef.
func appendNode(b []byte, n *GraphNode) []byte {
	b = appendString(b, nodeName, n.Name)
	b = appendString(b, nodeOp, n.Op)
	for _, in := range n.Inputs {
		b = appendString(b, nodeInput, in)
	}
	if n.Device != "" {
		b = appendString(b, nodeDevice, n.Device)
	}
	// Map entries in key order, so that the same graph always gives the same bytes.
	if n.Shapes != nil {
		var list []byte
		for _, s := range n.Shapes {
			list = appendMessage(list, listShape, appendShape(nil, s))
		}
		b = appendAttr(b, "_output_shapes", appendMessage(nil, attrList, list))
	}
	keys := slices.Sorted(maps.Keys(n.Attrs))
	if n.DType != "" {
		keys = append(keys, "dtype")
		slices.Sort(keys)
	}
	for _, k := range keys {
		var v []byte
		if k == "dtype" {
			v = protowire.AppendTag(v, attrType, protowire.VarintType)
			v = protowire.AppendVarint(v, dataTypes[n.DType])
		} else {
			v = appendString(v, attrS, n.Attrs[k])
		}
		b = appendAttr(b, k, v)
	}
	return b
}

// appendGraphDef appends the GraphDef of g.
func appendGraphDef(b []byte, g *Graph) []byte {
	var node []byte
	for i := range g.Nodes {
		node = appendNode(node[:0], &g.Nodes[i])
		b = appendMessage(b, graphNode, node)
	}
	var versions []byte
	versions = protowire.AppendTag(versions, versionProd, protowire.VarintType)
	versions = protowire.AppendVarint(versions, graphProducer)
	return appendMessage(b, graphVersions, versions)
}

// AddGraph adds the network graph g, recorded at wall (the zero time means now), as the
// run's graph for TensorBoard's Graphs tab (which shows the last one of a run). It checks
// g first: unique non-empty names, scopes that are not also nodes, inputs that name
// nodes of g, known dtypes.
func (w *Writer) AddGraph(g Graph, wall time.Time) error {
	if err := g.check(); err != nil {
		return err
	}
	def := appendGraphDef(nil, &g)
	if err := w.lock("AddGraph"); err != nil {
		return err
	}
	if wall.IsZero() {
		wall = time.Now()
	}
	w.event = appendEventHead(w.event[:0], unixSeconds(wall), 0)
	w.event = appendMessage(w.event, eventGraphDef, def)
	w.buf = appendRecord(w.buf, w.event)
	w.mu.Unlock()
	return nil
}

// dataTypeNames maps TensorFlow's DataType values back to dtype names.
var dataTypeNames = func() map[uint64]string {
	m := make(map[uint64]string, len(dataTypes))
	for k, v := range dataTypes {
		m[v] = k
	}
	return m
}()

// decodeGraph decodes a GraphDef: its nodes' names, ops, inputs, devices, dtype,
// output shapes and string attributes (other attributes are left out).
func decodeGraph(b []byte) (g Graph, err error) {
	err = walk(b, func(f field) error {
		if f.num != graphNode {
			return nil
		}
		if f.typ != protowire.BytesType {
			return wrongType("node", f)
		}
		var n GraphNode
		err := walk(f.b, func(f field) error {
			switch f.num {
			case nodeName:
				n.Name = string(f.b)
			case nodeOp:
				n.Op = string(f.b)
			case nodeInput:
				n.Inputs = append(n.Inputs, string(f.b))
			case nodeDevice:
				n.Device = string(f.b)
			case nodeAttr:
				return decodeAttr(&n, f.b)
			}
			return nil
		})
		g.Nodes = append(g.Nodes, n)
		return err
	})
	return g, err
}

// decodeAttr decodes one NodeDef.attr map entry into n.
func decodeAttr(n *GraphNode, entry []byte) error {
	var key string
	var value []byte
	if err := walk(entry, func(f field) error {
		switch f.num {
		case mapKey:
			key = string(f.b)
		case mapValue:
			value = f.b
		}
		return nil
	}); err != nil {
		return err
	}
	return walk(value, func(f field) error {
		switch {
		case f.num == attrS && f.typ == protowire.BytesType:
			if n.Attrs == nil {
				n.Attrs = map[string]string{}
			}
			n.Attrs[key] = string(f.b)
		case f.num == attrType && f.typ == protowire.VarintType && key == "dtype":
			n.DType = dataTypeNames[f.u]
		case f.num == attrList && key == "_output_shapes":
			n.Shapes = [][]int64{}
			return walk(f.b, func(f field) error {
				if f.num != listShape {
					return nil
				}
				dims := []int64{}
				err := walk(f.b, func(d field) error {
					if d.num != shapeDim {
						return nil
					}
					size := int64(-1)
					err := walk(d.b, func(s field) error {
						if s.num == dimSize {
							size = int64(s.u)
						}
						return nil
					})
					dims = append(dims, size)
					return err
				})
				n.Shapes = append(n.Shapes, dims)
				return err
			})
		}
		return nil
	})
}
