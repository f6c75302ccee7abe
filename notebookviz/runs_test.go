// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/testing/trainingtest"
	"github.com/gonbviz/gonbviz/runs"
)

// Re-running a training cell with a fixed RunDir: the default refuses with advice a user
// can follow, and each IfExists choice does what it says.
func TestDashboardIfExists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	train := func(ifExists runs.IfExists, steps int) (*Dashboard, error) {
		t.Helper()
		s := trainingtest.Setup(t, nil, demo.Config{})
		d, err := AttachDashboard(s.Loop, DashboardOptions{RunDir: dir, IfExists: ifExists, NoDisplay: true})
		if err != nil {
			return nil, err
		}
		if err := s.Train(steps); err != nil {
			t.Fatal(err)
		}
		return d, d.Close()
	}
	points := func(d *Dashboard) int {
		t.Helper()
		run, err := runs.Open(d.RunDir())
		if err != nil {
			t.Fatal(err)
		}
		return len(run.Series("train/loss"))
	}
	if _, err := train(runs.Fail, 3); err != nil {
		t.Fatal(err)
	}
	_, err := train(runs.Fail, 3)
	if err == nil {
		t.Fatal("a second run in the same RunDir was not refused")
	}
	msg := err.Error()
	if !strings.Contains(msg, "DashboardOptions.IfExists") || !strings.Contains(msg, "runs.Append") ||
		strings.Contains(msg, "Options{") || strings.Contains(msg, "\n") {
		t.Errorf("the advice names what a user cannot call, or none: %s", msg)
	}
	d, err := train(runs.Append, 4)
	if err != nil || points(d) != 7 {
		t.Fatalf("runs.Append: %v, %d points, want 3+4", err, points(d))
	}
	d, err = train(runs.Overwrite, 2)
	if err != nil || points(d) != 2 {
		t.Fatalf("runs.Overwrite: %v, %d points, want 2", err, points(d))
	}
	for _, want := range []string{dir + "-2", dir + "-3"} {
		d, err = train(runs.New, 1)
		if err != nil || d.RunDir() != want || points(d) != 1 {
			t.Fatalf("runs.New: %v, recorded in %s with %d points, want %s with 1", err, d.RunDir(), points(d), want)
		}
	}
	if _, err := train(runs.IfExists(9), 1); err == nil || !strings.Contains(err.Error(), "DashboardOptions.IfExists is IfExists(9)") {
		t.Errorf("a bad IfExists: %v", err)
	}
}
