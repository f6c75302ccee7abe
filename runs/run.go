// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Defaults for [Options].
const (
	// DefaultMaxPoints is how many points Series returns at most.
	DefaultMaxPoints = 1000
	// DefaultFlushInterval is how often buffered records are written: a
	// killed process loses at most this much.
	DefaultFlushInterval = time.Second
	// DefaultSyncInterval is how often written records are fsynced (forced
	// to the disk, surviving a machine crash).
	DefaultSyncInterval = 30 * time.Second
)

// Limits of the write buffers: past the soft limit the flusher is woken
// early; at the hard limit Add waits for it (backpressure, when the disk is
// slower than the training loop).
const (
	kickRecords = 8192
	hardRecords = 1 << 16
	kickBytes   = 4 << 20
	hardBytes   = 64 << 20
	keepRecords = 1 << 17 // largest spare buffer kept between flushes
	maxSeries   = 1 << 20
)

// ExistsError is Create's error for a directory that already holds a run (or the records
// of one without its metadata: Damaged), under IfExists Fail. Callers with options of their
// own (notebookviz's DashboardOptions.IfExists) turn it into advice about those.
type ExistsError struct {
	Dir     string
	What    string // `run "…" (started …, finished)`, or what a damaged run holds
	Damaged bool
}

// holdsRun reports whether dir holds a run's metadata or records.
func holdsRun(dir string) bool {
	for _, f := range []string{MetaFile, ScalarsFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

func (e *ExistsError) Error() string {
	if e.Damaged {
		return fmt.Sprintf("runs: %s holds %s; pass a new directory, or Options{IfExists: runs.Overwrite} to replace it", e.Dir, e.What)
	}
	return fmt.Sprintf("runs: %s already holds %s; pass a new directory, or Options{IfExists: runs.Append} to add to it, runs.Overwrite to replace it or runs.New to start beside it", e.Dir, e.What)
}

// IfExists says what Create does when its directory already holds a run.
type IfExists int

const (
	// Fail (the default) refuses a directory that holds a run.
	Fail IfExists = iota
	// Append reopens the run and adds to it: its stored metadata is kept
	// (the meta argument is ignored), its status goes back to running, and
	// wall times stay relative to its original start time.
	Append
	// Overwrite deletes the run's files (meta.json and every *.jsonl file in
	// the directory, nothing else) and starts a new run there.
	Overwrite
	// New starts the run beside it, in the first of dir-2, dir-3, ... that
	// holds none ([Run.Dir] says which), so that every run is kept.
	New
)

func (e IfExists) String() string {
	switch e {
	case Fail:
		return "Fail"
	case Append:
		return "Append"
	case Overwrite:
		return "Overwrite"
	case New:
		return "New"
	}
	return fmt.Sprintf("IfExists(%d)", int(e))
}

// Options configure Create and Open. The zero value gives the defaults.
type Options struct {
	// MaxPoints is the most points Series returns per series (at least 5;
	// 0 means DefaultMaxPoints). It fixes the memory per series: at most
	// MaxPoints buckets of 160 bytes and, while the series is that small,
	// its points (about 190 KiB in all for 1000).
	MaxPoints int
	// FlushInterval is how often the background flusher writes buffered
	// records; 0 means DefaultFlushInterval.
	FlushInterval time.Duration
	// SyncInterval is how often the flusher fsyncs the files; 0 means
	// DefaultSyncInterval, negative means only at Sync and Close.
	SyncInterval time.Duration
	// IfExists says what Create does when the directory holds a run.
	IfExists IfExists
}

func (o Options) normalize() (Options, error) {
	switch {
	case o.MaxPoints == 0:
		o.MaxPoints = DefaultMaxPoints
	case o.MaxPoints < 5:
		return o, fmt.Errorf("runs: Options.MaxPoints is %d; use at least 5, or 0 for the default %d", o.MaxPoints, DefaultMaxPoints)
	case o.MaxPoints > 1<<20:
		return o, fmt.Errorf("runs: Options.MaxPoints is %d; use at most %d (each series keeps about MaxPoints*160 bytes)", o.MaxPoints, 1<<20)
	}
	switch {
	case o.FlushInterval == 0:
		o.FlushInterval = DefaultFlushInterval
	case o.FlushInterval < time.Millisecond:
		return o, fmt.Errorf("runs: Options.FlushInterval is %v; use at least 1ms, or 0 for the default %v", o.FlushInterval, DefaultFlushInterval)
	}
	if o.SyncInterval == 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.IfExists < Fail || o.IfExists > New {
		return o, fmt.Errorf("runs: Options.IfExists is %v; use Fail, Append, Overwrite or New", o.IfExists)
	}
	return o, nil
}

// AddOption sets an optional field of a point given to [Run.Add]. It is a
// small value: passing options does not allocate.
type AddOption struct {
	what  uint8
	value float64
}

const (
	optEpoch = iota + 1
	optWall
)

// Epoch records the (fractional) epoch of a point. A non-finite epoch is
// not recorded.
func Epoch(epoch float64) AddOption { return AddOption{what: optEpoch, value: epoch} }

// Wall sets the wall time of a point, in seconds since the run's start time
// (by default Add uses the time of the call), e.g. when importing logs. A
// non-finite value is ignored.
func Wall(seconds float64) AddOption { return AddOption{what: optWall, value: seconds} }

// rec is one buffered record of scalars.jsonl: a point of series id, or
// (decl) the declaration decls[id].
type rec struct {
	p    Point
	id   int32
	decl bool
}

type series struct {
	info   SeriesInfo
	quoted []byte // JSON-quoted name
	sum    *summary
}

type streamBuf struct {
	data []byte
}

// Run is one training run: its metadata and scalar series, bounded in
// memory, backed by a directory. A Run from Create writes; one from Open
// only reads. All methods are safe for concurrent use.
type Run struct {
	dir       string
	readOnly  bool
	opts      Options
	start     time.Time // meta.StartTime, with a monotonic reading when Create set it
	closeOnce sync.Once

	mu           sync.Mutex
	cond         sync.Cond // signalled when the flusher takes the buffers
	meta         Meta
	series       []*series
	byName       map[string]int32
	pending      []rec
	decls        []SeriesInfo
	streams      map[string]*streamBuf
	pendingBytes int
	revision     uint64
	closed       bool
	werr         error // first write error; sticky
	metaDirty    bool
	notes        notes
	readOffset   int64 // read-only runs: scalars.jsonl bytes read so far

	flushMu  sync.Mutex // serializes flushOnce and owns what follows
	spare    []rec
	enc      []byte
	files    map[string]*os.File
	unsynced bool
	lastSync time.Time
	finished bool // files closed by Close

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

func newRun(dir string, opts Options, readOnly bool) *Run {
	r := &Run{
		dir:      dir,
		readOnly: readOnly,
		opts:     opts,
		byName:   map[string]int32{},
		streams:  map[string]*streamBuf{},
		files:    map[string]*os.File{},
	}
	r.cond.L = &r.mu
	return r
}

// Create starts a new run in dir (created if needed) with [Options]' defaults:
// it fails if dir already holds a run. See [CreateWith].
func Create(dir string, meta Meta) (*Run, error) {
	return CreateWith(dir, meta, Options{})
}

// CreateWith starts a run in dir. It writes meta.json at once (status
// running) and then writes records from a background goroutine every
// opts.FlushInterval; call Close at the end. Zero fields of meta get
// defaults: StartTime now, a generated ID, Version from the build. Series
// listed in meta.Series are declared (see [Run.Declare]).
//
// If dir already holds a run, opts.IfExists says what happens: Fail (the
// default) returns an error, Append adds to it, Overwrite replaces it, New
// starts the run in dir-2 (or -3, ...).
func CreateWith(dir string, meta Meta, opts Options) (*Run, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("runs: Create needs a directory dir for the run; got \"\" (use e.g. filepath.Join(root, name))")
	}
	if err := checkHyperparameters(meta.Hyperparameters); err != nil {
		return nil, err
	}
	for _, s := range meta.Series {
		if err := checkSeriesName(s.Name); err != nil {
			return nil, fmt.Errorf("runs: meta.Series: %w", err)
		}
	}
	if opts.IfExists == New {
		base := filepath.Clean(dir)
		for n := 2; holdsRun(dir); n++ {
			dir = fmt.Sprintf("%s-%d", base, n)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("runs: creating run directory %s: %w; pass a directory you can write", dir, err)
	}
	_, metaErr := os.Stat(filepath.Join(dir, MetaFile))
	hasMeta := metaErr == nil
	_, scalErr := os.Stat(filepath.Join(dir, ScalarsFile))
	hasScalars := scalErr == nil
	switch {
	case opts.IfExists == Append && hasMeta:
		return appendRun(dir, opts)
	case opts.IfExists == Overwrite && (hasMeta || hasScalars):
		if err := removeRunFiles(dir); err != nil {
			return nil, err
		}
	case hasMeta:
		old, rerr := readMeta(dir)
		what := "a run"
		if rerr == nil {
			what = fmt.Sprintf("run %q (started %s, %s)", old.ID, old.StartTime.Format(time.RFC3339), old.Status)
		}
		return nil, &ExistsError{Dir: dir, What: what}
	case hasScalars:
		return nil, &ExistsError{Dir: dir, What: fmt.Sprintf("%s but no %s (a damaged run)", ScalarsFile, MetaFile), Damaged: true}
	}

	m := meta.clone()
	m.Format = Format
	if m.StartTime.IsZero() {
		m.StartTime = time.Now()
	}
	if m.ID == "" {
		m.ID = newRunID(m.StartTime)
	}
	if m.Version == "" {
		m.Version = moduleVersion()
	}
	m.Status = StatusRunning
	m.StatusMessage = ""
	m.EndTime = time.Time{}
	m.Dir = dir
	declared := m.Series
	m.Series = nil

	r := newRun(dir, opts, false)
	r.start = m.StartTime
	r.meta = m
	for _, s := range declared {
		r.declareLocked(s)
	}
	r.metaDirty = false
	r.meta.Series = r.seriesInfosLocked()
	if err := writeMeta(dir, r.meta); err != nil {
		return nil, err
	}
	if err := r.openScalars(); err != nil {
		return nil, err
	}
	syncDir(dir)
	r.startFlusher()
	return r, nil
}

// appendRun reopens the run in dir for writing.
func appendRun(dir string, opts Options) (*Run, error) {
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	r := newRun(dir, opts, false)
	r.meta = m
	r.start = m.StartTime
	r.declareListed()
	if err := r.load(true); err != nil {
		return nil, err
	}
	r.pending, r.decls = nil, nil // loading declares series: those are already on disk
	r.metaDirty = false
	r.meta.Status = StatusRunning
	r.meta.StatusMessage = ""
	r.meta.EndTime = time.Time{}
	r.meta.Series = r.seriesInfosLocked()
	if err := writeMeta(dir, r.meta); err != nil {
		return nil, err
	}
	if err := r.openScalars(); err != nil {
		return nil, err
	}
	r.startFlusher()
	return r, nil
}

func removeRunFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("runs: overwriting run in %s: %w", dir, err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && (n == MetaFile || strings.HasSuffix(n, StreamExt)) {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return fmt.Errorf("runs: overwriting run in %s: %w", dir, err)
			}
		}
	}
	return nil
}

func (r *Run) openScalars() error {
	_, err := r.file(ScalarsStream)
	return err
}

// file returns the open append-only file of a stream (under flushMu, or
// before the flusher starts).
func (r *Run) file(stream string) (*os.File, error) {
	if f := r.files[stream]; f != nil {
		return f, nil
	}
	p := filepath.Join(r.dir, stream+StreamExt)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("runs: opening %s for writing: %w", p, err)
	}
	// A torn last line (from a killed writer) must not swallow the next
	// record: end it.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return nil, fmt.Errorf("runs: appending to %s: %w", p, err)
			}
		}
	}
	r.files[stream] = f
	return f, nil
}

