// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gonbviz/gonbviz/runs"
)

// Log is what Read found in a log directory.
type Log struct {
	Dir   string // the directory given to Read
	Runs  []Run  // sorted by name
	Notes []string
}

// Run is one run of a log: the event files of one directory.
type Run struct {
	// Name is the directory's path under the log directory, with forward slashes, as
	// TensorBoard names runs: "." for the log directory itself.
	Name  string
	Files []string // the event files read, in the order read (by name)
	// The series, each sorted by tag, their points by step.
	Scalars    []ScalarSeries
	Histograms []HistogramSeries
	Texts      []TextSeries
	// Graph is the run's network graph (the last graph_def of its files), nil when it has
	// none. Attributes other than strings, "dtype" and "_output_shapes" are left out.
	Graph *Graph
	// Skipped counts what was not loaded, by kind: "image", "audio",
	// `plugin "pr_curves"`, ...
	Skipped map[string]int
}

// ScalarSeries is the scalar series of one tag.
type ScalarSeries struct {
	Tag    string
	Points []ScalarPoint
}

// ScalarPoint is one value of a scalar series. Wall is the event's wall time, in seconds
// since the Unix epoch, as TensorBoard stores it.
type ScalarPoint struct {
	Step  int64
	Wall  float64
	Value float64
}

// HistogramSeries is the histogram series of one tag.
type HistogramSeries struct {
	Tag    string
	Points []HistogramPoint
}

// HistogramPoint is one histogram of a series (Wall as for ScalarPoint).
type HistogramPoint struct {
	Step      int64
	Wall      float64
	Histogram Histogram
}

// TextSeries is the text series of one tag.
type TextSeries struct {
	Tag    string
	Points []TextPoint
}

// TextPoint is one text of a series (Wall as for ScalarPoint).
type TextPoint struct {
	Step int64
	Wall float64
	Text string
}

// Run returns the run named name ("." for the log directory itself), or nil.
func (l *Log) Run(name string) *Run {
	for i := range l.Runs {
		if l.Runs[i].Name == name {
			return &l.Runs[i]
		}
	}
	return nil
}

// Scalar returns the points of the scalar series tag (nil if there is none).
func (r *Run) Scalar(tag string) []ScalarPoint {
	for _, s := range r.Scalars {
		if s.Tag == tag {
			return s.Points
		}
	}
	return nil
}

// Histogram returns the points of the histogram series tag (nil if there is none).
func (r *Run) Histogram(tag string) []HistogramPoint {
	for _, s := range r.Histograms {
		if s.Tag == tag {
			return s.Points
		}
	}
	return nil
}

// Text returns the points of the text series tag (nil if there is none).
func (r *Run) Text(tag string) []TextPoint {
	for _, s := range r.Texts {
		if s.Tag == tag {
			return s.Points
		}
	}
	return nil
}

// IsEventFile reports whether TensorBoard reads a file of this name as an event file: its
// base name holds "tfevents".
func IsEventFile(name string) bool {
	return strings.Contains(filepath.Base(name), "tfevents")
}

// maxNotes bounds Log.Notes; the rest are counted in a last note.
const maxNotes = 100

// Defaults of ReadOptions.
const (
	// DefaultMaxPoints is how many points Read keeps of a scalar series, at most.
	DefaultMaxPoints = 2000
	// DefaultMaxHistograms is how many histograms Read keeps of a series, at most
	// (TensorBoard's server keeps 500).
	DefaultMaxHistograms = 500
	// DefaultMaxTexts is how many texts Read keeps of a series, at most.
	DefaultMaxTexts = 100
)

// ReadOptions bound what ReadWith keeps of each series, so that memory stays bounded on
// huge logs. The zero value gives the defaults; -1 keeps everything.
type ReadOptions struct {
	// MaxPoints bounds the points of a scalar series (default DefaultMaxPoints, at least
	// 5). A longer series is downsampled while it is read, in the run store's bounded
	// buckets (runs.Downsampler): its first and last points, and for each group of steps
	// its lowest and highest values and its first NaN or ±Inf, so that spikes and gaps
	// survive.
	MaxPoints int
	// MaxHistograms bounds the histograms of a series (default DefaultMaxHistograms, at
	// least 2): evenly spaced in the order they were written, the first and the last kept.
	MaxHistograms int
	// MaxTexts bounds the texts of a series (default DefaultMaxTexts, at least 2), kept as
	// histograms are.
	MaxTexts int
}

