// SPDX-License-Identifier: Apache-2.0

// Package projection computes the numbers of gonbviz's embedding projector: 2-D (or
// k-D) views of high-dimensional points such as a layer's activations or a data set's
// features. Package charts draws them (charts.Projection).
//
//   - PCA: principal component analysis, with the numbers of scikit-learn's PCA
//     (components, explained variance and its ratio, mean, projections). The covariance
//     and the products run on a GoMLX backend (Backend: XLA where installed, else pure
//     Go); the eigenvectors are found directly for few features, by subspace iteration
//     with Rayleigh–Ritz otherwise.
//
//   - TSNE: t-distributed stochastic neighbour embedding, scikit-learn's algorithm and
//     defaults (perplexity 30, early exaggeration 12, learning rate "auto", PCA
//     initialisation), exact below 1,000 points and Barnes–Hut (a quadtree, angle 0.5)
//     above, on all cores, the same layout for the same seed.
//
//     pca, err := projection.PCA(rows, projection.PCAOptions{Components: 2})
//     fmt.Println(pca.ExplainedVarianceRatio)
//     layout, err := projection.TSNE(rows, projection.TSNEOptions{Seed: 1})
//
// # Errors
//
// The input is one row of features per point, rows of equal length, finite values; an
// error names the first row (and column) at fault. Constant features are allowed (they
// have no variance; nothing is divided by it).
package projection
