// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
)

func pts(steps []int64, values []float64) []Point {
	out := make([]Point, len(steps))
	for i := range steps {
		out[i] = Point{Step: steps[i], Value: values[i], Wall: float64(i), Epoch: math.NaN()}
	}
	return out
}

// checkView checks the invariants of a summary's view of the points in.
func checkView(t *testing.T, in []Point, maxPoints int) []Point {
	t.Helper()
	s := newSummaryFor(maxPoints)
	for _, p := range in {
		s.add(p)
	}
	out := s.points(maxPoints)
	if len(in) == 0 {
		if out != nil {
			t.Fatalf("empty series gave %d points", len(out))
		}
		return out
	}
	if len(out) > maxPoints {
		t.Fatalf("%d points, more than maxPoints %d", len(out), maxPoints)
	}
	if !slices.IsSortedFunc(out, func(a, b Point) int { return cmpInt(a.Step, b.Step) }) {
		t.Fatalf("points not sorted by step: %v", out)
	}
	// Every output point is an input point (same step, value and wall).
	type key struct {
		step int64
		wall float64
	}
	inSet := map[key]Point{}
	for _, p := range in {
		inSet[key{p.Step, p.Wall}] = p
	}
	for _, p := range out {
		q, ok := inSet[key{p.Step, p.Wall}]
		if !ok || math.Float64bits(q.Value) != math.Float64bits(p.Value) && !(math.IsNaN(q.Value) && math.IsNaN(p.Value)) {
			t.Fatalf("output point %+v is not an input point", p)
		}
	}
	// First and last by step (ties: first and last added), and the extremes.
	first, last := in[0], in[0]
	mn, mx := math.Inf(1), math.Inf(-1)
	nNF := 0
	for _, p := range in {
		if p.Step < first.Step {
			first = p
		}
		if p.Step >= last.Step {
			last = p
		}
		if isFinite(p.Value) {
			mn, mx = min(mn, p.Value), max(mx, p.Value)
		} else {
			nNF++
		}
	}
	if out[0].Step != first.Step || out[0].Wall != first.Wall {
		t.Fatalf("first point %+v, want %+v", out[0], first)
	}
	if o := out[len(out)-1]; o.Step != last.Step || o.Wall != last.Wall {
		t.Fatalf("last point %+v, want %+v", o, last)
	}
	omn, omx := math.Inf(1), math.Inf(-1)
	oNF := 0
	for _, p := range out {
		if isFinite(p.Value) {
			omn, omx = min(omn, p.Value), max(omx, p.Value)
		} else {
			oNF++
		}
	}
	if mn != omn || mx != omx {
		t.Fatalf("view range [%v, %v], data range [%v, %v]", omn, omx, mn, mx)
	}
	if nNF > 0 && oNF == 0 {
		t.Fatalf("%d non-finite points, none in the view", nNF)
	}
	return out
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestSummarySmallSeriesExact(t *testing.T) {
	steps := []int64{0, 1, 2, 5, 9, 100}
	values := []float64{3, 2, math.NaN(), math.Inf(1), 1, math.Inf(-1)}
	in := pts(steps, values)
	out := checkView(t, in, DefaultMaxPoints)
	if len(out) != len(in) {
		t.Fatalf("kept %d of %d points; a small series must be kept whole", len(out), len(in))
	}
	for i := range in {
		if out[i].Step != in[i].Step || math.Float64bits(out[i].Value) != math.Float64bits(in[i].Value) {
			t.Fatalf("point %d: %+v, want %+v", i, out[i], in[i])
		}
	}
}

// TestSummarySmallSeriesWhole checks that a series of at most maxPoints
// points is shown whole, whatever its steps and values.
func TestSummarySmallSeriesWhole(t *testing.T) {
	s := newSummaryFor(1000)
	for i := range 1000 {
		s.add(Point{Step: int64(i * 997 % 1000 * 1000), Value: 0.5, Epoch: math.NaN(), Wall: float64(i)})
	}
	out := s.points(1000)
	if len(out) != 1000 {
		t.Fatalf("%d points of 1000", len(out))
	}
	s.add(Point{Step: 5, Value: 1, Epoch: math.NaN()})
	if out := s.points(1000); len(out) > 1000 || s.raw != nil {
		t.Fatalf("past maxPoints: %d points, raw %d", len(out), len(s.raw))
	}
}

func TestSummaryRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		n := rng.IntN(3000)
		maxPoints := 5 + rng.IntN(60)
		in := make([]Point, n)
		step := int64(rng.IntN(100)) - 50
		for i := range in {
			switch rng.IntN(10) {
			case 0: // backwards
				step -= int64(rng.IntN(200))
			case 1: // jump
				step += int64(rng.IntN(100000))
			case 2: // repeat
			default:
				step++
			}
			v := rng.NormFloat64()
			switch rng.IntN(50) {
			case 0:
				v = math.NaN()
			case 1:
				v = math.Inf(1)
			case 2:
				v = 1000 * v // spike
			}
			in[i] = Point{Step: step, Value: v, Wall: float64(i), Epoch: math.NaN()}
		}
		_ = iter
		checkView(t, in, maxPoints)
	}
}

