// SPDX-License-Identifier: Apache-2.0

package demo_test

import (
	"fmt"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
)

// The built-in models' diagrams, built without training: their layers and parameters.
func ExampleDiagram() {
	for _, name := range demo.ModelNames {
		d, err := demo.Diagram(name, diagram.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		total, trainable := d.Params()
		fmt.Printf("%s: %d layers, %d params (%d trainable)\n", name, len(d.Layers()), total, trainable)
	}
	// Output:
	// mlp: 6 layers, 17226 params (17226 trainable)
	// cnn: 9 layers, 9802 params (9802 trainable)
	// transformer: 19 layers, 227968 params (227968 trainable)
}