func (r *Run) closeFiles() error {
	var errs []error
	for name, f := range r.files {
		if err := f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("runs: closing %s: %w", f.Name(), err))
		}
		delete(r.files, name)
	}
	return errors.Join(errs...)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not supported everywhere
		d.Close()
	}
}

func (r *Run) startFlusher() {
	r.kick = make(chan struct{}, 1)
	r.stop = make(chan struct{})
	r.done = make(chan struct{})
	r.lastSync = time.Now()
	go r.flusher()
}

func (r *Run) flusher() {
	defer close(r.done)
	t := time.NewTicker(r.opts.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		case <-r.kick:
		}
		sync := r.opts.SyncInterval > 0 && time.Since(r.lastSync) >= r.opts.SyncInterval
		_ = r.flushOnce(sync) // the error is sticky: Add, Flush and Close return it
	}
}

func (r *Run) wake() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// flushOnce writes what is buffered and, if sync, fsyncs the files.
func (r *Run) flushOnce(sync bool) error {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	if r.finished {
		return r.err()
	}

	r.mu.Lock()
	if r.werr != nil {
		err := r.werr
		r.pending = r.pending[:0]
		r.streams = map[string]*streamBuf{}
		r.pendingBytes = 0
		r.cond.Broadcast()
		r.mu.Unlock()
		return err
	}
	batch := r.pending
	r.pending = r.spare[:0]
	decls := r.decls
	r.decls = nil
	var streams map[string]*streamBuf
	if len(r.streams) > 0 {
		streams = r.streams
		r.streams = map[string]*streamBuf{}
	}
	r.pendingBytes = 0
	seriesSnap := r.series
	var meta *Meta
	if r.metaDirty {
		r.metaDirty = false
		m := r.meta.clone()
		m.Series = r.seriesInfosLocked()
		meta = &m
	}
	r.cond.Broadcast()
	r.mu.Unlock()

	var errs []error
	if len(batch) > 0 {
		b := r.enc[:0]
		for i := range batch {
			x := &batch[i]
			if x.decl {
				b = appendDecl(b, decls[x.id])
			} else {
				b = appendScalar(b, seriesSnap[x.id].quoted, x.p)
			}
		}
		r.enc = b
		if cap(r.enc) > 8<<20 {
			r.enc = nil
		}
		if err := r.write(ScalarsStream, b); err != nil {
			errs = append(errs, err)
		}
	}
	if cap(batch) <= keepRecords {
		r.spare = batch[:0]
	} else {
		r.spare = nil
	}
	for name, sb := range streams {
		if err := r.write(name, sb.data); err != nil {
			errs = append(errs, err)
		}
	}
	if meta != nil {
		if err := writeMeta(r.dir, *meta); err != nil {
			errs = append(errs, err)
		}
	}
	if sync && r.unsynced {
		for _, f := range r.files {
			if err := f.Sync(); err != nil {
				errs = append(errs, fmt.Errorf("runs: fsync %s: %w", f.Name(), err))
			}
		}
		r.unsynced = false
		r.lastSync = time.Now()
	}
	err := errors.Join(errs...)
	if err != nil {
		r.mu.Lock()
		if r.werr == nil {
			r.werr = fmt.Errorf("%w (the run stopped recording; free disk space or fix permissions, then Create a new run, or reopen this one with Options{IfExists: runs.Append})", err)
		}
		err = r.werr
		r.mu.Unlock()
	}
	return err
}

