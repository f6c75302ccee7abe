// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"

	"github.com/gomlx/gomlx/core/tensors"
)

// The numbers of a classifier's evaluation, computed here in Go and checked in the tests
// against scikit-learn on the same scores. Every function takes the true class of each
// example (labels, N entries in 0..K-1) and the classifier's scores (N rows of K scores,
// one per class: probabilities, or any real scores where the doc says so). The charts
// (ConfusionMatrix, ROC, PrecisionRecall, Reliability) draw these numbers.

// Confusion is a confusion matrix: Counts[t][p] examples of true class t were predicted
// as class p, the class of the highest score (the first one on a tie, as numpy's argmax).
type Confusion struct {
	Counts [][]int
	// Normalized is each row of Counts divided by its sum: the share of the examples of
	// each true class predicted as each class (scikit-learn's confusion_matrix with
	// normalize="true"). A class without examples has a row of zeros, as in scikit-learn.
	Normalized [][]float64
	Support    []int   // examples of each true class: the row sums
	Correct    int     // examples on the diagonal
	Accuracy   float64 // Correct / N
}

// ROCCurve is the one-vs-rest ROC curve of one class: that class's examples are the
// positives, all others the negatives, ranked by the class's score. The points are
// scikit-learn's roc_curve with drop_intermediate=True (points that lie on a straight
// line between their neighbours are dropped), in its order: thresholds decreasing from
// +Inf (nothing predicted positive, the point 0,0) to the lowest score (1,1).
type ROCCurve struct {
	Class                int
	Positives, Negatives int
	FPR, TPR, Thresholds []float64 // nil when Skipped
	// AUC is the area under the curve by the trapezoidal rule: scikit-learn's
	// roc_auc_score of this class against the rest. NaN when Skipped.
	AUC float64
	// Skipped says why the class has no curve ("" when it has one): a class without
	// positives or without negatives in labels, where the ROC curve is not defined.
	Skipped string
}

// ROCResult holds the ROC curve of every class.
type ROCResult struct {
	Curves []ROCCurve // one per class, in class order
	// MacroAUC is the mean AUC of the classes that have a curve (scikit-learn's
	// roc_auc_score with multi_class="ovr", average="macro", when every class has one);
	// NaN when none has.
	MacroAUC float64
}

// PrecisionRecallCurve is the one-vs-rest precision–recall curve of one class. The
// points are scikit-learn's precision_recall_curve, in its order: thresholds increasing
// (recall decreasing), then a last point at recall 0, precision 1 that has no threshold,
// so Thresholds is one shorter than Precision and Recall.
type PrecisionRecallCurve struct {
	Class                         int
	Positives                     int
	Precision, Recall, Thresholds []float64 // nil when Skipped
	// AveragePrecision is scikit-learn's average_precision_score: the sum over the
	// thresholds of (R_n − R_{n−1})·P_n, precision weighted by the recall it adds (no
	// interpolation). NaN when Skipped.
	AveragePrecision float64
	// Skipped says why the class has no curve ("" when it has one): a class without
	// positives in labels, where recall is not defined (scikit-learn warns and
	// returns an average precision of 0).
	Skipped string
}

// PrecisionRecallResult holds the precision–recall curve of every class.
type PrecisionRecallResult struct {
	Curves []PrecisionRecallCurve // one per class, in class order
	// MacroAP is the mean average precision of the classes that have a curve; NaN when
	// none has.
	MacroAP float64
}

// DefaultCalibrationBins is the number of confidence bins of a reliability diagram when
// none is asked for: 15, as in Guo et al., "On Calibration of Modern Neural Networks"
// (2017), and torchmetrics.
const DefaultCalibrationBins = 15

// CalibrationBin is one bin of a reliability diagram.
type CalibrationBin struct {
	Lo, Hi     float64 // the bin holds the confidences c with Lo < c <= Hi (the first bin also 0)
	Count      int     // examples in the bin
	Accuracy   float64 // share of them predicted right; NaN when Count is 0
	Confidence float64 // their mean confidence; NaN when Count is 0
}

