// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gonbviz/gonbviz/internal/atomicfile"
)

// Format is the value of the "format" field of meta.json written by this
// package. A reader accepts any "gonbviz-run/1" file (fields it does not know
// are ignored) and refuses a later major version.
const Format = "gonbviz-run/1"

const formatPrefix = "gonbviz-run/"

// File names inside a run directory.
const (
	MetaFile    = "meta.json"
	ScalarsFile = "scalars.jsonl"
	// StreamExt is the extension of every record stream: stream "histograms"
	// is the file "histograms.jsonl".
	StreamExt = ".jsonl"
)

// ScalarsStream is the stream name of the scalar measurements (written by
// [Run.Add]); it is reserved: [Run.AppendRecord] refuses it.
const ScalarsStream = "scalars"

// Status is the state of a run as recorded in meta.json.
type Status string

// Statuses. A run whose meta.json still says StatusRunning after its process
// is gone was killed (or is being written by another process): its end time
// is unknown; the wall time of its last record tells when it stopped.
const (
	StatusRunning  Status = "running"
	StatusFinished Status = "finished"
	StatusFailed   Status = "failed"
	// StatusStopped is for a run interrupted on purpose (by the user).
	StatusStopped Status = "stopped"
)

// Kind says what a series measures; charts put series of one kind together.
// Other values than the constants are allowed (lower case, e.g. "lr").
type Kind string

// Kinds known to the dashboard.
const (
	KindLoss     Kind = "loss"
	KindAccuracy Kind = "accuracy"
	KindOther    Kind = "other"
)

// SeriesInfo describes one scalar series.
type SeriesInfo struct {
	// Name is the series name, a path such as "train/loss",
	// "train/loss_ma" or "eval/validation/accuracy".
	Name string `json:"name"`
	// Kind is "loss", "accuracy", "other", ...; empty means guess it from the
	// name (see [GuessSeriesInfo]).
	Kind Kind `json:"kind"`
	// Split is "train", "eval:<dataset>", or "" when unknown; see
	// [GuessSeriesInfo].
	Split string `json:"split"`
}

// GuessSeriesInfo guesses the kind and split of a series from its name:
//
//   - Kind: KindLoss if the last path element contains "loss"; KindAccuracy if
//     it contains "accuracy" or has a word "acc" (words are separated by _ - .
//     or space); otherwise KindOther.
//   - Split: "train" for "train/..."; "eval:<d>" for "eval/<d>/<metric>";
//     "eval" for "eval/<metric>"; "eval:<first>" when the first element is
//     "valid", "validation", "val" or "test"; otherwise "".
func GuessSeriesInfo(name string) SeriesInfo {
	parts := strings.Split(name, "/")
	last := strings.ToLower(parts[len(parts)-1])
	kind := KindOther
	switch {
	case strings.Contains(last, "loss"):
		kind = KindLoss
	case strings.Contains(last, "accuracy"):
		kind = KindAccuracy
	default:
		for _, w := range strings.FieldsFunc(last, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' }) {
			if w == "acc" {
				kind = KindAccuracy
			}
		}
	}
	split := ""
	first := strings.ToLower(parts[0])
	switch {
	case len(parts) > 1 && first == "train":
		split = "train"
	case len(parts) > 2 && first == "eval":
		split = "eval:" + parts[1]
	case len(parts) == 2 && first == "eval":
		split = "eval"
	case len(parts) > 1 && (first == "valid" || first == "validation" || first == "val" || first == "test"):
		split = "eval:" + parts[0]
	}
	return SeriesInfo{Name: name, Kind: kind, Split: split}
}

// completeInfo fills an empty Kind or Split from the name.
func completeInfo(info SeriesInfo) SeriesInfo {
	g := GuessSeriesInfo(info.Name)
	if info.Kind == "" {
		info.Kind = g.Kind
	}
	if info.Split == "" {
		info.Split = g.Split
	}
	return info
}

// maxNameLen bounds series names (bytes).
const maxNameLen = 1024

