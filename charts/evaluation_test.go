// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/charts"
)

// classified returns n examples of k classes and a classifier's probabilities for them: the
// softmax of noisy logits that favour the true class (the later classes more), sharpened
// so that the classifier is overconfident.
func classified(seed uint64, n, k int) ([]int, [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 17))
	labels := make([]int, n)
	scores := make([][]float64, n)
	for i := range n {
		t := rng.IntN(k)
		labels[i] = t
		row := make([]float64, k)
		for j := range row {
			row[j] = rng.NormFloat64() * 1.5
			if j == t {
				row[j] += 1.5 + 0.5*float64(j)
			}
		}
		scores[i] = softmaxOf(row, 2)
	}
	return labels, scores
}

func softmaxOf(logits []float64, sharpen float64) []float64 {
	out := make([]float64, len(logits))
	top := slices.Max(logits)
	sum := 0.0
	for j, z := range logits {
		out[j] = math.Exp(sharpen * (z - top))
		sum += out[j]
	}
	for j := range out {
		out[j] /= sum
	}
	return out
}

// logitsOf returns the logs of probabilities: scores that are not probabilities.
func logitsOf(scores [][]float64) [][]float64 {
	out := make([][]float64, len(scores))
	for i, row := range scores {
		out[i] = make([]float64, len(row))
		for j, p := range row {
			out[i][j] = math.Log(p)
		}
	}
	return out
}

// degenerateClassified returns 60 examples of 4 classes where class 3 never occurs (though it has
// scores, and is sometimes predicted), and whose probabilities are multiples of 0.1: ties
// everywhere (within each class's scores, and between the top two scores of a row, which
// the first class wins), and confidences on the edges of 10 bins (0.3, 0.5, ...).
func degenerateClassified() ([]int, [][]float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, k = 60, 4
	labels := make([]int, n)
	scores := make([][]float64, n)
	for i := range n {
		tenths := make([]int, k)
		for range 10 {
			tenths[rng.IntN(k)]++
		}
		row := make([]float64, k)
		for j, v := range tenths {
			row[j] = float64(v) / 10
		}
		scores[i] = row
		// The label follows the scores often, never class 3.
		labels[i] = rng.IntN(3)
		if p := slices.Index(row, slices.Max(row)); p < 3 && rng.Float64() < 0.6 {
			labels[i] = p
		}
	}
	scores[0] = []float64{0.5, 0.5, 0, 0} // a tie for the top class: 0 wins
	scores[1] = []float64{0, 0, 0.3, 0.7}
	return labels, scores
}

// sklearnResult is what testdata/sklearn_evaluation.py reports.
type sklearnResult struct {
	Sklearn    string
	Confusion  [][]int
	Normalized [][]pyFloat
	ROC        []struct {
		FPR, TPR, Thresholds []pyFloat
		AUC                  pyFloat
		Warnings             []string
	}
	PR []struct {
		Precision, Recall, Thresholds []pyFloat
		AP                            pyFloat
		Warnings                      []string
	}
	APMulticlass []pyFloat `json:"ap_multiclass"`
	AUCOvR       []pyFloat `json:"auc_ovr"`
	AUCOvRMacro  *pyFloat  `json:"auc_ovr_macro"`
	BinaryAUC    *pyFloat  `json:"binary_auc"`
	Calibration  *struct {
		Count                []int
		Accuracy, Confidence []pyFloat
		ECE                  pyFloat
	}
	CalibrationCurve *struct{ Accuracy, Confidence []pyFloat } `json:"calibration_curve"`
}

// pyFloat is a JSON number, or "inf", "-inf" or "nan".
type pyFloat float64

func (n *pyFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		f, err := strconv.ParseFloat(s, 64)
		*n = pyFloat(f)
		return err
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*n = pyFloat(f)
	return err
}

