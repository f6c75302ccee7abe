// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"

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

// classifierOutputs stands in for a trained classifier on 800 examples of 4 classes: the
// true classes, and softmax probabilities from noisy logits that favour them, sharpened
// so that the classifier is overconfident. In a notebook they come from the model, e.g.
// through charts.LabelsAndScores.
func classifierOutputs() (labels []int, scores [][]float64) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 800 {
		t := rng.IntN(4)
		row := make([]float64, 4)
		sum := 0.0
		for j := range row {
			z := 1.5 * rng.NormFloat64()
			if j == t {
				z += 2 + 0.5*float64(j) // the later classes are easier
			}
			row[j] = math.Exp(2 * z)
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
		labels, scores = append(labels, t), append(scores, row)
	}
	return labels, scores
}

// A confusion matrix with class names: counts and the share of each true class, and,
// with ListExamples, a click on a cell lists its examples (most confident first).
func ExampleConfusionMatrix() {
	labels, scores := classifierOutputs()
	chart, err := charts.ConfusionMatrix(labels, scores, charts.ConfusionMatrixOptions{
		ClassNames:   []string{"cat", "dog", "bird", "fish"},
		ListExamples: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	// `gonbviz render confusion-matrix.vl.json -o confusion-matrix.svg` draws it; notebookviz.Display(chart) shows it in a notebook.
	if err := os.WriteFile("confusion-matrix.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// ROC curves of each class against the rest, with their AUC in the legend.
func ExampleROC() {
	labels, scores := classifierOutputs()
	chart, err := charts.ROC(labels, scores, charts.CurvesPerClassOptions{ClassNames: []string{"cat", "dog", "bird", "fish"}})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("roc.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Precision–recall curves of each class against the rest, with their average precision
// in the legend.
func ExamplePrecisionRecall() {
	labels, scores := classifierOutputs()
	chart, err := charts.PrecisionRecall(labels, scores, charts.CurvesPerClassOptions{ClassNames: []string{"cat", "dog", "bird", "fish"}})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("precision-recall.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A reliability diagram: the overconfident classifier's bars stand below their mean
// confidence; the ECE is in the subtitle.
func ExampleReliability() {
	labels, scores := classifierOutputs()
	chart, err := charts.Reliability(labels, scores, charts.ReliabilityOptions{})
	if err != nil {
		log.Fatal(err)
	}
	spec, err := chart.JSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("reliability.vl.json", spec, 0o644); err != nil {
		log.Fatal(err)
	}
}
