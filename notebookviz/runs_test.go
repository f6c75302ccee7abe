// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/mlpdemo"
	"github.com/gonbviz/gonbviz/internal/runstore"
)

// Re-running a training cell with a fixed RunDir: the default refuses with advice a user
// can follow, and each IfExists choice does what it says.
func TestDashboardIfExists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	train := func(ifExists IfExists, steps int) (*Dashboard, error) {
		t.Helper()
		s := trainingSetup(t, mlpdemo.Config{})
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
		run, err := runstore.Open(d.RunDir())
		if err != nil {
			t.Fatal(err)
		}
		return len(run.Series("train/loss"))
	}
	if _, err := train(IfExistsFail, 3); err != nil {
		t.Fatal(err)
	}
	_, err := train(IfExistsFail, 3)
	if err == nil {
		t.Fatal("a second run in the same RunDir was not refused")
	}
	msg := err.Error()
	if !strings.Contains(msg, "DashboardOptions.IfExists") || !strings.Contains(msg, "notebookviz.IfExistsAppend") ||
		strings.Contains(msg, "runstore.") || strings.Contains(msg, "\n") {
		t.Errorf("the advice names what a user cannot call, or none: %s", msg)
	}
	d, err := train(IfExistsAppend, 4)
	if err != nil || points(d) != 7 {
		t.Fatalf("IfExistsAppend: %v, %d points, want 3+4", err, points(d))
	}
	d, err = train(IfExistsOverwrite, 2)
	if err != nil || points(d) != 2 {
		t.Fatalf("IfExistsOverwrite: %v, %d points, want 2", err, points(d))
	}
	for _, want := range []string{dir + "-2", dir + "-3"} {
		d, err = train(IfExistsNew, 1)
		if err != nil || d.RunDir() != want || points(d) != 1 {
			t.Fatalf("IfExistsNew: %v, recorded in %s with %d points, want %s with 1", err, d.RunDir(), points(d), want)
		}
	}
	if _, err := train(IfExists(9), 1); err == nil || !strings.Contains(err.Error(), "DashboardOptions.IfExists is IfExists(9)") {
		t.Errorf("a bad IfExists: %v", err)
	}
}
