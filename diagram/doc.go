// SPDX-License-Identifier: Apache-2.0

// Package diagram draws the network structure of GoMLX models: one box per layer scope
// (dense, conv, norm, embedding, attention, ...) with its kind, output shape, parameter
// count and trainable flag, edges labelled with tensor shapes, inputs, outputs and
// variables in their own colours; expandable down to GoMLX ops.
//
//	d, err := diagram.FromModel(store, modelFn, []shapes.Shape{shapes.Make(dtypes.Float32, 64, 784)}, diagram.Options{})
//	svg, err := d.SVG()   // static, crisp at any size
//	page, err := d.HTML() // interactive: click a box to open it, hover for details
//	fmt.Print(d.Summary()) // like Keras' model.summary()
//
// notebookviz.DisplayDiagram shows a diagram in a GoNB cell.
//
// # Building
//
// FromModel builds a model function's graph for the given input shapes without running it
// (nothing is trained or executed; missing variables are created in the Store without a
// value). FromTrainer does the same with a trainer's Store and backend; FromGraph takes a
// graph you built and its outputs.
//
// # Pruning and scopes
//
// Only what the outputs depend on is drawn: the Go backend leaves a decomposed copy of
// each fused op (FusedDense, FusedLayerNorm, FusedGelu, ...) in the graph, unused, and
// such nodes are dropped (NumPruned counts them). GoMLX does not record the model scope of
// a node, so it is inferred: a variable's parameter node belongs to the variable's scope;
// an op reading weights takes their scope; other ops take the common scope of their data
// inputs, refined by build order (node ids follow the model function: an op built between
// two weight-reading ops of a scope belongs to it); an activation after a layer sits beside
// the layer, in the layer's parent scope. Layer kinds come from the scope's name and ops.
//
// # Views
//
// Options.Depth 0 draws layer scopes as boxes and the scopes around them as dashed groups;
// a scope holding only one sub-scope is drawn as that sub-scope ("attn/MultiHeadAttention").
// Ops between layers are gathered in runs named by what they compute (relu, gelu, add, pool,
// ...). Depth N opens layers N levels, OpLevel opens everything. A view with more than
// Options.MaxBoxes boxes opens collapsed, with a note: outer scopes become boxes, then loose
// ops are gathered, so a model of any size draws quickly. The HTML output carries, besides
// the main view, the view each box opens (one level inside it, with stubs for what comes
// from and goes to the rest of the model), within MaxViewBoxes per view and MaxHTMLBoxes in
// all.
//
// # Safety
//
// Every name taken from the model (scopes, variables, titles) is escaped in SVG and HTML.
// The HTML needs no network and no external file; its views are base64 inside a JSON
// script element, and the static SVG is an <img> (kept by HTML sanitizers) shown when
// scripts do not run. The same diagram always gives the same SVG.
package diagram
