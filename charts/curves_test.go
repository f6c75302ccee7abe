// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/svgrender"
	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

func TestEMAMatchesTensorBoard(t *testing.T) {
	// TensorBoard: last = last*w + (1-w)*v; smoothed = last / (1 - w^n).
	got := ema([]float64{1, 2, math.NaN(), 3}, 0.6)
	want := []float64{1, (0.4*0.6*1 + 0.4*2) / (1 - 0.36), math.NaN(), 0}
	l := (0.4*0.6*1+0.4*2)*0.6 + 0.4*3
	want[3] = l / (1 - math.Pow(0.6, 3))
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-12) {
			t.Errorf("ema[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got := ema([]float64{5, 7}, 0); got[0] != 5 || got[1] != 7 {
		t.Errorf("weight 0 must not smooth: %v", got)
	}
}

func sampleCurves(run string, lr float64, nanAt int64) []Curve {
	var loss, acc, vloss []CurvePoint
	for s := int64(0); s <= 300; s += 10 {
		v := 2.3*math.Exp(-lr*float64(s)) + 0.05*math.Sin(float64(s))
		if s == nanAt {
			v = math.NaN()
		}
		loss = append(loss, CurvePoint{Step: s, Wall: float64(s) / 50, Epoch: float64(s) / 100, Value: v})
		acc = append(acc, CurvePoint{Step: s, Wall: float64(s) / 50, Value: 1 - math.Exp(-lr*float64(s))})
		if s%50 == 0 {
			vloss = append(vloss, CurvePoint{Step: s, Wall: float64(s) / 50, Value: v + 0.1})
		}
	}
	return []Curve{
		{Run: run, Name: "train/loss", Kind: "loss", Split: "train", Points: loss},
		{Run: run, Name: "eval/validation/loss", Kind: "loss", Split: "eval:validation", Points: vloss},
		{Run: run, Name: "train/accuracy", Kind: "accuracy", Split: "train", Points: acc},
	}
}

func TestCurvesChartRendersWithoutWarnings(t *testing.T) {
	single := CurvesChart(sampleCurves("", 0.01, 120), CurvesOptions{Title: "digits MLP", Subtitle: "step 300/300"})
	multi := CurvesChart(append(append(sampleCurves("lr=0.01", 0.01, -1), sampleCurves("lr=0.003", 0.003, -1)...),
		sampleCurves("lr=0.03", 0.03, -1)...), CurvesOptions{Title: "learning rates"})
	specs := map[string][]byte{}
	for name, c := range map[string]any{"single": single, "multi": multi} {
		spec, err := c.(interface {
			JSON() ([]byte, error)
		}).JSON()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		specs[name] = spec
	}
	if !strings.Contains(string(specs["single"]), "train/loss has NaN/Inf at step 120 (drawn as gaps)") {
		t.Error("the NaN is not named in the subtitle")
	}
	checkInVega(t, specs)
}

// The static SVG leaves out the invisible hover points (a third of the marks); the
// interactive spec keeps them.
func TestStaticLeavesOutInteractiveOnlyLayers(t *testing.T) {
	b, err := Prepare(CurvesChart(sampleCurves("", 0.01, -1), CurvesOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b.SpecJSON), InteractiveOnlyPrefix+"hover_loss") {
		t.Error("the interactive spec lost its hover layer")
	}
	full, _ := CurvesChart(sampleCurves("", 0.01, -1), CurvesOptions{}).JSON()
	plain, _ := svgRender(t, full)
	if !strings.Contains(plain, InteractiveOnlyPrefix) {
		t.Fatal("the unstripped SVG has no hover marks: the test checks nothing")
	}
	if strings.Contains(b.SVG, InteractiveOnlyPrefix) || len(b.SVG) >= len(plain) {
		t.Errorf("static SVG still draws the hover layer (%d bytes, %d unstripped)", len(b.SVG), len(plain))
	}
}

func svgRender(t *testing.T, spec []byte) (string, error) {
	t.Helper()
	svg, err := svgrender.Render(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return svg, nil
}

// checkInVega compiles and renders specs with the real vega-lite and vega in Node: no
// errors, no warnings, something drawn.
func checkInVega(t *testing.T, specs map[string][]byte) {
	t.Helper()
	nodecheck.Require(t)
	res, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range res {
		if !r.OK || len(r.Warnings) > 0 || r.Items == 0 {
			t.Errorf("%s: ok=%v errors=%v warnings=%v items=%d", name, r.OK, r.Errors, r.Warnings, r.Items)
		}
	}
}
