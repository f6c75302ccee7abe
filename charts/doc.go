// SPDX-License-Identifier: Apache-2.0

// Package charts builds gonbviz's charts of training as Vega-Lite specs (package
// vegalite): training curves, runs compared, histograms of any values, and the
// histograms, distributions, gradient health and activation statistics of what a capture
// (package capture) recorded, and a classifier's evaluation: confusion matrix, ROC and
// precision–recall curves, reliability diagram, with their numbers computed here as
// scikit-learn computes them (ComputeConfusion, ComputeROC, ...). It draws nothing itself and needs no notebook: show a chart
// with notebookviz.Display, or turn it into SVG or HTML with package render.
//
//	snaps, _, err := capture.Read(runDir)
//	chart, err := charts.Histograms(capture.OfKind(snaps, capture.KindWeights), charts.HistogramsOptions{})
//	err = notebookviz.Display(chart)
//
// Every builder takes its data and an options struct whose zero value is the default, and
// returns (vegalite.Chart, error); the error names the argument at fault and what to pass
// instead. The data is binned and downsampled in Go, so a chart carries a few thousand
// rows at most whatever the size of what it draws. NaN and ±Inf values are drawn as gaps
// (or left out of a histogram) and named in the chart's subtitle; a classifier's scores
// must be finite, as a NaN score has no rank (the evaluation charts name the first one in
// their error). A chart's interactive
// controls (sliders, selections, hover) are described in its static picture, which
// cannot show them: see package render.
package charts
