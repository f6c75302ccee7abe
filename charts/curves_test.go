// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/chartcheck"
	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"github.com/gonbviz/gonbviz/render"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

func sampleCurves(run string, lr float64, nanAt int64) []charts.Curve {
	var loss, acc, vloss []charts.CurvePoint
	for s := int64(0); s <= 300; s += 10 {
		v := 2.3*math.Exp(-lr*float64(s)) + 0.05*math.Sin(float64(s))
		if s == nanAt {
			v = math.NaN()
		}
		loss = append(loss, charts.CurvePoint{Step: s, Wall: float64(s) / 50, Epoch: float64(s) / 100, Value: v})
		acc = append(acc, charts.CurvePoint{Step: s, Wall: float64(s) / 50, Value: 1 - math.Exp(-lr*float64(s))})
		if s%50 == 0 {
			vloss = append(vloss, charts.CurvePoint{Step: s, Wall: float64(s) / 50, Value: v + 0.1})
		}
	}
	return []charts.Curve{
		{Run: run, Name: "train/loss", Kind: "loss", Split: "train", Points: loss},
		{Run: run, Name: "eval/validation/loss", Kind: "loss", Split: "eval:validation", Points: vloss},
		{Run: run, Name: "train/accuracy", Kind: "accuracy", Split: "train", Points: acc},
	}
}

// threeRuns are the sample curves of a learning-rate sweep.
func threeRuns() []charts.Curve {
	return append(append(sampleCurves("lr=0.01", 0.01, -1), sampleCurves("lr=0.003", 0.003, -1)...),
		sampleCurves("lr=0.03", 0.03, -1)...)
}

// mustCurves is charts.Curves, failing the test on an error.
func mustCurves(t *testing.T, curves []charts.Curve, opts charts.CurvesOptions) vl.Chart {
	t.Helper()
	c, err := charts.Curves(curves, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCurvesRenderWithoutWarnings(t *testing.T) {
	single := mustCurves(t, sampleCurves("", 0.01, 120), charts.CurvesOptions{Title: "digits MLP", Subtitle: "step 300/300"})
	multi := mustCurves(t, threeRuns(), charts.CurvesOptions{Title: "learning rates"})
	specs := map[string][]byte{}
	for name, c := range map[string]vl.Chart{"single": single, "multi": multi} {
		spec, err := c.JSON()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		specs[name] = spec
	}
	if !strings.Contains(chartcheck.Subtitle(specs["single"]), "train/loss has NaN/Inf at step 120 (drawn as gaps)") {
		t.Error("the NaN is not named in the subtitle")
	}
	checkInVega(t, specs)
}

// The curves' invisible hover points (a third of the marks) are named interactive-only:
// the static picture leaves them out (render tests how), the interactive spec keeps them.
func TestHoverPointsAreInteractiveOnly(t *testing.T) {
	full, err := mustCurves(t, sampleCurves("", 0.01, -1), charts.CurvesOptions{}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	static, err := render.StaticSpec(full)
	if err != nil {
		t.Fatal(err)
	}
	hover := vl.InteractiveOnlyPrefix + "hover_loss"
	if !strings.Contains(string(full), hover) || strings.Contains(string(static), vl.InteractiveOnlyPrefix) {
		t.Errorf("the hover layer %q: in the spec %v, in the static spec %v", hover,
			strings.Contains(string(full), hover), strings.Contains(string(static), vl.InteractiveOnlyPrefix))
	}
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
