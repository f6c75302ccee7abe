// SPDX-License-Identifier: Apache-2.0

package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/graphhisto"
	"github.com/gonbviz/gonbviz/internal/histo"
	"github.com/gonbviz/gonbviz/runs"
	"github.com/gonbviz/gonbviz/schedule"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// Kind is what a snapshot is of.
type Kind string

// What a Capture records.
const (
	KindWeights     Kind = "weights"
	KindGradients   Kind = "gradients"
	KindActivations Kind = "activations"
)

// DefaultBins is the number of bins of a snapshot's histogram when Options.Bins is 0.
const DefaultBins = 30

// Stream is the run-store stream (capture.jsonl in the run directory) that holds one
// Snapshot per line.
const Stream = "capture"

// Summaries says where a Capture turns tensors into histograms.
type Summaries int

const (
	// SummariesAuto computes on the host for the pure-Go backend and XLA on the CPU (the
	// tensors already live in host memory, and the parallel host kernel is faster than
	// their scatter in the graph: bench histogram -backend xla-cpu, figures in
	// docs/measurements/costs.md) and on the device for every other backend (only the summaries cross to
	// the host).
	SummariesAuto Summaries = iota
	// SummariesOnHost copies nothing extra into the graph: gradients and activations are
	// graph outputs, binned on the host on the steps the schedule picks.
	SummariesOnHost
	// SummariesOnDevice builds the histogram, moments and norms inside the training graph,
	// so only a few hundred numbers per tensor leave the device. They are computed on every
	// step (a compiled graph has no conditionals), and kept on the scheduled ones.
	SummariesOnDevice
)

// TensorBoardPercentiles are the percentiles of TensorBoard's distribution charts: the
// standard normal's 0, ±1, ±1.5, ±2, ±3 sigma points.
var TensorBoardPercentiles = []float64{0, 6.68, 15.87, 30.85, 50, 69.15, 84.13, 93.32, 100}

// Options configures New. The zero value records weights, gradients and
// activations 50 times over each run, in 30 bins, on the host for the Go backend and on
// the device otherwise.
type Options struct {
	// Schedules, one per kind: schedule.EverySteps(n), NTimes(n), Exponential(...),
	// Every(d), or Never() to leave the kind out. Default NTimes(50) each. The step the run ends on is
	// always recorded.
	Weights, Gradients, Activations schedule.Schedule
	// Bins of each histogram; default 30.
	Bins int
	// Keep is the most snapshots kept in memory per tensor (default 100). Past it, every
	// other snapshot is dropped, the first and the latest always kept, so a long run stays
	// evenly covered in bounded memory. The run directory keeps them all.
	Keep int
	// Probe, when set, is a fixed batch the activations are recorded on: on each scheduled
	// step it goes through ProbeModel (an inference graph over the same Store, compiled
	// once) instead of the activations being taken from the training step.
	Probe      *tensors.Tensor
	ProbeModel func(scope *model.Scope, x *graph.Node) *graph.Node
	// KeepProbe keeps the probe batch's activations themselves, not only their
	// histograms, at each recorded step, in memory (float32): Capture.Probes returns
	// them, for the projections of package charts (charts.ProbeSteps). A probe of 256
	// examples of a 128-unit layer takes 128 KiB a step.
	KeepProbe bool
	// Summaries: where histograms are computed; see Summaries.
	Summaries Summaries
	// RunDir, RunName: the run the snapshots are written to when the capture is used
	// without a dashboard (with one, they go in the dashboard's run). Defaults as for
	// DashboardOptions.
	RunDir, RunName string
	// IfExists says what happens when RunDir already holds a run (see
	// notebookviz.DashboardOptions).
	IfExists runs.IfExists
}

