// SPDX-License-Identifier: Apache-2.0

package charts

// seriesPalette colours the series, runs, variables and layers of the charts that tell them
// apart by colour: the Okabe-Ito palette, which readers with any of the common colour-vision
// deficiencies can tell apart (Vega-Lite's default, tableau10, pairs a red and a green of
// similar lightness), ordered so that the first colours differ most, and its yellow, faint
// on white, last. Steps and other ordered values use viridis.
var seriesPalette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"}

// groupPalette colours k groups: the Okabe-Ito palette up to 8, then Tableau's 20
// colours.
func groupPalette(k int) []string {
	if k <= len(seriesPalette) {
		return seriesPalette[:k]
	}
	return tableau20[:min(k, len(tableau20))]
}

// tableau20 is Tableau's 20-colour palette (Vega's "tableau20"), for more classes than
// the Okabe-Ito palette has colours.
var tableau20 = []string{"#4c78a8", "#9ecae9", "#f58518", "#ffbf79", "#54a24b", "#88d27a", "#b79a20", "#f2cf5b",
	"#439894", "#83bcb6", "#e45756", "#ff9d98", "#79706e", "#bab0ac", "#d67195", "#fcbfd2", "#b279a2", "#d6a5c9",
	"#9e765f", "#d8b5a5"}
