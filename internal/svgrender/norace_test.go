//go:build !race

package svgrender

const raceEnabled = false
