// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
)

// mlp is a 2-layer MLP: /net/hidden/dense, relu, /net/out/dense.
func mlp(scope *model.Scope, x *graph.Node) *graph.Node {
	scope = scope.In("net")
	x = layers.DenseWithBias(scope.In("hidden"), x, 16)
	x = activation.Relu(x)
	return layers.DenseWithBias(scope.In("out"), x, 10)
}

func build(t testing.TB, store *model.Store, fn any, opts Options, in ...shapes.Shape) *Diagram {
	t.Helper()
	d, err := FromModel(store, fn, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func f32(dims ...int) shapes.Shape { return shapes.Make(dtypes.Float32, dims...) }

func scopeOfType(d *Diagram, typ string) []string {
	var out []string
	for _, o := range d.ops {
		if o.typ == typ {
			out = append(out, o.scope)
		}
	}
	return out
}

func TestScopesAndPruning(t *testing.T) {
	store := model.NewStore()
	d := build(t, store, mlp, Options{}, f32(4, 8))
	if got := scopeOfType(d, "FusedDense"); fmt.Sprint(got) != "[/net/hidden/dense /net/out/dense]" {
		t.Errorf("FusedDense scopes %v", got)
	}
	if got := scopeOfType(d, "Max"); fmt.Sprint(got) != "[/net/hidden]" {
		t.Errorf("relu scope %v, want the layer's scope, beside the dense", got)
	}
	// The Go backend's dead decomposition (DotGeneral, Add next to each FusedDense) is pruned.
	if n := len(scopeOfType(d, "DotGeneral")); n != 0 || d.NumPruned() < 6 {
		t.Errorf("%d DotGeneral kept, %d pruned", n, d.NumPruned())
	}
	// Params agree with the store.
	total, trainable := d.Params()
	want := 0
	for v := range store.IterVariables() {
		want += v.Shape().Size()
	}
	if total != want || trainable != want || total != 8*16+16+16*10+10 {
		t.Errorf("params %d (%d trainable), store has %d", total, trainable, want)
	}
	rows := d.Layers()
	var kinds []string
	for _, r := range rows {
		kinds = append(kinds, r.Name+":"+r.Kind)
	}
	if got := strings.Join(kinds, " "); got != "input 0:Input /net/hidden/dense:Dense relu in /net/hidden:Activation /net/out/dense:Dense" {
		t.Errorf("layers: %s", got)
	}
}

func TestNonTrainableAndNorm(t *testing.T) {
	store := model.NewStore()
	fn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		x = layers.DenseWithBias(scope.In("d"), x, 6)
		x = norm.BatchNorm(scope.In("bn"), x, -1).UseBackendInference(false).Done()
		return norm.LayerNorm(scope.In("ln"), x, -1).Done()
	}
	d := build(t, store, fn, Options{}, f32(5, 3))
	var kinds []string
	for _, r := range d.Layers() {
		kinds = append(kinds, r.Kind+"/"+r.TrainableText())
	}
	got := strings.Join(kinds, " ")
	if !strings.Contains(got, "Dense/yes") || !strings.Contains(got, "BatchNorm/partly") || !strings.Contains(got, "LayerNorm/yes") {
		t.Errorf("kinds: %s", got)
	}
	total, trainable := d.Params()
	wantT, wantAll := 0, 0
	for v := range store.IterVariables() {
		wantAll += v.Shape().Size()
		if v.Trainable {
			wantT += v.Shape().Size()
		}
	}
	if total != wantAll || trainable != wantT || trainable == total {
		t.Errorf("params %d/%d, store %d/%d", total, trainable, wantAll, wantT)
	}
	s := d.Summary()
	if !strings.Contains(s, fmt.Sprintf("Non-trainable params: %s", commas(total-trainable))) {
		t.Errorf("summary:\n%s", s)
	}
}

func TestSummaryText(t *testing.T) {
	d := build(t, nil, mlp, Options{Title: "tiny"}, f32(4, 8))
	want := `Model: "tiny"
________________________________________________________________________
 Layer (type)                       Output Shape     Param #   Trainable
========================================================================
 input 0 (Input)                    float32[4, 8]          0
────────────────────────────────────────────────────────────────────────
 /net/hidden/dense (Dense)          float32[4, 16]       144   yes
────────────────────────────────────────────────────────────────────────
 relu in /net/hidden (Activation)   float32[4, 16]         0
────────────────────────────────────────────────────────────────────────
 /net/out/dense (Dense)             float32[4, 10]       170   yes
========================================================================
Total params: 314 (1.23 KB)
Trainable params: 314 (1.23 KB)
Non-trainable params: 0 (0 B)
8 ops (6 graph nodes pruned: no output depends on them)
`
	if got := d.Summary(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
	h := d.SummaryHTML()
	for _, w := range []string{"<table", "<code>/net/hidden/dense</code> (Dense)", ">144<", "Total params: 314"} {
		if !strings.Contains(h, w) {
			t.Errorf("summary HTML lacks %q", w)
		}
	}
}

// wellFormed parses s as XML.
func wellFormed(t *testing.T, what string, s []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(s))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", what, err)
		}
	}
}

