// SPDX-License-Identifier: Apache-2.0

package charts

// seriesPalette colours the series, runs, variables and layers of the charts that tell them
// apart by colour: the Okabe-Ito palette, which readers with any of the common colour-vision
// deficiencies can tell apart (Vega-Lite's default, tableau10, pairs a red and a green of
// similar lightness), ordered so that the first colours differ most, and its yellow, faint
// on white, last. Steps and other ordered values use viridis.
var seriesPalette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"}
