// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// Point is one measurement of a series. Its field order matches
// charts.CurvePoint, but Epoch is NaN (not 0) when unknown.
type Point struct {
	Step int64
	// Wall is seconds since the run's start time.
	Wall float64
	// Epoch is the (fractional) epoch, NaN when not recorded.
	Epoch float64
	// Value may be NaN or ±Inf: charts draw it as a gap.
	Value float64
}

// HasEpoch reports whether the point recorded an epoch.
func (p Point) HasEpoch() bool { return !math.IsNaN(p.Epoch) }

// MarshalJSON writes the point as scalars.jsonl does (without the series
// name): {"step":..,"wall":..,"epoch":..,"value":..}, a non-finite value as
// null plus "nonfinite", no "epoch" when unknown.
func (p Point) MarshalJSON() ([]byte, error) {
	return appendPointFields(append(make([]byte, 0, 80), '{'), p, true), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Point) UnmarshalJSON(data []byte) error {
	var l scalarLine
	if err := json.Unmarshal(data, &l); err != nil {
		return err
	}
	q, err := l.point()
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// appendPointFields appends "step":..,"wall":..[,"epoch":..],"value":..
// [,"nonfinite":".."] and, if closeObj, the closing brace.
func appendPointFields(b []byte, p Point, closeObj bool) []byte {
	b = append(b, `"step":`...)
	b = strconv.AppendInt(b, p.Step, 10)
	b = append(b, `,"wall":`...)
	b = appendWall(b, p.Wall)
	if !math.IsNaN(p.Epoch) && !math.IsInf(p.Epoch, 0) {
		b = append(b, `,"epoch":`...)
		b = appendFloat(b, p.Epoch)
	}
	b = append(b, `,"value":`...)
	switch {
	case math.IsNaN(p.Value):
		b = append(b, `null,"nonfinite":"nan"`...)
	case math.IsInf(p.Value, 1):
		b = append(b, `null,"nonfinite":"+inf"`...)
	case math.IsInf(p.Value, -1):
		b = append(b, `null,"nonfinite":"-inf"`...)
	default:
		b = appendFloat(b, p.Value)
	}
	if closeObj {
		b = append(b, '}')
	}
	return b
}

// appendWall writes a wall time rounded to the microsecond ("12.5",
// "0.000125", "3"), which is faster than the shortest float64.
func appendWall(b []byte, w float64) []byte {
	if !(math.Abs(w) < 1e12) {
		return appendFloat(b, w)
	}
	us := int64(math.Round(w * 1e6))
	if us < 0 {
		b = append(b, '-')
		us = -us
	}
	b = strconv.AppendInt(b, us/1e6, 10)
	frac := us % 1e6
	if frac == 0 {
		return b
	}
	var d [7]byte
	d[0] = '.'
	for i := 6; i >= 1; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 7
	for d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}

// appendFloat writes a finite float64 as the shortest JSON number that reads
// back to the same value (non-finite values, which callers exclude, as 0).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// pt is a point plus its arrival order, which breaks ties between equal
// steps and identifies a point kept in several roles of a bucket.
type pt struct {
	Point
	seq uint64
}

// before orders points by step, then arrival.
func (a *pt) before(b *pt) bool {
	return a.Step < b.Step || (a.Step == b.Step && a.seq < b.seq)
}

// bucket summarizes the points whose step falls in one step range: how many,
// their smallest and largest step, the finite minimum and maximum, and the
// first non-finite point.
type bucket struct {
	n, nNF              int64 // points; non-finite points
	sum                 float64
	firstStep, lastStep int64
	min, max            pt // valid when n > nNF
	nf                  pt // valid when nNF > 0
}

// bucketBytes is the memory of one bucket.
const bucketBytes = 160

func (b *bucket) add(p *pt) {
	if b.n == 0 {
		b.firstStep, b.lastStep = p.Step, p.Step
	} else {
		b.firstStep, b.lastStep = min(b.firstStep, p.Step), max(b.lastStep, p.Step)
	}
	b.n++
	if !isFinite(p.Value) {
		if b.nNF == 0 || p.before(&b.nf) {
			b.nf = *p
		}
		b.nNF++
		return
	}
	if b.n-b.nNF == 1 {
		b.min, b.max = *p, *p
	} else {
		if p.Value < b.min.Value {
			b.min = *p
		}
		if p.Value > b.max.Value {
			b.max = *p
		}
	}
	b.sum += p.Value
}

// merge folds o into b.
func (b *bucket) merge(o *bucket) {
	if o.n == 0 {
		return
	}
	if b.n == 0 {
		*b = *o
		return
	}
	b.firstStep, b.lastStep = min(b.firstStep, o.firstStep), max(b.lastStep, o.lastStep)
	bf, of := b.n-b.nNF, o.n-o.nNF
	switch {
	case bf == 0:
		b.min, b.max = o.min, o.max
	case of > 0:
		if o.min.Value < b.min.Value {
			b.min = o.min
		}
		if o.max.Value > b.max.Value {
			b.max = o.max
		}
	}
	if o.nNF > 0 && (b.nNF == 0 || o.nf.before(&b.nf)) {
		b.nf = o.nf
	}
	b.n += o.n
	b.nNF += o.nNF
	b.sum += o.sum
}

// summary is the bounded in-memory view of one series: a fixed number of
// buckets over the step range, plus the first, last and latest points.
// Bucket k holds steps [k<<shift, (k+1)<<shift); when a step falls outside
// the window of nb consecutive buckets the width doubles (shift++) and pairs
// of buckets merge, so memory stays nb buckets whatever the number of points.
// Between doublings half to all of the nb buckets are in use; views regroup
// them into as many groups as they need.
type summary struct {
	bk          []bucket // grows up to nb, then stays
	nb          int      // number of buckets
	shift       uint     // bucket width is 1<<shift steps
	k0          int64    // key of bk[0]
	kmin, kmax  int64    // keys of the first and last non-empty buckets
	count       int64
	nonfinite   int64
	first, last pt // by step (ties: first and last added)
	latest      pt // last point added
	seq         uint64
	// raw holds every point, in arrival order, while there are at most
	// rawMax of them: small series (evaluations) are shown whole.
	raw    []Point
	rawMax int
}

func newSummary(buckets int) *summary {
	return &summary{nb: buckets}
}

// groupsFor returns how many bucket groups a view of maxPoints points uses:
// each group gives its min and max (and a non-finite point, when it has
// one: see points), plus the series' first and last points.
func groupsFor(maxPoints int) int {
	return max(1, (maxPoints-2)/2)
}

// newSummaryFor returns a summary for views of maxPoints points: twice the
// groups a view uses, so that a view always has about groupsFor(maxPoints)
// groups (the buckets in use are between half and all of them).
func newSummaryFor(maxPoints int) *summary {
	s := newSummary(2 * groupsFor(maxPoints))
	s.rawMax = maxPoints
	return s
}

// add inserts one point; it never allocates once the buckets are all in use.
func (s *summary) add(p Point) {
	s.seq++
	q := pt{Point: p, seq: s.seq}
	s.latest = q
	s.count++
	if s.count <= int64(s.rawMax) {
		s.raw = append(s.raw, p)
	} else if s.raw != nil {
		s.raw = nil
	}
	if !isFinite(p.Value) {
		s.nonfinite++
	}
	if s.count == 1 {
		s.first, s.last = q, q
	} else {
		if q.before(&s.first) {
			s.first = q
		}
		if !q.before(&s.last) {
			s.last = q
		}
	}
	s.bucketFor(p.Step).add(&q)
}

// bucketFor returns the bucket of step, growing the bucket width if needed.
func (s *summary) bucketFor(step int64) *bucket {
	k := step >> s.shift
	if s.count == 1 { // first point
		s.k0, s.kmin, s.kmax = k, k, k
		s.grow(1)
		return &s.bk[0]
	}
	nb := uint64(s.nb)
	for {
		lo, hi := min(s.kmin, k), max(s.kmax, k)
		if uint64(hi)-uint64(lo) < nb {
			break
		}
		s.double()
		k = step >> s.shift
	}
	if k < s.k0 {
		s.rebase(k)
	}
	s.kmin, s.kmax = min(s.kmin, k), max(s.kmax, k)
	i := int(uint64(k) - uint64(s.k0))
	s.grow(i + 1)
	return &s.bk[i]
}

// grow makes len(s.bk) at least n (n <= s.nb): series with few points stay
// small.
func (s *summary) grow(n int) {
	if n <= len(s.bk) {
		return
	}
	if n <= cap(s.bk) {
		s.bk = s.bk[:n]
		return
	}
	c := min(max(n, 2*cap(s.bk), 8), s.nb)
	bk := make([]bucket, n, c)
	copy(bk, s.bk)
	s.bk = bk
}

// rebase moves the window so that bk[0] holds key k0 < s.k0 (all used keys
// must fit). Invariant outside rebase: k0 == kmin.
func (s *summary) rebase(k0 int64) {
	shift := int(uint64(s.k0) - uint64(k0))
	used := int(uint64(s.kmax)-uint64(s.k0)) + 1
	s.grow(used + shift)
	copy(s.bk[shift:shift+used], s.bk[:used])
	clear(s.bk[:shift])
	s.k0 = k0
}

// double halves the resolution: bucket width doubles and pairs merge.
func (s *summary) double() {
	newK0 := s.k0 >> 1
	used := int(uint64(s.kmax) - uint64(s.k0))
	for i := 0; i <= used; i++ {
		b := s.bk[i]
		s.bk[i] = bucket{}
		if b.n == 0 {
			continue
		}
		j := uint64((s.k0+int64(i))>>1) - uint64(newK0)
		s.bk[j].merge(&b)
	}
	s.shift++
	s.k0 = newK0
	s.kmin >>= 1
	s.kmax >>= 1
}

// each calls fn for at most groups groups of consecutive non-empty buckets,
// in step order: the buckets in use are split into groups of equal size
// (give or take one bucket).
func (s *summary) each(groups int, fn func(b *bucket)) {
	if s.count == 0 || groups < 1 {
		return
	}
	span := uint64(s.kmax-s.k0) + 1 // <= nb
	var cur bucket
	curGroup := uint64(0)
	have := false
	for i := uint64(0); i < span; i++ {
		b := &s.bk[i]
		if b.n == 0 {
			continue
		}
		g := i
		if span > uint64(groups) {
			g = i * uint64(groups) / span
		}
		if have && g != curGroup {
			fn(&cur)
			cur = bucket{}
		}
		cur.merge(b)
		curGroup, have = g, true
	}
	if have {
		fn(&cur)
	}
}

// Downsample returns at most maxPoints (5 or more) of points, sorted by step, as the
// views of a run keep them (Run.SeriesN): all of them when they fit, else the first and
// the last, and for each group of steps the finite minimum and maximum and the first NaN
// or ±Inf, so that spikes and gaps survive. points need not be sorted. For series read
// from elsewhere, such as a TensorBoard log.
func Downsample(points []Point, maxPoints int) []Point {
	d := NewDownsampler(maxPoints)
	for _, p := range points {
		d.Add(p)
	}
	return d.Points()
}

// Downsampler downsamples a series while its points arrive, in bounded memory: the run
// store's buckets (about 2*maxPoints of them, a few hundred bytes each, whatever the number
// of points), from which Points gives what Downsample gives for the same points. For
// series too long to hold, such as those of a huge TensorBoard log. Not safe for
// concurrent use.
type Downsampler struct {
	s         *summary
	maxPoints int
}

// NewDownsampler returns a Downsampler whose Points returns at most maxPoints (5 or
// more) points.
func NewDownsampler(maxPoints int) *Downsampler {
	maxPoints = max(maxPoints, 5)
	return &Downsampler{s: newSummaryFor(maxPoints), maxPoints: maxPoints}
}

// Add adds one point (in any step order); it does not allocate once the buckets are in
// use.
func (d *Downsampler) Add(p Point) { d.s.add(p) }

// Count is the number of points added.
func (d *Downsampler) Count() int64 { return d.s.count }

// Points returns the downsampled series, sorted by step (see Downsample).
func (d *Downsampler) Points() []Point { return d.s.points(d.maxPoints) }

// points returns at most maxPoints (>= 5) points sorted by step: the first
// and last points, and per group of buckets the finite min and max and the
// first non-finite point. Non-finite points cost one point each: with nfb
// buckets holding some, (maxPoints-2-nfb)/2 groups fit, and never fewer than
// (maxPoints-2)/3.
func (s *summary) points(maxPoints int) []Point {
	if s.count == 0 {
		return nil
	}
	if s.raw != nil && len(s.raw) <= maxPoints {
		out := slices.Clone(s.raw)
		slices.SortStableFunc(out, func(a, b Point) int { return cmp.Compare(a.Step, b.Step) })
		return out
	}
	nfb := 0
	if s.nonfinite > 0 {
		for i := range s.bk {
			if s.bk[i].nNF > 0 {
				nfb++
			}
		}
	}
	groups := max(1, (maxPoints-2)/3, (maxPoints-2-nfb)/2)
	out := make([]Point, 0, min(int64(maxPoints), 3*s.count+2))
	return s.appendPoints(out, groups)
}

func (s *summary) appendPoints(out []Point, groups int) []Point {
	out = append(out, s.first.Point)
	lastSeq := s.first.seq
	s.each(groups, func(b *bucket) {
		var c [3]*pt
		n := 0
		if b.nNF > 0 {
			c[n] = &b.nf
			n++
		}
		if b.n > b.nNF {
			c[n] = &b.min
			n++
			if b.max.seq != b.min.seq {
				c[n] = &b.max
				n++
			}
		}
		for i := 1; i < n; i++ { // sort at most 3
			for j := i; j > 0 && c[j].before(c[j-1]); j-- {
				c[j], c[j-1] = c[j-1], c[j]
			}
		}
		for _, p := range c[:n] {
			if p.seq == s.first.seq || p.seq == s.last.seq {
				continue
			}
			out = append(out, p.Point)
			lastSeq = p.seq
		}
	})
	if s.last.seq != lastSeq {
		out = append(out, s.last.Point)
	}
	return out
}

// Bucket summarizes the points of a series whose steps fall in
// [FirstStep, LastStep]: for min/max bands (as W&B draws them) or a mean
// line.
type Bucket struct {
	// FirstStep and LastStep are the smallest and largest steps in the
	// bucket.
	FirstStep, LastStep int64
	// Count is the number of points; NonFinite how many of them were NaN or
	// ±Inf.
	Count, NonFinite int64
	// Min, Max and Mean are over the finite values; NaN when there are none.
	Min, Max, Mean float64
}

func (s *summary) buckets(maxBuckets int) []Bucket {
	var out []Bucket
	s.each(maxBuckets, func(b *bucket) {
		o := Bucket{FirstStep: b.firstStep, LastStep: b.lastStep, Count: b.n, NonFinite: b.nNF, Min: math.NaN(), Max: math.NaN(), Mean: math.NaN()}
		if f := b.n - b.nNF; f > 0 {
			o.Min, o.Max, o.Mean = b.min.Value, b.max.Value, b.sum/float64(f)
		}
		out = append(out, o)
	})
	return out
}