func (r *Run) write(stream string, data []byte) error {
	f, err := r.file(stream)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("runs: writing %s: %w", f.Name(), err)
	}
	r.unsynced = true
	return nil
}

// writableLocked returns why the run cannot take records, or nil.
func (r *Run) writableLocked(what string) error {
	switch {
	case r.readOnly:
		return fmt.Errorf("runs: %s on run %s opened read-only by Open; use CreateWith(dir, meta, Options{IfExists: runs.Append}) to add to it", what, r.dir)
	case r.closed:
		return fmt.Errorf("runs: %s on closed run %s; Create a new run, or reopen this one with Options{IfExists: runs.Append}", what, r.dir)
	case r.werr != nil:
		return r.werr
	}
	return nil
}

// Add records value for series name at step. A new name declares the
// series with the kind and split guessed from it (see [GuessSeriesInfo];
// call [Run.Declare] first to choose them). value may be NaN or ±Inf: it is
// stored exactly and drawn as a gap. Options: [Epoch], [Wall].
//
// Add only updates the in-memory summary and appends to a buffer (no I/O,
// no allocation once the series exists); a background goroutine writes. It
// returns an error if the name is invalid, the run is read-only or closed,
// or a background write failed.
func (r *Run) Add(name string, step int64, value float64, opts ...AddOption) error {
	p := Point{Step: step, Wall: math.NaN(), Epoch: math.NaN(), Value: value}
	for _, o := range opts {
		switch o.what {
		case optEpoch:
			if isFinite(o.value) {
				p.Epoch = o.value
			}
		case optWall:
			if isFinite(o.value) {
				p.Wall = o.value
			}
		}
	}
	if math.IsNaN(p.Wall) {
		p.Wall = time.Since(r.start).Seconds()
	}
	r.mu.Lock()
	if err := r.writableLocked("Add"); err != nil {
		r.mu.Unlock()
		return err
	}
	id, ok := r.byName[name]
	if !ok {
		if err := checkSeriesName(name); err != nil {
			r.mu.Unlock()
			return err
		}
		if len(r.series) >= maxSeries {
			r.mu.Unlock()
			return fmt.Errorf("runs: Add(%q): the run already has %d series; reuse series names (the step tells points apart)", name, maxSeries)
		}
		id = r.declareLocked(SeriesInfo{Name: name})
	}
	for len(r.pending) >= hardRecords {
		r.wake()
		r.cond.Wait()
		if err := r.writableLocked("Add"); err != nil {
			r.mu.Unlock()
			return err
		}
	}
	r.series[id].sum.add(p)
	r.revision++
	r.pending = append(r.pending, rec{p: p, id: id})
	if len(r.pending) == kickRecords {
		r.wake()
	}
	r.mu.Unlock()
	return nil
}

