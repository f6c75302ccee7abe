// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// DefaultFlushInterval is how often a Writer appends what was added to its file.
const DefaultFlushInterval = time.Second

// Limits of the write buffer: past kickBytes the flusher is woken early; at hardBytes an
// Add writes the buffer itself (backpressure, when the disk is slower than the training
// loop); a spare buffer larger than keepBytes is not kept between flushes.
const (
	kickBytes = 1 << 20
	hardBytes = 16 << 20
	keepBytes = 4 << 20
)

// WriterOptions configure NewWriter. The zero value gives the defaults.
type WriterOptions struct {
	// FlushInterval is how often the background flusher appends the added events to the
	// file (at least 1 ms; 0 means DefaultFlushInterval, 1 s): a killed process loses at most
	// this much.
	FlushInterval time.Duration
}

// Writer appends events to one new event file. All methods are safe for concurrent use.
type Writer struct {
	path string

	mu     sync.Mutex
	buf    []byte // framed records not yet written
	inner  []byte // scratch: a histogram or tensor
	value  []byte // scratch: a Summary.Value
	event  []byte // scratch: an Event
	err    error  // the first write error; every later call returns it
	closed bool

	fileMu sync.Mutex // held while appending to the file, so that writes keep their order
	f      *os.File
	spare  []byte

	closeOnce sync.Once
	closeErr  error
	wake      chan struct{}
	stop      chan struct{}
	stopped   chan struct{}
}

// fileCount numbers the files a process creates, so that two writers never share a name.
var fileCount atomic.Int64

// NewWriter creates dir (and its parents) if needed and a new event file in it, named as
// TensorBoard's own writer names them, and starts its background flusher. Close it when
// done.
func NewWriter(dir string, opts WriterOptions) (*Writer, error) {
	switch {
	case dir == "":
		return nil, errors.New("tensorboard: NewWriter: dir is empty; pass the run directory to write the event file in")
	case opts.FlushInterval == 0:
		opts.FlushInterval = DefaultFlushInterval
	case opts.FlushInterval < time.Millisecond:
		return nil, fmt.Errorf("tensorboard: NewWriter: WriterOptions.FlushInterval is %v; use at least 1ms, or 0 for the default %v", opts.FlushInterval, DefaultFlushInterval)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tensorboard: NewWriter: %w; pass a directory that can be created and written", err)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	host = strings.NewReplacer("/", "_", "\\", "_").Replace(host)
	now := time.Now()
	name := fmt.Sprintf("events.out.tfevents.%010d.%s.%d.%d", now.Unix(), host, os.Getpid(), fileCount.Add(1))
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: NewWriter: %w; pass a directory that can be written", err)
	}
	w := &Writer{
		path: path, f: f,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	w.event = appendFileVersionEvent(w.event, unixSeconds(now))
	w.buf = appendRecord(w.buf, w.event)
	if err := w.flush(); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	go w.flushLoop(opts.FlushInterval)
	return w, nil
}

// Path is the event file's path.
func (w *Writer) Path() string { return w.path }

func unixSeconds(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

// checkTag says what is wrong with a tag.
func checkTag(method, tag string) error {
	if tag == "" {
		return fmt.Errorf("tensorboard: Writer.%s: tag is empty; name the series, e.g. \"train/loss\"", method)
	}
	if !utf8.ValidString(tag) {
		return fmt.Errorf("tensorboard: Writer.%s: tag %q is not valid UTF-8, which TensorBoard's reader rejects; pass a UTF-8 name", method, tag)
	}
	return nil
}

// lock takes w.mu for an Add, unless the writer is closed or failed.
func (w *Writer) lock(method string) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return fmt.Errorf("tensorboard: Writer.%s: the writer of %s is closed; create a new one with NewWriter", method, w.path)
	}
	if w.err != nil {
		err := w.err
		w.mu.Unlock()
		return err
	}
	return nil
}