func TestHostileNames(t *testing.T) {
	evil := `<script>alert("x")</script> & 'q'`
	evilScope := `<img src=x onerror=alert("y")> & 'q'` // GoMLX scope names hold no "/"
	fn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		x = layers.DenseWithBias(scope.In("%s", evilScope), x, 4)
		return activation.Relu(x)
	}
	d := build(t, nil, fn, Options{Title: evil}, f32(2, 3))
	for _, depth := range []int{0, OpLevel} {
		svg, err := d.WithOptions(Options{Title: evil, Depth: depth}).SVG()
		if err != nil {
			t.Fatal(err)
		}
		wellFormed(t, "SVG", svg)
		if bytes.Contains(svg, []byte("<script")) || bytes.Contains(svg, []byte("<img")) || bytes.Contains(svg, []byte(`"x"`)) {
			t.Errorf("depth %d: unescaped name in SVG", depth)
		}
		for _, w := range []string{"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;", "&lt;img src=x onerror=alert(&quot;y&quot;)&gt;"} {
			if !bytes.Contains(svg, []byte(w)) {
				t.Errorf("depth %d: escaped name %q missing from SVG", depth, w)
			}
		}
	}
	h, err := d.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(h, "<script"); n != 2 {
		t.Errorf("%d <script in the HTML, want 2 (data and code)", n)
	}
	if strings.Contains(h, "</script> &") || strings.Contains(h, `alert("x")`) || strings.Contains(h, "<img src=x") {
		t.Error("unescaped name in the HTML")
	}
	if strings.Contains(d.SummaryHTML(), "<img src=x") {
		t.Error("unescaped name in the summary HTML")
	}
	page, _ := d.Page()
	if n := bytes.Count(page, []byte("<script")); n != 2 {
		t.Errorf("%d <script in the page, want 2", n)
	}
}

func TestDeterministic(t *testing.T) {
	var prev [3][]byte
	for i := range 3 {
		d := build(t, nil, mlp, Options{Depth: 1}, f32(4, 8))
		svg, err := d.SVG()
		if err != nil {
			t.Fatal(err)
		}
		h, err := d.html("gonbviz-dg-fixed")
		if err != nil {
			t.Fatal(err)
		}
		cur := [3][]byte{svg, []byte(h), []byte(d.Summary())}
		if i > 0 {
			for k := range cur {
				if !bytes.Equal(cur[k], prev[k]) {
					t.Fatalf("output %d differs between two builds", k)
				}
			}
		}
		prev = cur
	}
}

var dataRE = regexp.MustCompile(`(?s)<script type="application/json" class="gonbviz-dg-data">(.*?)</script>`)

func TestHTMLStructure(t *testing.T) {
	d := build(t, nil, mlp, Options{}, f32(4, 8))
	h, err := d.html("gonbviz-dg-x")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`<div id="gonbviz-dg-x" class="gonbviz-diagram"`, `<div class="gonbviz-static"><img alt="Network diagram of`,
		`src="data:image/svg+xml;base64,`, `class="gonbviz-dg" style="display:none`, `getElementById("gonbviz-dg-x")`} {
		if !strings.Contains(h, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	m := dataRE.FindStringSubmatch(h)
	if m == nil {
		t.Fatal("no view data")
	}
	var data struct {
		Views map[string]htmlView `json:"views"`
	}
	if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
		t.Fatal(err)
	}
	if _, ok := data.Views["v0"]; !ok || len(data.Views) < 3 {
		t.Fatalf("views: %d", len(data.Views))
	}
	viewRE := regexp.MustCompile(`data-view="(v\d+)"`)
	for id, v := range data.Views {
		raw, err := base64.StdEncoding.DecodeString(v.SVG)
		if err != nil {
			t.Fatal(err)
		}
		v.SVG = string(raw)
		data.Views[id] = v
		wellFormed(t, "view "+id, raw)
		if id != "v0" {
			if _, ok := data.Views[v.Parent]; !ok {
				t.Errorf("view %s: parent %q missing", id, v.Parent)
			}
		}
		for _, m := range viewRE.FindAllStringSubmatch(v.SVG, -1) {
			if _, ok := data.Views[m[1]]; !ok {
				t.Errorf("view %s opens missing view %s", id, m[1])
			}
		}
	}
	if !strings.Contains(data.Views["v0"].SVG, `data-view="`) {
		t.Error("the main view has no box to open")
	}
	if !strings.Contains(data.Views["v0"].SVG, `data-info="/net/hidden/dense (Dense)`) {
		t.Error("no hover details")
	}
}

