// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/runs"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// Schedule says when the dashboard evaluates: every N steps, N times over the run, at
// exponentially spaced steps, or every T of wall time. The last step is always evaluated.
type Schedule struct {
	everySteps int
	times      int
	expFirst   int
	expFactor  float64
	every      time.Duration
	never      bool
}

// EverySteps evaluates every n steps.
func EverySteps(n int) Schedule { return Schedule{everySteps: n} }

// NTimes evaluates n times, evenly spaced over the run's steps.
func NTimes(n int) Schedule { return Schedule{times: n} }

// Exponential evaluates at step first, then first*factor, first*factor², ...: dense early,
// when curves move fast, sparse later.
func Exponential(first int, factor float64) Schedule {
	return Schedule{expFirst: first, expFactor: factor}
}

// Every evaluates every d of wall time.
func Every(d time.Duration) Schedule { return Schedule{every: d} }

func (s Schedule) isZero() bool { return s == Schedule{} }

func (s Schedule) check() error {
	switch {
	case s.everySteps < 0, s.times < 0, s.expFirst < 0, s.every < 0:
		return errors.New("notebookviz: a negative evaluation schedule; use EverySteps(n), NTimes(n), Exponential(first, factor) or Every(d) with positive values")
	case s.expFirst > 0 && s.expFactor <= 1:
		return fmt.Errorf("notebookviz: Exponential(%d, %v): the factor must be above 1, e.g. Exponential(10, 2)", s.expFirst, s.expFactor)
	}
	return nil
}

// peek reports whether step would be due, without advancing the schedule. Time-based
// schedules always say yes (the next due time depends on when the step ends).
func (sc *scheduler) peek(step, start, end int) bool {
	s := sc.s
	switch {
	case s.never:
		return false
	case step == end:
		return true
	case s.everySteps > 0:
		return step%s.everySteps == 0
	case s.times > 0:
		return end > start && float64(step) >= sc.next(start, end)
	case s.expFirst > 0:
		return float64(step) >= sc.next(start, end)
	}
	return s.every > 0
}

// next is the next step due of an NTimes or Exponential schedule: the first one until
// due has advanced it.
func (sc *scheduler) next(start, end int) float64 {
	switch {
	case sc.nextStep != 0:
		return sc.nextStep
	case sc.s.times > 0:
		return float64(start) + float64(end-start)/float64(sc.s.times)
	}
	return float64(sc.s.expFirst)
}

// scheduler tracks when the next evaluation is due.
type scheduler struct {
	s        Schedule
	nextStep float64
	lastEval time.Time
}

func (sc *scheduler) due(step, start, end int, now time.Time) bool {
	s := sc.s
	switch {
	case s.everySteps > 0:
		return step%s.everySteps == 0
	case s.times > 0:
		if end <= start {
			return false
		}
		sc.nextStep = sc.next(start, end)
		if float64(step) >= sc.nextStep {
			sc.nextStep += float64(end-start) / float64(s.times)
			return true
		}
	case s.expFirst > 0:
		sc.nextStep = sc.next(start, end)
		if float64(step) >= sc.nextStep {
			for sc.nextStep <= float64(step) {
				sc.nextStep *= s.expFactor
			}
			return true
		}
	case s.every > 0:
		if sc.lastEval.IsZero() {
			sc.lastEval = now
		}
		if now.Sub(sc.lastEval) >= s.every {
			sc.lastEval = now
			return true
		}
	}
	return false
}

