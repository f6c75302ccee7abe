// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"log"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/charts"
)

// The numbers of an evaluation as plain structs: each class's ROC curve against the rest
// and its AUC, as scikit-learn's roc_curve and roc_auc_score give them (the example of
// scikit-learn's average_precision_score documentation).
func ExampleComputeROC() {
	labels := []int{0, 0, 1, 1, 2, 2}
	scores := [][]float64{ // one row per example, one probability per class
		{0.7, 0.2, 0.1},
		{0.4, 0.3, 0.3},
		{0.1, 0.8, 0.1},
		{0.2, 0.3, 0.5},
		{0.4, 0.4, 0.2},
		{0.1, 0.2, 0.7},
	}
	roc, err := charts.ComputeROC(labels, scores)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range roc.Curves {
		fmt.Printf("class %d: AUC %.4f, FPR %v, TPR %v\n", c.Class, c.AUC, c.FPR, c.TPR)
	}
	fmt.Printf("macro AUC %.4f\n", roc.MacroAUC)
	// Output:
	// class 0: AUC 0.9375, FPR [0 0 0.25 0.5 1], TPR [0 0.5 1 1 1]
	// class 1: AUC 0.8125, FPR [0 0 0.25 0.5 1], TPR [0 0.5 0.5 1 1]
	// class 2: AUC 0.7500, FPR [0 0 0.5 0.5 1], TPR [0 0.5 0.5 1 1]
	// macro AUC 0.8333
}

// Average precision sums each step of recall at the precision reached there, as
// scikit-learn's average_precision_score does.
func ExampleComputePrecisionRecall() {
	labels := []int{0, 0, 1, 1}
	scores := [][]float64{{0.9, 0.1}, {0.6, 0.4}, {0.65, 0.35}, {0.2, 0.8}}
	pr, err := charts.ComputePrecisionRecall(labels, scores)
	if err != nil {
		log.Fatal(err)
	}
	c := pr.Curves[1]
	fmt.Println("precision", c.Precision)
	fmt.Println("recall   ", c.Recall)
	fmt.Println("threshold", c.Thresholds)
	fmt.Printf("AP %.4f\n", c.AveragePrecision)
	// Output:
	// precision [0.5 0.6666666666666666 0.5 1 1]
	// recall    [1 1 0.5 0.5 0]
	// threshold [0.1 0.35 0.4 0.8]
	// AP 0.8333
}

// The confusion matrix counts and its row-normalized form: the share of each true
// class's examples predicted as each class. Class 2 has no examples: its row is zeros.
func ExampleComputeConfusion() {
	labels := []int{0, 0, 0, 1, 1}
	scores := [][]float64{{0.8, 0.1, 0.1}, {0.3, 0.6, 0.1}, {0.5, 0.2, 0.3}, {0.2, 0.7, 0.1}, {0.1, 0.3, 0.6}}
	c, err := charts.ComputeConfusion(labels, scores)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Counts)
	fmt.Printf("%.3f\n", c.Normalized)
	fmt.Printf("accuracy %.1f\n", c.Accuracy)
	// Output:
	// [[2 1 0] [0 1 1] [0 0 0]]
	// [[0.667 0.333 0.000] [0.000 0.500 0.500] [0.000 0.000 0.000]]
	// accuracy 0.6
}

// The reliability diagram's bins and the expected calibration error: here 4 bins; the
// classifier is right on two of the three examples it is 90% sure of.
func ExampleComputeCalibration() {
	labels := []int{0, 1, 1, 0, 1, 0}
	scores := [][]float64{{0.9, 0.1}, {0.9, 0.1}, {0.3, 0.7}, {0.6, 0.4}, {0.1, 0.9}, {0.4, 0.6}}
	c, err := charts.ComputeCalibration(labels, scores, 4)
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range c.Bins {
		fmt.Printf("(%.2f, %.2f]: %d examples, accuracy %.2f, confidence %.2f\n", b.Lo, b.Hi, b.Count, b.Accuracy, b.Confidence)
	}
	fmt.Printf("ECE %.4f\n", c.ECE)
	// Output:
	// (0.00, 0.25]: 0 examples, accuracy NaN, confidence NaN
	// (0.25, 0.50]: 0 examples, accuracy NaN, confidence NaN
	// (0.50, 0.75]: 3 examples, accuracy 0.67, confidence 0.63
	// (0.75, 1.00]: 3 examples, accuracy 0.67, confidence 0.90
	// ECE 0.1333
}

// Labels and scores straight from GoMLX tensors: a binary classifier's probabilities of
// class 1 become rows of two scores.
func ExampleLabelsAndScores() {
	labels, scores, err := charts.LabelsAndScores(
		tensors.FromValue([]int32{1, 0, 1}),
		tensors.FromValue([]float32{0.75, 0.5, 0.25}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(labels, scores)
	// Output:
	// [1 0 1] [[0.25 0.75] [0.5 0.5] [0.75 0.25]]
}
