// SPDX-License-Identifier: Apache-2.0

package demo

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/backendsel/xlatest"
	"github.com/gonbviz/gonbviz/internal/testing/gallery"
)

func kinds(d *diagram.Diagram) string {
	var k []string
	for _, l := range d.Layers() {
		k = append(k, l.Kind)
	}
	return strings.Join(k, " ")
}

func TestModels(t *testing.T) {
	for _, c := range []struct {
		name, kinds string
		params      int
	}{
		{"mlp", "Input Dense Activation Dense Activation Dense", Config{}.ParamCount()},
		{"cnn", "Input Conv Activation Conv Activation Pool Dense Activation Dense", 8*9 + 8 + 16*8*9 + 16 + 256*32 + 32 + 32*10 + 10},
		{"transformer", "Input Embedding Attention Add LayerNorm Dense Activation Dense Add LayerNorm Attention Add LayerNorm Dense Activation Dense Add LayerNorm Dense", 0},
	} {
		m, err := GetModel(c.name)
		if err != nil {
			t.Fatal(err)
		}
		store := model.NewStore()
		d, err := diagram.FromModel(store, m.Fn, m.InputShapes, diagram.Options{Title: m.Title})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := kinds(d); got != c.kinds {
			t.Errorf("%s: layer kinds\n got %s\nwant %s", c.name, got, c.kinds)
		}
		total, trainable := d.Params()
		storeTotal := 0
		for v := range store.IterVariables() {
			storeTotal += v.Shape().Size()
		}
		if total != storeTotal || trainable != total || c.params != 0 && total != c.params {
			t.Errorf("%s: params %d (%d trainable), store %d, want %d", c.name, total, trainable, storeTotal, c.params)
		}
		for _, depth := range []int{0, 1, diagram.OpLevel} {
			if _, err := d.WithOptions(diagram.Options{Depth: depth}).SVG(); err != nil {
				t.Errorf("%s depth %d: %v", c.name, depth, err)
			}
		}
	}
}

// TestCNNRuns checks the Go backend runs the CNN's inference graph (conv, max pool).
func TestCNNRuns(t *testing.T) {
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	m := CNN()
	exec, err := model.NewExec(backend, model.NewStore(), func(scope *model.Scope, x *graph.Node) *graph.Node {
		return m.Fn(scope, []*graph.Node{x})[0]
	})
	if err != nil {
		t.Fatal(err)
	}
	x := tensors.FromShape(m.InputShapes[0])
	out, err := exec.Exec(x)
	if err != nil {
		t.Fatal(err)
	}
	if got := out[0].Shape().Dimensions; len(got) != 2 || got[0] != ModelBatchSize || got[1] != 10 {
		t.Errorf("logits shape %v", got)
	}
}

func TestUnknown(t *testing.T) {
	if _, err := Diagram("rnn", diagram.Options{}); err == nil || !strings.Contains(err.Error(), "valid: mlp, cnn, transformer") {
		t.Errorf("error %v", err)
	}
}

// Each model draws the same layers from a graph built on XLA on the CPU (where the Go backend's
// fused ops are absent) as on the Go backend.
func TestModelsOnEachBackend(t *testing.T) {
	for _, name := range []string{"mlp", "cnn", "transformer"} {
		t.Run(name, func(t *testing.T) {
			m, err := GetModel(name)
			if err != nil {
				t.Fatal(err)
			}
			layers := map[string]string{}
			xlatest.Run(t, func(t *testing.T, backend compute.Backend) {
				d, err := diagram.FromModel(model.NewStore(), m.Fn, m.InputShapes, diagram.Options{Backend: backend})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, l := range d.Layers() {
					got = append(got, fmt.Sprintf("%s %s %s %d", l.Name, l.Kind, l.OutputShape, l.Params))
				}
				layers[path.Base(t.Name())] = strings.Join(got, "\n")
				if _, err := d.SVG(); err != nil {
					t.Error(err)
				}
			})
			g, x := layers[xlatest.GoName], layers[xlatest.XLACPUName]
			if g == "" || (x != "" && g != x) {
				t.Errorf("layers on go:\n%s\non xla-cpu:\n%s", g, x)
			}
		})
	}
}

// The demo models' diagrams are in docs/gallery (see package gallery).
func TestDiagramGalleryIsCurrent(t *testing.T) {
	svgs := map[string]string{}
	for _, name := range []string{"mlp", "cnn", "transformer"} {
		d, err := Diagram(name, diagram.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svg, err := d.SVG()
		if err != nil {
			t.Fatal(err)
		}
		svgs["diagram-"+name] = string(svg)
	}
	gallery.WriteOrCheck(t, filepath.Join(".."), svgs)
}
