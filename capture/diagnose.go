// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// ByTensor groups snapshots by tensor, each group sorted by step. names are the tensors'
// names as charts show them, in natural order (hidden_2 before hidden_10).
func ByTensor(snaps []Snapshot) (names []string, groups map[string][]Snapshot) {
	groups = map[string][]Snapshot{}
	for _, s := range snaps {
		key := chartName(s.Name)
		if _, ok := groups[key]; !ok {
			names = append(names, key)
		}
		groups[key] = append(groups[key], s)
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool { return g[i].Step < g[j].Step })
	}
	sort.SliceStable(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	return names, groups
}

// chartName is a tensor name as charts show it: Vega's expression parser rejects the line
// and paragraph separators U+2028 and U+2029, and Vega-Lite puts names in expressions (sort
// orders), so they are shown as spaces.
func chartName(s string) string {
	return strings.NewReplacer("\u2028", " ", "\u2029", " ").Replace(s)
}

// naturalLess orders names with their numbers by value: hidden_2 before hidden_10.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da != "" && db != "" {
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitsPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// Thresholds of the training-health flags.
const (
	// VanishingRatio: a layer whose RMS gradient is below this fraction of the largest
	// layer's is flagged as vanishing.
	VanishingRatio = 1e-3
	// ExplodingGrowth: a gradient norm this many times its first recorded value is flagged
	// as exploding.
	ExplodingGrowth = 100.0
	// Update/weight ratios outside [MinUpdateRatio, MaxUpdateRatio] are flagged; about
	// 1e-3 is healthy.
	MinUpdateRatio = 1e-5
	MaxUpdateRatio = 1e-1
	// DeadFraction: a layer with more than this fraction of dead units is flagged.
	DeadFraction = 0.5
)

// Diagnose returns the training-health flags of snapshots (any kinds): gradients that
// vanish (a layer's RMS gradient under VanishingRatio times the largest layer's at the
// last step), explode (a norm ExplodingGrowth times its first, or NaN/Inf), updates too
// small or too large for the weights, and layers whose units are mostly dead. Empty when
// all is well.
func Diagnose(snaps []Snapshot) []string {
	var flags []string
	grads, acts := []Snapshot{}, []Snapshot{}
	for _, s := range snaps {
		switch s.Kind {
		case KindGradients:
			grads = append(grads, s)
		case KindActivations:
			acts = append(acts, s)
		}
	}
	if len(grads) > 0 {
		names, groups := ByTensor(grads)
		rms := map[string]float64{}
		top, topName := 0.0, ""
		for _, n := range names {
			g := groups[n]
			last := g[len(g)-1]
			for _, s := range g {
				if bad := s.NaN + s.PosInf + s.NegInf; bad > 0 {
					flags = append(flags, fmt.Sprintf("exploding: %d NaN/Inf gradient values in %s at step %d", bad, n, s.Step))
					break
				}
			}
			if g[0].Norm > 0 && last.Norm > ExplodingGrowth*g[0].Norm {
				flags = append(flags, fmt.Sprintf("exploding: the gradient norm of %s grew %.0fx, from %.3g at step %d to %.3g at step %d", n, last.Norm/g[0].Norm, g[0].Norm, g[0].Step, last.Norm, last.Step))
			}
			if last.Count > 0 && len(last.Shape) >= 2 { // weight matrices, not biases
				rms[n] = last.Norm / math.Sqrt(float64(last.Count))
				if rms[n] > top {
					top, topName = rms[n], n
				}
			}
			if len(last.Shape) < 2 {
				continue // biases start at zero: their ratios say little
			}
			if r := last.UpdateRatio; r >= 0 && r < MinUpdateRatio {
				flags = append(flags, fmt.Sprintf("stalled: updates of %s are %.2g of its weights at step %d (healthy: about 1e-3)", n, r, last.Step))
			} else if r > MaxUpdateRatio {
				flags = append(flags, fmt.Sprintf("too large: updates of %s are %.2g of its weights at step %d (healthy: about 1e-3)", n, r, last.Step))
			}
		}
		for _, n := range names {
			if r, ok := rms[n]; ok && top > 0 && r < VanishingRatio*top {
				flags = append(flags, fmt.Sprintf("vanishing: the RMS gradient of %s is %.2g, %.0fx smaller than %s's", n, r, top/r, topName))
			}
		}
	}
	if len(acts) > 0 {
		names, groups := ByTensor(acts)
		for _, n := range names {
			g := groups[n]
			if last := g[len(g)-1]; last.Dead > DeadFraction {
				flags = append(flags, fmt.Sprintf("dead units: %.0f%% of %s's units are <= 0 for every example at step %d", 100*last.Dead, n, last.Step))
			}
		}
	}
	return flags
}
