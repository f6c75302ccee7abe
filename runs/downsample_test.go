// SPDX-License-Identifier: Apache-2.0

package runs

// The downsampling comparison behind the package doc's numbers:
//
//	GOEXPERIMENT=simd go test -run TestDownsampleComparison -v ./runs/
//	GOEXPERIMENT=simd go test -run '^$' -bench BenchmarkDownsample -benchmem ./runs/

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// noisyLoss is a training loss over n steps: exponential decay, noise that
// shrinks as training goes, 12 single-step spikes, 6 isolated NaN steps and
// one NaN stretch of 200 steps (diverged, then recovered from a checkpoint).
type noisyLoss struct {
	points []Point
	spikes []int64    // steps of the spikes
	gaps   [][2]int64 // step ranges of the non-finite stretches
}

func makeNoisyLoss(n int) noisyLoss {
	rng := rand.New(rand.NewPCG(7, 11))
	var d noisyLoss
	d.points = make([]Point, n)
	for i := range n {
		x := float64(i) / float64(n)
		v := 2.3*math.Exp(-6*x) + 0.15 + (0.05+0.25*math.Exp(-4*x))*rng.NormFloat64()*0.4
		d.points[i] = Point{Step: int64(i), Value: v, Wall: float64(i) * 0.01, Epoch: math.NaN()}
	}
	for k := range 12 {
		i := n/20 + k*(n/13) + rng.IntN(n/50)
		d.points[i].Value += 1.5 + rng.Float64()
		d.spikes = append(d.spikes, int64(i))
	}
	for k := range 6 {
		i := n/30 + k*(n/7) + rng.IntN(n/60) + 1
		d.points[i].Value = math.NaN()
		d.gaps = append(d.gaps, [2]int64{int64(i), int64(i)})
	}
	g0 := int64(n * 7 / 10)
	for i := g0; i < g0+200 && i < int64(n); i++ {
		d.points[i].Value = math.NaN()
	}
	d.gaps = append(d.gaps, [2]int64{g0, g0 + 199})
	return d
}

// raster is what a line chart draws in each pixel column: the vertical
// extent [lo, hi] of the polyline there (in pixels), broken at non-finite
// points as Vega-Lite breaks a line at null values.
type raster struct {
	lo, hi []float64
	has    []bool
}

func render(pts []Point, s0, s1 int64, y0, y1 float64, w, h int) raster {
	r := raster{lo: make([]float64, w), hi: make([]float64, w), has: make([]bool, w)}
	xOf := func(s int64) float64 { return float64(s-s0) / float64(s1-s0) * float64(w) }
	yOf := func(v float64) float64 { return (v - y0) / (y1 - y0) * float64(h) }
	mark := func(c int, y float64) {
		if c < 0 {
			c = 0
		}
		if c >= w {
			c = w - 1
		}
		if !r.has[c] {
			r.lo[c], r.hi[c], r.has[c] = y, y, true
			return
		}
		r.lo[c], r.hi[c] = min(r.lo[c], y), max(r.hi[c], y)
	}
	for i, p := range pts {
		if !isFinite(p.Value) {
			continue
		}
		xa, ya := xOf(p.Step), yOf(p.Value)
		mark(int(xa), ya)
		if i+1 == len(pts) || !isFinite(pts[i+1].Value) {
			continue
		}
		xb, yb := xOf(pts[i+1].Step), yOf(pts[i+1].Value)
		for c := int(xa); c <= int(xb) && c < w; c++ {
			for _, x := range []float64{max(xa, float64(c)), min(xb, float64(c+1))} {
				y := ya
				if xb > xa {
					y = ya + (yb-ya)*(x-xa)/(xb-xa)
				}
				mark(c, y)
			}
		}
	}
	return r
}

// pixelError compares two rasters: the largest and mean difference of the
// columns' extents, and the columns drawn by one and not the other.
func pixelError(full, got raster) (maxErr, meanErr float64, mismatched int) {
	n := 0
	for c := range full.lo {
		if full.has[c] != got.has[c] {
			mismatched++
			continue
		}
		if !full.has[c] {
			continue
		}
		e := max(math.Abs(full.lo[c]-got.lo[c]), math.Abs(full.hi[c]-got.hi[c]))
		maxErr = max(maxErr, e)
		meanErr += e
		n++
	}
	return maxErr, meanErr / float64(max(n, 1)), mismatched
}

