// SPDX-License-Identifier: Apache-2.0

package tensorboard_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gonbviz/gonbviz/tensorboard"
)

// writeScalars writes n points of "loss" (value = step) into a new file in dir and returns
// its path.
func writeScalars(t *testing.T, dir string, first, n int) string {
	t.Helper()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for step := first; step < first+n; step++ {
		if err := w.AddScalar("loss", int64(step), float64(step), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.Path()
}

// recordOffsets returns the byte offset of each record of an event file.
func recordOffsets(t *testing.T, path string) []int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for off := int64(0); off < int64(len(b)); {
		out = append(out, off)
		off += 12 + int64(binary.LittleEndian.Uint64(b[off:])) + 4
	}
	return out
}

func steps(points []tensorboard.ScalarPoint) []int64 {
	var out []int64
	for _, p := range points {
		out = append(out, p.Step)
	}
	return out
}

func hasNote(log *tensorboard.Log, parts ...string) bool {
	for _, n := range log.Notes {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(n, p)
		}
		if all {
			return true
		}
	}
	return false
}

// A writer killed mid-write leaves a cut record: it is read up to the record before it,
// with a note, wherever the cut falls (in the header, the data or the footer).
func TestTruncatedLastRecord(t *testing.T) {
	src := writeScalars(t, t.TempDir(), 0, 10)
	full, _ := os.ReadFile(src)
	offs := recordOffsets(t, src)
	last := offs[len(offs)-1] // the record of step 9
	for cut := last + 1; cut < int64(len(full)); cut++ {
		dir := t.TempDir()
		path := filepath.Join(dir, filepath.Base(src))
		if err := os.WriteFile(path, full[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		log, err := tensorboard.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := steps(log.Runs[0].Scalar("loss"))
		if len(got) != 9 || got[8] != 8 {
			t.Fatalf("cut at %d: read steps %v, want 0-8", cut, got)
		}
		if !hasNote(log, path, fmt.Sprintf("cut short at byte %d of %d", last, cut), "read the 10 records before it") {
			t.Fatalf("cut at %d: notes %q", cut, log.Notes)
		}
	}
}

// A bad CRC names the file and the record's byte offset; the file's earlier records are
// kept and reading goes on with the next file of the run.
func TestBadCRC(t *testing.T) {
	for _, where := range []struct {
		name string
		at   int64 // byte of the record to flip
		what string
	}{{"length", 3, "bad CRC of the record's length"}, {"data", 20, "bad CRC of the record's data"}} {
		t.Run(where.name, func(t *testing.T) {
			dir := t.TempDir()
			first := writeScalars(t, dir, 0, 10)
			second := filepath.Join(dir, "events.out.tfevents.9999999999.later")
			if err := os.Rename(writeScalars(t, t.TempDir(), 10, 5), second); err != nil {
				t.Fatal(err)
			}
			offs := recordOffsets(t, first)
			bad := offs[5] // the record of step 4 (the first record is the file version)
			b, _ := os.ReadFile(first)
			b[bad+where.at] ^= 0x40
			if err := os.WriteFile(first, b, 0o644); err != nil {
				t.Fatal(err)
			}
			log, err := tensorboard.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := steps(log.Runs[0].Scalar("loss"))
			want := []int64{0, 1, 2, 3, 10, 11, 12, 13, 14}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("read steps %v, want %v", got, want)
			}
			if !hasNote(log, first, where.what, fmt.Sprintf("at byte %d", bad), "went on with the next file") {
				t.Errorf("notes %q", log.Notes)
			}
		})
	}
}

// Records that are not Events, and summaries Read does not load, are skipped and counted.
func TestSkipped(t *testing.T) {
	dir := t.TempDir()
	var b []byte
	rec := func(data []byte) { b = tensorboard.AppendRecord(b, data) }
	event := func(step int64, fields ...[]byte) []byte {
		e := protowire.AppendTag(nil, 2, protowire.VarintType)
		e = protowire.AppendVarint(e, uint64(step))
		for _, f := range fields {
			e = append(e, f...)
		}
		return e
	}
	msg := func(num protowire.Number, body []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), body)
	}
	str := func(num protowire.Number, s string) []byte { return msg(num, []byte(s)) }
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	simple := func(tag string, v float32) []byte {
		f := protowire.AppendTag(nil, 2, protowire.Fixed32Type)
		return msg(5, msg(1, cat(str(1, tag), protowire.AppendFixed32(f, 0x3f800000))))
	}
	rec(event(0, simple("loss", 1)))
	rec([]byte{0xff, 0xff, 0xff})                                                                   // not an Event
	rec(event(1, msg(5, msg(1, cat(str(1, "img"), msg(4, nil))))))                                  // an image
	rec(event(1, msg(5, msg(1, cat(str(1, "t"), msg(8, nil))))))                                    // a tensor with no plugin
	rec(event(1, msg(5, msg(1, cat(str(1, "h"), msg(8, nil), msg(9, msg(1, str(1, "hparams")))))))) // another plugin
	rec(event(2, simple("loss", 1)))
	if err := os.WriteFile(filepath.Join(dir, "events.out.tfevents.1.x"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if got := steps(r.Scalar("loss")); fmt.Sprint(got) != "[0 2]" {
		t.Errorf("steps %v", got)
	}
	if fmt.Sprint(r.Skipped) != `map[image:1 plugin "hparams":1 tensor without a plugin:1]` {
		t.Errorf("skipped %v", r.Skipped)
	}
	if !hasNote(log, "1 records or summary values could not be decoded", "the record at byte") || !hasNote(log, "skipped 3 summaries") {
		t.Errorf("notes %q", log.Notes)
	}
}

func TestReadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := tensorboard.Read(missing); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--logdir") {
		t.Errorf("a missing directory: %v", err)
	}
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tensorboard.Read(empty); err == nil || !strings.Contains(err.Error(), "no event files") {
		t.Errorf("a directory without event files: %v", err)
	}
	// One event file, read as the run ".".
	path := writeScalars(t, t.TempDir(), 0, 3)
	log, err := tensorboard.Read(path)
	if err != nil || len(log.Runs) != 1 || log.Runs[0].Name != "." || len(log.Runs[0].Scalar("loss")) != 3 {
		t.Errorf("Read(file): %+v, %v", log, err)
	}
}

func TestWriterErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := tensorboard.NewWriter("", tensorboard.WriterOptions{}); err == nil || !strings.Contains(err.Error(), "dir is empty") {
		t.Errorf("NewWriter(\"\"): %v", err)
	}
	if _, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{FlushInterval: time.Microsecond}); err == nil || !strings.Contains(err.Error(), "WriterOptions.FlushInterval") {
		t.Errorf("a tiny FlushInterval: %v", err)
	}
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := tensorboard.Histogram{Min: 0, Max: 1, Num: 1, BucketLimit: []float64{1}, Bucket: []float64{1}}
	bad := func(mod func(*tensorboard.Histogram)) tensorboard.Histogram {
		c := h
		c.BucketLimit, c.Bucket = append([]float64(nil), h.BucketLimit...), append([]float64(nil), h.Bucket...)
		mod(&c)
		return c
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{w.AddScalar("", 1, 1, time.Time{}), "AddScalar: tag is empty"},
		{w.AddScalar("a\xff", 1, 1, time.Time{}), "not valid UTF-8"},
		{w.AddText("t", 1, "\xff", time.Time{}), "text is not valid UTF-8"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) { h.Bucket = nil; h.BucketLimit = nil }), time.Time{}), "Histogram.Bucket is empty"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) { h.Bucket = append(h.Bucket, 2) }), time.Time{}), "Bucket has 2 counts and BucketLimit 1 limits"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) { h.Sum = math.NaN() }), time.Time{}), "Histogram.Sum is NaN"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) { h.Bucket[0] = -1 }), time.Time{}), "Histogram.Bucket[0] is -1"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) {
			h.BucketLimit, h.Bucket = []float64{1, 0.5}, []float64{1, 1}
		}), time.Time{}), "BucketLimit[1] = 0.5 is below BucketLimit[0] = 1"},
		{w.AddHistogram("h", 1, bad(func(h *tensorboard.Histogram) { h.Min = 2 }), time.Time{}), "Histogram.Min 2 is above Max 1"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", c.err, c.want)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if err := w.AddScalar("x", 1, 1, time.Time{}); err == nil || !strings.Contains(err.Error(), "is closed") {
		t.Errorf("AddScalar after Close: %v", err)
	}
	// Nothing invalid reached the file.
	log, err := tensorboard.Read(dir)
	if err != nil || len(log.Runs[0].Scalars)+len(log.Runs[0].Histograms)+len(log.Runs[0].Texts) != 0 {
		t.Errorf("the file holds %+v (%v)", log, err)
	}
}

