// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// TestTensorBoardGraph writes an MLP's graph as a GraphDef and checks what TensorBoard's
// own loader reads: every node, its inputs (edges), scope, dtype and output shape.
func TestTensorBoardGraph(t *testing.T) {
	d := build(t, model.NewStore(), mlp, Options{}, f32(4, 8))
	g := d.TensorBoardGraph()
	if len(g.Nodes) != len(d.ops) {
		t.Fatalf("%d nodes for %d ops", len(g.Nodes), len(d.ops))
	}
	byName := map[string]tensorboard.GraphNode{}
	for _, n := range g.Nodes {
		byName[n.Name] = n
	}
	// The first dense layer: a fused op in its scope reading the input and its variables.
	var dense []tensorboard.GraphNode
	for _, n := range g.Nodes {
		if n.Op == "FusedDense" {
			dense = append(dense, n)
		}
	}
	if len(dense) != 2 || !strings.HasPrefix(dense[0].Name, "net/hidden/dense/FusedDense_") || !strings.HasPrefix(dense[1].Name, "net/out/dense/FusedDense_") {
		t.Fatalf("FusedDense nodes %+v", dense)
	}
	if !slices.Contains(dense[0].Inputs, "input_0") || !slices.Contains(dense[0].Inputs, "net/hidden/dense/weights") {
		t.Errorf("first dense reads %v, want input_0 and net/hidden/dense/weights", dense[0].Inputs)
	}
	if s := dense[0].Shapes; len(s) != 1 || !slices.Equal(s[0], []int64{4, 16}) || dense[0].DType != "float32" {
		t.Errorf("first dense: shapes %v, dtype %q; want [[4 16]] float32", s, dense[0].DType)
	}
	if w := byName["net/out/dense/weights"]; w.Op != "Variable" || w.Attrs["trainable"] != "true" || !slices.Equal(w.Shapes[0], []int64{16, 10}) {
		t.Errorf("net/out/dense/weights: %+v", w)
	}
	if in := byName["input_0"]; in.Op != "Input" || !slices.Equal(in.Shapes[0], []int64{4, 8}) {
		t.Errorf("input_0: %+v", in)
	}
	if dense[1].Attrs["output"] != "0" {
		t.Errorf("the last dense is the output 0: %+v", dense[1].Attrs)
	}

	dir := t.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddGraph(g, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r := tbcheck.Read(t, dir).Runs["."]
	if r == nil || r.Graph == nil || len(r.Graph.Nodes) != len(g.Nodes) {
		t.Fatalf("TensorBoard read %+v", r)
	}
	for i, want := range g.Nodes {
		got := r.Graph.Nodes[i]
		if got.Name != want.Name || got.Op != want.Op || !slices.Equal(got.Input, want.Inputs) && len(got.Input)+len(want.Inputs) > 0 {
			t.Errorf("node %d: TensorBoard read %s %s %v, we wrote %s %s %v", i, got.Name, got.Op, got.Input, want.Name, want.Op, want.Inputs)
		}
		if s := got.Attr["_output_shapes"].Shapes; len(s) != 1 || !slices.Equal(s[0], want.Shapes[0]) && len(s[0])+len(want.Shapes[0]) > 0 {
			t.Errorf("node %s: shapes %v read, %v written", want.Name, s, want.Shapes)
		}
		if a := got.Attr["scope"]; want.Attrs["scope"] != "" && (a.S == nil || *a.S != want.Attrs["scope"]) {
			t.Errorf("node %s: scope %+v read, %q written", want.Name, a, want.Attrs["scope"])
		}
	}
}
