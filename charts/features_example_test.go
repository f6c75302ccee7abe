// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"log"
	"os"
	"strings"

	"github.com/gonbviz/gonbviz/charts"
)

// The features of the wine data in its two splits, overlaid as densities, with the
// features ranked by how much the splits differ (the KS statistic D) and the shifted ones
// named under the chart. The drop-down opens on the most shifted feature, hue.
func ExampleFeatureDistributions() {
	chart, err := charts.FeatureDistributions(wineSplits(), charts.FeatureDistributionsOptions{Title: "wine: test against train"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render feature-distributions.vl.json -o feature-distributions.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("feature-distributions.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Every feature of the wine data by cultivar: a box plot per feature, each with its own
// scale. Flavanoids and hue tell cultivar 3 apart, proline cultivar 1.
func ExampleFeatureBoxPlots() {
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	wine.Classes = []string{"cultivar 1", "cultivar 2", "cultivar 3"}
	chart, err := charts.FeatureBoxPlots(wine, charts.BoxPlotsOptions{Title: "wine features by cultivar"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render feature-box-plots.vl.json -o feature-box-plots.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("feature-box-plots.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Fisher's irises as a scatter-plot matrix: every pair of the four measurements, coloured
// by species, each measurement's density per species on the diagonal. Dragging a
// rectangle in a panel selects those flowers in every panel.
func ExampleScatterMatrix() {
	iris, err := charts.ReadFeatures(strings.NewReader(irisCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	iris.Classes = []string{"setosa", "versicolor", "virginica"}
	chart, err := charts.ScatterMatrix(iris, charts.ScatterMatrixOptions{Title: "iris"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render scatter-matrix.vl.json -o scatter-matrix.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("scatter-matrix.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// The Pearson correlations of the wine features: flavanoids, total phenols and OD280/OD315
// go together.
func ExampleCorrelations() {
	wine, err := charts.ReadFeatures(strings.NewReader(wineCSV), charts.ReadFeaturesOptions{Label: "class"})
	if err != nil {
		log.Fatal(err)
	}
	chart, err := charts.Correlations(wine, charts.CorrelationsOptions{Title: "wine: feature correlations (Pearson)"})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render correlations.vl.json -o correlations.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("correlations.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