func (o ReadOptions) check() (ReadOptions, error) {
	for _, f := range []struct {
		name   string
		v      *int
		def, m int
	}{{"MaxPoints", &o.MaxPoints, DefaultMaxPoints, 5}, {"MaxHistograms", &o.MaxHistograms, DefaultMaxHistograms, 2}, {"MaxTexts", &o.MaxTexts, DefaultMaxTexts, 2}} {
		switch {
		case *f.v == 0:
			*f.v = f.def
		case *f.v == -1:
		case *f.v < f.m:
			return o, fmt.Errorf("ReadOptions.%s is %d; use at least %d, 0 for the default %d, or -1 to keep everything", f.name, *f.v, f.m, f.def)
		}
	}
	return o, nil
}

// Read loads the scalars, histograms, texts and graph of every run under logdir (every
// directory, logdir included, that holds event files), as TensorBoard's --logdir reads
// them, with the default ReadOptions: at most DefaultMaxPoints points of each scalar
// series (downsampled while read), DefaultMaxHistograms histograms and DefaultMaxTexts
// texts. logdir may also be one event file, read as the run ".". Damaged files and
// summaries it does not load are named in Log.Notes and counted in Run.Skipped; it fails
// only when logdir cannot be read or holds no event file.
func Read(logdir string) (*Log, error) {
	return ReadWith(logdir, ReadOptions{})
}