// lttb is Largest-Triangle-Three-Buckets (Steinarsson 2013) over the finite
// points (it has no notion of gaps), keeping first and last.
func lttb(all []Point, n int) []Point {
	pts := make([]Point, 0, len(all))
	for _, p := range all {
		if isFinite(p.Value) {
			pts = append(pts, p)
		}
	}
	if n >= len(pts) || n < 3 {
		return pts
	}
	out := make([]Point, 0, n)
	out = append(out, pts[0])
	every := float64(len(pts)-2) / float64(n-2)
	a := 0
	for i := range n - 2 {
		s, e := int(float64(i)*every)+1, int(float64(i+1)*every)+1
		ns, ne := e, min(int(float64(i+2)*every)+1, len(pts))
		var ax, ay float64
		for _, p := range pts[ns:ne] {
			ax += float64(p.Step)
			ay += p.Value
		}
		cnt := float64(ne - ns)
		ax, ay = ax/cnt, ay/cnt
		px, py := float64(pts[a].Step), pts[a].Value
		best, bestArea := s, -1.0
		for j := s; j < e; j++ {
			area := math.Abs((px-ax)*(pts[j].Value-py) - (px-float64(pts[j].Step))*(ay-py))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, pts[best])
		a = best
	}
	return append(out, pts[len(pts)-1])
}

// reservoir is TensorBoard's scheme: a uniform random sample of n points
// (plus the last), kept as they stream in.
func reservoir(all []Point, n int) []Point {
	rng := rand.New(rand.NewPCG(1, 1))
	keep := make([]Point, 0, n)
	for i, p := range all {
		if len(keep) < n {
			keep = append(keep, p)
		} else if j := rng.IntN(i + 1); j < n {
			keep[j] = p
		}
	}
	keep[n-1] = all[len(all)-1]
	slices.SortFunc(keep, func(a, b Point) int { return cmpInt(a.Step, b.Step) })
	return keep
}

