// SPDX-License-Identifier: Apache-2.0

package capture_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/schedule"
)

// A capture records the gradients and activations of the demo MLP every 20 steps while
// it trains (the demo's model function marks each hidden layer with capture.Activation),
// and Read gives them back from the run directory.
func Example() {
	backend, err := gobackend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer backend.Finalize()
	dir, err := os.MkdirTemp("", "capture-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	c, err := capture.New(capture.Options{
		Weights:     schedule.Never(),
		Gradients:   schedule.EverySteps(20),
		Activations: schedule.EverySteps(20),
		RunDir:      filepath.Join(dir, "run"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := demo.DigitsMLP(backend, demo.Config{Capture: c}) // wraps the optimizer, attaches c
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Finalize()
	if err := s.Train(60); err != nil { // through c.Dataset: only steps 20, 40, 60 pay
		fmt.Println(err)
		return
	}
	if err := c.Close(); err != nil {
		fmt.Println(err)
		return
	}

	names, groups := capture.ByTensor(c.Snapshots(capture.KindActivations))
	for _, name := range names {
		fmt.Printf("activations %s: %d snapshots of %v\n", name, len(groups[name]), groups[name][0].Shape)
	}
	snaps, notes, err := capture.Read(c.RunDir())
	if err != nil {
		fmt.Println(err)
		return
	}
	grads := capture.OfKind(snaps, capture.KindGradients)
	fmt.Printf("read back: %d gradient snapshots (6 variables x 3 steps), %d notes\n", len(grads), len(notes))
	// Output:
	// activations /model/hidden_0: 3 snapshots of [64 128]
	// activations /model/hidden_1: 3 snapshots of [64 64]
	// read back: 18 gradient snapshots (6 variables x 3 steps), 0 notes
}