// checkSeriesName returns an error naming the problem with a series name.
func checkSeriesName(name string) error {
	switch {
	case name == "":
		return errors.New(`runs: series name is empty; use a path such as "train/loss"`)
	case len(name) > maxNameLen:
		return fmt.Errorf("runs: series name %.40q... is %d bytes long; use at most %d", name, len(name), maxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("runs: series name %q is not valid UTF-8; use a UTF-8 path such as \"train/loss\"", name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("runs: series name %q contains a control character; use a path such as \"train/loss\"", name)
		}
	}
	return nil
}

// Meta is the metadata of a run, stored in meta.json.
type Meta struct {
	// Format is [Format]; set by [Create].
	Format string `json:"format"`
	// ID identifies the run; Create makes one up (start time and random
	// suffix, e.g. "20260504-153012-9f2c1a") when empty.
	ID string `json:"id"`
	// Name is a human name, e.g. "lr=0.01".
	Name string `json:"name,omitempty"`
	// Model describes the model, free text (e.g. "MLP 784-512-512-10").
	Model string `json:"model,omitempty"`
	// Hyperparameters must be JSON-encodable (no NaN or ±Inf numbers).
	Hyperparameters map[string]any `json:"hyperparameters,omitempty"`
	// Backend names the compute backend, e.g. "go" or "xla:cuda".
	Backend string `json:"backend,omitempty"`
	// StartTime is when the run started; Create sets time.Now() when zero.
	// Wall times of records are seconds since StartTime.
	StartTime time.Time `json:"start_time"`
	// EndTime is set by Close; zero while running.
	EndTime time.Time `json:"end_time,omitzero"`
	// Status is set by Create (running) and Close (finished, or what
	// CloseWithStatus says).
	Status Status `json:"status"`
	// StatusMessage says why a run failed or stopped; see CloseWithStatus.
	StatusMessage string `json:"status_message,omitempty"`
	// Version is the gonbviz version that wrote the run; Create fills it
	// from the build information when empty.
	Version string `json:"gonbviz_version,omitempty"`
	// Tags are free-form labels, e.g. "sweep-3", "baseline".
	Tags []string `json:"tags,omitempty"`
	// Series lists the scalar series (a copy of the declarations in
	// scalars.jsonl, which win where they differ); kept up to date by the
	// writer at each flush that saw a new series, and at Close.
	Series []SeriesInfo `json:"series,omitempty"`

	// Dir is the run directory; set by Open, Create and List, not stored.
	Dir string `json:"-"`
}

func (m Meta) clone() Meta {
	c := m
	if m.Hyperparameters != nil {
		c.Hyperparameters = make(map[string]any, len(m.Hyperparameters))
		for k, v := range m.Hyperparameters {
			c.Hyperparameters[k] = v
		}
	}
	c.Tags = append([]string(nil), m.Tags...)
	c.Series = append([]SeriesInfo(nil), m.Series...)
	return c
}

// checkHyperparameters names the first hyperparameter json cannot encode.
func checkHyperparameters(h map[string]any) error {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := h[k]
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return fmt.Errorf("runs: meta.Hyperparameters[%q] is %v, which JSON cannot hold; store it as a string (e.g. \"%v\") or leave it out", k, f, f)
		}
		if f, ok := v.(float32); ok && (math.IsNaN(float64(f)) || math.IsInf(float64(f), 0)) {
			return fmt.Errorf("runs: meta.Hyperparameters[%q] is %v, which JSON cannot hold; store it as a string (e.g. \"%v\") or leave it out", k, f, f)
		}
		if _, err := json.Marshal(v); err != nil {
			return fmt.Errorf("runs: meta.Hyperparameters[%q] (%T) cannot be written as JSON: %v; use numbers, strings, bools, slices or maps of them", k, v, err)
		}
	}
	return nil
}

// newRunID makes an ID from the start time and 6 random hex digits.
func newRunID(start time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return start.Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// moduleVersion is the gonbviz version from the build information.
func moduleVersion() string {
	const mod = "github.com/gonbviz/gonbviz"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if bi.Main.Path == mod {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == mod {
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "unknown"
}

// readMeta reads and checks dir/meta.json.
func readMeta(dir string) (Meta, error) {
	p := filepath.Join(dir, MetaFile)
	data, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Meta{}, fmt.Errorf("runs: %s has no %s, so it is not a run directory; pass the directory Create wrote (List(root) finds them): %w", dir, MetaFile, err)
		}
		return Meta{}, fmt.Errorf("runs: reading %s: %w", p, err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return Meta{}, fmt.Errorf("runs: %s is not valid run metadata (%v); it was damaged or not written by gonbviz: restore it, or move the directory out of the way", p, err)
	}
	if !strings.HasPrefix(m.Format, formatPrefix) {
		return Meta{}, fmt.Errorf("runs: %s has format %q, want %q; it was not written by gonbviz's run store", p, m.Format, Format)
	}
	if m.Format != Format && !strings.HasPrefix(m.Format, Format+".") {
		return Meta{}, fmt.Errorf("runs: %s has format %q, newer than this reader's %q; upgrade gonbviz to read it", p, m.Format, Format)
	}
	m.Dir = dir
	return m, nil
}

// writeMeta writes dir/meta.json atomically (temporary file, fsync, rename).
func writeMeta(dir string, m Meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("runs: encoding %s: %v", MetaFile, err)
	}
	data = append(data, '\n')
	return writeFileAtomic(filepath.Join(dir, MetaFile), data)
}

// writeFileAtomic replaces path with data atomically and durably (fsynced).
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data, true); err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	return nil
}

// jsonString returns s as a JSON string literal.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimRight(b.Bytes(), "\n")
}
