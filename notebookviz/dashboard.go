// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/schedule"
	"github.com/gonbviz/gonbviz/tensorboard"
	vl "github.com/gonbviz/gonbviz/vegalite"
)

// DashboardOptions configures AttachDashboard. The zero value shows train curves only.
type DashboardOptions struct {
	Title string // default "training"
	// Eval lists finite datasets to evaluate on (validation, test, ...), on the EvalEvery
	// schedule and at the end of the run. Each dataset's Name() names its curves.
	Eval      []train.Dataset
	EvalEvery schedule.Schedule // default schedule.NTimes(20)
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
	Capture *capture.Capture
	// TensorBoard also writes the run as TensorBoard event files into the run directory, so
	// that `tensorboard --logdir` on it (or on the directory of several runs) shows it: every
	// train and evaluation scalar as it is recorded, the Capture's snapshots as histograms
	// (tagged "weights/...", "gradients/...", "activations/..."), and the run's
	// configuration (model, backend, hyperparameters) as the text "config". Appending to a
	// run adds an event file; overwriting one deletes its event files first.
	TensorBoard bool
	// Diagram, with TensorBoard, is written as the run's graph for TensorBoard's Graphs tab
	// (see diagram.Diagram.TensorBoardGraph): the model's ops under their scopes, with
	// their shapes. Build it with diagram.FromTrainer (or FromModel) for the loop's model.
	Diagram *diagram.Diagram
}

// Dashboard is a live training view attached to a GoMLX train.Loop: train loss (batch and
// moving average) and every other train metric, evaluations on a schedule, a progress line,
// all recorded in a run directory that outlives the kernel.
type Dashboard struct {
	opts  DashboardOptions
	run   *runs.Run
	tb    *tensorboard.Writer // with DashboardOptions.TensorBoard
	live  *Live
	sched *schedule.Tracker

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
	if opts.EvalEvery.IsZero() {
		opts.EvalEvery = schedule.NTimes(20)
	}
	if err := opts.EvalEvery.Check(); err != nil {
		return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.EvalEvery: %w", err)
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
		dir = runs.DefaultDir()
	}
	if opts.Backend == "" {
		opts.Backend = backendsel.Label(loop.Trainer.Backend())
	}
	run, err := runs.CreateFor(dir, runs.Meta{
		Name: opts.RunName, Model: opts.Model, Hyperparameters: opts.Hyperparameters, Backend: opts.Backend,
	}, opts.IfExists, "DashboardOptions.IfExists")
	if err != nil {
		return nil, fmt.Errorf("notebookviz: AttachDashboard: %w", err)
	}
	d = &Dashboard{
		opts: opts, run: run, sched: opts.EvalEvery.Track(),
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
	if opts.TensorBoard {
		if d.tb, err = openTensorBoard(run, opts); err != nil {
			_ = run.Close()
			return nil, err
		}
	}
	if opts.Capture != nil {
		opts.Capture.UseRun(run)
		if d.tb != nil {
			opts.Capture.UseTensorBoard(d.tb)
		}
		if err := opts.Capture.Attach(loop); err != nil {
			if d.tb != nil {
				opts.Capture.UseTensorBoard(nil)
				_ = d.tb.Close()
			}
			_ = run.Close()
			return nil, err
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
	if d.tb != nil {
		d.setErr(d.tb.AddScalar(name, int64(step), value, d.start.Add(time.Duration(wall*float64(time.Second)))))
	}
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
	due := len(d.opts.Eval) > 0 && d.sched.Due(step, d.stepStart, d.endStep, now)
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
	if len(d.opts.Eval) > 0 && !d.opts.EvalEvery.IsNever() && !d.evaluatedAt(loop.LoopStep) {
		d.evaluate(loop, loop.LoopStep)
	}
	d.setErr(d.run.Flush())
	if d.tb != nil {
		d.setErr(d.tb.Flush())
	}
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
	opts := charts.CurvesOptions{Title: d.opts.Title, Subtitle: line}
	chart, err := charts.Curves(d.Curves(), opts)
	if err != nil {
		d.setErr(err)
		return
	}
	if !static {
		d.setErr(d.live.UpdateInteractive(chart))
		return
	}
	opts.Static = true
	staticChart, err := charts.Curves(charts.RunCurves(d.run, "", staticPoints), opts)
	if err != nil {
		d.setErr(err)
		return
	}
	d.setErr(d.live.update(chart, true, &staticChart))
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

// staticPoints bounds the points per series of the static rendering: a chart a few hundred
// pixels wide shows no more (the run store keeps each bucket's min, max and last), and it
// renders several times faster than the interactive chart's.
const staticPoints = 300

// Curves returns the recorded series as curves, downsampled so that the chart of all of
// them stays under render.DefaultMaxRows (charts.RunCurves).
func (d *Dashboard) Curves() []charts.Curve {
	return charts.RunCurves(d.run, "", 0)
}

// Chart is the dashboard's current chart.
func (d *Dashboard) Chart() (vl.Chart, error) {
	return charts.Curves(d.Curves(), charts.CurvesOptions{Title: d.opts.Title, Subtitle: d.Progress()})
}

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
	var tbErr error
	if d.tb != nil {
		tbErr = d.tb.Close()
	}
	closeErr := errors.Join(capErr, tbErr, d.run.Close())
	d.drawFinal() // a no-op when onEnd already drew this state and progress line
	return errors.Join(closeErr, d.Err())
}

// openTensorBoard creates the TensorBoard writer of a dashboard's run (deleting the event
// files of an overwritten run) and writes the run's configuration.
func openTensorBoard(run *runs.Run, opts DashboardOptions) (*tensorboard.Writer, error) {
	if opts.IfExists == runs.Overwrite {
		entries, err := os.ReadDir(run.Dir())
		if err != nil {
			return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.TensorBoard: %w", err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && tensorboard.IsEventFile(e.Name()) {
				if err := os.Remove(filepath.Join(run.Dir(), e.Name())); err != nil {
					return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.TensorBoard with runs.Overwrite: %w", err)
				}
			}
		}
	}
	w, err := tensorboard.NewWriter(run.Dir(), tensorboard.WriterOptions{})
	if err != nil {
		return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.TensorBoard: %w", err)
	}
	m := run.Meta()
	if err := w.AddText("config", 0, configMarkdown(m), m.StartTime); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.TensorBoard: %w", err)
	}
	if opts.Diagram != nil {
		if err := w.AddGraph(opts.Diagram.TensorBoardGraph(), m.StartTime); err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("notebookviz: AttachDashboard: DashboardOptions.Diagram: %w", err)
		}
	}
	return w, nil
}

// configMarkdown is a run's configuration as a Markdown table, for TensorBoard's text
// dashboard.
func configMarkdown(m runs.Meta) string {
	cell := strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ")
	var b strings.Builder
	b.WriteString("| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", cell.Replace(k), cell.Replace(v))
		}
	}
	name := m.Name
	if name == "" {
		name = m.ID
	} else if m.ID != "" {
		name += " (" + m.ID + ")"
	}
	row("run", name)
	row("model", m.Model)
	row("backend", m.Backend)
	if !m.StartTime.IsZero() {
		row("started", m.StartTime.Format(time.RFC3339))
	}
	row("gonbviz", m.Version)
	keys := make([]string, 0, len(m.Hyperparameters))
	for k := range m.Hyperparameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		row(k, fmt.Sprint(m.Hyperparameters[k]))
	}
	if len(m.Tags) > 0 {
		row("tags", strings.Join(m.Tags, ", "))
	}
	return b.String()
}