func TestSummaryExtremeSteps(t *testing.T) {
	in := pts([]int64{math.MaxInt64, math.MinInt64, 0, -1, math.MaxInt64 - 1, 1, math.MinInt64 + 1},
		[]float64{1, 2, 3, 4, 5, 6, 7})
	for _, mp := range []int{5, 9, 1000} {
		checkView(t, in, mp)
	}
}

// TestSummaryBounded adds 2e6 points and checks the summary keeps its size.
func TestSummaryBounded(t *testing.T) {
	s := newSummaryFor(DefaultMaxPoints)
	var ms runtime.MemStats
	rng := rand.New(rand.NewPCG(3, 4))
	var heapAt [2]uint64
	for i := range 2_000_000 {
		v := 1/math.Sqrt(float64(i+1)) + 0.05*rng.NormFloat64()
		if i%100_003 == 0 {
			v = math.NaN()
		}
		s.add(Point{Step: int64(i), Value: v, Epoch: math.NaN()})
		if i == 999_999 || i == 1_999_999 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heapAt[i/1_000_000] = ms.HeapAlloc
		}
	}
	if len(s.bk) != s.nb || cap(s.bk) != s.nb {
		t.Fatalf("summary holds %d buckets (cap %d), want %d", len(s.bk), cap(s.bk), s.nb)
	}
	if grow := int64(heapAt[1]) - int64(heapAt[0]); grow > 64<<10 {
		t.Fatalf("heap grew %d bytes between 1e6 and 2e6 points", grow)
	}
	out := s.points(DefaultMaxPoints)
	if len(out) > DefaultMaxPoints || len(out) < DefaultMaxPoints/2 {
		t.Fatalf("view has %d points, want about %d", len(out), DefaultMaxPoints)
	}
	nan := 0
	for _, p := range out {
		if math.IsNaN(p.Value) {
			nan++
		}
	}
	if nan != 20 {
		t.Fatalf("view has %d NaN points, want the 20 added", nan)
	}
}

func TestSummaryRegroup(t *testing.T) {
	s := newSummaryFor(1000)
	for i := range 100_000 {
		s.add(Point{Step: int64(i), Value: float64(i % 7), Epoch: math.NaN()})
	}
	for _, mp := range []int{5, 9, 50, 333, 1000} {
		out := s.points(mp)
		if len(out) > mp {
			t.Fatalf("points(%d) gave %d", mp, len(out))
		}
		if out[0].Step != 0 || out[len(out)-1].Step != 99_999 {
			t.Fatalf("points(%d) lost the ends: %v ... %v", mp, out[0], out[len(out)-1])
		}
	}
	b := s.buckets(10)
	if len(b) > 10 || len(b) < 5 {
		t.Fatalf("buckets(10) gave %d", len(b))
	}
	var n int64
	for _, x := range b {
		n += x.Count
		if x.Min != 0 || x.Max != 6 {
			t.Fatalf("bucket %+v: min/max wrong", x)
		}
	}
	if n != 100_000 {
		t.Fatalf("buckets count %d points, want 100000", n)
	}
}

func TestAppendWall(t *testing.T) {
	for _, c := range []struct {
		w    float64
		want string
	}{
		{0, "0"}, {3, "3"}, {12.5, "12.5"}, {0.000125, "0.000125"}, {1.0000004, "1"}, {1.0000006, "1.000001"},
		{-2.25, "-2.25"}, {-0.0000001, "0"}, {86400.123456789, "86400.123457"}, {2e12, "2e+12"}, {math.NaN(), "0"},
	} {
		if got := string(appendWall(nil, c.w)); got != c.want {
			t.Errorf("appendWall(%v) = %q, want %q", c.w, got, c.want)
		}
	}
}

func TestParseWallMatchesParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 200_000 {
		var w float64
		switch i % 4 {
		case 0:
			w = rng.Float64() * 100
		case 1:
			w = rng.Float64() * 1e9
		case 2:
			w = -rng.Float64()
		default:
			w = float64(rng.IntN(1000)) / 8
		}
		b := appendWall(nil, w)
		got, rest, ok := parseWall(append(b, ','))
		want, err := strconv.ParseFloat(string(b), 64)
		if !ok || err != nil || got != want || string(rest) != "," {
			t.Fatalf("parseWall(%s) = %v %q %v, ParseFloat %v %v", b, got, rest, ok, want, err)
		}
	}
	for _, s := range []string{"1e3", "0.1234567", "1.", "01", "-", "1234567890123.5", "2.5E1"} {
		got, _, ok := parseWall([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if ok != (err == nil) || ok && got != want {
			t.Errorf("parseWall(%q) = %v %v, ParseFloat %v %v", s, got, ok, want, err)
		}
	}
}
