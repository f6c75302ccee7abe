// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gonbviz/gonbviz/internal/histo"
)

// Split is one named part of a data set, such as train, validation or test: a matrix of
// features, one row per example, and optionally the class of each row.
type Split struct {
	// Name names the split in legends and notes ("train", "test"); default "split N"
	// (N counting from 1), or "data" for the only split.
	Name string
	// X holds the features, one row per example and one column per feature:
	//   - a [][]float64 or [][]float32, rows of equal length;
	//   - a []float64 or []float32 of Width columns, row after row;
	//   - a GoMLX *tensors.Tensor of shape [N, F] (any real dtype).
	X any
	// Width is the number of columns of a flat X ([]float64 or []float32); 0 otherwise.
	Width int
	// Labels, optional, holds the class of each row: an index into Features.Classes
	// (0, 1, ...), one per row. A split without labels is left out of the charts by class.
	Labels []int
}

// Features is a data set's feature matrix in one or more named splits, the input of the
// feature charts (FeatureDistributions, FeatureBoxPlots, ScatterMatrix, Correlations) and
// of FeatureShifts. ReadFeatures reads one from a CSV or TSV file.
type Features struct {
	// Names names the columns, one per feature; default "x0", "x1", ...
	Names []string
	// Classes names the classes that Split.Labels index; default "0", "1", ...
	Classes []string
	// Splits holds the splits, each with the same features; the first is the reference
	// that the others are compared with, unless an option names another.
	Splits []Split
}

// featureSet is Features checked and held by column, as the charts read it.
type featureSet struct {
	names   []string
	classes []string // one per class that some label uses, Features.Classes first
	splits  []splitColumns
	rows    int // in all splits
}

// splitColumns is one split by column.
type splitColumns struct {
	name   string
	n      int
	cols   [][]float64 // [feature][row]
	labels []int       // nil when the split has none
	// nonFinite counts, per feature, the NaN, +Inf and -Inf values.
	nonFinite []nonFiniteCount
}

type nonFiniteCount struct{ nan, posInf, negInf int }

func (c nonFiniteCount) total() int { return c.nan + c.posInf + c.negInf }

// maxClasses is the most classes the feature charts tell apart by colour.
const maxClasses = 20

// featureSetOf checks data and copies it by column. what names the calling builder
// ("charts.FeatureDistributions") for the errors.
func featureSetOf(what string, data Features) (*featureSet, error) {
	if len(data.Splits) == 0 {
		return nil, fmt.Errorf("%s: data.Splits is empty; pass at least one split, e.g. Features{Splits: []Split{{Name: \"train\", X: rows}}}", what)
	}
	fs := &featureSet{}
	width := -1
	seen := map[string]int{}
	for i, s := range data.Splits {
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("split %d", i+1)
			if len(data.Splits) == 1 {
				name = "data"
			}
		}
		if j, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s: data.Splits[%d] and data.Splits[%d] are both named %q; give each split its own Name", what, j, i, name)
		}
		seen[name] = i
		arg := fmt.Sprintf("data.Splits[%d] (%s)", i, name)
		cols, n, err := columnsOf(s.X, s.Width)
		if err != nil {
			return nil, fmt.Errorf("%s: %s.X: %w", what, arg, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: %s has no rows; leave the split out, or pass its rows", what, arg)
		}
		if width >= 0 && len(cols) != width {
			return nil, fmt.Errorf("%s: %s has %d features, data.Splits[0] has %d; every split needs the same columns", what, arg, len(cols), width)
		}
		width = len(cols)
		if s.Labels != nil {
			if len(s.Labels) != n {
				return nil, fmt.Errorf("%s: %s.Labels has %d labels for %d rows; pass one label per row (or none)", what, arg, len(s.Labels), n)
			}
			bound, hint := maxClasses, fmt.Sprintf("labels are class indices 0..%d (a chart tells at most %d classes apart)", maxClasses-1, maxClasses)
			if len(data.Classes) > 0 {
				bound, hint = len(data.Classes), fmt.Sprintf("labels index data.Classes, 0..%d", len(data.Classes)-1)
			}
			for r, l := range s.Labels {
				if l < 0 || l >= bound {
					return nil, fmt.Errorf("%s: %s.Labels[%d] is %d; %s", what, arg, r, l, hint)
				}
			}
		}
		sc := splitColumns{name: name, n: n, cols: cols, labels: s.Labels}
		sc.nonFinite = countNonFinite(cols)
		fs.splits = append(fs.splits, sc)
		fs.rows += n
	}
	if width == 0 {
		return nil, fmt.Errorf("%s: data.Splits[0].X has rows of no features", what)
	}
	switch {
	case data.Names == nil:
		for j := range width {
			fs.names = append(fs.names, "x"+strconv.Itoa(j))
		}
	case len(data.Names) != width:
		return nil, fmt.Errorf("%s: data.Names has %d names for %d features; pass one name per column (or none)", what, len(data.Names), width)
	default:
		names := map[string]int{}
		for j, n := range data.Names {
			if n == "" {
				return nil, fmt.Errorf("%s: data.Names[%d] is empty; name every feature", what, j)
			}
			if k, dup := names[n]; dup {
				return nil, fmt.Errorf("%s: data.Names[%d] and data.Names[%d] are both %q; name each feature once", what, k, j, n)
			}
			names[n] = j
		}
		fs.names = data.Names
	}
	maxLabel := -1
	for _, s := range fs.splits {
		for _, l := range s.labels {
			maxLabel = max(maxLabel, l)
		}
	}
	fs.classes = append(fs.classes, data.Classes...)
	for k := len(fs.classes); k <= maxLabel; k++ {
		fs.classes = append(fs.classes, strconv.Itoa(k))
	}
	return fs, nil
}