// Calibration is a reliability diagram's numbers: how often the classifier is right
// against how confident it is. An example's confidence is its highest score, its
// prediction that score's class (the first one on a tie).
//
// The bins are equal-width over the confidence, as is standard: bin b of M holds the
// confidences in (b/M, (b+1)/M], and the first bin also holds 0. The expected calibration
// error is ECE = Σ_b (n_b/N)·|accuracy_b − confidence_b| over the bins that hold examples.
type Calibration struct {
	Bins       []CalibrationBin // all M bins, the empty ones included
	ECE        float64
	Accuracy   float64 // over all examples
	Confidence float64 // mean confidence over all examples
	Count      int     // examples
}

// ComputeConfusion counts the confusion matrix of labels against the class of the
// highest score in each row of scores (any real scores: probabilities or logits).
func ComputeConfusion(labels []int, scores [][]float64) (c Confusion, err error) {
	defer guard(&err)
	k, err := checkPredictions(labels, scores, false)
	if err != nil {
		return Confusion{}, fmt.Errorf("charts.ComputeConfusion: %w", err)
	}
	return confusion(labels, scores, k), nil
}

func confusion(labels []int, scores [][]float64, k int) Confusion {
	c := Confusion{Counts: make([][]int, k), Normalized: make([][]float64, k), Support: make([]int, k)}
	for t := range k {
		c.Counts[t] = make([]int, k)
		c.Normalized[t] = make([]float64, k)
	}
	for i, t := range labels {
		p := argmax(scores[i])
		c.Counts[t][p]++
		c.Support[t]++
		if p == t {
			c.Correct++
		}
	}
	for t := range k {
		if c.Support[t] == 0 {
			continue
		}
		for p := range k {
			c.Normalized[t][p] = float64(c.Counts[t][p]) / float64(c.Support[t])
		}
	}
	c.Accuracy = float64(c.Correct) / float64(len(labels))
	return c
}

// ComputeROC computes the one-vs-rest ROC curve and AUC of every class, as
// scikit-learn's roc_curve and roc_auc_score do (see ROCCurve). Scores may be any real
// numbers: only their order within a class's column counts. A class without positives or
// without negatives gets no curve: its Skipped says why.
func ComputeROC(labels []int, scores [][]float64) (r ROCResult, err error) {
	defer guard(&err)
	k, err := checkPredictions(labels, scores, false)
	if err != nil {
		return ROCResult{}, fmt.Errorf("charts.ComputeROC: %w", err)
	}
	return roc(labels, scores, k), nil
}

func roc(labels []int, scores [][]float64, k int) ROCResult {
	r := ROCResult{Curves: make([]ROCCurve, k)}
	sum, n := 0.0, 0
	for class := range k {
		fps, tps, thr := binaryCurve(labels, scores, class)
		c := ROCCurve{Class: class, AUC: math.NaN()}
		if len(tps) > 0 {
			c.Positives = tps[len(tps)-1]
			c.Negatives = fps[len(fps)-1]
		}
		switch {
		case c.Positives == 0:
			c.Skipped = "no examples of this class in labels, so no true positive rate"
		case c.Negatives == 0:
			c.Skipped = "every example is of this class, so no false positive rate"
		}
		if c.Skipped != "" {
			r.Curves[class] = c
			continue
		}
		// drop_intermediate: keep the ends and every point where the curve turns.
		keep := []int{}
		for i := range fps {
			if i == 0 || i == len(fps)-1 || len(fps) <= 2 ||
				fps[i+1]-2*fps[i]+fps[i-1] != 0 || tps[i+1]-2*tps[i]+tps[i-1] != 0 {
				keep = append(keep, i)
			}
		}
		c.FPR = make([]float64, 0, len(keep)+1)
		c.TPR = make([]float64, 0, len(keep)+1)
		c.Thresholds = make([]float64, 0, len(keep)+1)
		c.FPR, c.TPR, c.Thresholds = append(c.FPR, 0), append(c.TPR, 0), append(c.Thresholds, math.Inf(1))
		for _, i := range keep {
			c.FPR = append(c.FPR, float64(fps[i])/float64(c.Negatives))
			c.TPR = append(c.TPR, float64(tps[i])/float64(c.Positives))
			c.Thresholds = append(c.Thresholds, thr[i])
		}
		c.AUC = trapezoid(c.FPR, c.TPR)
		sum += c.AUC
		n++
		r.Curves[class] = c
	}
	r.MacroAUC = math.NaN()
	if n > 0 {
		r.MacroAUC = sum / float64(n)
	}
	return r
}