// venvPython is the Python of the test virtual environment ($GONBVIZ_VENV, else the
// repository's .venv) with scikit-learn in it, which scripts/setup-jupyter.sh installs
// from scripts/requirements-jupyter.txt. Without it the test is skipped, or fails with
// GONBVIZ_REQUIRE_JUPYTER=1 (scripts/test.sh, CI), as notebooktest does.
func venvPython(t *testing.T) string {
	t.Helper()
	venv := os.Getenv("GONBVIZ_VENV")
	if venv == "" {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		venv = filepath.Join(root, ".venv")
	}
	python := filepath.Join(venv, "bin", "python")
	if runtime.GOOS == "windows" {
		python = filepath.Join(venv, "Scripts", "python.exe")
	}
	out, err := exec.Command(python, "-c", "import sklearn, numpy").CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("no Python with scikit-learn at %s (%v: %s): run bash scripts/setup-jupyter.sh", python, err, bytes.TrimSpace(out))
		if os.Getenv("GONBVIZ_REQUIRE_JUPYTER") == "1" {
			t.Fatal(msg + " (GONBVIZ_REQUIRE_JUPYTER=1)")
		}
		t.Skip(msg)
	}
	return python
}

// sklearnReference runs testdata/sklearn_evaluation.py on labels and scores.
func sklearnReference(t *testing.T, python string, labels []int, scores [][]float64, bins int, probabilities bool) sklearnResult {
	t.Helper()
	in, err := json.Marshal(map[string]any{"labels": labels, "scores": scores, "bins": bins, "probabilities": probabilities})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "sklearn_evaluation.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sklearn_evaluation.py: %v\n%s", err, stderr.String())
	}
	var ref sklearnResult
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatalf("sklearn_evaluation.py's output: %v: %.300s", err, out)
	}
	return ref
}

// sklearnTolerance is how far gonbviz's numbers may be from scikit-learn's and numpy's: the
// curves' points are ratios of the same integers, so equal; areas and sums are added in
// another order (numpy sums pairwise).
const sklearnTolerance = 1e-9

// nearSklearn says whether a and b are within sklearnTolerance (NaN equals NaN, +Inf equals +Inf).
func nearSklearn(a, b float64) bool {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return math.IsNaN(a) && math.IsNaN(b)
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		return a == b
	}
	return math.Abs(a-b) <= sklearnTolerance
}

// sameFloats reports where got and want differ ("" if nowhere).
func sameFloats(got []float64, want []pyFloat) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d points, scikit-learn %d", len(got), len(want))
	}
	for i := range got {
		if !nearSklearn(got[i], float64(want[i])) {
			return fmt.Sprintf("[%d] is %v, scikit-learn %v", i, got[i], float64(want[i]))
		}
	}
	return ""
}

