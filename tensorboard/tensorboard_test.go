// SPDX-License-Identifier: Apache-2.0

package tensorboard_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// same reports whether a and b are the same number, NaN included.
func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// f32 rounds v to float32, as TensorBoard stores scalars and migrated histograms.
func f32(v float64) float64 { return float64(float32(v)) }

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// added is one event a test wrote.
type added struct {
	kind string // simple_value, histo, tensor
	tag  string
	step int64
	wall time.Time
	v    float64
	h    tensorboard.Histogram
	text string
}

// writeLog writes scalars (with NaN, ±Inf, a float32 denormal and a value past float32's
// range), histograms (empty end buckets, a constant, an all-zero one) and texts into dir,
// and returns them in order.
func writeLog(t *testing.T, dir string) []added {
	t.Helper()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 1))
	base := time.Unix(1_700_000_000, 123_456_789)
	var out []added
	add := func(a added) {
		t.Helper()
		var err error
		switch a.kind {
		case "simple_value":
			err = w.AddScalar(a.tag, a.step, a.v, a.wall)
		case "histo":
			err = w.AddHistogram(a.tag, a.step, a.h, a.wall)
		case "tensor":
			err = w.AddText(a.tag, a.step, a.text, a.wall)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	add(added{kind: "tensor", tag: "config", step: 0, wall: base, text: "| model | MLP 784-128-10 |\n|---|---|\n| backend | go |\n| note | ünïcode ✓, <b>html</b> |"})
	special := map[int64]float64{10: math.NaN(), 11: math.Inf(1), 12: math.Inf(-1), 13: 1e-45, 14: 1e39, 15: math.Copysign(0, -1), 16: 0}
	for step := int64(1); step <= 500; step++ {
		wall := base.Add(time.Duration(step) * 37 * time.Millisecond)
		v := 2/math.Sqrt(float64(step)) + 0.1*rng.NormFloat64()
		if s, ok := special[step]; ok {
			v = s
		}
		add(added{kind: "simple_value", tag: "train/loss", step: step, wall: wall, v: v})
		if step%50 == 0 {
			add(added{kind: "simple_value", tag: "eval/validation/accuracy", step: step, wall: wall, v: 0.9 + float64(step)/1e4})
		}
		if step%100 == 0 {
			n := 30
			lo, width := -1-rng.Float64(), 2/float64(n)
			h := tensorboard.Histogram{Min: lo, Max: lo + width*float64(n)}
			for i := range n {
				h.BucketLimit = append(h.BucketLimit, lo+width*float64(i+1))
				c := float64(rng.IntN(100))
				if i < 2 || i >= n-3 {
					c = 0 // empty buckets at either end: TensorBoard drops them
				}
				h.Bucket = append(h.Bucket, c)
				mid := lo + width*(float64(i)+0.5)
				h.Num += c
				h.Sum += c * mid
				h.SumSquares += c * mid * mid
			}
			add(added{kind: "histo", tag: "weights/dense/weights", step: step, wall: wall, h: h})
		}
	}
	add(added{kind: "histo", tag: "weights/constant", step: 500, wall: base, h: tensorboard.Histogram{
		Min: 0.25, Max: 0.25, Num: 10, Sum: 2.5, SumSquares: 0.625, BucketLimit: []float64{0.25}, Bucket: []float64{10}}})
	add(added{kind: "histo", tag: "weights/zero", step: 500, wall: base, h: tensorboard.Histogram{
		BucketLimit: []float64{0, 1}, Bucket: []float64{0, 0}}})
	add(added{kind: "tensor", tag: "notes", step: 500, wall: base, text: ""})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// trim drops the empty buckets at either end, as TensorBoard's migration of a v1 histogram
// does.
func trim(b [][3]tbcheck.Float) [][3]tbcheck.Float {
	for len(b) > 0 && !(b[0][2] > 0) {
		b = b[1:]
	}
	for len(b) > 0 && !(b[len(b)-1][2] > 0) {
		b = b[:len(b)-1]
	}
	return b
}

// checkBuckets compares our buckets with TensorBoard's (rounded to float32 when
// TensorBoard holds them so).
func checkBuckets(t *testing.T, where string, ours []tensorboard.Bucket, theirs [][3]tbcheck.Float, dtype string) {
	t.Helper()
	theirs = trim(theirs)
	if len(ours) != len(theirs) {
		t.Errorf("%s: %d buckets, TensorBoard %d: %v vs %v", where, len(ours), len(theirs), ours, theirs)
		return
	}
	round := func(v float64) float64 { return v }
	if dtype == "float32" {
		round = f32
	}
	for i, b := range ours {
		got := [3]float64{round(b.Left), round(b.Right), round(b.Count)}
		want := [3]float64{float64(theirs[i][0]), float64(theirs[i][1]), float64(theirs[i][2])}
		if got != want {
			t.Errorf("%s: bucket %d is %v, TensorBoard's %v", where, i, got, want)
			return
		}
	}
}

// TestTensorBoardReadsOurFiles writes a log and checks that TensorBoard's own loaders read
// every record (framing and CRCs checked with its masked CRC-32C), every scalar's step,
// wall time and value, every histogram's fields and buckets, and the texts, as written.
func TestTensorBoardReadsOurFiles(t *testing.T) {
	tbcheck.Python(t)
	dir := t.TempDir()
	want := writeLog(t, dir)
	dump := tbcheck.Read(t, dir)
	if len(dump.Runs) != 1 || dump.Runs["."] == nil {
		t.Fatalf("TensorBoard found runs %v, want the one run \".\"", keys(dump.Runs))
	}
	run := dump.Runs["."]

	// Framing and raw events: a file_version first, then one event per Add, in order.
	if len(run.Files) != 1 || !run.Files[0].CRCOK || run.Files[0].Records != len(want)+1 {
		t.Fatalf("files: %+v; want one file of %d records with good CRCs", run.Files, len(want)+1)
	}
	if !strings.HasPrefix(run.Files[0].Name, "events.out.tfevents.") {
		t.Errorf("file name %q", run.Files[0].Name)
	}
	if len(run.Events) != len(want)+1 {
		t.Fatalf("TensorBoard read %d events, want %d", len(run.Events), len(want)+1)
	}
	if e := run.Events[0]; e.What != "file_version" || e.FileVersion != "brain.Event:2" {
		t.Errorf("first event %+v, want file_version brain.Event:2", e)
	}
	for i, a := range want {
		e := run.Events[i+1]
		if e.What != "summary" || len(e.Values) != 1 || e.Values[0].Tag != a.tag || e.Values[0].Kind != a.kind ||
			e.Step != a.step || float64(e.Wall) != unix(a.wall) {
			t.Fatalf("event %d: TensorBoard read %+v, want %s %q at step %d, wall %v", i+1, e, a.kind, a.tag, a.step, unix(a.wall))
		}
		if a.kind == "tensor" && e.Values[0].Plugin != "text" {
			t.Errorf("event %d: plugin %q, want text", i+1, e.Values[0].Plugin)
		}
	}

	// Scalars: the legacy accumulator and the plugin view, values as float32.
	scalars := map[string][]added{}
	histos := map[string][]added{}
	texts := map[string][]added{}
	for _, a := range want {
		switch a.kind {
		case "simple_value":
			scalars[a.tag] = append(scalars[a.tag], a)
		case "histo":
			histos[a.tag] = append(histos[a.tag], a)
		case "tensor":
			texts[a.tag] = append(texts[a.tag], a)
		}
	}
	checked := 0
	for tag, as := range scalars {
		legacy, plugin := run.Scalars[tag], run.Tensors["scalars"][tag]
		if len(legacy) != len(as) || len(plugin) != len(as) {
			t.Fatalf("scalar %q: TensorBoard read %d (legacy) and %d (plugin) points, want %d", tag, len(legacy), len(plugin), len(as))
		}
		for i, a := range as {
			l, p := legacy[i], plugin[i]
			if int64(l[0]) != a.step || float64(l[1]) != unix(a.wall) || !same(float64(l[2]), f32(a.v)) {
				t.Errorf("scalar %q point %d: TensorBoard read %v, want [%d %v %v]", tag, i, l, a.step, unix(a.wall), f32(a.v))
			}
			if p.Step != a.step || float64(p.Wall) != unix(a.wall) || !same(float64(p.Value), f32(a.v)) || p.DType != "float32" {
				t.Errorf("scalar %q point %d: TensorBoard's scalars plugin holds %+v, want step %d, value %v", tag, i, p, a.step, f32(a.v))
			}
			checked++
		}
	}
	for tag, as := range histos {
		legacy, plugin := run.Histo[tag], run.Tensors["histograms"][tag]
		if len(legacy) != len(as) || len(plugin) != len(as) {
			t.Fatalf("histogram %q: TensorBoard read %d (legacy) and %d (plugin) points, want %d", tag, len(legacy), len(plugin), len(as))
		}
		for i, a := range as {
			l := legacy[i]
			ok := l.Step == a.step && float64(l.Wall) == unix(a.wall) && float64(l.Min) == a.h.Min && float64(l.Max) == a.h.Max &&
				float64(l.Num) == a.h.Num && float64(l.Sum) == a.h.Sum && float64(l.SumSquares) == a.h.SumSquares &&
				slices.Equal(floats(l.BucketLimit), a.h.BucketLimit) && slices.Equal(floats(l.Bucket), a.h.Bucket)
			if !ok {
				t.Errorf("histogram %q point %d: TensorBoard read %+v, want %+v", tag, i, l, a.h)
			}
			checkBuckets(t, fmt.Sprintf("histogram %q point %d (plugin view)", tag, i), a.h.Buckets(), plugin[i].Buckets, plugin[i].DType)
			checkPercentiles(t, fmt.Sprintf("histogram %q point %d", tag, i), a.h.Buckets(), plugin[i].Compressed, plugin[i].DType)
			checked++
		}
	}
	for tag, as := range texts {
		plugin := run.Tensors["text"][tag]
		if len(plugin) != len(as) {
			t.Fatalf("text %q: TensorBoard read %d points, want %d", tag, len(plugin), len(as))
		}
		for i, a := range as {
			if p := plugin[i]; p.Step != a.step || len(p.Text) != 1 || p.Text[0] != a.text {
				t.Errorf("text %q: TensorBoard read %+v, want %q", tag, p, a.text)
			}
			checked++
		}
	}
	if checked != len(want) {
		t.Errorf("checked %d points of %d", checked, len(want))
	}
}

// normalPercents are TensorBoard's distribution percentiles (NORMAL_HISTOGRAM_BPS / 100).
var normalPercents = []float64{0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100}

// checkPercentiles compares Percentiles with TensorBoard's distribution values (which it
// computes in float32 for float32 buckets).
func checkPercentiles(t *testing.T, where string, buckets []tensorboard.Bucket, compressed [][2]tbcheck.Float, dtype string) {
	t.Helper()
	got := tensorboard.Percentiles(buckets, normalPercents)
	if len(compressed) != len(got) {
		t.Errorf("%s: %d percentiles, TensorBoard %d", where, len(got), len(compressed))
		return
	}
	span := 1.0
	if len(buckets) > 0 {
		span = max(1, math.Abs(buckets[0].Left), math.Abs(buckets[len(buckets)-1].Right))
	}
	tol := 1e-9 * span
	if dtype == "float32" {
		tol = 1e-5 * span
	}
	for i, c := range compressed {
		if float64(c[0]) != math.Round(normalPercents[i]*100) || math.Abs(got[i]-float64(c[1])) > tol {
			t.Errorf("%s: percentiles %v, TensorBoard's distribution %v", where, got, compressed)
			return
		}
	}
}

func floats(fs []tbcheck.Float) []float64 {
	out := make([]float64, len(fs))
	for i, f := range fs {
		out[i] = float64(f)
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestReadTensorBoardFixtures reads logs written by TensorBoard's own writer (v1 and v2
// summaries) and by tensorboardX (PyTorch's format), and checks that Read finds what
// TensorBoard's own loaders find: the same runs, and in each every scalar (step, wall time,
// value), every histogram's buckets (and for v1 summaries every field), every text, and the
// summaries it does not load counted.
func TestReadTensorBoardFixtures(t *testing.T) {
	tbcheck.Python(t)
	dir := t.TempDir()
	tbcheck.WriteTensorBoard(t, dir)
	tbcheck.WriteTensorBoardX(t, dir)
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	dump := tbcheck.Read(t, dir)
	var names []string
	for _, r := range log.Runs {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, keys(dump.Runs)) {
		t.Fatalf("runs %v, TensorBoard's %v", names, keys(dump.Runs))
	}
	counts := map[string]int{}
	for _, run := range log.Runs {
		tb := dump.Runs[run.Name]
		if len(run.Files) != len(tb.Files) {
			t.Errorf("run %q: read %d files, TensorBoard %d", run.Name, len(run.Files), len(tb.Files))
		}
		// Scalars.
		if got, want := scalarTags(run), keys(tb.Tensors["scalars"]); !slices.Equal(got, want) {
			t.Errorf("run %q: scalar tags %v, TensorBoard's %v", run.Name, got, want)
		}
		for tag, theirs := range tb.Tensors["scalars"] {
			ours := run.Scalar(tag)
			if len(ours) != len(theirs) {
				t.Errorf("run %q scalar %q: %d points, TensorBoard %d", run.Name, tag, len(ours), len(theirs))
				continue
			}
			for i, p := range ours {
				q := theirs[i]
				if p.Step != q.Step || p.Wall != float64(q.Wall) || !same(p.Value, float64(q.Value)) {
					t.Errorf("run %q scalar %q point %d: %+v, TensorBoard's %+v", run.Name, tag, i, p, q)
					break
				}
			}
			counts["scalar points"] += len(ours)
		}
		// Histograms: buckets as TensorBoard draws them; v1 fields as written.
		var htags []string
		for _, s := range run.Histograms {
			htags = append(htags, s.Tag)
		}
		if want := keys(tb.Tensors["histograms"]); !slices.Equal(htags, want) {
			t.Errorf("run %q: histogram tags %v, TensorBoard's %v", run.Name, htags, want)
		}
		for tag, theirs := range tb.Tensors["histograms"] {
			ours := run.Histogram(tag)
			if len(ours) != len(theirs) {
				t.Errorf("run %q histogram %q: %d points, TensorBoard %d", run.Name, tag, len(ours), len(theirs))
				continue
			}
			for i, p := range ours {
				if p.Step != theirs[i].Step || p.Wall != float64(theirs[i].Wall) {
					t.Errorf("run %q histogram %q point %d: step %d wall %v, TensorBoard's %d %v", run.Name, tag, i, p.Step, p.Wall, theirs[i].Step, theirs[i].Wall)
				}
				checkBuckets(t, fmt.Sprintf("run %q histogram %q point %d", run.Name, tag, i), p.Histogram.Buckets(), theirs[i].Buckets, theirs[i].DType)
				checkPercentiles(t, fmt.Sprintf("run %q histogram %q point %d", run.Name, tag, i), p.Histogram.Buckets(), theirs[i].Compressed, theirs[i].DType)
			}
			counts["histograms"] += len(ours)
			for i, l := range tb.Histo[tag] {
				h := ours[i].Histogram
				if float64(l.Min) != h.Min || float64(l.Max) != h.Max || float64(l.Num) != h.Num || float64(l.Sum) != h.Sum ||
					float64(l.SumSquares) != h.SumSquares || !slices.Equal(floats(l.BucketLimit), h.BucketLimit) || !slices.Equal(floats(l.Bucket), h.Bucket) {
					t.Errorf("run %q v1 histogram %q point %d differs from TensorBoard's", run.Name, tag, i)
				}
				counts["v1 histograms"]++
			}
		}
		// Texts.
		for tag, theirs := range tb.Tensors["text"] {
			ours := run.Text(tag)
			if len(ours) != len(theirs) {
				t.Errorf("run %q text %q: %d points, TensorBoard %d", run.Name, tag, len(ours), len(theirs))
				continue
			}
			for i, p := range ours {
				if p.Text != strings.Join(theirs[i].Text, "\n") || p.Step != theirs[i].Step {
					t.Errorf("run %q text %q: %q at step %d, TensorBoard's %q at %d", run.Name, tag, p.Text, p.Step, theirs[i].Text, theirs[i].Step)
				}
			}
			counts["texts"] += len(ours)
		}
		if len(run.Texts) != len(tb.Tensors["text"]) {
			t.Errorf("run %q: %d text series, TensorBoard %d", run.Name, len(run.Texts), len(tb.Tensors["text"]))
		}
	}
	// What the fixtures hold (tbcheck's docs), so that a reader that reads nothing cannot pass.
	wantCounts := map[string]int{
		"scalar points": 100 + 100 + 100 + 200 + 200 + 1 + 1,
		"histograms":    10 + 1 + 1 + 4 + 4 + 4,
		"v1 histograms": 4 + 4 + 4,
		"texts":         2,
	}
	for k, want := range wantCounts {
		if counts[k] != want {
			t.Errorf("%s: %d, want %d", k, counts[k], want)
		}
	}
	skipped := map[string]map[string]int{
		"v2":  {"image": 1, `plugin "pr_curves"`: 1},
		"tbx": {"image": 1},
	}
	for _, run := range log.Runs {
		want := skipped[run.Name]
		if want == nil {
			want = map[string]int{}
		}
		if fmt.Sprint(run.Skipped) != fmt.Sprint(want) {
			t.Errorf("run %q skipped %v, want %v", run.Name, run.Skipped, want)
		}
	}
	if v2 := log.Run("v2"); v2 == nil || v2.Graph == nil {
		t.Errorf("run v2: no graph read")
	} else if got := fmt.Sprintf("%+v", v2.Graph.Nodes); got != "[{Name:x Op:Placeholder Inputs:[] Device: DType:float32 Shapes:[[-1 4]] Attrs:map[]} "+
		"{Name:dense/kernel Op:VariableV2 Inputs:[] Device: DType:float32 Shapes:[[4 2]] Attrs:map[]} "+
		"{Name:dense/MatMul Op:MatMul Inputs:[x dense/kernel] Device:/device:CPU:0 DType: Shapes:[[-1 2]] Attrs:map[note:a note]}]" {
		t.Errorf("run v2: graph read as %s", got)
	}
	if v2 := log.Run("v2"); v2 != nil {
		loss := v2.Scalar("train/loss")
		if len(loss) != 100 || !math.IsNaN(loss[50].Value) || !math.IsInf(loss[60].Value, 1) {
			t.Errorf("v2 train/loss lost its NaN at step 50 or its +Inf at 60")
		}
	}
	for _, n := range log.Notes {
		t.Log(n)
	}
}

func scalarTags(r tensorboard.Run) []string {
	var out []string
	for _, s := range r.Scalars {
		out = append(out, s.Tag)
	}
	return out
}

// testGraph is a small scoped graph: two dense layers and a relu between them.
func testGraph() tensorboard.Graph {
	f32 := func(dims ...int64) [][]int64 { return [][]int64{dims} }
	return tensorboard.Graph{Nodes: []tensorboard.GraphNode{
		{Name: "inputs/x", Op: "Parameter", DType: "float32", Shapes: f32(64, 784)},
		{Name: "model/dense_0/weights", Op: "Variable", DType: "float32", Shapes: f32(784, 128), Attrs: map[string]string{"trainable": "true"}},
		{Name: "model/dense_0/Dot_3", Op: "Dot", Inputs: []string{"inputs/x", "model/dense_0/weights"}, DType: "float32", Shapes: f32(64, 128)},
		{Name: "model/Relu_4", Op: "Relu", Inputs: []string{"model/dense_0/Dot_3"}, DType: "float32", Shapes: f32(64, 128), Device: "/device:CPU:0"},
		{Name: "model/dense_1/weights", Op: "Variable", DType: "float32", Shapes: f32(128, 10)},
		{Name: "model/dense_1/Dot_6", Op: "Dot", Inputs: []string{"model/Relu_4", "model/dense_1/weights"}, DType: "float32", Shapes: f32(64, 10),
			Attrs: map[string]string{"scope": "/model/dense_1", "note": "<b>&\"ünï\""}},
		{Name: "Split_7", Op: "Split", Inputs: []string{"model/dense_1/Dot_6"}, DType: "int64", Shapes: [][]int64{{64, 5}, {64, -1}}},
		{Name: "Add_8", Op: "Add", Inputs: []string{"Split_7:0", "Split_7:1"}, Shapes: [][]int64{{}}},
	}}
}

// TestGraphReadByTensorBoard writes a graph and checks that TensorBoard's own loader reads
// the same nodes, edges and attributes.
func TestGraphReadByTensorBoard(t *testing.T) {
	dir := t.TempDir()
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := testGraph()
	if err := w.AddGraph(g, time.Unix(1_700_000_000, 0)); err != nil {
		t.Fatal(err)
	}
	if err := w.AddScalar("loss", 1, 0.5, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Our reader reads back what was written.
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := log.Run("."); r == nil || r.Graph == nil || fmt.Sprintf("%+v", *r.Graph) != fmt.Sprintf("%+v", g) {
		t.Errorf("Read gives the graph %+v, we wrote %+v", log.Runs, g)
	}
	d := tbcheck.Read(t, dir)
	r := d.Runs["."]
	if r == nil || r.Graph == nil {
		t.Fatalf("TensorBoard read no graph: %+v", d)
	}
	if r.Graph.Producer != 22 {
		t.Errorf("producer %d, want 22", r.Graph.Producer)
	}
	if len(r.Graph.Nodes) != len(g.Nodes) {
		t.Fatalf("TensorBoard read %d nodes, we wrote %d", len(r.Graph.Nodes), len(g.Nodes))
	}
	dtypes := map[string]int{"float32": 1, "int64": 9}
	for i, want := range g.Nodes {
		got := r.Graph.Nodes[i]
		if got.Name != want.Name || got.Op != want.Op || got.Device != want.Device || !slices.Equal(got.Input, want.Inputs) && len(want.Inputs)+len(got.Input) > 0 {
			t.Errorf("node %d: TensorBoard read %+v, we wrote %+v", i, got, want)
		}
		n := len(want.Attrs) + 1
		if want.DType != "" {
			n++
		}
		if len(got.Attr) != n {
			t.Errorf("node %q: %d attributes read, %d written: %+v", want.Name, len(got.Attr), n, got.Attr)
		}
		for k, v := range want.Attrs {
			if a := got.Attr[k]; a.S == nil || *a.S != v {
				t.Errorf("node %q: attribute %q read as %+v, want %q", want.Name, k, a, v)
			}
		}
		if a := got.Attr["dtype"]; want.DType != "" && (a.Type == nil || *a.Type != dtypes[want.DType]) {
			t.Errorf("node %q: dtype read as %+v, want %s (%d)", want.Name, a, want.DType, dtypes[want.DType])
		}
		shapes := got.Attr["_output_shapes"].Shapes
		if len(shapes) != len(want.Shapes) {
			t.Errorf("node %q: _output_shapes read as %v, want %v", want.Name, shapes, want.Shapes)
			continue
		}
		for j := range shapes {
			if !slices.Equal(shapes[j], want.Shapes[j]) && len(shapes[j])+len(want.Shapes[j]) > 0 {
				t.Errorf("node %q: output %d has shape %v read, %v written", want.Name, j, shapes[j], want.Shapes[j])
			}
		}
	}
}

func TestAddGraphErrors(t *testing.T) {
	w, err := tensorboard.NewWriter(t.TempDir(), tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	node := func(name, op string, inputs ...string) tensorboard.GraphNode {
		return tensorboard.GraphNode{Name: name, Op: op, Inputs: inputs}
	}
	for _, c := range []struct {
		g    tensorboard.Graph
		want string
	}{
		{tensorboard.Graph{}, "no nodes"},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("", "Add")}}, "Nodes[0].Name is empty"},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("a", "")}}, `Nodes[0] ("a") has no Op`},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("a", "X"), node("a", "Y")}}, `Nodes[0] and [1] are both named "a"`},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("a", "X", "b")}}, `reads "b", which is no node`},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("m", "X"), node("m/d/x", "Y")}}, `inside node "m"`},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("/m/x", "X")}}, "empty scope"},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{node("a:1", "X")}}, "holds ':'"},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{{Name: "a", Op: "X", DType: "f32"}}}, `DType "f32"; use one of`},
		{tensorboard.Graph{Nodes: []tensorboard.GraphNode{{Name: "a", Op: "X", Attrs: map[string]string{"dtype": "x"}}}}, `attribute "dtype"`},
	} {
		err := w.AddGraph(c.g, time.Time{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("AddGraph(%+v): %v, want an error with %q", c.g, err, c.want)
		}
	}
}
