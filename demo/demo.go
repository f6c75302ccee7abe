// SPDX-License-Identifier: Apache-2.0

// Package demo gives notebooks, examples and benchmarks ready models to watch, built with
// GoMLX's own layers, losses, metrics and optimizers:
//
//   - DigitsMLP: a small multi-layer perceptron that learns the UCI handwritten digits (8x8
//     images, embedded; CC BY 4.0), ready to train (a train.Loop, datasets, evaluation);
//   - MLP, CNN and Transformer: model functions with the input shapes they expect, for
//     network diagrams (Diagram builds one without training anything).
//
// Backend picks the backend gonbviz would choose (XLA on a GPU where a CUDA PJRT plugin is
// installed, else XLA's CPU plugin where installed, else pure Go).
//
//	backend, reason, err := demo.Backend()
//	s, err := demo.DigitsMLP(backend, demo.Config{LearningRate: 0.003})
//	dash, err := notebookviz.AttachDashboard(s.Loop, notebookviz.DashboardOptions{
//		Eval: []train.Dataset{s.ValidationDS}, Model: s.Description})
//	err = s.Train(2000)
//	dash.Close()
package demo

import (
	"github.com/gomlx/compute"
	"slices"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/digits"
)

// Backend creates the backend gonbviz chooses: $GOMLX_BACKEND if set; else XLA with a
// CUDA PJRT plugin (JAX's included) on a machine with an NVIDIA GPU; else an installed XLA
// CPU plugin; else the pure-Go backend. It never downloads anything. reason is one line
// saying what was chosen and why.
func Backend() (backend compute.Backend, reason string, err error) {
	b, used, err := backendsel.New(backendsel.Default())
	if err != nil {
		return nil, "", err
	}
	return b, used.String(), nil
}

// Digits returns the data the demo learns: the UCI "Optical Recognition of Handwritten
// Digits" test set (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), embedded: 1,797 images of
// 8x8 pixels, each a row of 64 values scaled to [0, 1] (row-major), and their digits
// 0..9. Every call returns new slices.
func Digits() (images [][]float32, labels []int, err error) {
	set, err := digits.Load()
	if err != nil {
		return nil, nil, err
	}
	images = make([][]float32, len(set.Features))
	for i, r := range set.Features {
		images[i] = slices.Clone(r)
	}
	return images, set.Labels, nil
}

// DigitsMLP builds the MLP of cfg (or the model cfg.Model names) on the digits data, split
// stratified 70% train, 20% validation, 10% test, the same way for every seed (so that runs
// with different seeds are compared on the same examples). Nothing is compiled or run until
// the first step.
func DigitsMLP(backend compute.Backend, cfg Config) (*Setup, error) {
	data, err := digits.LoadSplits()
	if err != nil {
		return nil, err
	}
	return newSetup(backend, cfg, data)
}

// DigitsCNN is DigitsMLP with the CNN (Config.Model "cnn": CNNGraph on the 8x8 images, fed
// as rows of 64 pixels and reshaped inside the model).
func DigitsCNN(backend compute.Backend, cfg Config) (*Setup, error) {
	cfg.Model = "cnn"
	return DigitsMLP(backend, cfg)
}
