// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gomlx/compute/dtypes"

	"github.com/gonbviz/gonbviz/tensorboard"
)

// TensorBoardGraph returns the diagram's graph for TensorBoard's Graphs tab (write it with
// tensorboard.Writer.AddGraph; notebookviz.DashboardOptions.Diagram does), as PyTorch's
// add_graph writes a model: one node per op of the diagram, named by its inferred scope
// and its op and GoMLX node id ("model/hidden_0/dense/Dot_12"), so TensorBoard folds each
// scope into a box; variables under their path ("model/hidden_0/dense/weights", op
// "Variable"), model inputs as "input_<i>" (op "Input"); each node's inputs as edges, its
// dtype and output shape as the attributes "dtype" and "_output_shapes", and the
// attributes "scope" (the inferred scope), "variable" and "trainable" (of variables) and
// "output" (the model output's index). Constants are kept; pruned ops are not in it.
func (d *Diagram) TensorBoardGraph() tensorboard.Graph {
	clean := strings.NewReplacer(":", "_", "^", "_")
	names := make([]string, len(d.ops))
	g := tensorboard.Graph{Nodes: make([]tensorboard.GraphNode, 0, len(d.ops))}
	for i, o := range d.ops {
		n := tensorboard.GraphNode{Op: o.typ, DType: tensorBoardDType(o.dtype), Attrs: map[string]string{}}
		dims := make([]int64, len(o.dims))
		for k, v := range o.dims {
			dims[k] = int64(v)
		}
		n.Shapes = [][]int64{dims}
		scope := strings.Trim(o.scope, "/")
		switch {
		case o.varPath != "":
			n.Name, n.Op = strings.Trim(o.varPath, "/"), "Variable"
			n.Attrs["variable"] = o.varPath
			n.Attrs["trainable"] = strconv.FormatBool(o.trainable)
		case o.input > 0:
			n.Name, n.Op = fmt.Sprintf("input_%d", o.input-1), "Input"
			if o.name != "" {
				n.Attrs["parameter"] = o.name
			}
		default:
			n.Name = fmt.Sprintf("%s_%d", o.typ, o.id)
			if scope != "" {
				n.Name = scope + "/" + n.Name
			}
		}
		n.Name = clean.Replace(n.Name)
		names[i] = n.Name
		if o.scope != "" {
			n.Attrs["scope"] = o.scope
		}
		if len(o.outputs) > 0 {
			idx := make([]string, len(o.outputs))
			for k, v := range o.outputs {
				idx[k] = strconv.Itoa(v)
			}
			n.Attrs["output"] = strings.Join(idx, ",")
		}
		for _, in := range o.inputs {
			n.Inputs = append(n.Inputs, names[in])
		}
		g.Nodes = append(g.Nodes, n)
	}
	return g
}

// tensorBoardDType is TensorBoard's name of a GoMLX dtype ("" when it has none).
func tensorBoardDType(dt dtypes.DType) string {
	switch dt {
	case dtypes.Float32, dtypes.Float64, dtypes.Float16, dtypes.BFloat16, dtypes.Int8, dtypes.Int16,
		dtypes.Int32, dtypes.Int64, dtypes.Uint8, dtypes.Uint16, dtypes.Uint32, dtypes.Uint64,
		dtypes.Complex64, dtypes.Complex128, dtypes.Bool:
		return strings.ToLower(dt.String())
	}
	return ""
}