// commit appends the event of the Summary.Value in w.value to the buffer and releases
// w.mu. wall zero means now.
func (w *Writer) commit(step int64, wall time.Time) error {
	if wall.IsZero() {
		wall = time.Now()
	}
	w.event = appendSummaryEvent(w.event[:0], unixSeconds(wall), step, w.value)
	w.buf = appendRecord(w.buf, w.event)
	n := len(w.buf)
	w.mu.Unlock()
	switch {
	case n >= hardBytes:
		return w.flush()
	case n >= kickBytes:
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// AddScalar adds the value of the scalar series tag at step, recorded at wall (the zero
// time means now). TensorBoard stores scalars as float32; NaN and ±Inf are kept.
func (w *Writer) AddScalar(tag string, step int64, value float64, wall time.Time) error {
	if err := checkTag("AddScalar", tag); err != nil {
		return err
	}
	if err := w.lock("AddScalar"); err != nil {
		return err
	}
	w.value = appendScalarValue(w.value[:0], tag, float32(value))
	return w.commit(step, wall)
}

// AddHistogram adds a histogram of the series tag at step, recorded at wall (the zero time
// means now). h must have at least one bucket, as many limits as buckets, increasing
// limits, finite non-negative counts and finite statistics.
func (w *Writer) AddHistogram(tag string, step int64, h Histogram, wall time.Time) error {
	if err := checkTag("AddHistogram", tag); err != nil {
		return err
	}
	if err := h.check(tag, step); err != nil {
		return err
	}
	if err := w.lock("AddHistogram"); err != nil {
		return err
	}
	w.inner = appendHistogram(w.inner[:0], &h)
	w.value = appendString(w.value[:0], valueTag, tag)
	w.value = appendMessage(w.value, valueHisto, w.inner)
	return w.commit(step, wall)
}

// AddText adds a text (TensorBoard renders it as Markdown) to the series tag at step,
// recorded at wall (the zero time means now).
func (w *Writer) AddText(tag string, step int64, text string, wall time.Time) error {
	if err := checkTag("AddText", tag); err != nil {
		return err
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("tensorboard: Writer.AddText(%q, step %d): text is not valid UTF-8; TensorBoard's text plugin shows UTF-8 only", tag, step)
	}
	if err := w.lock("AddText"); err != nil {
		return err
	}
	w.inner = appendTextTensor(w.inner[:0], text)
	w.value = appendString(w.value[:0], valueTag, tag)
	w.value = appendMessage(w.value, valueTensor, w.inner)
	w.value = appendMessage(w.value, valueMetadata, textMetadata)
	return w.commit(step, wall)
}

// flush appends the buffered records to the file.
func (w *Writer) flush() error {
	w.fileMu.Lock()
	defer w.fileMu.Unlock()
	w.mu.Lock()
	data := w.buf
	w.buf = w.spare[:0]
	err := w.err
	w.mu.Unlock()
	if len(data) > 0 && err == nil {
		if _, werr := w.f.Write(data); werr != nil {
			err = fmt.Errorf("tensorboard: writing %s: %w; the events added since the last flush are lost, and the writer stops", w.path, werr)
			w.mu.Lock()
			if w.err == nil {
				w.err = err
			}
			w.mu.Unlock()
		}
	}
	if cap(data) <= keepBytes {
		w.spare = data[:0]
	} else {
		w.spare = nil
	}
	return err
}

func (w *Writer) flushLoop(every time.Duration) {
	defer close(w.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		case <-w.wake:
		}
		_ = w.flush() // the error is kept in w.err
	}
}

// Flush appends what was added to the file now (without fsync).
func (w *Writer) Flush() error {
	return w.flush()
}

// Close writes what was added, fsyncs and closes the file. It is safe to call more than
// once; later calls return the first one's error.
func (w *Writer) Close() error {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true // no Add from now on: the flush below writes the last of them
		w.mu.Unlock()
		close(w.stop)
		<-w.stopped
		err := w.flush()
		if serr := w.f.Sync(); serr != nil && err == nil {
			err = fmt.Errorf("tensorboard: Writer.Close: fsync of %s: %w", w.path, serr)
		}
		if cerr := w.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("tensorboard: Writer.Close: %w", cerr)
		}
		w.closeErr = err
	})
	return w.closeErr
}
