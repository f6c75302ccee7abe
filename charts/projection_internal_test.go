// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"math"
	"testing"
)

// TestProjectStepsAligned: PCA at each step keeps the sign of the previous step's
// components. Here the first component turns from (1.02, -1) to (1, -1.02) between the
// steps: scikit-learn's sign rule (the largest entry positive) would flip it, and every
// point with it; aligned, the points stay where they were, give or take 2%.
func TestProjectStepsAligned(t *testing.T) {
	var before, after [][]float64
	for i := range 40 {
		a, b := float64(i%9)-4, 0.1*float64(i%5)
		before = append(before, []float64{1.02*a + b, -a + b})
		after = append(after, []float64{a + b, -1.02*a + b})
	}
	layouts, _, err := projectSteps("test", ProjectPCA, [][][]float64{before, after}, 2, ProjectionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		p, q := layouts[0][i][0], layouts[1][i][0]
		if math.Abs(p-q) > 0.05*max(math.Abs(p), 1) {
			t.Fatalf("point %d: %.4g on PC1 at the first step, %.4g at the second", i, p, q)
		}
	}
}