// DashboardOptions configures AttachDashboard. The zero value shows train curves only.
type DashboardOptions struct {
	Title string // default "training"
	// Eval lists finite datasets to evaluate on (validation, test, ...), on the EvalEvery
	// schedule and at the end of the run. Each dataset's Name() names its curves.
	Eval      []train.Dataset
	EvalEvery Schedule // default NTimes(20)
	// UpdateEvery is the most often the cell is redrawn (default 1 s). Drawing happens off
	// the training goroutine: training never waits for a chart.
	UpdateEvery time.Duration
	// StaticEvery is the most often a redraw also renders the static SVG (default 30 s;
	// the end of the run always does). Rendering it is most of a redraw's cost, and a
	// running notebook shows the interactive view.
	StaticEvery time.Duration
	// RunDir is where the run is stored (JSON Lines, flushed every second). Default: a new
	// directory under $GONBVIZ_RUNS, else gonbviz-runs under the system's temp directory.
	RunDir string
	// IfExists says what happens when RunDir already holds a run (a re-run cell): fail
	// (the default), append to it, overwrite it, or record beside it.
	IfExists runs.IfExists
	RunName  string // e.g. "lr=0.01"; default: the run id
	// Model, Hyperparameters and Backend describe the run in its metadata and progress line.
	// Backend defaults to the loop's backend: "go", "xla-cpu", "xla-cuda" (or its name).
	Model           string
	Hyperparameters map[string]any
	Backend         string
	// EpochSteps, when known, is the number of steps per epoch, for epochs in the tooltip.
	EpochSteps int
	// NoDisplay keeps the dashboard from drawing (the run is still recorded): for scripts,
	// reports and benchmarks.
	NoDisplay bool
	// Display options for the live output (WithOutputDir, ...).
	DisplayOptions []Option
	// Capture, when set, records weights, gradients and activations into the dashboard's
	// run; it is attached to the loop unless it already is.
	Capture *Capture
}

// Dashboard is a live training view attached to a GoMLX train.Loop: train loss (batch and
// moving average) and every other train metric, evaluations on a schedule, a progress line,
// all recorded in a run directory that outlives the kernel.
type Dashboard struct {
	opts  DashboardOptions
	run   *runs.Run
	live  *Live
	sched scheduler

	mu           sync.Mutex
	start        time.Time
	stepStart    int
	endStep      int
	step         int
	rateStep     int
	rateTime     time.Time
	rate         float64
	lastErr      error
	nonFinite    map[string]int64 // series -> first step with NaN/Inf
	done         bool
	end          time.Time // when training ended (the loop's end, else Close); zero while it runs
	lastEvalStep int
	lastStatic   time.Time
	drawnStatic  bool
	drawnLine    string // the progress line of the last draw

	trainNames []string
	evalNames  []string

	drawMu  sync.Mutex // one draw at a time, so a later state is never overwritten by an earlier one
	wake    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	drawn   uint64
}

// AttachDashboard attaches a live dashboard to loop, in the manner of GoMLX's
// commandline.AttachProgressBar. The run is recorded from the first step; the cell is
// updated at most once per UpdateEvery; the final state, with its static SVG, stays in
// the saved notebook. Call Close after training if the loop did not reach its end.
func AttachDashboard(loop *train.Loop, opts DashboardOptions) (d *Dashboard, err error) {
	defer guard(&err)
	if loop == nil {
		return nil, errors.New("notebookviz: AttachDashboard(loop, ...): loop is nil; create it with train.NewLoop(trainer)")
	}
	if opts.EvalEvery.isZero() {
		opts.EvalEvery = NTimes(20)
	}
	if err := opts.EvalEvery.check(); err != nil {
		return nil, err
	}
	if opts.UpdateEvery <= 0 {
		opts.UpdateEvery = time.Second
	}
	if opts.StaticEvery <= 0 {
		opts.StaticEvery = 30 * time.Second
	}
	if opts.Title == "" {
		opts.Title = "training"
	}
	for i, ds := range opts.Eval {
		if ds == nil {
			return nil, fmt.Errorf("notebookviz: DashboardOptions.Eval[%d] is nil", i)
		}
	}
	dir := opts.RunDir
	if dir == "" {
		root := os.Getenv("GONBVIZ_RUNS")
		if root == "" {
			root = filepath.Join(os.TempDir(), "gonbviz-runs")
		}
		dir = filepath.Join(root, time.Now().Format("20060102-150405.000000000"))
	}
	if opts.Backend == "" {
		opts.Backend = backendLabel(loop.Trainer.Backend())
	}
	run, err := createRun(dir, runs.Meta{
		Name: opts.RunName, Model: opts.Model, Hyperparameters: opts.Hyperparameters, Backend: opts.Backend,
	}, opts.IfExists, "DashboardOptions.IfExists")
	if err != nil {
		return nil, fmt.Errorf("notebookviz: AttachDashboard: %w", err)
	}
	d = &Dashboard{
		opts: opts, run: run, sched: scheduler{s: opts.EvalEvery},
		nonFinite: map[string]int64{},
		wake:      make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	if !opts.NoDisplay {
		d.live = NewLive(opts.DisplayOptions...)
	}
	for _, m := range loop.Trainer.TrainMetrics() {
		d.trainNames = append(d.trainNames, "train/"+seriesName(m.Name()))
	}
	for _, m := range loop.Trainer.EvalMetrics() {
		d.evalNames = append(d.evalNames, seriesName(m.Name()))
	}
	if opts.Capture != nil {
		opts.Capture.useRun(run)
		if !opts.Capture.attachedTo(loop) {
			if err := opts.Capture.Attach(loop); err != nil {
				_ = run.Close()
				return nil, err
			}
		}
	}
	go d.drawLoop()
	loop.OnStart("gonbviz-dashboard", 0, d.onStart)
	loop.OnStep("gonbviz-dashboard", 0, d.onStep)
	loop.OnEnd("gonbviz-dashboard", 0, d.onEnd)
	return d, nil
}

// seriesName turns a GoMLX metric name into a series name: "Moving Average Loss" ->
// "loss_ma", "Mean Accuracy" -> "accuracy".
func seriesName(metric string) string {
	s := strings.ToLower(strings.TrimSpace(metric))
	ma := false
	if strings.HasPrefix(s, "moving average ") {
		s, ma = strings.TrimPrefix(s, "moving average "), true
	}
	s = strings.TrimPrefix(s, "mean ")
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' {
			return '_'
		}
		return r
	}, s)
	if ma {
		s += "_ma"
	}
	return s
}