func TestDepthAndDirection(t *testing.T) {
	d := build(t, nil, mlp, Options{}, f32(4, 8))
	layer := len(d.mainView().units)
	ops := len(d.WithOptions(Options{Depth: OpLevel}).mainView().units)
	if ops <= layer {
		t.Errorf("op level has %d boxes, layer level %d", ops, layer)
	}
	svg, _ := d.WithOptions(Options{Depth: OpLevel}).SVG()
	for _, w := range []string{"FusedDense", "variable · [8, 16]", `class="dg-node dg-var"`} {
		if !bytes.Contains(svg, []byte(w)) {
			t.Errorf("op-level SVG lacks %q", w)
		}
	}
	tb, _ := d.SVG()
	lr, _ := d.WithOptions(Options{Direction: LeftRight}).SVG()
	if bytes.Equal(tb, lr) {
		t.Error("LeftRight drew the same SVG as TopBottom")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		fn   any
		want string
	}{
		{nil, "the model function is nil"},
		{42, "has type int"},
		{func(*model.Scope, *graph.Node) {}, "returns nothing"},
		{func(*model.Scope, *graph.Node, *graph.Node) *graph.Node { return nil }, "takes 2 input nodes but 1 input shapes"},
		{func(*model.Scope, *graph.Graph) *graph.Node { return nil }, "use FromGraph"},
	} {
		_, err := FromModel(nil, c.fn, []shapes.Shape{f32(2, 2)}, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: error %v, want %q", c.fn, err, c.want)
		}
	}
	// A model that panics inside GoMLX gives an error.
	_, err := FromModel(nil, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.Add(x, graph.Reshape(x, -1))
	}, []shapes.Shape{f32(2, 2)}, Options{})
	if err == nil {
		t.Error("no error for a broken model")
	}
	if _, err := FromGraph(nil, nil, nil, Options{}); err == nil {
		t.Error("nil graph accepted")
	}
	// Accepted signatures: spec and slices.
	spec := func(scope *model.Scope, _ any, in []*graph.Node) []*graph.Node {
		return []*graph.Node{mlp(scope, in[0])}
	}
	if _, err := FromModel(nil, spec, []shapes.Shape{f32(2, 8)}, Options{}); err != nil {
		t.Errorf("spec form: %v", err)
	}
}

// huge is a model of about n ops: blocks of one dense layer and a chain of element-wise
// ops, optionally with no scopes at all.
func huge(n int, scoped bool) func(*model.Scope, *graph.Node) *graph.Node {
	return func(scope *model.Scope, x *graph.Node) *graph.Node {
		const perBlock = 100
		for b := 0; b*perBlock < n; b++ {
			if scoped {
				s := scope.In("block_%03d", b)
				x = layers.DenseWithBias(s.In("dense"), x, 8)
			}
			steps := perBlock / 2 // about two ops per step
			if scoped {
				steps-- // the dense layer
			}
			for i := range steps {
				switch i % 3 {
				case 0:
					x = graph.Add(x, graph.MulScalar(x, 0.5))
				case 1:
					x = graph.Tanh(x)
				default:
					x = graph.Sub(x, graph.Sqrt(graph.Abs(x)))
				}
			}
		}
		return x
	}
}

func TestHugeGraphOpensCollapsed(t *testing.T) {
	for _, scoped := range []bool{true, false} {
		start := time.Now()
		d := build(t, nil, huge(10200, scoped), Options{Depth: OpLevel}, f32(4, 8))
		built := time.Since(start)
		if d.NumOps() < 10000 {
			t.Fatalf("only %d ops", d.NumOps())
		}
		v := d.mainView()
		if len(v.units) > d.opts.MaxBoxes && scoped {
			t.Errorf("scoped: %d boxes, more than %d", len(v.units), d.opts.MaxBoxes)
		}
		t0 := time.Now()
		svg, err := d.SVG()
		if err != nil {
			t.Fatal(err)
		}
		h, err := d.HTML()
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(t0)
		t.Logf("scoped=%v: %d ops built in %v; SVG %d KB + HTML %d KB in %v", scoped, d.NumOps(), built, len(svg)>>10, len(h)>>10, took)
		if took > 30*time.Second {
			t.Errorf("drawing took %v", took)
		}
		if scoped && !bytes.Contains(svg, []byte("opened collapsed")) {
			t.Error("no note that the diagram opened collapsed")
		}
		if len(h) > 40<<20 {
			t.Errorf("HTML is %d MB", len(h)>>20)
		}
	}
}

// BenchmarkHugeDiagram measures building and drawing a 10,000-op model:
//
//	GOEXPERIMENT=simd go test ./diagram -run '^$' -bench Huge -benchtime 3x
func BenchmarkHugeDiagram(b *testing.B) {
	fn := huge(10000, true)
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			build(b, nil, fn, Options{}, f32(4, 8))
		}
	})
	d := build(b, nil, fn, Options{}, f32(4, 8))
	b.Run("svg", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.SVG(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("html", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.HTML(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("svg-oplevel", func(b *testing.B) {
		do := d.WithOptions(Options{Depth: OpLevel, MaxBoxes: 20000})
		for b.Loop() {
			if _, err := do.SVG(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
