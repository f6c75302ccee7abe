// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/tensorboard"
)

// TensorBoardOptions say how much of a TensorBoard log ReadTensorBoard keeps. The zero
// value gives the defaults.
type TensorBoardOptions struct {
	// MaxPoints bounds the points kept of each scalar series, downsampled while the files
	// are read, as a run's own views are (the lowest and highest value of each group of
	// steps and its first NaN or ±Inf are kept): 0 means tensorboard.DefaultMaxPoints, -1
	// keeps every point.
	MaxPoints int
	// MaxHistograms bounds the histograms kept of each series, evenly spaced, the first and
	// last included: 0 means tensorboard.DefaultMaxHistograms, -1 keeps them all.
	MaxHistograms int
	// Bins is the number of equal-width bins each histogram is binned into for
	// charts.Histograms (0 means capture.DefaultBins).
	Bins int
}

// TensorBoardLog is a TensorBoard log directory read for gonbviz's charts (see
// ReadTensorBoard).
type TensorBoardLog struct {
	Dir   string           // the directory given to ReadTensorBoard
	Runs  []TensorBoardRun // by name
	Notes []string         // damaged files, summaries not loaded (tensorboard.Log.Notes)
}

// TensorBoardRun is one run of a TensorBoard log: a directory holding event files.
type TensorBoardRun struct {
	// Name is the run's directory under the log directory, as TensorBoard names runs (the
	// log directory's own name for event files directly in it).
	Name string
	// Curves are its scalar series, for charts.Curves: one per tag, named by the tag, Run
	// set to Name, kind and split guessed from the tag ("train/loss": a train loss).
	Curves []charts.Curve
	// Snapshots are its histograms, for charts.Histograms and charts.Distributions (which
	// take one kind at a time: see Snapshots): "weights/...", "gradients/..." and
	// "activations/..." tags (as gonbviz writes them) give those kinds, other tags
	// (PyTorch's "fc1.weight") capture.KindOther.
	Snapshots []capture.Snapshot
	// Texts are its text summaries, "tag (step N): text".
	Texts []string
}

// Kinds lists the kinds of the run's snapshots, in the order they first appear.
func (r *TensorBoardRun) Kinds() []capture.Kind {
	var out []capture.Kind
	seen := map[capture.Kind]bool{}
	for _, s := range r.Snapshots {
		if !seen[s.Kind] {
			seen[s.Kind] = true
			out = append(out, s.Kind)
		}
	}
	return out
}

// SnapshotsOf returns the run's snapshots of one kind, for charts.Histograms and
// charts.Distributions.
func (r *TensorBoardRun) SnapshotsOf(kind capture.Kind) []capture.Snapshot {
	var out []capture.Snapshot
	for _, s := range r.Snapshots {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// Run returns the run named name, or nil.
func (l *TensorBoardLog) Run(name string) *TensorBoardRun {
	for i := range l.Runs {
		if l.Runs[i].Name == name {
			return &l.Runs[i]
		}
	}
	return nil
}

// Curves returns the curves of every run, for charts.Curves: the runs overlaid, a colour
// each. Append a gonbviz run's (charts.RunCurves) to compare it with the log.
func (l *TensorBoardLog) Curves() []charts.Curve {
	var out []charts.Curve
	for _, r := range l.Runs {
		out = append(out, r.Curves...)
	}
	return out
}

// ReadTensorBoard reads the TensorBoard event files under logdir (every directory holding
// some is a run, as for `tensorboard --logdir`; logdir may also be one event file): the
// logs of TensorBoard, TensorFlow, tensorboardX, PyTorch's SummaryWriter and gonbviz runs
// written with DashboardOptions.TensorBoard, v1 and v2 summaries. Each run's scalars become
// curves for charts.Curves and its histograms snapshots for charts.Histograms and
// charts.Distributions:
//
//	log, err := notebookviz.ReadTensorBoard("runs", notebookviz.TensorBoardOptions{})
//	chart, err := charts.Curves(log.Curves(), charts.CurvesOptions{Title: "runs"})
//	hist, err := charts.Histograms(log.Runs[0].SnapshotsOf(capture.KindOther), charts.HistogramsOptions{})
//
// Memory stays bounded on huge logs (TensorBoardOptions). Damaged files are read up to
// the damage and named in Notes; it fails only when logdir cannot be read or holds no
// event file.
func ReadTensorBoard(logdir string, opts TensorBoardOptions) (log *TensorBoardLog, err error) {
	defer guard(&err)
	if logdir == "" {
		return nil, errors.New("notebookviz: ReadTensorBoard: logdir is empty; pass the directory TensorBoard's --logdir would take")
	}
	if opts.Bins < 0 {
		return nil, fmt.Errorf("notebookviz: ReadTensorBoard: TensorBoardOptions.Bins is %d; use a positive number of bins, or 0 for the default %d", opts.Bins, capture.DefaultBins)
	}
	tb, err := tensorboard.ReadWith(logdir, tensorboard.ReadOptions{MaxPoints: opts.MaxPoints, MaxHistograms: opts.MaxHistograms})
	if err != nil {
		return nil, fmt.Errorf("notebookviz: ReadTensorBoard: %w", err)
	}
	log = &TensorBoardLog{Dir: logdir, Notes: tb.Notes}
	// As many points as fit one chart of every run's curves.
	curves := charts.TensorBoardCurves(tb, 0)
	for i := range tb.Runs {
		r := &tb.Runs[i]
		name := r.Name
		if name == "." {
			name = filepath.Base(filepath.Clean(logdir))
		}
		run := TensorBoardRun{Name: name, Snapshots: capture.TensorBoardSnapshots(r, opts.Bins)}
		for _, c := range curves {
			if c.Run == name {
				run.Curves = append(run.Curves, c)
			}
		}
		for _, t := range r.Texts {
			for _, p := range t.Points {
				run.Texts = append(run.Texts, fmt.Sprintf("%s (step %d): %s", t.Tag, p.Step, p.Text))
			}
		}
		log.Runs = append(log.Runs, run)
	}
	return log, nil
}