// Points are on disk within a FlushInterval without Flush, and a reader can read the file
// while it grows.
func TestBackgroundFlush(t *testing.T) {
	dir := t.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{FlushInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for step := range 3 {
		if err := w.AddScalar("loss", int64(step), 1, time.Time{}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			log, err := tensorboard.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			// A record being appended may be read half written: the reader says so and
			// reads it on its next pass, as TensorBoard does. Nothing else may be noted.
			for _, n := range log.Notes {
				if !strings.Contains(n, "still writing") {
					t.Fatalf("a note while the file grows: %q", n)
				}
			}
			if n := len(log.Runs[0].Scalar("loss")); n == step+1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d not on disk after 5 s", step)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func TestConcurrentAdds(t *testing.T) {
	dir := t.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{FlushInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for step := range 2000 {
				tag := fmt.Sprintf("g%d", g)
				if err := w.AddScalar(tag, int64(step), float64(step), time.Time{}); err != nil {
					t.Error(err)
					return
				}
				if step%500 == 0 {
					_ = w.Flush()
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for g := range 8 {
		pts := log.Runs[0].Scalar(fmt.Sprintf("g%d", g))
		if len(pts) != 2000 || pts[1999].Value != 1999 {
			t.Fatalf("g%d: %d points", g, len(pts))
		}
	}
}

func TestAddDoesNotAllocate(t *testing.T) {
	w, err := tensorboard.NewWriter(t.TempDir(), tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	wall := time.Unix(1_700_000_000, 0)
	h := tensorboard.Histogram{Min: -1, Max: 1, Num: 30, BucketLimit: make([]float64, 30), Bucket: make([]float64, 30)}
	for i := range h.BucketLimit {
		h.BucketLimit[i], h.Bucket[i] = -1+float64(i+1)/15, 1
	}
	step := int64(0)
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"AddScalar", func() { _ = w.AddScalar("train/loss", step, 0.5, wall) }},
		{"AddHistogram", func() { _ = w.AddHistogram("weights/w", step, h, wall) }},
	} {
		for range 100 { // grow the buffers
			c.fn()
		}
		_ = w.Flush()
		if n := testing.AllocsPerRun(100, func() { step++; c.fn() }); n != 0 {
			t.Errorf("%s allocates %v times per call", c.name, n)
		}
		_ = w.Flush()
	}
}

func FuzzRead(f *testing.F) {
	var seed []byte
	seed = tensorboard.AppendRecord(seed, []byte{0x10, 0x01})
	f.Add(seed)
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "events.out.tfevents.1.f"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := tensorboard.Read(dir); err != nil && !strings.Contains(err.Error(), "tensorboard.Read") {
			t.Fatal(err)
		}
		// Framed as one record: the decoders see arbitrary bytes.
		if err := os.WriteFile(filepath.Join(dir, "events.out.tfevents.1.f"), tensorboard.AppendRecord(nil, b), 0o644); err != nil {
			t.Fatal(err)
		}
		if log, err := tensorboard.Read(dir); err != nil {
			t.Fatal(err)
		} else {
			for _, n := range log.Notes {
				if strings.Contains(n, "internal error") {
					t.Fatal(n)
				}
			}
		}
	})
}

// TestReadBoundedMemory reads a log of long series: each scalar series keeps at most
// MaxPoints points (its first and last, and a spike), each histogram series at most
// MaxHistograms (its first and last), whatever their length; -1 keeps everything.
func TestReadBoundedMemory(t *testing.T) {
	const series, steps, histos = 4, 100_000, 2_000
	dir := t.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Unix(1_700_000_000, 0)
	h := tensorboard.Histogram{Min: 0, Max: 1, Num: 2, Sum: 1, SumSquares: 1, BucketLimit: []float64{0.5, 1}, Bucket: []float64{1, 1}}
	for step := range int64(steps) {
		for s := range series {
			v := 1 / float64(step+1)
			if step == 77_777 {
				v = 100 // a spike
			}
			if err := w.AddScalar(fmt.Sprintf("s%d", s), step, v, wall); err != nil {
				t.Fatal(err)
			}
		}
		if step < histos {
			if err := w.AddHistogram("h", step, h, wall); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts              tensorboard.ReadOptions
		points, histogram int
	}{
		{tensorboard.ReadOptions{}, tensorboard.DefaultMaxPoints, tensorboard.DefaultMaxHistograms},
		{tensorboard.ReadOptions{MaxPoints: 100, MaxHistograms: 7}, 100, 7},
		{tensorboard.ReadOptions{MaxPoints: -1, MaxHistograms: -1}, steps, histos},
	} {
		log, err := tensorboard.ReadWith(dir, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		r := log.Run(".")
		if len(r.Scalars) != series {
			t.Fatalf("%+v: %d series", c.opts, len(r.Scalars))
		}
		for _, s := range r.Scalars {
			n := len(s.Points)
			if n > c.points || n < c.points/2 || s.Points[0].Step != 0 || s.Points[n-1].Step != steps-1 {
				t.Errorf("%+v: series %s kept %d points (steps %d to %d), want at most %d, from 0 to %d", c.opts, s.Tag, n, s.Points[0].Step, s.Points[n-1].Step, c.points, steps-1)
			}
			if !slices.ContainsFunc(s.Points, func(p tensorboard.ScalarPoint) bool { return p.Step == 77_777 && p.Value == 100 }) {
				t.Errorf("%+v: series %s lost its spike", c.opts, s.Tag)
			}
		}
		hs := r.Histogram("h")
		if n := len(hs); n > c.histogram || n < c.histogram/2 || hs[0].Step != 0 || hs[n-1].Step != histos-1 {
			t.Errorf("%+v: kept %d histograms (steps %d to %d), want at most %d, from 0 to %d", c.opts, n, hs[0].Step, hs[n-1].Step, c.histogram, histos-1)
		}
	}
	if _, err := tensorboard.ReadWith(dir, tensorboard.ReadOptions{MaxPoints: 3}); err == nil || !strings.Contains(err.Error(), "ReadOptions.MaxPoints is 3; use at least 5") {
		t.Errorf("MaxPoints 3: %v", err)
	}
}
