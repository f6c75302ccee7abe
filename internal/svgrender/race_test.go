//go:build race

package svgrender

// raceEnabled is true under the race detector, which makes QuickJS some 20
// times slower: tests then do less.
const raceEnabled = true