// ComputePrecisionRecall computes the one-vs-rest precision–recall curve and average
// precision of every class, as scikit-learn's precision_recall_curve and
// average_precision_score do (see PrecisionRecallCurve). Scores may be any real numbers.
// A class without positives gets no curve: its Skipped says why.
func ComputePrecisionRecall(labels []int, scores [][]float64) (r PrecisionRecallResult, err error) {
	defer guard(&err)
	k, err := checkPredictions(labels, scores, false)
	if err != nil {
		return PrecisionRecallResult{}, fmt.Errorf("charts.ComputePrecisionRecall: %w", err)
	}
	return precisionRecall(labels, scores, k), nil
}

func precisionRecall(labels []int, scores [][]float64, k int) PrecisionRecallResult {
	r := PrecisionRecallResult{Curves: make([]PrecisionRecallCurve, k)}
	sum, n := 0.0, 0
	for class := range k {
		fps, tps, thr := binaryCurve(labels, scores, class)
		c := PrecisionRecallCurve{Class: class, AveragePrecision: math.NaN()}
		m := len(tps)
		if m > 0 {
			c.Positives = tps[m-1]
		}
		if c.Positives == 0 {
			c.Skipped = "no examples of this class in labels, so no recall"
			r.Curves[class] = c
			continue
		}
		// scikit-learn's order: from the lowest threshold up, then (recall 0, precision 1).
		c.Precision = make([]float64, 0, m+1)
		c.Recall = make([]float64, 0, m+1)
		c.Thresholds = make([]float64, 0, m)
		for i := m - 1; i >= 0; i-- {
			p := 0.0
			if ps := tps[i] + fps[i]; ps != 0 {
				p = float64(tps[i]) / float64(ps)
			}
			c.Precision = append(c.Precision, p)
			c.Recall = append(c.Recall, float64(tps[i])/float64(c.Positives))
			c.Thresholds = append(c.Thresholds, thr[i])
		}
		c.Precision, c.Recall = append(c.Precision, 1), append(c.Recall, 0)
		ap := 0.0
		for i := 0; i+1 < len(c.Recall); i++ {
			ap += (c.Recall[i+1] - c.Recall[i]) * c.Precision[i]
		}
		c.AveragePrecision = max(0, -ap)
		sum += c.AveragePrecision
		n++
		r.Curves[class] = c
	}
	r.MacroAP = math.NaN()
	if n > 0 {
		r.MacroAP = sum / float64(n)
	}
	return r
}

// ComputeCalibration computes the reliability diagram of scores, which must be
// probabilities (each in [0, 1]), in bins equal-width bins over the confidence (0 for
// DefaultCalibrationBins), and the expected calibration error (see Calibration).
func ComputeCalibration(labels []int, scores [][]float64, bins int) (c Calibration, err error) {
	defer guard(&err)
	if bins == 0 {
		bins = DefaultCalibrationBins
	}
	if bins < 0 {
		return Calibration{}, fmt.Errorf("charts.ComputeCalibration: bins must be positive (or 0 for %d), got %d", DefaultCalibrationBins, bins)
	}
	if _, err := checkPredictions(labels, scores, true); err != nil {
		return Calibration{}, fmt.Errorf("charts.ComputeCalibration: %w", err)
	}
	return calibration(labels, scores, bins), nil
}

