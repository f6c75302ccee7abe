// SPDX-License-Identifier: Apache-2.0

package projection_test

import (
	"fmt"

	"github.com/gonbviz/gonbviz/projection"
)

// PCA of points that lie near a line in 3-D: the first component is the line's
// direction and explains nearly all the variance.
func ExamplePCA() {
	var rows [][]float64
	for i := range 20 {
		t := float64(i)
		wiggle := 0.1 * float64(i%3-1)
		rows = append(rows, []float64{t, 2*t + wiggle, 5 - wiggle})
	}
	pca, err := projection.PCA(rows, projection.PCAOptions{Components: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := pca.Components[0]
	fmt.Printf("first component: x %.3f, y %.3f, z %.3f\n", c[0], c[1], abs(c[2]))
	fmt.Printf("explained variance ratio: %.5f\n", pca.ExplainedVarianceRatio)
	fmt.Printf("point 0 on the first component: %.3f\n", pca.Projections[0][0])
	// Output:
	// first component: x 0.447, y 0.894, z 0.000
	// explained variance ratio: [0.99995 0.00005]
	// point 0 on the first component: -21.328
}

func abs(x float64) float64 { return max(x, -x) }
