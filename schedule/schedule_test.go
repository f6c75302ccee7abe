// SPDX-License-Identifier: Apache-2.0

package schedule_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/schedule"
)

// dueSteps runs a loop over steps start+1..end and lists the steps s is due on.
func dueSteps(s schedule.Schedule, start, end int) []int {
	t := s.Track()
	var at []int
	for step := start + 1; step <= end; step++ {
		if t.Due(step, start, end, time.Now()) {
			at = append(at, step)
		}
	}
	return at
}

func TestSchedules(t *testing.T) {
	if got := dueSteps(schedule.EverySteps(25), 0, 100); len(got) != 4 || got[0] != 25 {
		t.Errorf("EverySteps(25): %v", got)
	}
	if got := dueSteps(schedule.NTimes(4), 0, 100); len(got) != 4 || got[3] != 100 {
		t.Errorf("NTimes(4): %v", got)
	}
	if got := dueSteps(schedule.NTimes(4), 100, 200); len(got) != 4 || got[0] != 125 {
		t.Errorf("NTimes(4) from step 100: %v", got)
	}
	if got := dueSteps(schedule.Exponential(10, 2), 0, 100); len(got) != 4 || got[0] != 10 || got[3] != 80 {
		t.Errorf("Exponential(10, 2): %v", got)
	}
	if got := dueSteps(schedule.Never(), 0, 100); len(got) != 0 {
		t.Errorf("Never: %v", got)
	}
	if err := schedule.Exponential(10, 1).Check(); err == nil || !strings.Contains(err.Error(), "factor must be above 1") {
		t.Errorf("Exponential(10, 1): %v", err)
	}
	if err := schedule.EverySteps(-1).Check(); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("EverySteps(-1): %v", err)
	}
	if !(schedule.Schedule{}).IsZero() || schedule.NTimes(1).IsZero() || !schedule.Never().IsNever() {
		t.Error("IsZero / IsNever")
	}
}

func TestPeekDoesNotAdvance(t *testing.T) {
	tr := schedule.NTimes(2).Track()
	if tr.Peek(40, 0, 100) || !tr.Peek(50, 0, 100) || !tr.Peek(50, 0, 100) || !tr.Peek(100, 0, 100) {
		t.Error("Peek of NTimes(2) over 0..100")
	}
	if !tr.Due(50, 0, 100, time.Now()) || tr.Peek(60, 0, 100) {
		t.Error("Due(50) then Peek(60)")
	}
	if !schedule.Every(time.Hour).Track().Peek(1, 0, 10) {
		t.Error("a time-based schedule's Peek says yes")
	}
}

func TestEveryWallTime(t *testing.T) {
	tr := schedule.Every(time.Second).Track()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got := []bool{
		tr.Due(1, 0, 10, t0),
		tr.Due(2, 0, 10, t0.Add(500*time.Millisecond)),
		tr.Due(3, 0, 10, t0.Add(1100*time.Millisecond)),
		tr.Due(4, 0, 10, t0.Add(1500*time.Millisecond)),
	}
	if fmt.Sprint(got) != "[false false true false]" {
		t.Errorf("Every(1s): %v", got)
	}
}

// A schedule picks the steps of a 1000-step run on which a capture records, or a
// dashboard evaluates.
func Example() {
	for _, s := range []schedule.Schedule{
		schedule.EverySteps(250),
		schedule.NTimes(4),
		schedule.Exponential(10, 4),
	} {
		fmt.Println(dueSteps(s, 0, 1000))
	}
	// Output:
	// [250 500 750 1000]
	// [250 500 750 1000]
	// [10 40 160 640]
}