// The numbers of ComputeConfusion, ComputeROC, ComputePrecisionRecall and
// ComputeCalibration are scikit-learn's (and numpy's, for the expected calibration error)
// on the same scores: on synthetic probabilities, on logits, and on a degenerate set with
// ties and a class that never occurs.
func TestEvaluationMatchesScikitLearn(t *testing.T) {
	python := venvPython(t)
	labels, probs := classified(1, 600, 4)
	dLabels, dProbs := degenerateClassified()
	bLabels, bProbs := classified(2, 300, 2)
	cases := []struct {
		name          string
		labels        []int
		scores        [][]float64
		bins          int
		probabilities bool
		skipped       []int // classes without ROC and PR curves
	}{
		{"synthetic", labels, probs, 15, true, nil},
		{"logits", labels, logitsOf(probs), 0, false, nil},
		{"binary", bLabels, bProbs, 10, true, nil},
		{"degenerate", dLabels, dProbs, 10, true, []int{3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := sklearnReference(t, python, c.labels, c.scores, c.bins, c.probabilities)

			conf, err := charts.ComputeConfusion(c.labels, c.scores)
			if err != nil {
				t.Fatal(err)
			}
			for i := range conf.Counts {
				if !slices.Equal(conf.Counts[i], ref.Confusion[i]) {
					t.Errorf("confusion row %d: %v, scikit-learn %v", i, conf.Counts[i], ref.Confusion[i])
				}
				for j, v := range conf.Normalized[i] {
					if v != float64(ref.Normalized[i][j]) {
						t.Errorf("normalized confusion [%d][%d]: %v, scikit-learn %v", i, j, v, float64(ref.Normalized[i][j]))
					}
				}
			}

			roc, err := charts.ComputeROC(c.labels, c.scores)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := charts.ComputePrecisionRecall(c.labels, c.scores)
			if err != nil {
				t.Fatal(err)
			}
			for k, got := range roc.Curves {
				want := ref.ROC[k]
				if slices.Contains(c.skipped, k) {
					// scikit-learn has no ROC curve either: it warns, and its AUC is NaN.
					if got.Skipped == "" || !math.IsNaN(got.AUC) || got.FPR != nil {
						t.Errorf("class %d has no positives, but has a ROC curve (AUC %v)", k, got.AUC)
					}
					if len(want.Warnings) == 0 || !math.IsNaN(float64(want.AUC)) {
						t.Errorf("class %d: scikit-learn did not warn (%v) or has an AUC (%v)", k, want.Warnings, float64(want.AUC))
					}
					continue
				}
				if got.Skipped != "" || len(want.Warnings) > 0 {
					t.Errorf("class %d: skipped %q, scikit-learn's warnings %v", k, got.Skipped, want.Warnings)
				}
				for what, d := range map[string]string{
					"fpr": sameFloats(got.FPR, want.FPR), "tpr": sameFloats(got.TPR, want.TPR),
					"thresholds": sameFloats(got.Thresholds, want.Thresholds),
				} {
					if d != "" {
						t.Errorf("class %d: ROC %s: %s", k, what, d)
					}
				}
				if !nearSklearn(got.AUC, float64(want.AUC)) {
					t.Errorf("class %d: AUC %v, scikit-learn %v", k, got.AUC, float64(want.AUC))
				}
				if ref.AUCOvR != nil && !nearSklearn(got.AUC, float64(ref.AUCOvR[k])) {
					t.Errorf("class %d: AUC %v, scikit-learn's one-vs-rest %v", k, got.AUC, float64(ref.AUCOvR[k]))
				}
			}
			if ref.BinaryAUC != nil && !nearSklearn(roc.Curves[1].AUC, float64(*ref.BinaryAUC)) {
				t.Errorf("AUC of class 1 %v, scikit-learn's binary roc_auc_score %v", roc.Curves[1].AUC, float64(*ref.BinaryAUC))
			}
			if ref.AUCOvRMacro != nil && c.skipped == nil && !nearSklearn(roc.MacroAUC, float64(*ref.AUCOvRMacro)) {
				t.Errorf("macro AUC %v, scikit-learn %v", roc.MacroAUC, float64(*ref.AUCOvRMacro))
			}

			for k, got := range pr.Curves {
				want := ref.PR[k]
				if slices.Contains(c.skipped, k) {
					// scikit-learn warns that recall is undefined and returns an AP of 0.
					if got.Skipped == "" || !math.IsNaN(got.AveragePrecision) || got.Recall != nil {
						t.Errorf("class %d has no positives, but has a PR curve (AP %v)", k, got.AveragePrecision)
					}
					if len(want.Warnings) == 0 || float64(want.AP) != 0 {
						t.Errorf("class %d: scikit-learn did not warn (%v) or has an AP of %v, not 0", k, want.Warnings, float64(want.AP))
					}
					continue
				}
				if got.Skipped != "" || len(want.Warnings) > 0 {
					t.Errorf("class %d: skipped %q, scikit-learn's warnings %v", k, got.Skipped, want.Warnings)
				}
				for what, d := range map[string]string{
					"precision": sameFloats(got.Precision, want.Precision), "recall": sameFloats(got.Recall, want.Recall),
					"thresholds": sameFloats(got.Thresholds, want.Thresholds),
				} {
					if d != "" {
						t.Errorf("class %d: PR %s: %s", k, what, d)
					}
				}
				if !nearSklearn(got.AveragePrecision, float64(want.AP)) {
					t.Errorf("class %d: AP %v, scikit-learn %v", k, got.AveragePrecision, float64(want.AP))
				}
				if ref.APMulticlass != nil && !nearSklearn(got.AveragePrecision, float64(ref.APMulticlass[k])) {
					t.Errorf("class %d: AP %v, scikit-learn's multiclass %v", k, got.AveragePrecision, float64(ref.APMulticlass[k]))
				}
			}

			if !c.probabilities {
				return
			}
			cal, err := charts.ComputeCalibration(c.labels, c.scores, c.bins)
			if err != nil {
				t.Fatal(err)
			}
			want := ref.Calibration
			if len(cal.Bins) != c.bins {
				t.Fatalf("%d bins, want %d", len(cal.Bins), c.bins)
			}
			var accs, confs []float64
			for b, bin := range cal.Bins {
				if bin.Count != want.Count[b] || !nearSklearn(bin.Accuracy, float64(want.Accuracy[b])) || !nearSklearn(bin.Confidence, float64(want.Confidence[b])) {
					t.Errorf("bin %d (%g, %g]: %d examples, accuracy %v, confidence %v; numpy %d, %v, %v",
						b, bin.Lo, bin.Hi, bin.Count, bin.Accuracy, bin.Confidence, want.Count[b], float64(want.Accuracy[b]), float64(want.Confidence[b]))
				}
				if bin.Count > 0 {
					accs, confs = append(accs, bin.Accuracy), append(confs, bin.Confidence)
				}
			}
			if !nearSklearn(cal.ECE, float64(want.ECE)) {
				t.Errorf("ECE %v, numpy %v", cal.ECE, float64(want.ECE))
			}
			if c.name == "synthetic" {
				// scikit-learn's calibration_curve bins the same way (its edges are computed
				// otherwise, which matters only for scores on an edge: none here).
				cc := ref.CalibrationCurve
				if d := sameFloats(accs, cc.Accuracy) + sameFloats(confs, cc.Confidence); d != "" {
					t.Errorf("reliability bins differ from calibration_curve's: %s", d)
				}
			}
			t.Logf("scikit-learn %s: %d classes, ECE %.6f, macro AUC %.6f, macro AP %.6f", ref.Sklearn, len(roc.Curves), cal.ECE, roc.MacroAUC, pr.MacroAP)
		})
	}
}

