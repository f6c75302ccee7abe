// SPDX-License-Identifier: Apache-2.0

// Package charts builds gonbviz's charts of training as Vega-Lite specs (package
// vegalite): training curves, runs compared, histograms of any values, the histograms,
// distributions, gradient health and activation statistics of what a capture (package
// capture) recorded, the charts of a data set's input features across its splits, and a
// classifier's evaluation: confusion matrix, ROC and precision–recall curves, reliability
// diagram, with their numbers computed here as scikit-learn computes them
// (ComputeConfusion, ComputeROC, ...). It draws nothing itself and needs no notebook: show
// a chart with notebookviz.Display, or turn it into SVG or HTML with package render.
//
//	snaps, _, err := capture.Read(runDir)
//	chart, err := charts.Histograms(capture.OfKind(snaps, capture.KindWeights), charts.HistogramsOptions{})
//	err = notebookviz.Display(chart)
//
// # Features across splits
//
// Features holds a feature matrix in named splits (train, validation, test), from Go
// slices, GoMLX tensors or a CSV/TSV file (ReadFeatures). FeatureDistributions overlays
// each feature's splits as densities and ranks the features by how much the splits
// differ, the two-sample Kolmogorov–Smirnov statistic (FeatureShifts, KolmogorovSmirnov:
// scipy.stats.ks_2samp's numbers); FeatureBoxPlots, ScatterMatrix and Correlations draw
// the features by class or split.
//
//	data, err := charts.ReadFeaturesFile("wine.csv", charts.ReadFeaturesOptions{Label: "class", Split: "split"})
//	chart, err := charts.FeatureDistributions(data, charts.FeatureDistributionsOptions{})
//
// # Projections
//
// Projection draws points (a data set's features, a layer's activations) projected to
// 2-D by PCA or t-SNE (package projection computes them), coloured by label or
// prediction with the wrong predictions marked; ProjectionSteps draws the same probe
// batch at several steps of training, aligned from step to step, with a slider.
//
//	chart, err := charts.Projection(rows, 0, charts.ProjectionOptions{Method: charts.ProjectTSNE, Labels: labels})
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
