// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustCreate(t testing.TB, dir string, meta Meta, opts Options) *Run {
	t.Helper()
	r, err := CreateWith(dir, meta, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

func TestRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run1")
	start := time.Date(2026, 5, 4, 15, 30, 12, 0, time.UTC)
	meta := Meta{
		Name: "lr=0.01", Model: "MLP 784-512-10", Backend: "go",
		Hyperparameters: map[string]any{"lr": 0.01, "batch": 256, "optimizer": "adam"},
		Tags:            []string{"sweep"}, StartTime: start,
		Series: []SeriesInfo{{Name: "eval/validation/accuracy"}, {Name: "custom/metric", Kind: KindLoss, Split: "train"}},
	}
	r := mustCreate(t, dir, meta, Options{})
	want := map[string][]Point{}
	add := func(name string, step int64, v float64, opts ...AddOption) {
		t.Helper()
		if err := r.Add(name, step, v, opts...); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		v := 1 / float64(i+1)
		switch i {
		case 10:
			v = math.NaN()
		case 11:
			v = math.Inf(1)
		case 12:
			v = math.Inf(-1)
		case 13:
			v = 1e-300
		case 14:
			v = -0.1234567890123456789
		}
		add("train/loss", int64(i), v, Epoch(float64(i)/10), Wall(float64(i)/4))
		want["train/loss"] = append(want["train/loss"], Point{Step: int64(i), Value: v, Epoch: float64(i) / 10, Wall: float64(i) / 4})
	}
	add("eval/validation/accuracy", 49, 0.9, Wall(13))
	want["eval/validation/accuracy"] = []Point{{Step: 49, Value: 0.9, Epoch: math.NaN(), Wall: 13}}
	add(`we"ird/näme\x`, -5, 3, Wall(1))
	want[`we"ird/näme\x`] = []Point{{Step: -5, Value: 3, Epoch: math.NaN(), Wall: 1}}
	if err := r.Declare(SeriesInfo{Name: "train/loss", Kind: "loss", Split: "train"}); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	for _, rr := range []*Run{r, mustOpen(t, dir)} {
		for name, w := range want {
			got := rr.Series(name)
			if len(got) != len(w) {
				t.Fatalf("%s: %d points, want %d", name, len(got), len(w))
			}
			for i := range w {
				g := got[i]
				if g.Step != w[i].Step || !sameFloat(g.Value, w[i].Value) || !sameFloat(g.Epoch, w[i].Epoch) || g.Wall != w[i].Wall ||
					math.Signbit(g.Value) != math.Signbit(w[i].Value) {
					t.Fatalf("%s[%d] = %+v, want %+v", name, i, g, w[i])
				}
			}
		}
		list := rr.SeriesList()
		wantList := []SeriesInfo{
			{Name: "eval/validation/accuracy", Kind: KindAccuracy, Split: "eval:validation"},
			{Name: "custom/metric", Kind: KindLoss, Split: "train"},
			{Name: "train/loss", Kind: KindLoss, Split: "train"},
			{Name: `we"ird/näme\x`, Kind: KindOther, Split: ""},
		}
		if fmt.Sprint(list) != fmt.Sprint(wantList) {
			t.Fatalf("series %v, want %v", list, wantList)
		}
		m := rr.Meta()
		if m.Name != "lr=0.01" || m.Status != StatusFinished || m.EndTime.IsZero() || !m.StartTime.Equal(start) ||
			m.Format != Format || m.ID == "" || m.Version == "" || m.Hyperparameters["optimizer"] != "adam" || len(m.Series) != 4 {
			t.Fatalf("meta %+v", m)
		}
		st, ok := rr.Stats("train/loss")
		if !ok || st.Count != 50 || st.NonFinite != 3 || st.First.Step != 0 || st.Last.Step != 49 || st.Max.Value != 1 || st.Min.Value != -0.1234567890123456789 {
			t.Fatalf("stats %+v", st)
		}
		if rr.Series("nope") != nil {
			t.Fatal("unknown series gave points")
		}
		if n := rr.Notes(); len(n) != 0 {
			t.Fatalf("notes: %v", n)
		}
	}

	// Every line is a JSON object another language can read.
	data, err := os.ReadFile(filepath.Join(dir, ScalarsFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 50+1+1+3+1 {
		t.Fatalf("%d lines:\n%s", len(lines), data)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
	}
	for _, w := range []string{
		`{"type":"series","series":"eval/validation/accuracy","kind":"accuracy","split":"eval:validation"}`,
		`{"series":"train/loss","step":0,"wall":0,"epoch":0,"value":1}`,
		`{"series":"train/loss","step":10,"wall":2.5,"epoch":1,"value":null,"nonfinite":"nan"}`,
		`{"series":"train/loss","step":11,"wall":2.75,"epoch":1.1,"value":null,"nonfinite":"+inf"}`,
		`{"series":"train/loss","step":12,"wall":3,"epoch":1.2,"value":null,"nonfinite":"-inf"}`,
		`{"series":"train/loss","step":13,"wall":3.25,"epoch":1.3,"value":1e-300}`,
		`{"series":"eval/validation/accuracy","step":49,"wall":13,"value":0.9}`,
		`{"series":"we\"ird/näme\\x","step":-5,"wall":1,"value":3}`,
	} {
		if !strings.Contains(string(data), w+"\n") {
			t.Errorf("scalars.jsonl lacks line %s", w)
		}
	}
	var fileMeta map[string]any
	mb, _ := os.ReadFile(filepath.Join(dir, MetaFile))
	if err := json.Unmarshal(mb, &fileMeta); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "id", "name", "model", "hyperparameters", "backend", "start_time", "end_time", "status", "gonbviz_version", "tags", "series"} {
		if _, ok := fileMeta[k]; !ok {
			t.Errorf("meta.json lacks %q:\n%s", k, mb)
		}
	}
}

func mustOpen(t testing.TB, dir string) *Run {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestIfExists(t *testing.T) {
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{Name: "a"}, Options{})
	r.Add("train/loss", 1, 1)
	r.Add("train/loss", 2, 2)
	r.Close()

	_, err := Create(dir, Meta{Name: "b"})
	if err == nil || !strings.Contains(err.Error(), "already holds run") || !strings.Contains(err.Error(), "IfExists: runs.Append") {
		t.Fatalf("Create on a run: %v", err)
	}

	r = mustCreate(t, dir, Meta{Name: "ignored"}, Options{IfExists: Append})
	if m := r.Meta(); m.Name != "a" || m.Status != StatusRunning || !m.EndTime.IsZero() {
		t.Fatalf("appended meta %+v", m)
	}
	if s := r.Series("train/loss"); len(s) != 2 {
		t.Fatalf("appended run has %v", s)
	}
	r.Add("train/loss", 3, 3)
	r.Close()
	r2 := mustOpen(t, dir)
	if s := r2.Series("train/loss"); len(s) != 3 || s[2].Value != 3 {
		t.Fatalf("after append: %v", s)
	}
	data, _ := os.ReadFile(filepath.Join(dir, ScalarsFile))
	if n := strings.Count(string(data), `"type":"series"`); n != 1 {
		t.Fatalf("append re-declared the series (%d declarations):\n%s", n, data)
	}

	os.WriteFile(filepath.Join(dir, "histograms.jsonl"), []byte("{}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o644)
	r = mustCreate(t, dir, Meta{Name: "c"}, Options{IfExists: Overwrite})
	r.Close()
	r3 := mustOpen(t, dir)
	if m := r3.Meta(); m.Name != "c" || len(r3.SeriesList()) != 0 {
		t.Fatalf("overwritten run: %+v", m)
	}
	if _, err := os.Stat(filepath.Join(dir, "histograms.jsonl")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Overwrite kept histograms.jsonl: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatalf("Overwrite removed a file that is not the run's: %v", err)
	}
}

func TestTornLastLine(t *testing.T) {
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{}, Options{})
	for i := range 10 {
		r.Add("train/loss", int64(i), float64(i))
	}
	r.Close()
	f, _ := os.OpenFile(filepath.Join(dir, ScalarsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"series":"train/loss","step":10,"wall":0.5,"val`)
	f.Close()

	r2 := mustOpen(t, dir)
	if s := r2.Series("train/loss"); len(s) != 10 {
		t.Fatalf("%d points", len(s))
	}
	notes := r2.Notes()
	if len(notes) != 1 || !strings.Contains(notes[0], "no newline") {
		t.Fatalf("notes %v", notes)
	}
	pts := 0
	sn, err := r2.ScanScalars(func(string, Point) error { pts++; return nil })
	if err != nil || pts != 10 || len(sn) != 1 {
		t.Fatalf("ScanScalars: %d points, notes %v, err %v", pts, sn, err)
	}

	// Appending after a torn line starts a new line.
	r3 := mustCreate(t, dir, Meta{}, Options{IfExists: Append})
	r3.Add("train/loss", 11, 11)
	r3.Close()
	r4 := mustOpen(t, dir)
	if s := r4.Series("train/loss"); len(s) != 11 || s[10].Step != 11 {
		t.Fatalf("after append: %v", s)
	}
	if n := r4.Notes(); len(n) != 1 || !strings.Contains(n[0], "line 12 skipped") {
		t.Fatalf("notes after append %v", n)
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, MetaFile), []byte("{not json"), 0o644)
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not valid run metadata") {
		t.Fatalf("Open with bad meta: %v", err)
	}
	os.WriteFile(filepath.Join(dir, MetaFile), []byte(`{"format":"gonbviz-run/2","id":"x"}`), 0o644)
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "upgrade gonbviz") {
		t.Fatalf("Open with newer format: %v", err)
	}
	os.WriteFile(filepath.Join(dir, MetaFile), []byte(`{"format":"gonbviz-run/1","id":"x","status":"running"}`), 0o644)
	lines := []string{
		`{"series":"a","step":1,"wall":0,"value":1}`,
		`garbage`,
		`{"series":"a","step":"two","value":1}`,
		`{"series":"a","step":1.5,"value":1}`,
		`{"series":"a","value":1}`,
		`{"series":"","step":3,"value":1}`,
		`{"series":"a","step":2,"value":1,"nonfinite":"huh"}`,
		`{"type":"histogram","series":"a","step":3}`,
		`{"series":"a","step":4,"wall":1,"value":"x"}`,
		`[1,2]`,
		`{"series":"a","step":5e0,"value":5}`,
		`{"series":"a","step":99999999999999999999,"value":1}`,
		"{\"series\":\"a\xff\",\"step\":6,\"value\":1}",
		`{"step":7,"value":7,"series":"a","wall":2}`,
		`{"series":"a","step":8,"wall":0,"value":null}`,
		strings.Repeat("x", maxScalarLine+10),
		`{"series":"a","step":9,"wall":0,"value":9}`,
	}
	os.WriteFile(filepath.Join(dir, ScalarsFile), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	r := mustOpen(t, dir)
	s := r.Series("a")
	var steps []int64
	for _, p := range s {
		steps = append(steps, p.Step)
	}
	if fmt.Sprint(steps) != "[1 5 7 8 9]" {
		t.Fatalf("steps %v; notes:\n%s", steps, strings.Join(r.Notes(), "\n"))
	}
	if !math.IsNaN(s[3].Value) {
		t.Fatalf("null value read as %v, want NaN", s[3].Value)
	}
	notes := strings.Join(r.Notes(), "\n")
	for _, w := range []string{"line 2 skipped", "line 3 skipped", `not an integer`, `no "step"`, "series name is empty", `"nonfinite" is "huh"`,
		`type "histogram"`, "line 10 skipped", "longer than"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
}

// FuzzParseScalar checks that no line makes the reader panic, and that what
// the writer writes reads back.
func FuzzParseScalar(f *testing.F) {
	f.Add([]byte(`{"series":"a","step":1,"wall":0,"value":1}`), int64(3), 2.5)
	f.Add([]byte(`{"series":"a","step":-1,"wall":1e9,"epoch":2,"value":null,"nonfinite":"-inf"}`), int64(-7), math.NaN())
	f.Add([]byte(`{"type":"series","series":"x","kind":"loss","split":"train"}`), int64(0), math.Inf(1))
	f.Fuzz(func(t *testing.T, line []byte, step int64, v float64) {
		var p parsed
		_ = parseScalar(line, &p)
		b := appendScalar(nil, jsonString("s/x"), Point{Step: step, Value: v, Wall: 1.5, Epoch: math.NaN()})
		if err := parseScalar(bytes.TrimSuffix(b, []byte("\n")), &p); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if string(p.name) != "s/x" || p.p.Step != step || !sameFloat(p.p.Value, v) || math.Signbit(p.p.Value) != math.Signbit(v) && !math.IsNaN(v) {
			t.Fatalf("%s read back as %+v", b, p)
		}
	})
}

func TestConcurrentAdd(t *testing.T) {
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{}, Options{FlushInterval: 5 * time.Millisecond})
	const goroutines, per = 4, 3000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("train/g%d", g%2)
			for i := range per {
				if err := r.Add(name, int64(i), float64(i)); err != nil {
					t.Error(err)
					return
				}
				if i%500 == 0 {
					r.Series(name)
					r.Stats(name)
					r.AppendRecord("text", map[string]any{"g": g, "i": i})
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			if err := r.Flush(); err != nil {
				t.Error(err)
			}
		}
	}()
	wg.Wait()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	if _, err := mustOpen(t, dir).ScanScalars(func(s string, p Point) error { counts[s]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if counts["train/g0"] != 2*per || counts["train/g1"] != 2*per {
		t.Fatalf("counts %v", counts)
	}
	n := 0
	if _, err := ReadStream(dir, "text", func([]byte) error { n++; return nil }); err != nil || n != goroutines*per/500 {
		t.Fatalf("text stream: %d records, %v", n, err)
	}
}

func TestBackgroundFlush(t *testing.T) {
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{}, Options{FlushInterval: 20 * time.Millisecond})
	defer r.Close()
	r.Add("train/loss", 1, 0.5)
	r.AppendRecord("histograms", map[string]any{"step": 1, "counts": []int{1, 2}})
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ := os.ReadFile(filepath.Join(dir, ScalarsFile))
		h, _ := os.ReadFile(filepath.Join(dir, "histograms.jsonl"))
		m, _ := readMeta(dir)
		if bytes.Contains(data, []byte(`"step":1,`)) && string(h) == `{"counts":[1,2],"step":1}`+"\n" && len(m.Series) == 1 && m.Series[0].Name == "train/loss" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not written after 5 s (meta.json series %v):\n%s\n%s", m.Series, data, h)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRefresh(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, Meta{}, Options{})
	w.Add("train/loss", 1, 1)
	w.Flush()
	r := mustOpen(t, dir)
	if len(r.Series("train/loss")) != 1 || r.Meta().Status != StatusRunning {
		t.Fatal("first read")
	}
	// A partial line (as a reader may see mid-write) waits for its end.
	f, _ := os.OpenFile(filepath.Join(dir, ScalarsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"series":"train/loss","step":2,"wall":0,"va`)
	if n, err := r.Refresh(); n != 0 || err != nil {
		t.Fatalf("Refresh on a partial line: %d, %v", n, err)
	}
	f.WriteString(`lue":2}` + "\n")
	f.Close()
	w.Add("train/loss", 3, 3)
	w.Add("train/acc", 3, 0.5)
	w.Close()
	n, err := r.Refresh()
	if err != nil || n != 4 { // 3 points and a declaration
		t.Fatalf("Refresh: %d, %v", n, err)
	}
	if s := r.Series("train/loss"); len(s) != 3 || r.Meta().Status != StatusFinished || len(r.Notes()) != 0 {
		t.Fatalf("after Refresh: %v %v %v", s, r.Meta().Status, r.Notes())
	}
	if _, err := w.Refresh(); err == nil {
		t.Fatal("Refresh on a writer succeeded")
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	check := func(err error, want ...string) {
		t.Helper()
		if err == nil {
			t.Fatalf("no error, want %q", want)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Fatalf("error %q lacks %q", err, w)
			}
		}
	}
	_, err := Create("", Meta{})
	check(err, `Create needs a directory dir`)
	_, err = CreateWith(dir, Meta{}, Options{MaxPoints: 3})
	check(err, "Options.MaxPoints is 3", "at least 5")
	_, err = CreateWith(dir, Meta{}, Options{FlushInterval: time.Microsecond})
	check(err, "Options.FlushInterval")
	_, err = CreateWith(dir, Meta{}, Options{IfExists: 7})
	check(err, "Options.IfExists is IfExists(7)")
	_, err = Create(dir, Meta{Hyperparameters: map[string]any{"lr": math.NaN()}})
	check(err, `meta.Hyperparameters["lr"] is NaN`, "as a string")
	_, err = Create(dir, Meta{Hyperparameters: map[string]any{"f": func() {}}})
	check(err, `meta.Hyperparameters["f"] (func())`)
	_, err = Open(filepath.Join(dir, "none"))
	check(err, "no meta.json", "List(root)")
	_, err = Open("")
	check(err, "Open needs the run directory")
	_, err = List(filepath.Join(dir, "none"))
	check(err, "List(")

	r := mustCreate(t, filepath.Join(dir, "r"), Meta{}, Options{})
	check(r.Add("", 1, 1), "series name is empty")
	check(r.Add("a\nb", 1, 1), "control character")
	check(r.Declare(SeriesInfo{Name: "x", Kind: "a\x00"}), "Kind")
	check(r.AppendRecord("scalars", 1), "reserved")
	check(r.AppendRecord("Hist", 1), `stream name "Hist" has 'H'`)
	check(r.AppendRecord("meta", 1), "reserved")
	check(r.AppendRecord("h", math.Inf(1)), "cannot encode float64")
	check(r.AppendRecord("h", json.RawMessage(`{"a":`)), "cannot encode json.RawMessage")
	check(r.CloseWithStatus(StatusRunning, ""), "not an end status")
	if err := r.CloseWithStatus(StatusFailed, "loss became NaN"); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	check(r.Add("train/loss", 1, 1), "closed run", "IfExists: runs.Append")
	m := mustOpen(t, filepath.Join(dir, "r")).Meta()
	if m.Status != StatusFailed || m.StatusMessage != "loss became NaN" {
		t.Fatalf("meta %+v", m)
	}
	ro := mustOpen(t, filepath.Join(dir, "r"))
	check(ro.Add("train/loss", 1, 1), "read-only", "IfExists: runs.Append")
	check(ro.AppendRecord("h", 1), "read-only")
	if err := ro.Flush(); err != nil {
		t.Fatal(err)
	}
	_, err = ReadStream(dir, "h", func([]byte) error { return nil })
	check(err, "not a run directory")
	_, err = ReadStream(filepath.Join(dir, "r"), "../x", func([]byte) error { return nil })
	check(err, "stream name")
}

func TestWriteErrorIsReported(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs /dev/full")
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{}, Options{})
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	r.flushMu.Lock()
	r.files[ScalarsStream].Close()
	r.files[ScalarsStream] = f
	r.flushMu.Unlock()
	r.Add("train/loss", 1, 1)
	err = r.Flush()
	if err == nil || !strings.Contains(err.Error(), "stopped recording") {
		t.Fatalf("Flush to a full disk: %v", err)
	}
	if err := r.Add("train/loss", 2, 2); err == nil {
		t.Fatal("Add after a write error succeeded")
	}
	if err := r.Close(); err == nil {
		t.Fatal("Close after a write error succeeded")
	}
	if s := r.Series("train/loss"); len(s) != 1 {
		t.Fatalf("in-memory series lost: %v", s)
	}
}

func TestList(t *testing.T) {
	root := t.TempDir()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"lr=0.1", "lr=0.01", "sweep/lr=0.001"} {
		r := mustCreate(t, filepath.Join(root, name), Meta{Name: name, StartTime: t0.Add(time.Duration(2-i) * time.Hour)}, Options{})
		r.Add("train/loss", 1, float64(i))
		r.Close()
	}
	os.MkdirAll(filepath.Join(root, "broken"), 0o755)
	os.WriteFile(filepath.Join(root, "broken", MetaFile), []byte("{"), 0o644)
	os.MkdirAll(filepath.Join(root, ".hidden"), 0o755)
	os.WriteFile(filepath.Join(root, ".hidden", MetaFile), []byte("{"), 0o644)
	metas, err := List(root)
	if err == nil || !strings.Contains(err.Error(), "broken") || strings.Contains(err.Error(), "hidden") {
		t.Fatalf("List error: %v", err)
	}
	var names []string
	for _, m := range metas {
		names = append(names, m.Name)
		if _, err := Open(m.Dir); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(names) != "[sweep/lr=0.001 lr=0.01 lr=0.1]" {
		t.Fatalf("List gave %v", names)
	}
	one, err := List(filepath.Join(root, "lr=0.1"))
	if err != nil || len(one) != 1 {
		t.Fatalf("List of a run dir: %v %v", one, err)
	}
}

func TestGuessSeriesInfo(t *testing.T) {
	for _, c := range []struct{ name, kind, split string }{
		{"train/loss", "loss", "train"},
		{"train/loss_ma", "loss", "train"},
		{"train/Moving Average Loss", "loss", "train"},
		{"eval/validation/accuracy", "accuracy", "eval:validation"},
		{"eval/test/top1_acc", "accuracy", "eval:test"},
		{"eval/loss", "loss", "eval"},
		{"validation/acc", "accuracy", "eval:validation"},
		{"train/lr", "other", "train"},
		{"loss", "loss", ""},
		{"train", "other", ""},
		{"grad/accumulated", "other", ""},
	} {
		g := GuessSeriesInfo(c.name)
		if string(g.Kind) != c.kind || g.Split != c.split {
			t.Errorf("GuessSeriesInfo(%q) = %+v, want kind %q split %q", c.name, g, c.kind, c.split)
		}
	}
}

func TestPointJSON(t *testing.T) {
	for _, p := range []Point{
		{Step: 3, Wall: 1.5, Epoch: 0.25, Value: 0.1},
		{Step: -3, Wall: 0, Epoch: math.NaN(), Value: math.NaN()},
		{Step: 1 << 62, Wall: 2, Epoch: math.NaN(), Value: math.Inf(-1)},
	} {
		b, err := json.Marshal([]Point{p})
		if err != nil {
			t.Fatal(err)
		}
		var q []Point
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if q[0].Step != p.Step || q[0].Wall != p.Wall || !sameFloat(q[0].Epoch, p.Epoch) || !sameFloat(q[0].Value, p.Value) || math.Signbit(q[0].Value) != math.Signbit(p.Value) && !math.IsNaN(p.Value) {
			t.Fatalf("%+v -> %s -> %+v", p, b, q[0])
		}
	}
}

func TestAddDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	r := mustCreate(t, t.TempDir(), Meta{}, Options{FlushInterval: time.Hour})
	defer r.Close()
	r.Add("train/loss", 0, 1)
	for i := range 3000 { // fill the buckets and the buffer's capacity
		r.Add("train/loss", int64(i), 1, Epoch(1))
	}
	r.Flush()
	for i := range 3000 {
		r.Add("train/loss", int64(i), 1, Epoch(1))
	}
	r.Flush()
	step := int64(3000)
	allocs := testing.AllocsPerRun(1000, func() {
		r.Add("train/loss", step, 0.5, Epoch(2), Wall(3))
		step++
	})
	if allocs != 0 {
		t.Fatalf("Add allocates %v times per call", allocs)
	}
}

// TestRunMemoryBounded adds many points through a Run and checks that the
// in-memory state stays the same size.
func TestRunMemoryBounded(t *testing.T) {
	n := 2_000_000
	if testing.Short() || raceEnabled {
		n = 200_000
	}
	r := mustCreate(t, t.TempDir(), Meta{}, Options{FlushInterval: 10 * time.Millisecond})
	defer r.Close()
	var ms runtime.MemStats
	var heap []uint64
	for i := range n {
		r.Add("train/loss", int64(i), float64(i%1000))
		if (i+1)%(n/4) == 0 {
			r.Flush()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heap = append(heap, ms.HeapAlloc)
		}
	}
	s := r.series[0].sum
	if cap(s.bk) != s.nb {
		t.Fatalf("summary holds %d buckets, want %d", cap(s.bk), s.nb)
	}
	// The write buffers' capacities vary by a few MB with the batch sizes
	// the flusher happens to take; storing the points would take 32 B each.
	if g := int64(heap[3]) - int64(heap[1]); g > 4<<20 {
		t.Fatalf("heap grew %d bytes from %d to %d points: %v", g, n/2, n, heap)
	}
	if v := r.Series("train/loss"); len(v) > DefaultMaxPoints || v[len(v)-1].Step != int64(n-1) {
		t.Fatalf("view of %d points ending at %d", len(v), v[len(v)-1].Step)
	}
}

// FuzzOpen checks that no content of meta.json and scalars.jsonl makes Open
// or the views panic.
func FuzzOpen(f *testing.F) {
	f.Add([]byte(`{"format":"gonbviz-run/1","id":"x","series":[{"name":"a"}]}`),
		[]byte(`{"series":"a","step":1,"wall":0,"value":1}`+"\n"+`{"type":"series","series":"b","kind":"","split":""}`+"\n"+`{"series":"b","step":-9223372036854775808,"wall":0,"value":null,"nonfinite":"nan"}`))
	f.Add([]byte(`{"format":"gonbviz-run/1"}`), []byte("\n\n{\"series\":\"a\",\"step\":9223372036854775807,\"value\":1e308}\r\n{"))
	f.Fuzz(func(t *testing.T, meta, scalars []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, MetaFile), meta, 0o644)
		os.WriteFile(filepath.Join(dir, ScalarsFile), scalars, 0o644)
		r, err := OpenWith(dir, Options{MaxPoints: 5})
		if err != nil {
			return
		}
		for _, s := range r.SeriesList() {
			if v := r.Series(s.Name); len(v) > 5 {
				t.Fatalf("%d points", len(v))
			}
			r.Buckets(s.Name, 2)
			r.Stats(s.Name)
		}
		r.Meta()
		r.Refresh()
		r.ScanScalars(func(string, Point) error { return nil })
	})
}

// TestAppendRawRecord checks that encoded JSON is written as it is when it is on one
// line, and compacted onto one line when it is not.
func TestAppendRawRecord(t *testing.T) {
	dir := t.TempDir()
	r := mustCreate(t, dir, Meta{}, Options{})
	buf := []byte(`{"step":1,"s":"a\nb"}`)
	if err := r.AppendRecord("raw", json.RawMessage(buf)); err != nil {
		t.Fatal(err)
	}
	copy(buf, `{"step":9`) // the caller reuses its buffer: the record is already copied
	if err := r.AppendRecord("raw", json.RawMessage("{\n  \"step\": 2\n}")); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "raw.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"step":1,"s":"a\nb"}` + "\n" + `{"step":2}` + "\n"; string(data) != want {
		t.Errorf("raw.jsonl is %q, want %q", data, want)
	}
}

// IfExists New keeps every run: the second goes to dir-2, the third to dir-3.
func TestCreateNewBeside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	for _, want := range []string{dir, dir + "-2", dir + "-3"} {
		r, err := CreateWith(dir, Meta{Name: "x"}, Options{IfExists: New})
		if err != nil {
			t.Fatal(err)
		}
		if r.Dir() != want {
			t.Errorf("run in %s, want %s", r.Dir(), want)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