// m4 keeps per step bucket the first, min, max and last points (M4,
// Jugel et al. 2014), with 4 points per bucket and the same doubling
// buckets; computed offline here for the comparison.
func m4(all []Point, maxPoints int) []Point {
	nb := (maxPoints - 1) / 4
	w := int64(1)
	for (all[len(all)-1].Step-all[0].Step)/w >= int64(nb) {
		w *= 2
	}
	var out []Point
	for i := 0; i < len(all); {
		k := all[i].Step / w
		j := i
		mn, mx := -1, -1
		for j < len(all) && all[j].Step/w == k {
			if isFinite(all[j].Value) {
				if mn < 0 || all[j].Value < all[mn].Value {
					mn = j
				}
				if mx < 0 || all[j].Value > all[mx].Value {
					mx = j
				}
			}
			j++
		}
		idx := []int{i, j - 1}
		if mn >= 0 {
			idx = append(idx, mn, mx)
		}
		for k := i; k < j; k++ {
			if !isFinite(all[k].Value) {
				idx = append(idx, k)
				break
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		for _, k := range idx {
			out = append(out, all[k])
		}
		i = j
	}
	return out
}

type method struct {
	name string
	// run returns the view and the per-point cost of building it as points
	// stream in (ns per Add) and of producing the view (ms).
	run func(all []Point, maxPoints int) (view []Point, nsPerAdd float64, viewMs float64, memBytes int)
}

var downsampleMethods = []method{
	{"buckets min/max, 2x (chosen)", func(all []Point, mp int) ([]Point, float64, float64, int) {
		t0 := time.Now()
		s := newSummaryFor(mp)
		for _, p := range all {
			s.add(p)
		}
		t1 := time.Now()
		v := s.points(mp)
		return v, float64(t1.Sub(t0).Nanoseconds()) / float64(len(all)), float64(time.Since(t1).Microseconds()) / 1000, cap(s.bk) * bucketBytes
	}},
	{"buckets min/max, 1x", func(all []Point, mp int) ([]Point, float64, float64, int) {
		t0 := time.Now()
		s := newSummary(groupsFor(mp))
		for _, p := range all {
			s.add(p)
		}
		return s.points(mp), float64(time.Since(t0).Nanoseconds()) / float64(len(all)), 0, s.nb * bucketBytes
	}},
	{"M4 4/bucket (offline)", func(all []Point, mp int) ([]Point, float64, float64, int) {
		t0 := time.Now()
		v := m4(all, mp)
		return v, float64(time.Since(t0).Nanoseconds()) / float64(len(all)), 0, 0
	}},
	{"LTTB (all points kept)", func(all []Point, mp int) ([]Point, float64, float64, int) {
		t0 := time.Now()
		kept := make([]Point, 0, 1024)
		kept = append(kept, all...)
		t1 := time.Now()
		v := lttb(kept, mp)
		return v, float64(t1.Sub(t0).Nanoseconds()) / float64(len(all)), float64(time.Since(t1).Microseconds()) / 1000, cap(kept) * 32
	}},
	{"reservoir (TensorBoard)", func(all []Point, mp int) ([]Point, float64, float64, int) {
		t0 := time.Now()
		v := reservoir(all, mp)
		return v, float64(time.Since(t0).Nanoseconds()) / float64(len(all)), 0, mp * 32
	}},
}

type comparison struct {
	name                 string
	points               int
	maxErr1000, mean1000 float64
	mis1000              int
	maxErr360, mean360   float64
	spikes, gaps         int
	nsPerAdd, viewMs     float64
	mem                  int
}

func compareDownsampling(d noisyLoss, maxPoints int) []comparison {
	all := d.points
	s0, s1 := all[0].Step, all[len(all)-1].Step
	y0, y1 := math.Inf(1), math.Inf(-1)
	for _, p := range all {
		if isFinite(p.Value) {
			y0, y1 = min(y0, p.Value), max(y1, p.Value)
		}
	}
	full1000 := render(all, s0, s1, y0, y1, 1000, 400)
	full360 := render(all, s0, s1, y0, y1, 360, 220)
	var out []comparison
	for _, m := range downsampleMethods {
		v, ns, ms, mem := m.run(all, maxPoints)
		c := comparison{name: m.name, points: len(v), nsPerAdd: ns, viewMs: ms, mem: mem}
		c.maxErr1000, c.mean1000, c.mis1000 = pixelError(full1000, render(v, s0, s1, y0, y1, 1000, 400))
		c.maxErr360, c.mean360, _ = pixelError(full360, render(v, s0, s1, y0, y1, 360, 220))
		for _, s := range d.spikes {
			spike := all[s].Value
			for _, p := range v {
				if p.Step == s && p.Value == spike {
					c.spikes++
					break
				}
			}
		}
		for _, g := range d.gaps {
			for _, p := range v {
				if p.Step >= g[0] && p.Step <= g[1] && !isFinite(p.Value) {
					c.gaps++
					break
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// TestDownsampleComparison measures the downsampling schemes on a noisy loss
// curve of 1e6 points (and 1.1e6, just past a doubling of the bucket width)
// drawn at 1000 and 360 px, and checks the chosen one.
func TestDownsampleComparison(t *testing.T) {
	sizes := []int{1_000_000, 1_100_000}
	if testing.Short() || raceEnabled {
		sizes = []int{200_000}
	}
	for _, n := range sizes {
		d := makeNoisyLoss(n)
		res := compareDownsampling(d, DefaultMaxPoints)
		var b strings.Builder
		fmt.Fprintf(&b, "%d points, views of at most %d; error in px of the drawn column extents (chart 1000x400 and 360x220), max / mean over columns\n", n, DefaultMaxPoints)
		fmt.Fprintf(&b, "%-32s %6s %16s %16s %7s %5s %6s %8s %8s\n", "method", "points", "err@1000 max/mean", "err@360 max/mean", "spikes", "gaps", "ns/Add", "view ms", "memory")
		for _, c := range res {
			mem := "-"
			if c.mem > 0 {
				mem = fmt.Sprintf("%.0f KiB", float64(c.mem)/1024)
			}
			fmt.Fprintf(&b, "%-32s %6d %8.1f / %5.2f %8.1f / %5.2f %4d/%d %3d/%d %6.1f %8.2f %8s\n", c.name, c.points,
				c.maxErr1000, c.mean1000, c.maxErr360, c.mean360, c.spikes, len(d.spikes), c.gaps, len(d.gaps), c.nsPerAdd, c.viewMs, mem)
		}
		t.Log("\n" + b.String())
		chosen := res[0]
		if chosen.points > DefaultMaxPoints || chosen.points < DefaultMaxPoints*9/10 {
			t.Errorf("n=%d: chosen method gave %d points, want %d to %d", n, chosen.points, DefaultMaxPoints*9/10, DefaultMaxPoints)
		}
		if chosen.spikes != len(d.spikes) || chosen.gaps != len(d.gaps) {
			t.Errorf("n=%d: chosen method kept %d/%d spikes and %d/%d gaps; it must keep all", n, chosen.spikes, len(d.spikes), chosen.gaps, len(d.gaps))
		}
		if chosen.mean360 > 3 {
			t.Errorf("n=%d: chosen method's mean error at 360 px is %.2f px, want <= 3", n, chosen.mean360)
		}
	}
}

// BenchmarkDownsample is the cost per point of each scheme as points stream
// in (LTTB: appending, plus building the view at the end).
func BenchmarkDownsample(b *testing.B) {
	d := makeNoisyLoss(1 << 20)
	b.Run("buckets", func(b *testing.B) {
		s := newSummaryFor(DefaultMaxPoints)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s.add(d.points[i&(1<<20-1)])
		}
	})
	b.Run("lttb", func(b *testing.B) {
		kept := make([]Point, 0, 1024)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			kept = append(kept, d.points[i&(1<<20-1)])
		}
		_ = lttb(kept, DefaultMaxPoints)
	})
}

// Downsample gives a few points back whole, sorted by step, and bounds many.
func TestDownsampleExported(t *testing.T) {
	got := Downsample([]Point{{Step: 3, Value: 3}, {Step: 1, Value: 1}, {Step: 2, Value: math.Inf(1)}}, 0)
	if len(got) != 3 || got[0].Step != 1 || got[1].Step != 2 || got[2].Step != 3 || !math.IsInf(got[1].Value, 1) {
		t.Errorf("three points: %+v", got)
	}
	many := make([]Point, 100_000)
	for i := range many {
		many[i] = Point{Step: int64(len(many) - i), Value: float64(i % 97)}
	}
	if got := Downsample(many, 300); len(got) > 300 || got[0].Step != 1 || got[len(got)-1].Step != 100_000 {
		t.Errorf("100,000 points: %d kept, from %d to %d", len(got), got[0].Step, got[len(got)-1].Step)
	}
	if Downsample(nil, 10) != nil {
		t.Error("no points: not nil")
	}
}

// TestDownsamplerBounded: points added one by one give what Downsample gives, and the
// Downsampler holds a fixed number of buckets (and no raw points) however many arrive.
func TestDownsamplerBounded(t *testing.T) {
	loss := makeNoisyLoss(200_000)
	d := NewDownsampler(1000)
	maxBuckets := 0
	for i, p := range loss.points {
		d.Add(p)
		maxBuckets = max(maxBuckets, len(d.s.bk))
		if i == 5000 && d.s.raw != nil {
			t.Fatalf("raw points kept past maxPoints")
		}
	}
	if d.Count() != 200_000 {
		t.Errorf("Count %d", d.Count())
	}
	if maxBuckets > 2*groupsFor(1000) {
		t.Errorf("%d buckets held, want at most %d", maxBuckets, 2*groupsFor(1000))
	}
	got, want := d.Points(), Downsample(loss.points, 1000)
	if len(got) > 1000 || len(got) < 500 || !slices.EqualFunc(got, want, func(a, b Point) bool {
		return a.Step == b.Step && (a.Value == b.Value || math.IsNaN(a.Value) && math.IsNaN(b.Value))
	}) {
		t.Errorf("Downsampler kept %d points, Downsample %d, not the same", len(got), len(want))
	}
	for _, s := range loss.spikes {
		if !slices.ContainsFunc(got, func(p Point) bool { return p.Step == s }) {
			t.Errorf("the spike at step %d was lost", s)
		}
	}
}