// hasLabels reports whether some split has labels.
func (fs *featureSet) hasLabels() bool {
	for _, s := range fs.splits {
		if s.labels != nil {
			return true
		}
	}
	return false
}

// featureIndexes returns the indexes of the named features, in the order given; all of
// them when names is nil. arg names the option for the errors.
func (fs *featureSet) featureIndexes(what, arg string, names []string) ([]int, error) {
	if names == nil {
		out := make([]int, len(fs.names))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: %s is empty; name the features to draw, or leave it nil for all", what, arg)
	}
	index := make(map[string]int, len(fs.names))
	for i, n := range fs.names {
		index[n] = i
	}
	var out []int
	seen := map[int]bool{}
	for k, n := range names {
		i, ok := index[n]
		if !ok {
			return nil, fmt.Errorf("%s: %s[%d] is %q, which is not a feature; the features are %s", what, arg, k, n, quoteList(fs.names, 8))
		}
		if seen[i] {
			return nil, fmt.Errorf("%s: %s names %q twice", what, arg, n)
		}
		seen[i] = true
		out = append(out, i)
	}
	return out, nil
}

// quoteList quotes up to max names, and says how many more there are.
func quoteList(names []string, most int) string {
	var b strings.Builder
	for i, n := range names {
		if i == most {
			fmt.Fprintf(&b, " and %d more", len(names)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}

// nonFiniteNote names the features with NaN or ±Inf values in the given columns, in all
// splits together: "malic_acid: 3 NaN; proline: 1 +Inf (not drawn)".
func (fs *featureSet) nonFiniteNote(features []int) string {
	var parts []string
	for _, j := range features {
		var c nonFiniteCount
		for _, s := range fs.splits {
			nf := s.nonFinite[j]
			c.nan, c.posInf, c.negInf = c.nan+nf.nan, c.posInf+nf.posInf, c.negInf+nf.negInf
		}
		if c.total() > 0 {
			parts = append(parts, fs.names[j]+": "+nonFiniteText(histoCounts(c)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("and %d more features", len(parts)-4))
	}
	return "NaN/Inf not drawn: " + strings.Join(parts, "; ")
}

// finite returns the finite values of col: col itself when all are.
func finite(col []float64, nf nonFiniteCount) []float64 {
	if nf.total() == 0 {
		return col
	}
	out := make([]float64, 0, len(col)-nf.total())
	for _, v := range col {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// histoCounts is c as the histogram kernel counts, for nonFiniteText.
func histoCounts(c nonFiniteCount) histo.Result {
	return histo.Result{NaN: int64(c.nan), PosInf: int64(c.posInf), NegInf: int64(c.negInf)}
}

func countNonFinite(cols [][]float64) []nonFiniteCount {
	out := make([]nonFiniteCount, len(cols))
	parallelFor(len(cols), func(j int) {
		var c nonFiniteCount
		for _, v := range cols[j] {
			switch {
			case math.IsNaN(v):
				c.nan++
			case math.IsInf(v, 1):
				c.posInf++
			case math.IsInf(v, -1):
				c.negInf++
			}
		}
		out[j] = c
	})
	return out
}

// parallelFor runs f(0..n-1) on GOMAXPROCS goroutines.
func parallelFor(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= n {
					return
				}
				f(k)
			}
		})
	}
	wg.Wait()
}

// columnsOf copies a feature matrix by column: cols[feature][row]; n is the number of
// rows.
func columnsOf(x any, width int) (cols [][]float64, n int, err error) {
	flatWidth := func(l int) (int, error) {
		if width <= 0 {
			return 0, fmt.Errorf("is a flat slice of %d values: set Split.Width to its number of columns", l)
		}
		if l%width != 0 {
			return 0, fmt.Errorf("has %d values, not a multiple of Split.Width %d", l, width)
		}
		return l / width, nil
	}
	if width != 0 {
		switch x.(type) {
		case []float64, []float32:
		default:
			return nil, 0, fmt.Errorf("Split.Width is %d, but X is a %T, not a flat []float64 or []float32; leave Width 0", width, x)
		}
	}
	switch v := x.(type) {
	case nil:
		return nil, 0, errors.New("is nil; pass the features: [][]float64, [][]float32, a flat []float64 or []float32 with Width, or a *tensors.Tensor [N, F]")
	case [][]float64:
		return rowsToColumns(v)
	case [][]float32:
		return rowsToColumns(v)
	case []float64:
		n, err := flatWidth(len(v))
		if err != nil {
			return nil, 0, err
		}
		return flatToColumns(v, n, width), n, nil
	case []float32:
		n, err := flatWidth(len(v))
		if err != nil {
			return nil, 0, err
		}
		return flatToColumns(v, n, width), n, nil
	case *tensors.Tensor:
		if v == nil {
			return nil, 0, errors.New("is a nil *tensors.Tensor")
		}
		dims := v.Shape().Dimensions
		if len(dims) != 2 {
			return nil, 0, fmt.Errorf("is a tensor of shape %s; want rank 2, [rows, features] (reshape a [N] tensor to [N, 1])", v.Shape())
		}
		n, f := dims[0], dims[1]
		var inner error
		err := v.ConstFlatData(func(flat any) {
			switch d := flat.(type) {
			case []float64:
				cols = flatToColumns(d, n, f)
			case []float32:
				cols = flatToColumns(d, n, f)
			default:
				var all []float64
				if all, inner = floatsOf(flat); inner == nil {
					cols = flatToColumns(all, n, f)
				}
			}
		})
		if err != nil {
			return nil, 0, fmt.Errorf("reading the tensor %s: %w", v.Shape(), err)
		}
		if inner != nil {
			return nil, 0, fmt.Errorf("tensor %s: %w", v.Shape(), inner)
		}
		return cols, n, nil
	}
	return nil, 0, fmt.Errorf("has type %T; want [][]float64, [][]float32, a flat []float64 or []float32 with Width, or a *tensors.Tensor [N, F]", x)
}

func rowsToColumns[T float32 | float64](rows [][]T) ([][]float64, int, error) {
	if len(rows) == 0 {
		return nil, 0, nil
	}
	f := len(rows[0])
	for i, r := range rows {
		if len(r) != f {
			return nil, 0, fmt.Errorf("row %d has %d values, row 0 has %d; every row needs one value per feature", i, len(r), f)
		}
	}
	cols := make([][]float64, f)
	parallelFor(f, func(j int) {
		c := make([]float64, len(rows))
		for i, r := range rows {
			c[i] = float64(r[j])
		}
		cols[j] = c
	})
	return cols, len(rows), nil
}

func flatToColumns[T float32 | float64](flat []T, n, f int) [][]float64 {
	cols := make([][]float64, f)
	parallelFor(f, func(j int) {
		c := make([]float64, n)
		for i := range c {
			c[i] = float64(flat[i*f+j])
		}
		cols[j] = c
	})
	return cols
}

// floatsOf converts the flat data of a tensor of another real dtype (integers, and
// half-precision floats, types with a Float32 method) to float64.
func floatsOf(flat any) ([]float64, error) {
	rv := reflect.ValueOf(flat)
	if rv.Kind() != reflect.Slice {
		return nil, fmt.Errorf("unsupported tensor data %T", flat)
	}
	n := rv.Len()
	f := make([]float64, n)
	et := rv.Type().Elem()
	f32 := reflect.TypeFor[interface{ Float32() float32 }]()
	switch {
	case et.Implements(f32):
		for i := range n {
			f[i] = float64(rv.Index(i).Interface().(interface{ Float32() float32 }).Float32())
		}
	case et.Kind() >= reflect.Int && et.Kind() <= reflect.Int64:
		for i := range n {
			f[i] = float64(rv.Index(i).Int())
		}
	case et.Kind() >= reflect.Uint && et.Kind() <= reflect.Uintptr:
		for i := range n {
			f[i] = float64(rv.Index(i).Uint())
		}
	case et.Kind() == reflect.Float32 || et.Kind() == reflect.Float64:
		for i := range n {
			f[i] = rv.Index(i).Float()
		}
	default:
		return nil, fmt.Errorf("tensor dtype with Go type %s is not a real number type", et)
	}
	return f, nil
}