// declareLocked sets a series' info (creating it if new) and, on a writable
// run, queues its declaration record. It returns the series id.
func (r *Run) declareLocked(info SeriesInfo) int32 {
	info = completeInfo(info)
	id, ok := r.byName[info.Name]
	if ok {
		if r.series[id].info == info {
			return id
		}
		r.series[id].info = info
	} else {
		id = int32(len(r.series))
		r.series = append(r.series, &series{info: info, quoted: jsonString(info.Name), sum: newSummaryFor(r.opts.MaxPoints)})
		r.byName[info.Name] = id
	}
	if !r.readOnly {
		r.pending = append(r.pending, rec{id: int32(len(r.decls)), decl: true})
		r.decls = append(r.decls, info)
		r.metaDirty = true
	}
	r.revision++
	return id
}

// Declare sets the kind and split of a series (empty fields are guessed from
// the name), before or after its first point; the last declaration wins.
func (r *Run) Declare(info SeriesInfo) error {
	if err := checkSeriesName(info.Name); err != nil {
		return err
	}
	for _, f := range []struct{ field, v string }{{"Kind", string(info.Kind)}, {"Split", info.Split}} {
		if len(f.v) > 128 || strings.ContainsFunc(f.v, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			return fmt.Errorf("runs: Declare(%q): %s %.40q must be at most 128 characters, without control characters (e.g. \"loss\", \"eval:validation\")", info.Name, f.field, f.v)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.writableLocked("Declare"); err != nil {
		return err
	}
	if _, ok := r.byName[info.Name]; !ok && len(r.series) >= maxSeries {
		return fmt.Errorf("runs: Declare(%q): the run already has %d series", info.Name, maxSeries)
	}
	r.declareLocked(info)
	return nil
}

// AppendRecord appends v, encoded as one line of JSON, to the stream file
// <stream>.jsonl of the run (e.g. "histograms", "images", "text"), through
// the same buffer and background writer as the scalars. Stream names are
// a-z, 0-9, _ and -; "scalars" is reserved for Add. By convention a record
// carries "step" and "wall" (seconds since the start) like the scalars.
// Read streams back with [ReadStream]. A json.RawMessage on one line (already
// encoded, as compact JSON is) is checked and written as it is, without encoding it
// again.
func (r *Run) AppendRecord(stream string, v any) error {
	if err := checkStreamName(stream); err != nil {
		return err
	}
	if stream == ScalarsStream {
		return errors.New(`runs: AppendRecord: stream "scalars" is reserved for Add; use Add for scalars, or another stream name`)
	}
	var data []byte
	if raw, ok := v.(json.RawMessage); ok && bytes.IndexByte(raw, '\n') < 0 && json.Valid(raw) {
		data = raw
	} else {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("runs: AppendRecord(%q): cannot encode %T as JSON: %v; pass a value encoding/json can write (no NaN/Inf floats, channels or funcs)", stream, v, err)
		}
	}
	if len(data) > maxStreamLine {
		return fmt.Errorf("runs: AppendRecord(%q): record is %d bytes, over the %d-byte limit; split it into several records", stream, len(data), maxStreamLine)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.writableLocked("AppendRecord"); err != nil {
		return err
	}
	for r.pendingBytes >= hardBytes {
		r.wake()
		r.cond.Wait()
		if err := r.writableLocked("AppendRecord"); err != nil {
			return err
		}
	}
	sb := r.streams[stream]
	if sb == nil {
		sb = &streamBuf{}
		r.streams[stream] = sb
	}
	sb.data = append(append(sb.data, data...), '\n')
	r.pendingBytes += len(data) + 1
	r.revision++
	if r.pendingBytes >= kickBytes {
		r.wake()
	}
	return nil
}

// Flush writes the buffered records now (to the operating system: they
// survive the process being killed, not a machine crash; see Sync). It
// returns the first write error of the run, if any.
func (r *Run) Flush() error { return r.flushIfOpen(false) }

// Sync flushes and fsyncs the run's files.
func (r *Run) Sync() error { return r.flushIfOpen(true) }

// flushIfOpen flushes (and with sync, fsyncs) a run open for writing; on a closed run it
// returns the run's first write error.
func (r *Run) flushIfOpen(sync bool) error {
	if r.readOnly {
		return nil
	}
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed {
		return r.err()
	}
	return r.flushOnce(sync)
}

func (r *Run) err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.werr
}

// Close finishes the run with status finished. See [Run.CloseWithStatus].
func (r *Run) Close() error {
	return r.CloseWithStatus(StatusFinished, "")
}

// CloseWithStatus writes the buffered records, fsyncs them and records the
// end time, status and message (e.g. StatusFailed, "loss became NaN at
// step 1200") in meta.json. The run stays readable. Closing again, or
// closing a read-only run, does nothing.
func (r *Run) CloseWithStatus(status Status, message string) error {
	if status == "" || status == StatusRunning {
		return fmt.Errorf("runs: CloseWithStatus: status %q is not an end status; use StatusFinished, StatusFailed or StatusStopped", status)
	}
	var err error
	r.closeOnce.Do(func() { err = r.close(status, message) })
	return err
}

func (r *Run) close(status Status, message string) error {
	r.mu.Lock()
	r.closed = true
	r.cond.Broadcast()
	r.mu.Unlock()
	if r.readOnly {
		return nil
	}
	close(r.stop)
	<-r.done
	ferr := r.flushOnce(true)

	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.finished = true
	cerr := r.closeFiles()
	r.mu.Lock()
	r.meta.EndTime = time.Now()
	r.meta.Status = status
	r.meta.StatusMessage = message
	r.meta.Series = r.seriesInfosLocked()
	m := r.meta.clone()
	r.mu.Unlock()
	merr := writeMeta(r.dir, m)
	syncDir(r.dir)
	if ferr != nil {
		return ferr
	}
	return errors.Join(cerr, merr)
}

func (r *Run) seriesInfosLocked() []SeriesInfo {
	out := make([]SeriesInfo, len(r.series))
	for i, s := range r.series {
		out[i] = s.info
	}
	return out
}

// declareListed declares the series meta.json lists (in case
// scalars.jsonl lacks their declarations), before reading scalars.jsonl,
// whose declarations win.
func (r *Run) declareListed() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.meta.Series {
		if checkSeriesName(s.Name) == nil && len(r.series) < maxSeries {
			r.declareLocked(s)
		}
	}
}