func calibration(labels []int, scores [][]float64, m int) Calibration {
	edges := make([]float64, m+1)
	for b := range edges {
		edges[b] = float64(b) / float64(m)
	}
	c := Calibration{Bins: make([]CalibrationBin, m), Count: len(labels)}
	right := make([]int, m)
	conf := make([]float64, m)
	total, correct := 0.0, 0
	for i, t := range labels {
		p := argmax(scores[i])
		s := scores[i][p]
		// The first inner edge at or above s: (b/M, (b+1)/M] holds s, as numpy's
		// searchsorted(edges[1:-1], s) finds it.
		b := sort.SearchFloat64s(edges[1:m], s)
		c.Bins[b].Count++
		conf[b] += s
		total += s
		if p == t {
			right[b]++
			correct++
		}
	}
	for b := range c.Bins {
		bin := &c.Bins[b]
		bin.Lo, bin.Hi = edges[b], edges[b+1]
		if bin.Count == 0 {
			bin.Accuracy, bin.Confidence = math.NaN(), math.NaN()
			continue
		}
		bin.Accuracy = float64(right[b]) / float64(bin.Count)
		bin.Confidence = conf[b] / float64(bin.Count)
		c.ECE += float64(bin.Count) / float64(c.Count) * math.Abs(bin.Accuracy-bin.Confidence)
	}
	c.Accuracy = float64(correct) / float64(c.Count)
	c.Confidence = total / float64(c.Count)
	return c
}

// binaryCurve is scikit-learn's _binary_clf_curve for class against the rest: the
// examples ranked by their score for class, highest first; at each distinct score (a
// threshold, decreasing), the false and true positives of predicting positive every
// example scored at or above it.
func binaryCurve(labels []int, scores [][]float64, class int) (fps, tps []int, thresholds []float64) {
	n := len(labels)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]][class] > scores[order[b]][class] })
	tp := 0
	for j, i := range order {
		if labels[i] == class {
			tp++
		}
		s := scores[i][class]
		if j+1 < n && scores[order[j+1]][class] == s {
			continue // the same threshold goes on
		}
		tps = append(tps, tp)
		fps = append(fps, j+1-tp)
		thresholds = append(thresholds, s)
	}
	return fps, tps, thresholds
}

// trapezoid is the area under y(x) by the trapezoidal rule, as numpy's trapezoid; x is
// non-decreasing.
func trapezoid(x, y []float64) float64 {
	a := 0.0
	for i := 1; i < len(x); i++ {
		a += (x[i] - x[i-1]) * (y[i] + y[i-1]) / 2
	}
	return a
}

