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

// t-SNE of two groups of points in 5-D: the layout keeps them apart.
func ExampleTSNE() {
	var rows [][]float64
	for i := range 60 {
		group := float64(i % 2 * 10)
		row := make([]float64, 5)
		for j := range row {
			row[j] = group + float64((i*7+j*3)%5)/5
		}
		rows = append(rows, row)
	}
	res, err := projection.TSNE(rows, projection.TSNEOptions{Perplexity: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Each point's nearest neighbour in the layout is of its own group.
	same := 0
	for i, p := range res.Embedding {
		best, bestD := -1, 0.0
		for j, q := range res.Embedding {
			if d := (p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1]); j != i && (best < 0 || d < bestD) {
				best, bestD = j, d
			}
		}
		if best%2 == i%2 {
			same++
		}
	}
	fmt.Printf("%s t-SNE: %d of %d points next to their own group\n", res.Method, same, len(rows))
	// Output:
	// exact t-SNE: 60 of 60 points next to their own group
}
