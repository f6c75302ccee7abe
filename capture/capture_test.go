// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"sync"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

type recorder struct {
	mu    sync.Mutex
	names []string
}

func (r *recorder) tapActivation(scope *model.Scope, name string, x *graph.Node) *graph.Node {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, name)
	return x
}

// build runs fn on a small graph of store, the way a model function is called.
func build(t *testing.T, store *model.Store, fn func(scope *model.Scope, x *graph.Node) *graph.Node) {
	t.Helper()
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	g := graph.NewGraph(backend, "test")
	x := graph.Parameter(g, "x", shapes.Make(dtypes.Float32, 2, 3))
	if out := fn(store.RootScope(), x); out != x {
		t.Error("Activation did not return its input")
	}
}

func TestActivation(t *testing.T) {
	store := model.NewStore()
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		x = Activation(scope.In("dense0"), x)
		return ActivationNamed(scope, "custom", x)
	}
	// Without a Tapper: nothing happens.
	build(t, store, modelFn)
	if registered(store) != nil {
		t.Fatal("a Tapper is registered for a new store")
	}
	r := &recorder{}
	register(store, r)
	build(t, store, modelFn)
	if len(r.names) != 2 || r.names[0] != "/dense0" || r.names[1] != "custom" {
		t.Errorf("tapped %v, want [/dense0 custom]", r.names)
	}
	// Other stores are not affected; removing the Tapper stops the calls.
	build(t, model.NewStore(), modelFn)
	register(store, nil)
	build(t, store, modelFn)
	if len(r.names) != 2 {
		t.Errorf("tapped %v after removal", r.names)
	}
	if got := Activation(nil, nil); got != nil {
		t.Error("Activation(nil, nil) is not nil")
	}
}

// Registration is safe from several goroutines (run with -race).
func TestRegisterConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s := model.NewStore()
			for range 100 {
				register(s, &recorder{})
				_ = registered(s)
				register(s, nil)
			}
		})
	}
	wg.Wait()
}