// RunDir is the directory where the run is recorded.
func (d *Dashboard) RunDir() string { return d.run.Dir() }

// Err returns the last error drawing or recording hit (training is never stopped for it).
func (d *Dashboard) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastErr
}

func (d *Dashboard) setErr(err error) {
	if err == nil {
		return
	}
	d.mu.Lock()
	d.lastErr = err
	d.mu.Unlock()
}

func (d *Dashboard) onStart(loop *train.Loop, _ train.Dataset) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if d.start.IsZero() {
		d.start = now
		d.lastStatic = now // the first static SVG after StaticEvery, or at the end
	}
	d.stepStart, d.endStep, d.step = loop.StartStep, loop.EndStep, loop.LoopStep
	d.rateStep, d.rateTime = loop.LoopStep, now
	return nil
}

func scalar(t *tensors.Tensor) (v float64) {
	defer func() {
		if recover() != nil {
			v = math.NaN()
		}
	}()
	return shapes.ConvertTo[float64](t.Value())
}

func (d *Dashboard) epochOf(step int) float64 {
	if d.opts.EpochSteps > 0 {
		return float64(step) / float64(d.opts.EpochSteps)
	}
	return math.NaN()
}

func (d *Dashboard) add(name string, step int, value, wall float64) {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		d.mu.Lock()
		if _, seen := d.nonFinite[name]; !seen {
			d.nonFinite[name] = int64(step)
		}
		d.mu.Unlock()
	}
	// A NaN epoch (unknown) is not recorded; options inline keep Add allocation-free.
	d.setErr(d.run.Add(name, int64(step), value, runs.Wall(wall), runs.Epoch(d.epochOf(step))))
}

func (d *Dashboard) onStep(loop *train.Loop, metrics []*tensors.Tensor) error {
	now := time.Now()
	wall := now.Sub(d.start).Seconds()
	step := loop.LoopStep + 1 // steps done: the global step after this one, as TensorBoard counts
	for i, m := range metrics {
		if i < len(d.trainNames) {
			d.add(d.trainNames[i], step, scalar(m), wall)
		}
	}
	d.mu.Lock()
	d.step, d.endStep = step, loop.EndStep
	if dt := now.Sub(d.rateTime).Seconds(); dt >= 1 {
		r := float64(step-d.rateStep) / dt
		if d.rate == 0 {
			d.rate = r
		} else {
			d.rate = 0.5*d.rate + 0.5*r
		}
		d.rateStep, d.rateTime = step, now
	}
	due := len(d.opts.Eval) > 0 && d.sched.due(step, d.stepStart, d.endStep, now)
	d.mu.Unlock()
	if due {
		d.evaluate(loop, step)
	}
	d.poke()
	return nil
}

// evaluatedAt reports whether the last evaluation was at step.
func (d *Dashboard) evaluatedAt(step int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastEvalStep == step
}

