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

// The digits the demo learns, as rows of pixels: here how many images of each digit.
func ExampleDigits() {
	images, labels, err := demo.Digits()
	if err != nil {
		fmt.Println(err)
		return
	}
	counts := make([]int, 10)
	for _, l := range labels {
		counts[l]++
	}
	fmt.Println(len(images), "images of", len(images[0]), "pixels; per digit:", counts)
	// Output:
	// 1797 images of 64 pixels; per digit: [178 182 177 183 181 182 181 179 174 180]
}