// Open reads the run in dir, read-only, with the default [Options]. Lines
// of scalars.jsonl that cannot be read (a torn last line from a killed
// writer, damaged lines) are skipped and named in [Run.Notes]; only a
// missing or unreadable meta.json is an error.
func Open(dir string) (*Run, error) {
	return OpenWith(dir, Options{})
}

// OpenWith is Open with options; only MaxPoints matters.
func OpenWith(dir string, opts Options) (*Run, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("runs: Open needs the run directory dir; got \"\" (List(root) finds run directories)")
	}
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	r := newRun(dir, opts, true)
	r.meta = m
	r.start = m.StartTime
	r.declareListed()
	if err := r.load(true); err != nil {
		return nil, err
	}
	return r, nil
}

// Refresh reads what was appended to a run opened with Open since it was
// read (another process may still be writing it), and re-reads meta.json.
// It returns how many scalar records it added.
func (r *Run) Refresh() (int, error) {
	if !r.readOnly {
		return 0, fmt.Errorf("runs: Refresh is for runs opened with Open; run %s is being written by this process and is always current", r.dir)
	}
	m, err := readMeta(r.dir)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	before := r.revision
	m.Series = r.meta.Series
	r.meta = m
	r.mu.Unlock()
	if err := r.load(false); err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return int(r.revision - before), nil
}

