// SPDX-License-Identifier: Apache-2.0

// Package notebookviz shows gonbviz charts in GoNB notebooks, and outside them as
// self-contained HTML files.
//
// # Showing a chart
//
//	err := notebookviz.Display(chart) // chart is a vegalite.Chart
//
// One output carries the chart four ways (Vega-Lite JSON, interactive HTML, static SVG and a
// line of text), so it reads well in JupyterLab, Notebook 7, VS Code, exported HTML,
// GitHub's viewer and any page that runs no JavaScript. The static SVG is rendered in-process
// by the real vega and vega-lite code; the interactive view needs no network. A picture has
// no controls: where parameters are bound to a slider, a drop-down or a checkbox, the
// static SVG's subtitle ends with a line that says which values it shows ("showing step
// 1500 of 10–1500; move the slider in the interactive view").
//
// # Errors
//
// An invalid chart is never sent: the cell shows one line per problem, with its JSON path,
// and Display returns the same error. A chart with more than render.DefaultMaxRows rows of
// inline data is refused with a message saying how to reduce it or lift the limit (WithMaxRows).
// What Vega-Lite warns of while compiling a valid chart ("Selection not supported for
// boxplot yet.") is shown under the chart, each warning once, and kept in the output's
// notes. No panic escapes this package's API.
//
// # Live outputs
//
// NewLive returns an output that Update replaces in place, safely from any goroutine.
//
// # Training
//
// AttachDashboard attaches live training curves to a GoMLX train.Loop and records the run
// (package runs); charts.CompareRuns overlays recorded runs. A capture (package capture)
// records weights, gradients and activations while the model trains: pass it in
// DashboardOptions.Capture to share the dashboard's run, and draw what it recorded with
// package charts. DisplayDiagram shows the structure of a model (package diagram).
//
// # TensorBoard
//
// DashboardOptions.TensorBoard also writes the run as TensorBoard event files (scalars,
// the capture's histograms, the configuration, and with DashboardOptions.Diagram the
// model's graph), so that `tensorboard --logdir` shows it. ReadTensorBoard goes the other
// way: the logs of TensorBoard, TensorFlow, tensorboardX and PyTorch become curves for
// charts.Curves and snapshots for charts.Histograms and charts.Distributions, in bounded
// memory; charts.CompareRuns overlays a TensorBoard log directory with gonbviz runs.
//
// # The packages behind it
//
// notebookviz is the last stage of gonbviz's data flow: capture and runs record, charts
// builds specs, render draws them (static SVG, HTML page, mime bundle), and notebookviz
// shows them. Outside a notebook, use render directly.
package notebookviz
