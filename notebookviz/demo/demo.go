// SPDX-License-Identifier: Apache-2.0

// Package demo gives notebooks and examples a ready model to watch: a small MLP that learns
// the UCI handwritten digits (8x8 images, embedded; CC BY 4.0), built with GoMLX, and the
// backend gonbviz would choose (XLA on a GPU where a PJRT plugin is installed, else pure Go).
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

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/mlpdemo"
)

// Config configures the MLP: hidden widths (default 128, 64), activation ("relu",
// "sigmoid", ...), normalization ("none", "layer", "batch"), learning rate, optimizer
// ("adam", "sgd"), batch size and seed. The zero value is the default model.
type Config = mlpdemo.Config

// Setup is a ready-to-train model: Loop (a GoMLX train.Loop), Train(steps), the datasets
// (TrainDS, ValidationDS, TestDS), Description, Hyperparameters and ParamCount.
type Setup = mlpdemo.Setup

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

// DigitsMLP builds the MLP on the digits data (split 70/20/10 with seed 0).
func DigitsMLP(backend compute.Backend, cfg Config) (*Setup, error) {
	data, err := mlpdemo.LoadData(0)
	if err != nil {
		return nil, err
	}
	return mlpdemo.New(backend, cfg, data)
}