// Snapshot summarises one tensor at one step: a histogram of Bins equal-width bins from Lo
// to Hi over its finite values, the non-finite counts, moments and percentiles.
type Snapshot struct {
	Kind   Kind    `json:"kind"` // KindWeights, KindGradients or KindActivations
	Name   string  `json:"name"` // variable path ("/model/hidden_0/dense/weights") or layer
	Step   int     `json:"step"` // steps done, as the dashboard counts
	Wall   float64 `json:"wall"` // seconds since the capture started
	Shape  []int   `json:"shape"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Counts []int64 `json:"counts"`
	// Count is the number of finite values; NaN, PosInf and NegInf the others.
	Count  int64 `json:"count"`
	NaN    int64 `json:"nan"`
	PosInf int64 `json:"pos_inf"`
	NegInf int64 `json:"neg_inf"`
	// Min, Max, Mean, Std and Norm (L2) of the finite values (0 when there are none).
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Norm float64 `json:"norm"`
	// Percentiles holds TensorBoardPercentiles, read off a histogram 8x finer than Counts.
	Percentiles []float64 `json:"percentiles"`
	// UpdateRatio (gradients only): the L2 norm of this step's update of the variable over
	// the norm of the variable before it; -1 when unknown.
	UpdateRatio float64 `json:"update_ratio"`
	// Dead (activations only): the fraction of units that are <= 0 for every example in the
	// batch (dead ReLUs); -1 when unknown or not applicable (rank < 2).
	Dead float64 `json:"dead"`
}

// fineFactor: histograms are computed with fineFactor*Bins bins for the percentiles, and
// summed down to Bins for the stored counts.
const fineFactor = 8

// Capture records the weights, gradients and activations of a GoMLX model while it
// trains. Create it with New, wrap the optimizer with Optimizer, mark layer outputs with
// Activation in the model function, Attach it to the train.Loop (or pass it in
// notebookviz.DashboardOptions.Capture, which attaches it and shares the dashboard's run), and
// train on Dataset(trainDS): the recorded steps then run a second training graph with the
// taps, compiled once, and the other steps the plain one, at no cost:
//
//	c, _ := capture.New(capture.Options{})
//	trainer := train.NewTrainer(backend, store, modelFn, lossFn, c.Optimizer(optimizer.Adam().Done()), nil, nil)
//	loop := train.NewLoop(trainer)
//	_ = c.Attach(loop)
//	_, err := loop.RunSteps(c.Dataset(trainDS), 2000)
//	chart, _ := charts.GradientHealth(c.Snapshots(capture.KindGradients), charts.GradientHealthOptions{})
//
// Snapshots are written to the run as they are taken (flushed every second), and kept in
// memory for the charts of package charts: Histograms, Distributions, GradientHealth and
// ActivationStats.
type Capture struct {
	opts Options

	mu       sync.Mutex
	loop     *train.Loop
	store    *model.Store
	onDevice bool
	run      *runs.Run
	ownRun   bool
	tb       *tensorboard.Writer // also written to, when set (UseTensorBoard)
	start    time.Time
	sched    map[Kind]*schedule.Tracker
	due      map[Kind]bool // for the step being run
	dueStep  int
	snaps    map[string][]Snapshot // kind + "\x00" + name
	order    []string
	updates  map[string]float64 // gradient name -> update ratio, this step
	// updateNames are the variables of the update-norm vector, in its order (set when the
	// training graph is built).
	updateNames []string
	// weightsInGraph: the training graph summarises the weights (on the device).
	weightsInGraph bool
	// gated: the training dataset is wrapped by Dataset, and only capture steps' graphs
	// have taps; building: the graph built now is a capture step's.
	gated, building bool
	// shapes of the tensors summarised in the graph (kind + "\x00" + name).
	shapes map[string][]int
	// pending gradient snapshots of the current step, stored once its update ratios are known.
	pending []Snapshot
	// prevWeights: host copies of the weights the step before a gradient capture (host mode).
	prevWeights map[string][]float64
	havePrev    map[string]bool // prevWeights holds the step before this one
	buf         []byte          // a snapshot's JSON, reused
	lastErr     error
	notes       []string
	probe       *model.Exec
	probes      []Probe // the probe batch's activations (KeepProbe)
	attached    bool
	closed      bool
}

// Probe is the activations of one layer on the probe batch at one recorded step
// (Options.KeepProbe).
type Probe struct {
	Name   string    // the layer, as the snapshots name it
	Step   int       // steps done
	Shape  []int     // [examples, units...]
	Values []float32 // row-major
}

// Probes returns the probe batch's activations recorded so far (Options.KeepProbe), in
// the order taken: every marked layer at every recorded step.
func (c *Capture) Probes() []Probe {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.probes)
}

// New checks the options and returns a capture to Attach.
func New(opts Options) (*Capture, error) {
	for _, s := range []*schedule.Schedule{&opts.Weights, &opts.Gradients, &opts.Activations} {
		if s.IsZero() {
			*s = schedule.NTimes(50)
		}
		if err := s.Check(); err != nil {
			return nil, fmt.Errorf("capture.New: %w", err)
		}
	}
	if opts.Bins == 0 {
		opts.Bins = DefaultBins
	}
	if opts.Bins < 1 || opts.Bins > 1000 {
		return nil, fmt.Errorf("capture.New: Options.Bins must be in 1..1000 (or 0 for %d), got %d", DefaultBins, opts.Bins)
	}
	if opts.Keep == 0 {
		opts.Keep = 100
	}
	if opts.Keep < 2 {
		return nil, fmt.Errorf("capture.New: Options.Keep must be at least 2 (the first and the last snapshot), got %d", opts.Keep)
	}
	if (opts.Probe == nil) != (opts.ProbeModel == nil) {
		return nil, errors.New("capture.New: set both Options.Probe (a batch of inputs) and ProbeModel (the model function), or neither")
	}
	if opts.KeepProbe && opts.Probe == nil {
		return nil, errors.New("capture.New: Options.KeepProbe keeps the probe batch's activations; set Options.Probe and ProbeModel too")
	}
	if opts.Probe != nil {
		// A copy of our own: the caller may free theirs, or use it on another backend.
		probe, err := opts.Probe.LocalClone()
		if err != nil {
			return nil, fmt.Errorf("capture.New: Options.Probe: %w", err)
		}
		opts.Probe = probe
	}
	if opts.Summaries < SummariesAuto || opts.Summaries > SummariesOnDevice {
		return nil, fmt.Errorf("capture.New: unknown Options.Summaries %d; use SummariesAuto, SummariesOnHost or SummariesOnDevice", opts.Summaries)
	}
	c := &Capture{
		opts:  opts,
		sched: map[Kind]*schedule.Tracker{},
		due:   map[Kind]bool{},
		snaps: map[string][]Snapshot{},
	}
	c.sched[KindWeights] = opts.Weights.Track()
	c.sched[KindGradients] = opts.Gradients.Track()
	c.sched[KindActivations] = opts.Activations.Track()
	return c, nil
}

// Optimizer wraps opt so the capture sees each step's gradients and updates. opt must
// implement train.OptimizeWithGradients (GoMLX's SGD, Adam, AdamW, RMSProp do). Pass the
// result to train.NewTrainer. Without it, only weights and activations are recorded.
func (c *Capture) Optimizer(opt optimizer.Interface) optimizer.Interface {
	if c == nil || opt == nil {
		return opt
	}
	return &captureOptimizer{inner: opt, c: c}
}

// BatchSpec is the Batch.Spec of the steps a gated capture records (see
// Capture.Dataset), wrapping the dataset's own spec. A model function that reads its spec
// unwraps it: if cs, ok := spec.(capture.BatchSpec); ok { spec = cs.Spec }.
type BatchSpec struct{ Spec any }

// Dataset wraps the training dataset so that only the steps the schedules pick run a
// graph with the capture's taps: the batches of those steps carry a BatchSpec, for which
// the trainer compiles a second training graph, once. The other steps run the model's
// plain graph and cost nothing. Without it (a capture attached to a loop that trains on
// the bare dataset), every step's graph carries the taps, and only the scheduled steps
// are recorded.
func (c *Capture) Dataset(ds train.Dataset) train.Dataset {
	if c == nil || ds == nil {
		return ds
	}
	c.mu.Lock()
	c.gated = true
	c.mu.Unlock()
	return &captureDataset{inner: ds, c: c}
}

type captureDataset struct {
	inner train.Dataset
	c     *Capture
}

func (d *captureDataset) Name() string { return d.inner.Name() }

func (d *captureDataset) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for b, err := range d.inner.Iter() {
			if err == nil {
				c := d.c
				c.mu.Lock()
				due := false
				if c.loop != nil && !c.closed {
					// The loop pulls each batch right before running step LoopStep.
					step := c.loop.LoopStep + 1
					c.dueLocked(step)
					// A gated capture's step graph records the weights too (tapWeights).
					due = c.due[KindWeights] || c.due[KindGradients] || c.due[KindActivations] && c.opts.Probe == nil
				}
				c.building = due
				c.mu.Unlock()
				if due {
					b.Spec = BatchSpec{Spec: b.Spec}
				}
			}
			if !yield(b, err) {
				return
			}
		}
	}
}

// tapsOn reports whether the graph being built gets the capture's taps: always, unless
// the capture is gated by its Dataset and this is not a capture step's graph.
func (c *Capture) tapsOn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.gated || c.building
}

// Attach registers the capture with loop's trainer and Store; call it before the first
// training step. It is called for you by notebookviz.AttachDashboard with
// DashboardOptions.Capture. Attaching again to the same loop does nothing.
func (c *Capture) Attach(loop *train.Loop) (err error) {
	defer guard(&err)
	if c == nil {
		return errors.New("capture: Capture.Attach: the capture is nil; create it with capture.New")
	}
	if loop == nil || loop.Trainer == nil {
		return errors.New("capture: Capture.Attach(loop): loop is nil; create it with train.NewLoop(trainer)")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attached && c.loop == loop {
		return nil
	}
	if c.attached {
		return errors.New("capture: Capture.Attach: already attached to another loop; create one capture per training loop")
	}
	c.attached = true
	c.loop = loop
	c.store = loop.Trainer.Store()
	switch c.opts.Summaries {
	case SummariesOnHost:
		c.onDevice = false
	case SummariesOnDevice:
		c.onDevice = true
	default:
		label := backendsel.Label(loop.Trainer.Backend())
		c.onDevice = label != "go" && label != "xla-cpu"
	}
	register(c.store, c)
	loop.Trainer.OnExecCreation(func(exec *model.Exec, gt train.GraphType) {
		if gt != train.TrainType {
			return
		}
		prev := exec.GetNodeLogger()
		exec.SetNodeLogger(func(g *graph.Graph, messages []string, values []*tensors.Tensor, nodes []graph.NodeId) {
			c.onLogged(g, messages, values, nodes, prev)
		})
	})
	loop.OnStart("gonbviz-capture", 0, c.onStart)
	loop.OnStep("gonbviz-capture", 0, c.onStep)
	loop.OnEnd("gonbviz-capture", 0, c.onEnd)
	return nil
}

// UseRun makes the capture write into run (a dashboard's, or one made with package runs)
// instead of creating a run of its own when training starts; it does nothing once the
// capture has a run. The capture does not close a run it did not create.
func (c *Capture) UseRun(run *runs.Run) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.run == nil {
		c.run = run
	}
}

// RunDir is the directory of the run the snapshots are written to ("" before the first
// step when the capture has no dashboard).
func (c *Capture) RunDir() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.run == nil {
		return ""
	}
	return c.run.Dir()
}

// Err returns the first error met while recording (nil if none). Recording errors never
// stop training.
func (c *Capture) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// Notes are the things a user should know about the capture (tensors skipped, ...).
func (c *Capture) Notes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.notes)
}

func (c *Capture) setErrLocked(err error) {
	if err != nil && c.lastErr == nil {
		c.lastErr = err
	}
}

func (c *Capture) noteLocked(s string) {
	if !slices.Contains(c.notes, s) {
		c.notes = append(c.notes, s)
	}
}

// Snapshots returns the snapshots of one kind (all kinds for ""), by tensor in the order
// they were first seen, then by step.
func (c *Capture) Snapshots(kind Kind) []Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Snapshot
	for _, k := range c.order {
		s := c.snaps[k]
		if kind == "" || (len(s) > 0 && s[0].Kind == kind) {
			out = append(out, s...)
		}
	}
	return out
}

// OfKind returns the snapshots of one kind (KindWeights, KindGradients or
// KindActivations), e.g. from Read.
func OfKind(snaps []Snapshot, kind Kind) []Snapshot {
	var out []Snapshot
	for _, s := range snaps {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// Read reads the snapshots a Capture wrote into a run directory (e.g.
// Dashboard.RunDir(), or the Dir of the newest run, runs.Latest), in the order they were
// written. Damaged lines are skipped and named in notes.
func Read(runDir string) (snaps []Snapshot, notes []string, err error) {
	notes, err = runs.ReadStream(runDir, Stream, func(rec []byte) error {
		var s Snapshot
		if err := json.Unmarshal(rec, &s); err != nil {
			return fmt.Errorf("a capture record that is not a snapshot: %v", err)
		}
		if s.Kind == "" || s.Name == "" || len(s.Counts) == 0 {
			return nil
		}
		snaps = append(snaps, s)
		return nil
	})
	if err != nil {
		return nil, notes, fmt.Errorf("capture.Read(%q): %w", runDir, err)
	}
	return snaps, notes, nil
}

// ---- training hooks ----

func (c *Capture) onStart(loop *train.Loop, _ train.Dataset) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.start.IsZero() {
		c.start = time.Now()
	}
	if c.run == nil {
		dir := c.opts.RunDir
		if dir == "" {
			dir = runs.DefaultDir()
		}
		run, err := runs.CreateFor(dir, runs.Meta{Name: c.opts.RunName, Backend: backendsel.Label(loop.Trainer.Backend())},
			c.opts.IfExists, "capture.Options.IfExists")
		if err != nil {
			c.setErrLocked(fmt.Errorf("capture: %w", err))
			return nil
		}
		c.run, c.ownRun = run, true
	}
	c.dueStep = -1
	return nil
}

// dueLocked decides, once per step, which kinds are recorded at step.
func (c *Capture) dueLocked(step int) {
	if c.dueStep == step {
		return
	}
	c.dueStep = step
	now := time.Now()
	for kind, sc := range c.sched {
		c.due[kind] = c.loop != nil && sc.Due(step, c.loop.StartStep, c.loop.EndStep, now)
	}
	if c.loop != nil && step == c.loop.EndStep {
		for kind := range c.sched {
			c.due[kind] = c.due[kind] || !c.opts.scheduleOf(kind).IsNever()
		}
	}
}

// onLogged receives the logged nodes of every training step.
func (c *Capture) onLogged(g *graph.Graph, messages []string, values []*tensors.Tensor, nodes []graph.NodeId, prev graph.LoggerFn) {
	var restM []string
	var restV []*tensors.Tensor
	var restN []graph.NodeId
	c.mu.Lock()
	step := 0
	if c.loop != nil {
		step = c.loop.LoopStep + 1
	}
	c.dueLocked(step)
	for i, msg := range messages {
		if rows, ok := strings.CutPrefix(msg, tapBatch); ok {
			c.recordBatchLocked(strings.Split(rows, "\x00"), step, values[i])
			values[i].FinalizeAll()
			continue
		}
		if entries, ok := strings.CutPrefix(msg, tapRawBatch); ok {
			c.recordRawBatchLocked(strings.Split(entries, "\x00"), step, values[i])
			values[i].FinalizeAll()
			continue
		}
		kind, name, summary, ok := parseTapMessage(msg)
		if !ok {
			restM, restV, restN = append(restM, msg), append(restV, values[i]), append(restN, nodes[i])
			continue
		}
		switch {
		case kind == "update":
			if c.due[KindGradients] {
				c.readUpdatesLocked(values[i])
			}
		case c.due[kind]:
			c.recordTensorLocked(kind, name, step, values[i], summary)
		}
		// Ours, read: freed now rather than by the garbage collector.
		values[i].FinalizeAll()
	}
	c.mu.Unlock()
	if prev != nil && len(restM) > 0 {
		prev(g, restM, restV, restN)
	}
}

func (c *Capture) onStep(loop *train.Loop, _ []*tensors.Tensor) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	step := loop.LoopStep + 1
	c.dueLocked(step)
	if c.due[KindGradients] && len(c.havePrev) > 0 {
		c.hostUpdatesLocked()
	}
	c.flushGradientsLocked()
	// On the host, update ratios compare the weights with a copy taken the step before,
	// unless a gated capture's step graph measures the updates itself (captureOptimizer).
	clear(c.havePrev)
	if !c.onDevice && !c.gated && c.sched[KindGradients].Peek(step+1, loop.StartStep, loop.EndStep) {
		c.copyWeightsLocked()
	}
	if c.due[KindWeights] && !c.weightsInGraph {
		c.recordWeightsLocked(step)
	}
	probe := c.due[KindActivations] && c.opts.Probe != nil
	c.mu.Unlock()
	if probe {
		// Without the lock: building the probe graph calls TapActivation.
		c.runProbe(step)
	}
	c.mu.Lock()
	return nil
}

func (c *Capture) onEnd(loop *train.Loop, _ []*tensors.Tensor) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushGradientsLocked() // a run stopped by a NaN loss ends without its OnStep
	if c.run != nil {
		c.setErrLocked(c.run.Flush())
	}
	if c.tb != nil {
		c.setErrLocked(c.tb.Flush())
	}
	return nil
}

// Close flushes the run; when the capture owns it (no dashboard), it is closed. The
// Store's activation taps are removed.
func (c *Capture) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.lastErr
	}
	c.closed = true
	c.flushGradientsLocked()
	if c.store != nil {
		register(c.store, nil)
	}
	if c.probe != nil {
		c.probe.Finalize()
	}
	if c.opts.Probe != nil {
		c.opts.Probe.FinalizeAll()
		c.opts.Probe = nil
	}
	if c.run != nil {
		if c.ownRun {
			c.setErrLocked(c.run.Close())
		} else {
			c.setErrLocked(c.run.Flush())
		}
	}
	if c.tb != nil {
		c.setErrLocked(c.tb.Flush())
	}
	return c.lastErr
}

// ---- recording ----

// trainable calls fn with each trainable variable's path and current value.
func (c *Capture) trainable(fn func(path string, t *tensors.Tensor)) {
	for v := range c.store.IterVariables() {
		if !v.Trainable {
			continue
		}
		if t, err := v.Value(); err == nil && t != nil {
			fn(v.Path(), t)
		}
	}
}

func (c *Capture) recordWeightsLocked(step int) {
	c.trainable(func(path string, t *tensors.Tensor) { c.recordTensorLocked(KindWeights, path, step, t, false) })
}

// recordTensorLocked turns a tensor (raw, or a device summary) into a snapshot and stores it.
func (c *Capture) recordTensorLocked(kind Kind, name string, step int, t *tensors.Tensor, summary bool) {
	var s Snapshot
	var err error
	if summary {
		var v []float64
		if v, err = tensors.CopyFlatData[float64](t); err == nil {
			s, err = snapshotFromSummary(v, c.opts.Bins)
			s.Shape = c.shapes[string(kind)+"\x00"+name]
		}
	} else {
		s, err = snapshotFromTensor(t, c.opts.Bins, kind == KindActivations)
	}
	c.recordLocked(kind, name, step, s, err)
}

// recordBatchLocked records the rows of a batch of summaries (batchSummaries) that are due.
func (c *Capture) recordBatchLocked(names []string, step int, t *tensors.Tensor) {
	v, err := tensors.CopyFlatData[float64](t)
	if err == nil && len(v) != len(names)*(graphhisto.Header+c.opts.Bins*fineFactor) {
		err = fmt.Errorf("%d values for %d summaries", len(v), len(names))
	}
	if err != nil {
		c.noteLocked(fmt.Sprintf("summaries of step %d not recorded: %v", step, err))
		return
	}
	row := len(v) / len(names)
	for i, kn := range names {
		k, name, _ := strings.Cut(kn, ":")
		kind := Kind(k)
		if !c.due[kind] {
			continue
		}
		s, err := snapshotFromSummary(v[i*row:(i+1)*row], c.opts.Bins)
		s.Shape = c.shapes[string(kind)+"\x00"+name]
		c.recordLocked(kind, name, step, s, err)
	}
}

// recordRawBatchLocked records the tensors of a batch of raw tensors (batchRaw) that are due.
func (c *Capture) recordRawBatchLocked(entries []string, step int, t *tensors.Tensor) {
	var err error
	switch t.DType() {
	case dtypes.Float32:
		err = tensors.ConstFlatData(t, func(flat []float32) { err = recordRawBatch(c, entries, step, flat) })
	case dtypes.Float64:
		err = tensors.ConstFlatData(t, func(flat []float64) { err = recordRawBatch(c, entries, step, flat) })
	default:
		err = fmt.Errorf("dtype %s", t.DType())
	}
	if err != nil {
		c.noteLocked(fmt.Sprintf("tensors of step %d not recorded: %v", step, err))
	}
}

func recordRawBatch[T histo.Float](c *Capture, entries []string, step int, flat []T) error {
	off := 0
	for _, e := range entries {
		kn, dimsText, _ := strings.Cut(e, "\x01")
		k, name, _ := strings.Cut(kn, ":")
		kind := Kind(k)
		var dims []int
		size := 1
		if dimsText != "" {
			for _, d := range strings.Split(dimsText, ",") {
				n, err := strconv.Atoi(d)
				if err != nil {
					return fmt.Errorf("%s %s: dimensions %q", kind, name, dimsText)
				}
				dims = append(dims, n)
				size *= n
			}
		}
		if off+size > len(flat) {
			return fmt.Errorf("%d values for tensors of %d and more", len(flat), off+size)
		}
		if c.due[kind] {
			s, err := snapshotOf(flat[off:off+size], c.opts.Bins, dims, kind == KindActivations)
			c.recordLocked(kind, name, step, s, err)
		}
		off += size
	}
	return nil
}

// recordLocked keeps snapshot s of a tensor (err: it could not be made).
func (c *Capture) recordLocked(kind Kind, name string, step int, s Snapshot, err error) {
	if err != nil {
		c.noteLocked(fmt.Sprintf("%s %s not recorded: %v", kind, name, err))
		return
	}
	s.Kind, s.Name, s.Step = kind, name, step
	s.Wall = time.Since(c.start).Seconds()
	if kind != KindActivations {
		s.Dead = -1
	}
	if kind == KindGradients {
		// Stored at the end of the step, with the update ratio.
		c.pending = append(c.pending, s)
		return
	}
	c.storeLocked(s)
}

// flushGradientsLocked stores the gradient snapshots of the step with their update ratios.
func (c *Capture) flushGradientsLocked() {
	for _, s := range c.pending {
		if r, ok := c.updates[s.Name]; ok {
			s.UpdateRatio = r
		}
		c.storeLocked(s)
	}
	c.pending = c.pending[:0]
	clear(c.updates)
}

// copyWeightsLocked keeps a host copy of every trainable float variable, reusing the
// previous copy's memory.
func (c *Capture) copyWeightsLocked() {
	if c.prevWeights == nil {
		c.prevWeights = map[string][]float64{}
	}
	clear(c.havePrev)
	if c.havePrev == nil {
		c.havePrev = map[string]bool{}
	}
	c.trainable(func(path string, t *tensors.Tensor) {
		flat := c.prevWeights[path]
		switch t.DType() {
		case dtypes.Float32:
			_ = tensors.ConstFlatData(t, func(f []float32) {
				flat = slices.Grow(flat[:0], len(f))[:len(f)]
				for i, x := range f {
					flat[i] = float64(x)
				}
			})
		case dtypes.Float64:
			_ = tensors.ConstFlatData(t, func(f []float64) { flat = append(flat[:0], f...) })
		default:
			return
		}
		c.prevWeights[path] = flat
		c.havePrev[path] = true
	})
}

// hostUpdatesLocked sets the update ratio of every variable from the copy of the step before.
func (c *Capture) hostUpdatesLocked() {
	if c.updates == nil {
		c.updates = map[string]float64{}
	}
	c.trainable(func(path string, t *tensors.Tensor) {
		prev := c.prevWeights[path]
		if !c.havePrev[path] {
			return
		}
		var upd, w float64
		switch t.DType() {
		case dtypes.Float32:
			_ = tensors.ConstFlatData(t, func(f []float32) { upd, w = updateSums(f, prev) })
		case dtypes.Float64:
			_ = tensors.ConstFlatData(t, func(f []float64) { upd, w = updateSums(f, prev) })
		}
		if w > 0 {
			c.updates[path] = math.Sqrt(upd) / math.Sqrt(w)
		} else {
			c.updates[path] = -1
		}
	})
}

// updateSums returns the sum of squares of the update cur - prev and of prev, the
// terms of the update/weight ratio; zeros when the lengths differ. Two sums of each
// keep the loop from waiting on every add.
func updateSums[T histo.Float](cur []T, prev []float64) (upd, w float64) {
	if len(cur) != len(prev) {
		return 0, 0
	}
	var u0, u1, w0, w1 float64
	i := 0
	for ; i+2 <= len(cur); i += 2 {
		p0, p1 := prev[i], prev[i+1]
		d0, d1 := float64(cur[i])-p0, float64(cur[i+1])-p1
		u0 += d0 * d0
		u1 += d1 * d1
		w0 += p0 * p0
		w1 += p1 * p1
	}
	if i < len(cur) {
		p := prev[i]
		d := float64(cur[i]) - p
		u0 += d * d
		w0 += p * p
	}
	return u0 + u1, w0 + w1
}

// storeLocked keeps s in memory (thinning to Keep) and appends it to the run.
func (c *Capture) storeLocked(s Snapshot) {
	key := string(s.Kind) + "\x00" + s.Name
	list, seen := c.snaps[key]
	if !seen {
		c.order = append(c.order, key)
	}
	if n := len(list); n > 0 && list[n-1].Step == s.Step {
		list[n-1] = s // the end-of-run step recorded twice
	} else {
		list = append(list, s)
	}
	if len(list) > c.opts.Keep {
		// Drop every other snapshot between the first and the latest.
		kept := list[:1]
		for i := 2; i < len(list)-1; i += 2 {
			kept = append(kept, list[i])
		}
		list = append(kept, list[len(list)-1])
	}
	c.snaps[key] = list
	if c.run != nil {
		c.buf = appendSnapshotJSON(c.buf[:0], finiteSnapshot(s))
		c.setErrLocked(c.run.AppendRecord(Stream, json.RawMessage(c.buf)))
	}
	c.writeTensorBoardLocked(s)
}

// finiteSnapshot replaces non-finite statistics (JSON has no NaN) by 0; the counts say
// what was there.
func finiteSnapshot(s Snapshot) Snapshot {
	fix := func(v *float64) {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
	for _, v := range []*float64{&s.Lo, &s.Hi, &s.Min, &s.Max, &s.Mean, &s.Std, &s.Norm, &s.UpdateRatio, &s.Dead, &s.Wall} {
		fix(v)
	}
	s.Percentiles = slices.Clone(s.Percentiles)
	for i := range s.Percentiles {
		fix(&s.Percentiles[i])
	}
	return s
}

// appendSnapshotJSON writes s as the JSON encoding/json would (same fields), without
// reflection: a snapshot is written for every tensor on every scheduled step.
func appendSnapshotJSON(b []byte, s Snapshot) []byte {
	str := func(key, v string) {
		b = append(b, key...)
		q, _ := json.Marshal(v) // escapes as encoding/json does, <, > and & included
		b = append(b, q...)
	}
	f := func(key string, v float64) {
		b = append(b, key...)
		b = appendJSONFloat(b, v)
	}
	i := func(key string, v int64) {
		b = append(b, key...)
		b = strconv.AppendInt(b, v, 10)
	}
	str(`{"kind":`, string(s.Kind))
	str(`,"name":`, s.Name)
	i(`,"step":`, int64(s.Step))
	f(`,"wall":`, s.Wall)
	b = append(b, `,"shape":[`...)
	for k, d := range s.Shape {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(d), 10)
	}
	f(`],"lo":`, s.Lo)
	f(`,"hi":`, s.Hi)
	b = append(b, `,"counts":[`...)
	for k, n := range s.Counts {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	i(`],"count":`, s.Count)
	i(`,"nan":`, s.NaN)
	i(`,"pos_inf":`, s.PosInf)
	i(`,"neg_inf":`, s.NegInf)
	f(`,"min":`, s.Min)
	f(`,"max":`, s.Max)
	f(`,"mean":`, s.Mean)
	f(`,"std":`, s.Std)
	f(`,"norm":`, s.Norm)
	b = append(b, `,"percentiles":[`...)
	for k, p := range s.Percentiles {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONFloat(b, p)
	}
	f(`],"update_ratio":`, s.UpdateRatio)
	f(`,"dead":`, s.Dead)
	return append(b, '}')
}

// appendJSONFloat formats a finite float as encoding/json does: shortest digits, in
// exponent form below 1e-6 and from 1e21, with a two-digit exponent cut to one ("1e-9").
func appendJSONFloat(b []byte, v float64) []byte {
	abs := math.Abs(v)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		n := len(b)
		b = strconv.AppendFloat(b, v, 'e', -1, 64)
		if m := len(b); m-n >= 4 && b[m-4] == 'e' && b[m-3] == '-' && b[m-2] == '0' {
			b[m-2] = b[m-1]
			b = b[:m-1]
		}
		return b
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// snapshotFromTensor bins a host tensor with the parallel kernel.
func snapshotFromTensor(t *tensors.Tensor, bins int, activations bool) (Snapshot, error) {
	var s Snapshot
	s.Shape = t.Shape().Dimensions
	var err error
	switch t.DType() {
	case dtypes.Float32:
		err = tensors.ConstFlatData(t, func(flat []float32) { s, err = snapshotOf(flat, bins, s.Shape, activations) })
	case dtypes.Float64:
		err = tensors.ConstFlatData(t, func(flat []float64) { s, err = snapshotOf(flat, bins, s.Shape, activations) })
	default:
		return s, fmt.Errorf("dtype %s is not binned on the host (float32 and float64 are); use SummariesOnDevice", t.DType())
	}
	return s, err
}

func snapshotOf[T histo.Float](flat []T, bins int, shape []int, activations bool) (Snapshot, error) {
	s := Snapshot{Shape: slices.Clone(shape), Dead: -1, UpdateRatio: -1}
	r, err := histo.Compute(flat, bins*fineFactor, histo.Options{})
	if err != nil {
		return s, err
	}
	s.Count, s.NaN, s.PosInf, s.NegInf = r.Count, r.NaN, r.PosInf, r.NegInf
	if r.Count == 0 {
		s.Counts = make([]int64, bins)
		return s, nil
	}
	s.Min, s.Max = r.Min, r.Max
	s.Percentiles = r.Percentiles(TensorBoardPercentiles)
	s.Lo, s.Hi, s.Counts = coarsen(r.Edges, r.Counts, bins)
	sum, sumSq := histo.Moments(flat)
	n := float64(r.Count)
	s.Mean = sum / n
	s.Std = math.Sqrt(max(0, sumSq/n-s.Mean*s.Mean))
	s.Norm = math.Sqrt(sumSq)
	if activations && len(shape) >= 2 && shape[0] > 0 {
		units := len(flat) / shape[0]
		dead := 0
		for u := range units {
			alive := false
			for b := range shape[0] {
				if flat[b*units+u] > 0 {
					alive = true
					break
				}
			}
			if !alive {
				dead++
			}
		}
		if units > 0 {
			s.Dead = float64(dead) / float64(units)
		}
	}
	return s, nil
}

// coarsen sums a fine histogram (bins*fineFactor bins, or 1 bin for a constant tensor)
// down to bins bins.
func coarsen(edges []float64, counts []int64, bins int) (lo, hi float64, out []int64) {
	lo, hi = edges[0], edges[len(edges)-1]
	out = make([]int64, bins)
	if len(counts) == 1 {
		// A constant tensor: one bin of width 1 around the value.
		out[bins/2] = counts[0]
		return lo, hi, out
	}
	f := len(counts) / bins
	for i, n := range counts {
		out[min(i/f, bins-1)] += n
	}
	return lo, hi, out
}

// ---- the graph side: taps and device summaries ----

// Tap message prefixes; the log message is prefix + kind + ":" + name.
const (
	tapRaw     = "gonbviz/raw:"
	tapProbe   = "gonbviz/probe:" // the probe batch's activations, kept (KeepProbe)
	tapSummary = "gonbviz/sum:"
	tapUpdate  = "gonbviz/update"
	probeParam = "/gonbviz_probe"
	// tapBatch logs the summaries of a training graph as the rows of one matrix: prefix, then
	// each row's kind + ":" + name, separated by "\x00".
	tapBatch = "gonbviz/batch:"
	// tapRawBatch logs the raw tensors of a training graph of one dtype as one vector:
	// prefix, then each tensor's kind + ":" + name + "\x01" + its dimensions joined by ",",
	// separated by "\x00".
	tapRawBatch = "gonbviz/rawbatch:"
)

// batchRaw turns the raw tensors logged in training graph g into one logged vector per dtype,
// for the same reason as batchSummaries.
func batchRaw(g *graph.Graph) {
	type group struct {
		parts []*graph.Node
		names []string
	}
	var groups []*group
	byDType := map[dtypes.DType]*group{}
	for _, n := range g.Nodes() {
		name, ok := strings.CutPrefix(n.LogMessage(), tapRaw)
		if !ok || (n.DType() != dtypes.Float32 && n.DType() != dtypes.Float64) {
			continue
		}
		gr := byDType[n.DType()]
		if gr == nil {
			gr = &group{}
			byDType[n.DType()] = gr
			groups = append(groups, gr)
		}
		dims := make([]string, n.Rank())
		for i, d := range n.Shape().Dimensions {
			dims[i] = strconv.Itoa(d)
		}
		gr.parts = append(gr.parts, graph.Reshape(n, -1))
		gr.names = append(gr.names, name+"\x01"+strings.Join(dims, ","))
		n.SetLogged("")
	}
	for _, gr := range groups {
		graph.Concatenate(gr.parts, 0).SetLogged(tapRawBatch + strings.Join(gr.names, "\x00"))
	}
}

// batchSummaries turns the summaries logged in training graph g into one logged matrix: a
// copy from the device costs about as much for 4 bytes as for a few KB (tens of
// microseconds on XLA's CPU plugin), and a capture step logs one summary per tensor.
func batchSummaries(g *graph.Graph) {
	var rows []*graph.Node
	var names []string
	for _, n := range g.Nodes() {
		if name, ok := strings.CutPrefix(n.LogMessage(), tapSummary); ok {
			rows = append(rows, graph.Reshape(n, 1, -1))
			names = append(names, name)
			n.SetLogged("")
		}
	}
	if len(rows) > 0 {
		graph.Concatenate(rows, 0).SetLogged(tapBatch + strings.Join(names, "\x00"))
	}
}

func parseTapMessage(msg string) (kind Kind, name string, summary, ok bool) {
	if msg == tapUpdate {
		return "update", "", false, true
	}
	rest, isRaw := strings.CutPrefix(msg, tapRaw)
	if !isRaw {
		var isSum bool
		if rest, isSum = strings.CutPrefix(msg, tapSummary); !isSum {
			return "", "", false, false
		}
		summary = true
	}
	k, name, ok := strings.Cut(rest, ":")
	return Kind(k), name, summary, ok
}

// tapActivation implements tapper: it marks x to be recorded when the graph is a
// training graph (and no probe batch is set) or the capture's own probe graph.
func (c *Capture) tapActivation(scope *model.Scope, name string, x *graph.Node) *graph.Node {
	if c.opts.Activations.IsNever() {
		return x
	}
	g := x.Graph()
	probe, _ := model.GetGraphParam(g, probeParam)
	isProbe, _ := probe.(bool)
	if !isProbe && (c.opts.Probe != nil || !scope.Store().IsTraining(g) || !c.tapsOn()) {
		return x
	}
	c.tap(KindActivations, name, x)
	if isProbe && c.opts.KeepProbe && x.DType().IsFloat() {
		// A float32 x is its own conversion, logged already by tap (on the host): keep a
		// copy, or the probe's message would replace the histogram's.
		keep := graph.ConvertDType(x, dtypes.Float32)
		if keep.IsLogged() {
			keep = graph.Identity(keep)
		}
		keep.SetLogged(tapProbe + name)
	}
	return x
}

// tap marks node to be recorded: raw, or as an in-graph summary.
func (c *Capture) tap(kind Kind, name string, node *graph.Node) {
	if !node.DType().IsFloat() {
		return
	}
	if c.onDevice {
		c.mu.Lock()
		if c.shapes == nil {
			c.shapes = map[string][]int{}
		}
		c.shapes[string(kind)+"\x00"+name] = slices.Clone(node.Shape().Dimensions)
		c.mu.Unlock()
		graphhisto.Summary(node, c.opts.Bins*fineFactor, kind == KindActivations).SetLogged(tapSummary + string(kind) + ":" + name)
		return
	}
	if node.IsLogged() { // the user logs it already: record a copy
		node = graph.Identity(node)
	}
	node.SetLogged(tapRaw + string(kind) + ":" + name)
}

// snapshotFromSummary reads a device summary vector.
func snapshotFromSummary(v []float64, bins int) (Snapshot, error) {
	if len(v) != graphhisto.Header+bins*fineFactor {
		return Snapshot{}, fmt.Errorf("summary has %d values, want %d", len(v), graphhisto.Header+bins*fineFactor)
	}
	s := Snapshot{Dead: -1, UpdateRatio: -1}
	s.Count, s.NaN, s.PosInf, s.NegInf = int64(v[graphhisto.Count]), int64(v[graphhisto.NaN]), int64(v[graphhisto.PosInf]), int64(v[graphhisto.NegInf])
	if s.Count == 0 {
		s.Counts = make([]int64, bins)
		return s, nil
	}
	s.Min, s.Max = v[graphhisto.Min], v[graphhisto.Max]
	n := float64(s.Count)
	s.Mean = v[graphhisto.Sum] / n
	s.Std = math.Sqrt(max(0, v[graphhisto.SumSq]/n-s.Mean*s.Mean))
	s.Norm = math.Sqrt(v[graphhisto.SumSq])
	if v[graphhisto.Units] > 0 {
		s.Dead = v[graphhisto.Dead] / v[graphhisto.Units]
	}
	fine := make([]int64, bins*fineFactor)
	for i := range fine {
		fine[i] = int64(math.Round(v[graphhisto.Header+i]))
	}
	lo, hi := s.Min, s.Max
	if lo == hi {
		// The graph put every value in bin 0: one bin of width 1 around the value.
		r := histo.Result{Edges: []float64{lo - 0.5, hi + 0.5}, Counts: []int64{s.Count}, Min: s.Min, Max: s.Max}
		s.Percentiles = r.Percentiles(TensorBoardPercentiles)
		s.Lo, s.Hi, s.Counts = coarsen(r.Edges, r.Counts, bins)
		return s, nil
	}
	edges := make([]float64, len(fine)+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(len(fine))
	}
	edges[len(fine)] = hi
	r := histo.Result{Edges: edges, Counts: fine, Min: lo, Max: hi, Count: s.Count}
	s.Percentiles = r.Percentiles(TensorBoardPercentiles)
	s.Lo, s.Hi, s.Counts = coarsen(edges, fine, bins)
	return s, nil
}

// readUpdatesLocked reads the update-norm vector: for each gradient, in the order of
// c.updateNames, the norm of the update and of the weights before it.
func (c *Capture) readUpdatesLocked(t *tensors.Tensor) {
	v, err := tensors.CopyFlatData[float64](t)
	if err != nil {
		return
	}
	if c.updates == nil {
		c.updates = map[string]float64{}
	}
	names := c.updateNames
	for i, name := range names {
		if 2*i+1 >= len(v) {
			break
		}
		upd, w := v[2*i], v[2*i+1]
		if w > 0 {
			c.updates[name] = upd / w
		} else {
			c.updates[name] = -1
		}
	}
}

// runProbe runs the probe batch through the inference graph (on the training goroutine).
func (c *Capture) runProbe(step int) {
	if c.probe == nil {
		exec, err := model.NewExec(c.loop.Trainer.Backend(), c.store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			model.SetGraphParam(x.Graph(), probeParam, true)
			return c.opts.ProbeModel(scope, x)
		})
		if err != nil {
			c.mu.Lock()
			c.setErrLocked(fmt.Errorf("capture: the probe: %w", err))
			c.opts.Probe = nil
			c.mu.Unlock()
			return
		}
		c.probe = exec
	}
	c.probe.SetNodeLogger(func(g *graph.Graph, messages []string, values []*tensors.Tensor, _ []graph.NodeId) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, msg := range messages {
			if name, ok := strings.CutPrefix(msg, tapProbe); ok {
				if v, err := tensors.CopyFlatData[float32](values[i]); err == nil {
					c.probes = append(c.probes, Probe{Name: name, Step: step, Shape: slices.Clone(values[i].Shape().Dimensions), Values: v})
				}
				continue
			}
			if kind, name, summary, ok := parseTapMessage(msg); ok && kind == KindActivations {
				c.recordTensorLocked(kind, name, step, values[i], summary)
			}
		}
	})
	outs, err := c.probe.Exec(c.opts.Probe)
	if err != nil {
		c.mu.Lock()
		c.setErrLocked(fmt.Errorf("capture: the probe at step %d: %w", step, err))
		c.mu.Unlock()
		return
	}
	for _, o := range outs {
		o.FinalizeAll()
	}
}

// scheduleOf is the schedule of one kind.
func (o *Options) scheduleOf(kind Kind) schedule.Schedule {
	switch kind {
	case KindWeights:
		return o.Weights
	case KindGradients:
		return o.Gradients
	}
	return o.Activations
}

// guard turns a panic inside the package into an error, so none escapes the public API.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("capture: internal error (please report it): %v", r)
	}
}
