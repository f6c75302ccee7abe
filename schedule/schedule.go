// SPDX-License-Identifier: Apache-2.0

// Package schedule says on which training steps something happens: a capture records a
// tensor, a dashboard evaluates. A Schedule is a value (every N steps, N times over the
// run, at exponentially spaced steps, every T of wall time, or never); a Tracker follows
// one over a training loop.
//
//	capture.Options{Gradients: schedule.EverySteps(100), Activations: schedule.Never()}
//	notebookviz.DashboardOptions{EvalEvery: schedule.Exponential(10, 2)}
//
// A capture and a dashboard also act on the step a loop ends on, except under Never.
package schedule

import (
	"errors"
	"fmt"
	"time"
)

// Schedule says which steps are due. The zero value is no schedule: each user of one
// says what it stands for (its default).
type Schedule struct {
	everySteps int
	times      int
	expFirst   int
	expFactor  float64
	every      time.Duration
	never      bool
}

// EverySteps is due every n steps.
func EverySteps(n int) Schedule { return Schedule{everySteps: n} }

// NTimes is due n times, evenly spaced over the run's steps.
func NTimes(n int) Schedule { return Schedule{times: n} }

// Exponential is due at step first, then first*factor, first*factor², ...: dense early,
// when curves move fast, sparse later.
func Exponential(first int, factor float64) Schedule {
	return Schedule{expFirst: first, expFactor: factor}
}

// Every is due every d of wall time.
func Every(d time.Duration) Schedule { return Schedule{every: d} }

// Never is never due: it leaves something out (a kind of tensor from a capture).
func Never() Schedule { return Schedule{never: true} }

// IsZero reports whether s is the zero Schedule (none given).
func (s Schedule) IsZero() bool { return s == Schedule{} }

// IsNever reports whether s is Never().
func (s Schedule) IsNever() bool { return s.never }

// Check returns an error, naming what to use instead, for a schedule that cannot work: a
// negative count or duration, or an exponential factor not above 1.
func (s Schedule) Check() error {
	switch {
	case s.everySteps < 0, s.times < 0, s.expFirst < 0, s.every < 0:
		return errors.New("a negative schedule; use schedule.EverySteps(n), NTimes(n), Exponential(first, factor) or Every(d) with positive values")
	case s.expFirst > 0 && s.expFactor <= 1:
		return fmt.Errorf("schedule.Exponential(%d, %v): the factor must be above 1, e.g. Exponential(10, 2)", s.expFirst, s.expFactor)
	}
	return nil
}

// Tracker follows a Schedule over a training loop that runs steps start+1..end. It is
// not safe for concurrent use.
type Tracker struct {
	s        Schedule
	nextStep float64
	last     time.Time
}

// Track returns a Tracker of s.
func (s Schedule) Track() *Tracker { return &Tracker{s: s} }

// Due reports whether step is due, and advances the schedule past it: call it once per
// step, in order. now is the time the step ended (for Every).
func (t *Tracker) Due(step, start, end int, now time.Time) bool {
	s := t.s
	switch {
	case s.never:
		return false
	case s.everySteps > 0:
		return step%s.everySteps == 0
	case s.times > 0:
		if end <= start {
			return false
		}
		t.nextStep = t.next(start, end)
		if float64(step) >= t.nextStep {
			t.nextStep += float64(end-start) / float64(s.times)
			return true
		}
	case s.expFirst > 0:
		t.nextStep = t.next(start, end)
		if float64(step) >= t.nextStep {
			for t.nextStep <= float64(step) {
				t.nextStep *= s.expFactor
			}
			return true
		}
	case s.every > 0:
		if t.last.IsZero() {
			t.last = now
		}
		if now.Sub(t.last) >= s.every {
			t.last = now
			return true
		}
	}
	return false
}

// Peek reports whether step would be due, without advancing the schedule. A time-based
// schedule always says yes (whether it is due depends on when the step ends).
func (t *Tracker) Peek(step, start, end int) bool {
	s := t.s
	switch {
	case s.never:
		return false
	case step == end:
		return true
	case s.everySteps > 0:
		return step%s.everySteps == 0
	case s.times > 0:
		return end > start && float64(step) >= t.next(start, end)
	case s.expFirst > 0:
		return float64(step) >= t.next(start, end)
	}
	return s.every > 0
}

// next is the next step due of an NTimes or Exponential schedule: the first one until
// Due has advanced it.
func (t *Tracker) next(start, end int) float64 {
	switch {
	case t.nextStep != 0:
		return t.nextStep
	case t.s.times > 0:
		return float64(start) + float64(end-start)/float64(t.s.times)
	}
	return float64(t.s.expFirst)
}