// load reads scalars.jsonl from r.readOffset into the summaries. final says
// to take (or note) an unterminated last line; otherwise it is left for the
// next Refresh.
func (r *Run) load(final bool) error {
	path := filepath.Join(r.dir, ScalarsFile)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // no point yet
		}
		return fmt.Errorf("runs: opening %s: %w", path, err)
	}
	defer f.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, err := f.Stat(); err == nil && st.Size() < r.readOffset {
		return fmt.Errorf("runs: %s is shorter than what was read before (the run was overwritten or truncated); Open it again", path)
	}
	if _, err := f.Seek(r.readOffset, io.SeekStart); err != nil {
		return fmt.Errorf("runs: reading %s: %w", path, err)
	}
	var pr parsed
	tailTaken := false
	unknown := map[string]bool{}
	end, tail, err := readLines(f, maxScalarLine, path, &r.notes, func(line []byte, lineNo int, terminated bool) error {
		perr := parseScalar(line, &pr)
		if !terminated {
			if perr != nil {
				if final {
					r.notes.addf("%s: last line (%d bytes, no newline) is incomplete, the writer was probably killed mid-write; skipped", path, len(line))
				}
				return nil
			}
			tailTaken = true
		}
		if perr != nil {
			r.notes.addf("%s: line %d skipped: %v", path, lineNo, perr)
			return nil
		}
		switch {
		case pr.other != "":
			if !unknown[pr.other] {
				unknown[pr.other] = true
				r.notes.addf("%s: records of type %q are not known to this reader; skipped", path, pr.other)
			}
		case pr.decl:
			if err := checkSeriesName(pr.info.Name); err != nil {
				r.notes.addf("%s: line %d skipped: %v", path, lineNo, err)
				return nil
			}
			if _, ok := r.byName[pr.info.Name]; ok || len(r.series) < maxSeries {
				r.declareLocked(pr.info)
			}
		default:
			id, ok := r.byName[string(pr.name)]
			if !ok {
				if len(r.series) >= maxSeries {
					return nil
				}
				id = r.declareLocked(SeriesInfo{Name: string(pr.name)})
			}
			r.series[id].sum.add(pr.p)
			r.revision++
		}
		return nil
	})
	r.readOffset += end
	if tailTaken {
		r.readOffset += int64(tail)
	}
	if err != nil {
		return err
	}
	if r.readOnly {
		r.meta.Series = r.seriesInfosLocked()
	}
	return nil
}

