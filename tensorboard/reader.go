// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
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

// Read loads the scalars, histograms and texts of every run under logdir (every
// directory, logdir included, that holds event files), as TensorBoard's --logdir reads
// them. logdir may also be one event file, read as the run ".". Damaged files and
// summaries it does not load are named in Log.Notes and counted in Run.Skipped; it fails
// only when logdir cannot be read or holds no event file.
func Read(logdir string) (log *Log, err error) {
	defer func() {
		if r := recover(); r != nil {
			log, err = nil, fmt.Errorf("tensorboard.Read(%q): internal error: %v; please report it with the log", logdir, r)
		}
	}()
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
		b := newRunBuilder(name, log)
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
	run     Run
	plugins map[string]string // tag -> plugin, from the first value of the tag with metadata
	scalars map[string]int    // tag -> index in run.Scalars
	histos  map[string]int
	texts   map[string]int
	// of the file being read
	bad      int // records and values that could not be decoded
	firstBad string
}

func newRunBuilder(name string, log *Log) *runBuilder {
	return &runBuilder{
		log: log, run: Run{Name: name, Skipped: map[string]int{}},
		plugins: map[string]string{}, scalars: map[string]int{}, histos: map[string]int{}, texts: map[string]int{},
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
	i, ok := b.scalars[tag]
	if !ok {
		i = len(b.run.Scalars)
		b.scalars[tag] = i
		b.run.Scalars = append(b.run.Scalars, ScalarSeries{Tag: tag})
	}
	b.run.Scalars[i].Points = append(b.run.Scalars[i].Points, p)
}

func (b *runBuilder) histogram(tag string, p HistogramPoint) {
	i, ok := b.histos[tag]
	if !ok {
		i = len(b.run.Histograms)
		b.histos[tag] = i
		b.run.Histograms = append(b.run.Histograms, HistogramSeries{Tag: tag})
	}
	b.run.Histograms[i].Points = append(b.run.Histograms[i].Points, p)
}

func (b *runBuilder) text(tag string, p TextPoint) {
	i, ok := b.texts[tag]
	if !ok {
		i = len(b.run.Texts)
		b.texts[tag] = i
		b.run.Texts = append(b.run.Texts, TextSeries{Tag: tag})
	}
	b.run.Texts[i].Points = append(b.run.Texts[i].Points, p)
}

// finish sorts the series by tag and their points by step, and notes what was skipped.
func (b *runBuilder) finish() Run {
	r := b.run
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
