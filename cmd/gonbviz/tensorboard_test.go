// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/internal/testing/tbcheck"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// gonbviz tensorboard turns a log directory written by TensorBoard's own writer, by
// tensorboardX (PyTorch's format) and by gonbviz into one offline report whose every chart
// becomes interactive in Chromium with the network blocked.
func TestTensorBoardCommand(t *testing.T) {
	logdir := t.TempDir()
	tbcheck.WriteTensorBoard(t, filepath.Join(logdir, "tf"))
	tbcheck.WriteTensorBoardX(t, filepath.Join(logdir, "torch"))
	w, err := tensorboard.NewWriter(filepath.Join(logdir, "gonbviz"), tensorboard.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	for step := int64(1); step <= 100; step++ {
		at := start.Add(time.Duration(step) * time.Second)
		if err := w.AddScalar("train/loss", step, 2/float64(step), at); err != nil {
			t.Fatal(err)
		}
		if step%25 == 0 {
			h := tensorboard.Histogram{Min: -1, Max: 1, Num: 40, BucketLimit: []float64{-0.5, 0, 0.5, 1}, Bucket: []float64{5, 15, 15, 5}}
			if err := w.AddHistogram("weights/model/dense/weights", step, h, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.AddText("config", 0, "model: MLP", start); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	report := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := runCmd(t, "", "tensorboard", logdir, "-o", report)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	page, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Run gonbviz", "Run tf/v2", "Run torch/tbx", "Scalars", "model: MLP", "not drawn: "} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(string(page), "https://") && strings.Contains(string(page), "<script src=") {
		t.Error("the report loads a script from the network")
	}

	// Bad usage: a wrong extension, a directory without event files.
	if code, _, errOut := runCmd(t, "", "tensorboard", logdir, "-o", filepath.Join(t.TempDir(), "r.svg")); code != 2 || !strings.Contains(errOut, "REPORT.html") {
		t.Errorf("-o r.svg: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "tensorboard", t.TempDir(), "-o", filepath.Join(t.TempDir(), "r.html")); code != 1 || errOut == "" {
		t.Errorf("an empty directory: %d %q", code, errOut)
	}

	browsertest.Require(t)
	r, err := browsertest.Run(browsertest.Job{URL: "file://" + report, JavaScript: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Blocked) > 0 || len(r.PageErrors) > 0 || len(r.ConsoleErrors) > 0 {
		t.Errorf("blocked %v, errors %v %v", r.Blocked, r.PageErrors, r.ConsoleErrors)
	}
	if len(r.Charts) < 5 {
		t.Errorf("%d charts in the report, want the scalars and each run's histograms and distributions", len(r.Charts))
	}
	for _, c := range r.Charts {
		if c.State != "interactive" || c.ViewMarks == 0 {
			t.Errorf("chart %s: %q with %d marks (%s)", c.ID, c.State, c.ViewMarks, c.Note)
		}
	}
}