// argmax is the index of the highest value of row, the first one on a tie.
func argmax(row []float64) int {
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// checkPredictions checks labels and scores and returns the number of classes (the
// columns of scores). With probabilities, every score must lie in [0, 1].
func checkPredictions(labels []int, scores [][]float64, probabilities bool) (int, error) {
	switch {
	case len(labels) == 0 && len(scores) == 0:
		return 0, fmt.Errorf("labels and scores are empty; pass one label and one row of scores per example")
	case len(labels) != len(scores):
		return 0, fmt.Errorf("labels has %d entries and scores %d rows; pass one row of scores (one score per class) per label", len(labels), len(scores))
	}
	k := len(scores[0])
	if k < 2 {
		return 0, fmt.Errorf("scores[0] has %d columns; pass one score per class, at least 2 (for a binary classifier's probability p, the row {1-p, p})", k)
	}
	for i, row := range scores {
		if len(row) != k {
			return 0, fmt.Errorf("scores[%d] has %d columns and scores[0] %d; every row needs one score per class", i, len(row), k)
		}
	}
	bad, first, finite := 0, "", true
	for i, row := range scores {
		for j, v := range row {
			what := ""
			switch {
			case math.IsNaN(v):
				what = "NaN"
			case math.IsInf(v, 0):
				what = fmt.Sprint(v)
			case probabilities && (v < 0 || v > 1):
				what = fmt.Sprintf("%g, outside [0, 1]", v)
			}
			if what != "" {
				if bad == 0 {
					first = fmt.Sprintf("scores[%d][%d] is %s", i, j, what)
					finite = !math.IsNaN(v) && !math.IsInf(v, 0)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		more := ""
		if bad > 1 {
			more = fmt.Sprintf(" (and %d more)", bad-1)
		}
		if finite {
			return 0, fmt.Errorf("%s%s; scores must be probabilities in [0, 1] (apply softmax to logits)", first, more)
		}
		return 0, fmt.Errorf("%s%s; scores must be finite", first, more)
	}
	for i, t := range labels {
		if t < 0 || t >= k {
			return 0, fmt.Errorf("labels[%d] is %d, outside the classes 0..%d (scores has %d columns, one per class)", i, t, k-1, k)
		}
	}
	return k, nil
}

// LabelsAndScores reads a classifier's evaluation from GoMLX tensors, for the functions
// and charts of this file: labels of shape [N] or [N, 1], of any integer dtype, and
// scores of shape [N, K] (one score per class) of any float dtype. Scores of shape [N] or
// [N, 1] are a binary classifier's probability p of class 1: they become the rows
// {1-p, p}.
func LabelsAndScores(labels, scores *tensors.Tensor) (ls []int, ss [][]float64, err error) {
	defer guard(&err)
	if labels == nil || scores == nil {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: labels and scores must be non-nil tensors")
	}
	ldims, sdims := labels.Shape().Dimensions, scores.Shape().Dimensions
	if !(len(ldims) == 1 || len(ldims) == 2 && ldims[1] == 1) {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: labels has shape %s; want [N] or [N, 1] (one class per example)", labels.Shape())
	}
	binary := len(sdims) == 1 || len(sdims) == 2 && sdims[1] == 1
	if !binary && len(sdims) != 2 {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: scores has shape %s; want [N, K] (one score per class) or [N] (a binary classifier's probability of class 1)", scores.Shape())
	}
	if sdims[0] != ldims[0] {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: labels has %d examples (shape %s) and scores %d (shape %s); pass one row of scores per label",
			ldims[0], labels.Shape(), sdims[0], scores.Shape())
	}
	var inner error
	if err := labels.ConstFlatData(func(flat any) { ls, inner = intsOf(flat) }); err != nil {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: reading labels (%s): %w", labels.Shape(), err)
	}
	if inner != nil {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: labels (%s): %w", labels.Shape(), inner)
	}
	var flat []float64
	if err := scores.ConstFlatData(func(f any) { flat, inner = scoreFloats(f) }); err != nil {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: reading scores (%s): %w", scores.Shape(), err)
	}
	if inner != nil {
		return nil, nil, fmt.Errorf("charts.LabelsAndScores: scores (%s): %w", scores.Shape(), inner)
	}
	n := len(ls)
	ss = make([][]float64, n)
	if binary {
		for i := range ss {
			ss[i] = []float64{1 - flat[i], flat[i]}
		}
		return ls, ss, nil
	}
	k := sdims[1]
	for i := range ss {
		ss[i] = slices.Clone(flat[i*k : (i+1)*k])
	}
	return ls, ss, nil
}

// intsOf converts the flat data of an integer tensor.
func intsOf(flat any) ([]int, error) {
	rv := reflect.ValueOf(flat)
	if rv.Kind() != reflect.Slice {
		return nil, fmt.Errorf("unsupported tensor data %T", flat)
	}
	out := make([]int, rv.Len())
	switch k := rv.Type().Elem().Kind(); {
	case k >= reflect.Int && k <= reflect.Int64:
		for i := range out {
			out[i] = int(rv.Index(i).Int())
		}
	case k >= reflect.Uint && k <= reflect.Uint64:
		for i := range out {
			out[i] = int(rv.Index(i).Uint())
		}
	default:
		return nil, fmt.Errorf("dtype with Go type %s is not an integer type; labels are class numbers", rv.Type().Elem())
	}
	return out, nil
}

// scoreFloats converts the flat data of a float tensor (half-precision floats too: types
// with a Float32 method) and refuses other dtypes: scores are real numbers.
func scoreFloats(flat any) ([]float64, error) {
	switch flat.(type) {
	case []float64, []float32:
		return floatsOf(flat)
	}
	rv := reflect.ValueOf(flat)
	if rv.Kind() != reflect.Slice {
		return nil, fmt.Errorf("unsupported tensor data %T", flat)
	}
	if !rv.Type().Elem().Implements(reflect.TypeFor[interface{ Float32() float32 }]()) {
		return nil, fmt.Errorf("dtype with Go type %s is not a float type; scores are probabilities or other real scores", rv.Type().Elem())
	}
	return floatsOf(flat)
}
