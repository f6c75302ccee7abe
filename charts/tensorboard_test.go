// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/render"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// The scalars of a TensorBoard log become curves: kinds and splits from the tags, wall
// times from the run's start, long series thinned with their spike and their NaN kept.
func TestTensorBoardCurves(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lr=0.01")
	w, err := tensorboard.NewWriter(dir, tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	for step := int64(1); step <= 20000; step++ {
		v := 1 / math.Sqrt(float64(step))
		switch step {
		case 7001:
			v = 50 // a spike
		case 12345:
			v = math.NaN()
		}
		_ = w.AddScalar("train/loss", step, v, start.Add(time.Duration(step)*time.Millisecond))
		if step%2000 == 0 {
			_ = w.AddScalar("eval/validation/accuracy", step, 0.9, start.Add(time.Duration(step)*time.Millisecond))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	curves := charts.TensorBoardCurves(log, 0)
	if len(curves) != 2 {
		t.Fatalf("%d curves", len(curves))
	}
	acc, loss := curves[0], curves[1]
	if acc.Run != "lr=0.01" || acc.Kind != "accuracy" || acc.Split != "eval:validation" || len(acc.Points) != 10 {
		t.Errorf("accuracy curve %+v", acc)
	}
	if loss.Kind != "loss" || loss.Split != "train" || len(loss.Points) > 600 || len(loss.Points) < 400 {
		t.Errorf("loss curve: kind %q split %q, %d points", loss.Kind, loss.Split, len(loss.Points))
	}
	var spike, nan bool
	for _, p := range loss.Points {
		spike = spike || (p.Step == 7001 && p.Value == 50)
		nan = nan || (p.Step == 12345 && math.IsNaN(p.Value))
	}
	first, last := loss.Points[0], loss.Points[len(loss.Points)-1]
	if !spike || !nan || first.Step != 1 || last.Step != 20000 || first.Wall != 0 || math.Abs(last.Wall-19.999) > 1e-6 {
		t.Errorf("thinned loss: spike %v, NaN %v, first %+v, last %+v", spike, nan, first, last)
	}
	chart, err := charts.Curves(curves, charts.CurvesOptions{Title: "from TensorBoard"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := render.Chart(chart); err != nil { // under the default row limit
		t.Fatal(err)
	}
}

// Logs of TensorBoard's own writer and of tensorboardX draw as curves, histograms and
// distributions.
func TestTensorBoardLogsDraw(t *testing.T) {
	tbcheck.Python(t)
	dir := t.TempDir()
	tbcheck.WriteTensorBoard(t, dir)
	tbcheck.WriteTensorBoardX(t, dir)
	log, err := tensorboard.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	curves := charts.TensorBoardCurves(log, 0)
	if len(curves) != 2+1+2+1+1 {
		t.Errorf("%d curves", len(curves))
	}
	chart, err := charts.Curves(curves, charts.CurvesOptions{Title: "runs"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := render.Chart(chart); err != nil {
		t.Fatal(err)
	}
	snaps := capture.TensorBoardSnapshots(log.Run("tbx"), 0)
	if _, err := charts.Histograms(snaps, charts.HistogramsOptions{}); err != nil {
		t.Error(err)
	}
	if _, err := charts.Distributions(snaps, charts.DistributionsOptions{}); err != nil {
		t.Error(err)
	}
}

// CompareRuns takes a TensorBoard log (here tensorboardX's, PyTorch's format) beside a
// gonbviz run and overlays their curves.
func TestCompareRunsWithTensorBoardLog(t *testing.T) {
	tbcheck.Python(t)
	logdir := t.TempDir()
	tbcheck.WriteTensorBoardX(t, logdir)
	run, err := runs.Create(filepath.Join(t.TempDir(), "gonbviz"), runs.Meta{Name: "gonbviz-run"})
	if err != nil {
		t.Fatal(err)
	}
	for step := int64(1); step <= 50; step++ {
		run.Add("train/loss", step, 2/float64(step))
	}
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := charts.CompareRuns([]string{run.Dir(), filepath.Join(logdir, "tbx")}, charts.CompareRunsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	// The data is CSV: run, series, split, ... columns.
	for _, want := range []string{",gonbviz-run,train/loss,", ",tbx,eval/accuracy,", ",tbx,train/loss,", ",compare/a,compare,"} {
		if !strings.Contains(string(spec), want) {
			t.Errorf("the chart's data lacks %q", want)
		}
	}
	if _, err := charts.CompareRuns([]string{t.TempDir()}, charts.CompareRunsOptions{}); err == nil ||
		!strings.Contains(err.Error(), "dirs[0]") || !strings.Contains(err.Error(), "nor is it a TensorBoard log") {
		t.Errorf("an empty directory: %v", err)
	}
}