// ReadWith is Read with options: how much of each series is kept.
func ReadWith(logdir string, opts ReadOptions) (log *Log, err error) {
	defer func() {
		if r := recover(); r != nil {
			log, err = nil, fmt.Errorf("tensorboard.Read(%q): internal error: %v; please report it with the log", logdir, r)
		}
	}()
	opts, err = opts.check()
	if err != nil {
		return nil, fmt.Errorf("tensorboard.ReadWith(%q): %w", logdir, err)
	}
	fi, err := os.Stat(logdir)
	if err != nil {
		return nil, fmt.Errorf("tensorboard.Read(%q): %w; pass the directory TensorBoard's --logdir would take", logdir, err)
	}
	log = &Log{Dir: logdir}
	files := map[string][]string{} // run -> files
	if !fi.IsDir() {
		files["."] = []string{logdir}
	} else {
		err = filepath.WalkDir(logdir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == logdir {
					return err
				}
				log.note(fmt.Sprintf("tensorboard: %s: %v; skipped", path, err))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && IsEventFile(d.Name()) {
				rel, err := filepath.Rel(logdir, filepath.Dir(path))
				if err != nil {
					rel = filepath.Dir(path)
				}
				run := filepath.ToSlash(rel)
				files[run] = append(files[run], path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("tensorboard.Read(%q): %w", logdir, err)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("tensorboard.Read(%q): no event files (names holding \"tfevents\") in it or below; pass the directory TensorBoard's --logdir would take", logdir)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		paths := files[name]
		sort.Strings(paths)
		b := newRunBuilder(name, log, opts)
		for _, p := range paths {
			b.readFile(p)
		}
		log.Runs = append(log.Runs, b.finish())
	}
	if n := len(log.Notes) - maxNotes; n > 0 {
		log.Notes = append(log.Notes[:maxNotes], fmt.Sprintf("tensorboard: and %d more notes", n))
	}
	return log, nil
}

func (l *Log) note(s string) { l.Notes = append(l.Notes, s) }

// runBuilder collects the series of one run.
type runBuilder struct {
	log     *Log
	opts    ReadOptions
	run     Run
	plugins map[string]string // tag -> plugin, from the first value of the tag with metadata
	scalars map[string]*scalarSeries
	histos  map[string]*keeper[HistogramPoint]
	texts   map[string]*keeper[TextPoint]
	// of the file being read
	bad      int // records and values that could not be decoded
	firstBad string
}

// scalarSeries collects a scalar series: every point, or with ReadOptions.MaxPoints, a
// Downsampler's buckets.
type scalarSeries struct {
	all  []ScalarPoint
	down *runs.Downsampler
}

func (s *scalarSeries) add(p ScalarPoint) {
	if s.down != nil {
		s.down.Add(runs.Point{Step: p.Step, Wall: p.Wall, Epoch: math.NaN(), Value: p.Value})
	} else {
		s.all = append(s.all, p)
	}
}

func (s *scalarSeries) points() []ScalarPoint {
	if s.down == nil {
		return s.all
	}
	ps := s.down.Points()
	out := make([]ScalarPoint, len(ps))
	for i, p := range ps {
		out[i] = ScalarPoint{Step: p.Step, Wall: p.Wall, Value: p.Value}
	}
	return out
}

// keeper keeps at most max of the points of a series (max -1: all), evenly spaced in
// arrival order: the n-th point is kept when n is a multiple of the stride, which doubles
// (dropping every other kept point) when max are kept; the last point is kept too.
type keeper[T any] struct {
	max    int
	stride int64
	n      int64
	kept   []T
	last   T
	lastN  int64
}

func (k *keeper[T]) add(p T) {
	if k.max < 0 {
		k.kept = append(k.kept, p)
		return
	}
	if k.stride == 0 {
		k.stride = 1
	}
	if k.n%k.stride == 0 {
		if len(k.kept) == k.max-1 { // one place stays for the last point
			j := 0
			for i := 0; i < len(k.kept); i += 2 {
				k.kept[j] = k.kept[i]
				j++
			}
			clear(k.kept[j:])
			k.kept = k.kept[:j]
			k.stride *= 2
		}
		if k.n%k.stride == 0 {
			k.kept = append(k.kept, p)
		}
	}
	k.last, k.lastN = p, k.n
	k.n++
}

func (k *keeper[T]) points() []T {
	if k.max >= 0 && k.n > 0 && k.lastN%k.stride != 0 {
		return append(k.kept, k.last)
	}
	return k.kept
}

func newRunBuilder(name string, log *Log, opts ReadOptions) *runBuilder {
	return &runBuilder{
		log: log, opts: opts, run: Run{Name: name, Skipped: map[string]int{}},
		plugins: map[string]string{}, scalars: map[string]*scalarSeries{},
		histos: map[string]*keeper[HistogramPoint]{}, texts: map[string]*keeper[TextPoint]{},
	}
}

// readFile reads one event file into the run.
func (b *runBuilder) readFile(path string) {
	b.bad, b.firstBad = 0, ""
	b.run.Files = append(b.run.Files, path)
	f, err := os.Open(path)
	if err != nil {
		b.log.note(fmt.Sprintf("tensorboard: %v; skipped", err))
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		b.log.note(fmt.Sprintf("tensorboard: %v; skipped", err))
		return
	}
	rr := &recordReader{r: bufio.NewReaderSize(f, 1<<16), size: fi.Size()}
	good := 0
	for {
		start := rr.off
		data, err := rr.next()
		if err == io.EOF {
			break
		}
		var ce crcError
		switch {
		case errors.Is(err, errTruncated):
			b.log.note(fmt.Sprintf("tensorboard: %s: the last record is cut short at byte %d of %d (a writer killed mid-write, or still writing); read the %d records before it", path, rr.off, rr.size, good))
		case errors.As(err, &ce):
			b.log.note(ce.note(path, rr.off, good))
		case err != nil:
			b.log.note(fmt.Sprintf("tensorboard: %s: reading stopped at byte %d: %v", path, rr.off, err))
		}
		if err != nil {
			break
		}
		good++
		b.record(data, start)
	}
	if b.bad > 0 {
		b.log.note(fmt.Sprintf("tensorboard: %s: %d records or summary values could not be decoded and were skipped; the first: %s", path, b.bad, b.firstBad))
	}
}

func (b *runBuilder) fail(off int64, err error) {
	if b.bad == 0 {
		b.firstBad = fmt.Sprintf("the record at byte %d: %v", off, err)
	}
	b.bad++
}

// record loads one event, of the record at byte off.
func (b *runBuilder) record(data []byte, off int64) {
	ev, err := decodeEvent(data)
	if err != nil {
		b.fail(off, fmt.Errorf("not an Event: %w", err))
		return
	}
	if ev.graph != nil {
		g, err := decodeGraph(ev.graph)
		if err != nil {
			b.fail(off, fmt.Errorf("graph_def: %w", err))
		} else {
			b.run.Graph = &g
		}
	}
	if ev.summary == nil {
		return
	}
	err = decodeSummary(ev.summary, func(v value) error {
		if err := b.value(ev, v); err != nil {
			b.fail(off, fmt.Errorf("tag %q: %w", v.tag, err))
		}
		return nil
	})
	if err != nil {
		b.fail(off, err)
	}
}

// value loads one summary value.
func (b *runBuilder) value(ev event, v value) error {
	if v.hasPlugin {
		if _, seen := b.plugins[v.tag]; !seen {
			b.plugins[v.tag] = v.plugin
		}
	}
	switch v.kind {
	case "simple_value":
		b.scalar(v.tag, ScalarPoint{Step: ev.step, Wall: ev.wall, Value: float64(v.simple)})
		return nil
	case "histo":
		h, err := decodeHistogram(v.payload)
		if err != nil {
			return err
		}
		b.histogram(v.tag, HistogramPoint{Step: ev.step, Wall: ev.wall, Histogram: h})
		return nil
	case "tensor":
	case "":
		b.run.Skipped["value without data"]++
		return nil
	default:
		b.run.Skipped[v.kind]++
		return nil
	}
	plugin, known := b.plugins[v.tag]
	switch plugin {
	case "scalars", "histograms", "text":
	default:
		if known {
			b.run.Skipped[fmt.Sprintf("plugin %q", plugin)]++
		} else {
			b.run.Skipped["tensor without a plugin"]++
		}
		return nil
	}
	t, err := decodeTensor(v.payload)
	if err != nil {
		return err
	}
	switch plugin {
	case "scalars":
		if len(t.values) != 1 {
			return fmt.Errorf("a scalar summary holds a tensor of shape %v", t.dims)
		}
		b.scalar(v.tag, ScalarPoint{Step: ev.step, Wall: ev.wall, Value: t.values[0]})
	case "histograms":
		if len(t.dims) != 2 || t.dims[1] != 3 {
			return fmt.Errorf("a histogram summary holds a tensor of shape %v, not [k, 3]", t.dims)
		}
		buckets := make([]Bucket, len(t.values)/3)
		for i := range buckets {
			buckets[i] = Bucket{Left: t.values[3*i], Right: t.values[3*i+1], Count: t.values[3*i+2]}
		}
		b.histogram(v.tag, HistogramPoint{Step: ev.step, Wall: ev.wall, Histogram: fromBuckets(buckets)})
	case "text":
		if t.dtype != dtString {
			return fmt.Errorf("a text summary holds a tensor of dtype %d, not strings", t.dtype)
		}
		b.text(v.tag, TextPoint{Step: ev.step, Wall: ev.wall, Text: strings.Join(t.strings, "\n")})
	}
	return nil
}

func (b *runBuilder) scalar(tag string, p ScalarPoint) {
	s := b.scalars[tag]
	if s == nil {
		s = &scalarSeries{}
		if b.opts.MaxPoints > 0 {
			s.down = runs.NewDownsampler(b.opts.MaxPoints)
		}
		b.scalars[tag] = s
	}
	s.add(p)
}

func (b *runBuilder) histogram(tag string, p HistogramPoint) {
	k := b.histos[tag]
	if k == nil {
		k = &keeper[HistogramPoint]{max: b.opts.MaxHistograms}
		b.histos[tag] = k
	}
	k.add(p)
}

func (b *runBuilder) text(tag string, p TextPoint) {
	k := b.texts[tag]
	if k == nil {
		k = &keeper[TextPoint]{max: b.opts.MaxTexts}
		b.texts[tag] = k
	}
	k.add(p)
}

// finish sorts the series by tag and their points by step, and notes what was skipped.
func (b *runBuilder) finish() Run {
	r := b.run
	for tag, s := range b.scalars {
		r.Scalars = append(r.Scalars, ScalarSeries{Tag: tag, Points: s.points()})
	}
	for tag, k := range b.histos {
		r.Histograms = append(r.Histograms, HistogramSeries{Tag: tag, Points: k.points()})
	}
	for tag, k := range b.texts {
		r.Texts = append(r.Texts, TextSeries{Tag: tag, Points: k.points()})
	}
	sort.Slice(r.Scalars, func(i, j int) bool { return r.Scalars[i].Tag < r.Scalars[j].Tag })
	sort.Slice(r.Histograms, func(i, j int) bool { return r.Histograms[i].Tag < r.Histograms[j].Tag })
	sort.Slice(r.Texts, func(i, j int) bool { return r.Texts[i].Tag < r.Texts[j].Tag })
	for _, s := range r.Scalars {
		sort.SliceStable(s.Points, func(i, j int) bool { return s.Points[i].Step < s.Points[j].Step })
	}
	for _, s := range r.Histograms {
		sort.SliceStable(s.Points, func(i, j int) bool { return s.Points[i].Step < s.Points[j].Step })
	}
	for _, s := range r.Texts {
		sort.SliceStable(s.Points, func(i, j int) bool { return s.Points[i].Step < s.Points[j].Step })
	}
	if len(r.Skipped) > 0 {
		var parts []string
		total := 0
		for _, k := range slices.Sorted(maps.Keys(r.Skipped)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, r.Skipped[k]))
			total += r.Skipped[k]
		}
		b.log.note(fmt.Sprintf("tensorboard: run %q: skipped %d summaries Read does not load (%s)", r.Name, total, strings.Join(parts, ", ")))
	}
	return r
}