// evaluate runs every eval dataset on the training goroutine (it needs the trainer).
func (d *Dashboard) evaluate(loop *train.Loop, step int) {
	d.mu.Lock()
	d.lastEvalStep = step
	d.mu.Unlock()
	for _, ds := range d.opts.Eval {
		res, err := loop.Trainer.Eval(ds)
		if err != nil {
			d.setErr(fmt.Errorf("notebookviz: evaluating %q at step %d: %w", ds.Name(), step, err))
			continue
		}
		wall := time.Since(d.start).Seconds()
		for i, t := range res {
			if i < len(d.evalNames) {
				d.add("eval/"+ds.Name()+"/"+d.evalNames[i], step, scalar(t), wall)
			}
			t.FinalizeAll()
		}
	}
}

func (d *Dashboard) onEnd(loop *train.Loop, _ []*tensors.Tensor) error {
	d.ended()
	if len(d.opts.Eval) > 0 && !d.sched.s.isZero() && !d.evaluatedAt(loop.LoopStep) {
		d.evaluate(loop, loop.LoopStep)
	}
	d.setErr(d.run.Flush())
	// The final state is drawn now, with its static SVG, not on the next tick: the cell
	// program may end next.
	d.drawFinal()
	return nil
}

// ended fixes the end of training, once: from then on the progress line, in the chart and
// from Progress, reports the run's average rate and elapsed time up to it.
func (d *Dashboard) ended() {
	d.mu.Lock()
	if d.end.IsZero() {
		d.end = time.Now()
	}
	d.mu.Unlock()
}

