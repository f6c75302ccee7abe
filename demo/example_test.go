// SPDX-License-Identifier: Apache-2.0

package demo_test

import (
	"fmt"

	"github.com/gomlx/compute/gobackend"

	"github.com/gonbviz/gonbviz/demo"
)

// The ready digits MLP: built on a backend (demo.Backend picks the fastest installed), and
// trained with s.Train(steps).
func ExampleDigitsMLP() {
	backend, err := gobackend.New("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer backend.Finalize()
	s, err := demo.DigitsMLP(backend, demo.Config{Hidden: []int{32}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Finalize()
	fmt.Println(s.Description)
	fmt.Println(s.ParamCount, "params")
	// Output:
	// MLP 64-32-10, relu, adam lr=0.001
	// 2410 params
}