// Meta returns a copy of the run's metadata, with the current series list.
func (r *Run) Meta() Meta {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.meta.clone()
	m.Series = r.seriesInfosLocked()
	return m
}

// Dir returns the run directory.
func (r *Run) Dir() string { return r.dir }

// Revision counts the changes to the run (points, declarations, records):
// a dashboard can skip redrawing while it stays the same.
func (r *Run) Revision() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.revision
}

// Notes lists what reading the run skipped (torn or damaged lines, unknown
// record types), at most about 20 lines.
func (r *Run) Notes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.notes.result()
}

// SeriesList returns the series in the order they first appeared.
func (r *Run) SeriesList() []SeriesInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seriesInfosLocked()
}

// Series returns the chart view of a series: at most MaxPoints points
// sorted by step (see the package doc), nil for an unknown series.
func (r *Run) Series(name string) []Point {
	return r.SeriesN(name, r.opts.MaxPoints)
}

// SeriesN is Series with at most maxPoints points (at least 5; more than
// the run's MaxPoints gives MaxPoints), for smaller charts.
func (r *Run) SeriesN(name string, maxPoints int) []Point {
	maxPoints = min(max(maxPoints, 5), r.opts.MaxPoints)
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byName[name]
	if !ok {
		return nil
	}
	return r.series[id].sum.points(maxPoints)
}