// poke asks the drawing goroutine to redraw when it next may.
func (d *Dashboard) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// drawLoop redraws at most once per UpdateEvery, and only when something changed.
func (d *Dashboard) drawLoop() {
	defer close(d.stopped)
	var last time.Time
	for {
		select {
		case <-d.stop:
			return
		case <-d.wake:
		}
		if wait := d.opts.UpdateEvery - time.Since(last); wait > 0 {
			select {
			case <-d.stop:
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		d.draw()
	}
}

// draw sends the current state to the cell, if it changed since the last draw; with a
// static SVG when StaticEvery has passed since the last one.
func (d *Dashboard) draw() { d.drawWith(false) }

// drawFinal draws the current state with its static SVG.
func (d *Dashboard) drawFinal() { d.drawWith(true) }

func (d *Dashboard) drawWith(static bool) {
	if d.live == nil {
		return
	}
	d.drawMu.Lock()
	defer d.drawMu.Unlock()
	rev := d.run.Revision()
	line := d.Progress()
	d.mu.Lock()
	if rev == d.drawn && d.drawn != 0 && line == d.drawnLine && !(static && !d.drawnStatic) {
		d.mu.Unlock()
		return
	}
	d.drawn, d.drawnLine = rev, line
	if !static && time.Since(d.lastStatic) >= d.opts.StaticEvery {
		static = true
	}
	if static {
		d.lastStatic = time.Now()
	}
	d.drawnStatic = static
	d.mu.Unlock()
	curves, opts := d.Curves(), CurvesOptions{Title: d.opts.Title, Subtitle: line}
	chart := CurvesChart(curves, opts)
	if static {
		opts.staticOnly = true
		staticChart := CurvesChart(runCurves(d.run, "", staticPoints), opts)
		d.setErr(d.live.update(chart, true, &staticChart))
	} else {
		d.setErr(d.live.UpdateInteractive(chart))
	}
}

// Progress is the progress line: step/total, steps/s, elapsed, ETA, backend and anything
// that went wrong (NaN losses). It is the chart's subtitle: once training has ended, both
// report the run's average rate and the time from the first step to the end.
func (d *Dashboard) Progress() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var parts []string
	if d.endStep > 0 {
		parts = append(parts, fmt.Sprintf("step %d/%d", d.step, d.endStep))
	} else {
		parts = append(parts, fmt.Sprintf("step %d", d.step))
	}
	finished := !d.end.IsZero()
	end := time.Now()
	if finished {
		end = d.end
	}
	rate := d.rate
	if (finished || rate == 0) && !d.start.IsZero() && d.step > d.stepStart {
		// The run's average: short runs end before a rate window closes.
		if secs := end.Sub(d.start).Seconds(); secs > 0 {
			rate = float64(d.step-d.stepStart) / secs
		}
	}
	if rate > 0 {
		parts = append(parts, fmt.Sprintf("%.1f steps/s", rate))
	}
	if !d.start.IsZero() {
		parts = append(parts, "elapsed "+clock(end.Sub(d.start)))
		if !finished && rate > 0 && d.endStep > d.step {
			parts = append(parts, "ETA "+clock(time.Duration(float64(d.endStep-d.step)/rate*float64(time.Second))))
		}
	}
	if d.opts.Backend != "" {
		parts = append(parts, "backend "+d.opts.Backend)
	}
	if d.lastErr != nil {
		parts = append(parts, "error: "+firstLine(d.lastErr.Error()))
	}
	return strings.Join(parts, " · ")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Curves returns the recorded series as curves: at most 500 points each, fewer when there
// are many series, so the chart stays under DefaultMaxRows.
func (d *Dashboard) Curves() []Curve {
	return runCurves(d.run, "", pointBudget(len(d.run.SeriesList())))
}

// chartRowBudget is how many rows gonbviz's own curve charts carry at most, in all: below
// DefaultMaxRows, so they downsample rather than hit the guard rail.
const chartRowBudget = 4500

// maxCurvePoints bounds the points per series of gonbviz's curve charts: a chart a few
// hundred pixels wide shows no more (the store keeps each bucket's extremes, so spikes and
// gaps survive), and every point is redrawn once a second while training.
const maxCurvePoints = 500

// pointBudget is the points per series when n series share a chart.
func pointBudget(n int) int {
	if n <= 0 {
		return maxCurvePoints
	}
	return min(maxCurvePoints, max(50, chartRowBudget/n))
}

// staticPoints bounds the points per series of the static rendering: a chart a few hundred
// pixels wide shows no more (the summary keeps each bucket's min, max and last), and vega
// in QuickJS renders it several times faster than the interactive chart's 1,000.
const staticPoints = 300

// runCurves reads a run's series; maxPoints 0 means the store's default bound.
func runCurves(run *runs.Run, runName string, maxPoints int) []Curve {
	var out []Curve
	for _, info := range run.SeriesList() {
		var pts []runs.Point
		if maxPoints > 0 {
			pts = run.SeriesN(info.Name, maxPoints)
		} else {
			pts = run.Series(info.Name)
		}
		c := Curve{Run: runName, Name: info.Name, Kind: string(info.Kind), Split: info.Split, Points: make([]CurvePoint, len(pts))}
		for i, p := range pts {
			c.Points[i] = CurvePoint{Step: p.Step, Wall: p.Wall, Value: p.Value}
			if p.HasEpoch() {
				c.Points[i].Epoch = p.Epoch
			}
		}
		out = append(out, c)
	}
	return out
}

func (d *Dashboard) curvesOptions() CurvesOptions {
	return CurvesOptions{Title: d.opts.Title, Subtitle: d.Progress()}
}

// Chart is the dashboard's current chart.
func (d *Dashboard) Chart() vl.Chart { return CurvesChart(d.Curves(), d.curvesOptions()) }

// Close ends the dashboard: a final draw, the run closed (its metadata gets the end time).
// Safe to call more than once, and after the loop has ended.
func (d *Dashboard) Close() (err error) {
	defer guard(&err)
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return nil
	}
	d.done = true
	d.mu.Unlock()
	d.ended()
	close(d.stop)
	<-d.stopped
	var capErr error
	if d.opts.Capture != nil {
		capErr = d.opts.Capture.Close()
	}
	closeErr := errors.Join(capErr, d.run.Close())
	d.drawFinal() // a no-op when onEnd already drew this state and progress line
	return errors.Join(closeErr, d.Err())
}

// backendLabel names a backend as the progress line and run metadata show it: "go" for the
// pure-Go backend, "xla-cpu" or "xla-cuda" for XLA with a CPU or CUDA PJRT plugin, else the
// backend's own name.
func backendLabel(b compute.Backend) string {
	name := strings.ToLower(b.Name())
	if name == "go" || strings.HasPrefix(name, "go ") || strings.HasPrefix(name, "go:") || strings.Contains(name, "simplego") {
		return "go"
	}
	if p, ok := b.(interface{ PluginName() string }); ok {
		plugin := strings.ToLower(filepath.Base(p.PluginName()))
		switch {
		case strings.Contains(plugin, "cuda") || strings.Contains(plugin, "nvidia"):
			return name + "-cuda"
		case strings.Contains(plugin, "cpu"):
			return name + "-cpu"
		}
	}
	return name
}