// Bad input gets one error that names the argument and what to pass.
func TestEvaluationBadInput(t *testing.T) {
	labels, scores := classified(1, 20, 3)
	withNaN := slices.Clone(scores)
	withNaN[7] = []float64{0.2, math.NaN(), 0.8}
	ragged := slices.Clone(scores)
	ragged[4] = []float64{0.5, 0.5}
	outOfRange := slices.Clone(labels)
	outOfRange[5] = 3
	negative := slices.Clone(labels)
	negative[2] = -1
	logits := logitsOf(scores)
	cases := []struct {
		name   string
		labels []int
		scores [][]float64
		want   string
	}{
		{"empty", nil, nil, "labels and scores are empty; pass one label and one row of scores per example"},
		{"length", labels[:19], scores, "labels has 19 entries and scores 20 rows"},
		{"one class", labels, [][]float64{{1}}, "labels has 20 entries and scores 1 rows"},
		{"one column", []int{0}, [][]float64{{1}}, "scores[0] has 1 columns; pass one score per class, at least 2"},
		{"ragged", labels, ragged, "scores[4] has 2 columns and scores[0] 3"},
		{"NaN", labels, withNaN, "scores[7][1] is NaN; scores must be finite"},
		{"label", outOfRange, scores, "labels[5] is 3, outside the classes 0..2 (scores has 3 columns, one per class)"},
		{"negative label", negative, scores, "labels[2] is -1, outside the classes 0..2"},
	}
	for _, c := range cases {
		for fn, call := range map[string]func() error{
			"ConfusionMatrix": func() error {
				_, err := charts.ConfusionMatrix(c.labels, c.scores, charts.ConfusionMatrixOptions{})
				return err
			},
			"ROC": func() error { _, err := charts.ROC(c.labels, c.scores, charts.CurvesPerClassOptions{}); return err },
			"PrecisionRecall": func() error {
				_, err := charts.PrecisionRecall(c.labels, c.scores, charts.CurvesPerClassOptions{})
				return err
			},
			"Reliability": func() error {
				_, err := charts.Reliability(c.labels, c.scores, charts.ReliabilityOptions{})
				return err
			},
			"ComputeConfusion": func() error { _, err := charts.ComputeConfusion(c.labels, c.scores); return err },
			"ComputeROC":       func() error { _, err := charts.ComputeROC(c.labels, c.scores); return err },
			"ComputePrecisionRecall": func() error {
				_, err := charts.ComputePrecisionRecall(c.labels, c.scores)
				return err
			},
			"ComputeCalibration": func() error { _, err := charts.ComputeCalibration(c.labels, c.scores, 0); return err },
		} {
			err := call()
			if err == nil || !strings.HasPrefix(err.Error(), "charts."+fn+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: error %v, want charts.%s: ...%s...", c.name, fn, err, fn, c.want)
			}
		}
	}

	// Probabilities: Reliability and ComputeCalibration refuse logits; the others take them.
	if _, err := charts.Reliability(labels, logits, charts.ReliabilityOptions{}); err == nil ||
		!strings.Contains(err.Error(), "outside [0, 1]") || !strings.Contains(err.Error(), "apply softmax to logits") {
		t.Errorf("Reliability of logits: %v", err)
	}
	if _, err := charts.ROC(labels, logits, charts.CurvesPerClassOptions{}); err != nil {
		t.Errorf("ROC of logits: %v", err)
	}
	// Options.
	for _, c := range []struct {
		err  error
		want string
	}{
		{evalErr(charts.ROC(labels, scores, charts.CurvesPerClassOptions{ClassNames: []string{"a", "b"}})),
			"charts.ROC: CurvesPerClassOptions.ClassNames has 2 names for 3 classes (the columns of scores); pass one per class"},
		{evalErr(charts.ConfusionMatrix(labels, scores, charts.ConfusionMatrixOptions{ClassNames: []string{"a", "b", "a"}})),
			`charts.ConfusionMatrix: ConfusionMatrixOptions.ClassNames[0] and [2] are both "a"; give each class its own name`},
		{evalErr(charts.ConfusionMatrix(labels, scores, charts.ConfusionMatrixOptions{ExampleNames: []string{"x"}})),
			"charts.ConfusionMatrix: ConfusionMatrixOptions.ExampleNames has 1 names for 20 examples; pass one per label"},
		{evalErr(charts.Reliability(labels, scores, charts.ReliabilityOptions{Bins: -1})),
			"charts.Reliability: ReliabilityOptions.Bins, Width and Height must not be negative"},
		{evalErr(charts.ComputeCalibration(labels, scores, -2)), "charts.ComputeCalibration: bins must be positive"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
	// No class with a curve to draw.
	if _, err := charts.ROC([]int{0, 0}, [][]float64{{0.6, 0.4}, {0.7, 0.3}}, charts.CurvesPerClassOptions{}); err == nil ||
		err.Error() != `charts.ROC: no class has a curve to draw: no curve for "0" (every example) and "1" (no examples)` {
		t.Errorf("ROC of one class: %v", err)
	}
}

func evalErr[T any](_ T, err error) error { return err }

// Labels and scores come from GoMLX tensors too: [N, K] scores, or a binary classifier's
// [N] probabilities.
func TestLabelsAndScores(t *testing.T) {
	labels := tensors.FromValue([]int32{0, 2, 1})
	scores := tensors.FromValue([][]float32{{0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}, {0.25, 0.5, 0.25}})
	ls, ss, err := charts.LabelsAndScores(labels, scores)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ls, []int{0, 2, 1}) || len(ss) != 3 || ss[2][1] != 0.5 || float32(ss[0][0]) != 0.7 {
		t.Errorf("got %v %v", ls, ss)
	}
	ls, ss, err = charts.LabelsAndScores(tensors.FromValue([][]int64{{1}, {0}}), tensors.FromValue([]float64{0.75, 0.25}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ls, []int{1, 0}) || !slices.Equal(ss[0], []float64{0.25, 0.75}) || !slices.Equal(ss[1], []float64{0.75, 0.25}) {
		t.Errorf("binary: got %v %v", ls, ss)
	}
	for _, c := range []struct {
		labels, scores *tensors.Tensor
		want           string
	}{
		{tensors.FromValue([][]int32{{0, 1}}), scores, "labels has shape (Int32)[1, 2]; want [N] or [N, 1]"},
		{labels, tensors.FromValue([][][]float32{{{1}}}), "scores has shape (Float32)[1, 1, 1]; want [N, K]"},
		{labels, tensors.FromValue([][]float32{{0.5, 0.5}}), "labels has 3 examples (shape (Int32)[3]) and scores 1"},
		{tensors.FromValue([]float32{0, 1, 2}), scores, "labels ((Float32)[3]): dtype with Go type float32 is not an integer type"},
		{nil, scores, "labels and scores must be non-nil tensors"},
	} {
		if _, _, err := charts.LabelsAndScores(c.labels, c.scores); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
