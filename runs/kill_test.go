// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

const killChildEnv = "GONBVIZ_RUNSTORE_KILL_CHILD_DIR"

// TestKillChild runs a child process (this test binary again) that adds a
// point every millisecond with the default options and reports each one,
// kills it with SIGKILL after 1.6 s, and checks that the run directory holds
// every point older than the flush interval (1 s), give or take scheduling.
func TestKillChild(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	lastStep, lastWall := int64(-1), 0.0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || f[0] == "" {
			continue
		}
		s, err1 := strconv.ParseInt(f[0], 10, 64)
		w, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		lastStep, lastWall = s, w
		if w >= 1.6 {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if lastStep < 0 {
		t.Fatal("the child reported no point")
	}

	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st := r.Meta().Status; st != StatusRunning {
		t.Fatalf("killed run has status %q, want running", st)
	}
	var steps []int64
	maxWall := math.Inf(-1)
	if _, err := r.ScanScalars(func(_ string, p Point) error {
		steps = append(steps, p.Step)
		maxWall = max(maxWall, p.Wall)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		if s != int64(i) {
			t.Fatalf("point %d on disk has step %d: points are missing in the middle", i, s)
		}
	}
	slack := 0.35
	if raceEnabled {
		slack = 0.7
	}
	lost := lastWall - maxWall
	t.Logf("child killed at step %d (%.3f s); disk holds steps 0..%d (up to %.3f s): lost the last %.3f s; notes %v",
		lastStep, lastWall, len(steps)-1, maxWall, lost, r.Notes())
	if len(steps) == 0 || lost > DefaultFlushInterval.Seconds()+slack {
		t.Fatalf("lost the last %.3f s of points, want at most %v (+%.2f s slack)", lost, DefaultFlushInterval, slack)
	}
	if s := r.Series("train/loss"); len(s) == 0 || s[len(s)-1].Step != int64(len(steps)-1) {
		t.Fatalf("Series does not end at the last stored step")
	}
}

func killChild(dir string) {
	r, err := Create(dir, Meta{Name: "killed"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	start := time.Now()
	for i := int64(0); time.Since(start) < time.Minute; i++ {
		wall := time.Since(r.start).Seconds()
		if err := r.Add("train/loss", i, 1/float64(i+1), Wall(wall)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "%d %.6f\n", i, wall)
		w.Flush()
		time.Sleep(time.Millisecond)
	}
	os.Exit(3) // never reached: the parent kills it
}