// Buckets returns a series summarized in at most maxBuckets consecutive
// step ranges (0 or less: as many as Series uses, about MaxPoints/2): per
// range the count, min, max and mean, for drawing min/max bands. Nil for an
// unknown series.
func (r *Run) Buckets(name string, maxBuckets int) []Bucket {
	if maxBuckets <= 0 {
		maxBuckets = groupsFor(r.opts.MaxPoints)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byName[name]
	if !ok {
		return nil
	}
	return r.series[id].sum.buckets(maxBuckets)
}

// SeriesStats summarizes a whole series.
type SeriesStats struct {
	SeriesInfo
	// Count is the number of points; NonFinite how many were NaN or ±Inf.
	Count, NonFinite int64
	// First and Last are the points with the smallest and largest step;
	// Latest the last one added.
	First, Last, Latest Point
	// Min and Max are the points with the smallest and largest finite
	// value; their Value is NaN when the series has no finite value.
	Min, Max Point
}

// Stats summarizes a series; false for an unknown series.
func (r *Run) Stats(name string) (SeriesStats, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byName[name]
	if !ok {
		return SeriesStats{}, false
	}
	s := r.series[id]
	st := SeriesStats{SeriesInfo: s.info, Count: s.sum.count, NonFinite: s.sum.nonfinite}
	st.Min = Point{Value: math.NaN(), Epoch: math.NaN()}
	st.Max = st.Min
	if s.sum.count == 0 {
		return st, true
	}
	st.Latest = s.sum.latest.Point
	st.First, st.Last = s.sum.first.Point, s.sum.last.Point
	var mn, mx pt
	have := false
	s.sum.each(s.sum.nb, func(b *bucket) {
		if b.n == b.nNF {
			return
		}
		if !have || b.min.Value < mn.Value {
			mn = b.min
		}
		if !have || b.max.Value > mx.Value {
			mx = b.max
		}
		have = true
	})
	if have {
		st.Min, st.Max = mn.Point, mx.Point
	}
	return st, true
}

// ScanScalars calls fn with every scalar point stored on disk, in file
// order, at full resolution (for exporters; charts use Series). A writing
// run is flushed first. It returns notes on skipped lines, and stops at
// the first error of fn.
func (r *Run) ScanScalars(fn func(series string, p Point) error) (notesOut []string, err error) {
	if fn == nil {
		return nil, errors.New("runs: ScanScalars needs a function fn to receive the points; got nil")
	}
	if !r.readOnly {
		if err := r.Flush(); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(r.dir, ScalarsFile)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("runs: opening %s: %w", path, err)
	}
	defer f.Close()
	var nt notes
	var pr parsed
	names := map[string]string{}
	_, _, err = readLines(f, maxScalarLine, path, &nt, func(line []byte, lineNo int, terminated bool) error {
		if perr := parseScalar(line, &pr); perr != nil {
			if terminated {
				nt.addf("%s: line %d skipped: %v", path, lineNo, perr)
			} else {
				nt.addf("%s: last line (%d bytes, no newline) is incomplete, the writer was probably killed mid-write; skipped", path, len(line))
			}
			return nil
		}
		if pr.decl || pr.other != "" {
			return nil
		}
		name, ok := names[string(pr.name)]
		if !ok {
			name = string(pr.name)
			names[name] = name
		}
		return fn(name, pr.p)
	})
	return nt.result(), err
}

// EnvRoot names the environment variable that moves [DefaultRoot].
const EnvRoot = "GONBVIZ_RUNS"

// DefaultRoot is the directory that holds the runs recorded without a directory of their
// own (a dashboard or capture given no RunDir): $GONBVIZ_RUNS if set, else gonbviz-runs in
// the system's temporary directory. [DefaultDir] makes new runs there; [Latest]("") finds
// the newest.
func DefaultRoot() string {
	if root := os.Getenv(EnvRoot); root != "" {
		return root
	}
	return filepath.Join(os.TempDir(), "gonbviz-runs")
}

// DefaultDir returns a new run directory under [DefaultRoot], named after the current time.
func DefaultDir() string {
	return filepath.Join(DefaultRoot(), time.Now().Format("20060102-150405.000000000"))
}

// CreateFor is CreateWith for a tool whose own options carry the if-exists choice: field
// names that option in errors ("DashboardOptions.IfExists"), so that the advice for a
// re-run notebook cell names what its author can set.
func CreateFor(dir string, meta Meta, ifExists IfExists, field string) (*Run, error) {
	if ifExists < Fail || ifExists > New {
		return nil, fmt.Errorf("%s is %s; use runs.Fail, runs.Append, runs.Overwrite or runs.New", field, ifExists)
	}
	run, err := CreateWith(dir, meta, Options{IfExists: ifExists})
	var exists *ExistsError
	if errors.As(err, &exists) {
		return nil, fmt.Errorf("%s holds %s; set %s to runs.Append to add to it, runs.Overwrite to replace it or runs.New to record beside it, or pass another directory",
			exists.Dir, exists.What, field)
	}
	return run, err
}
