// SPDX-License-Identifier: Apache-2.0

// Package tbcheck is a test helper: it asks the real TensorBoard (pip tensorboard, pinned in
// scripts/requirements-jupyter.txt and installed into .venv by scripts/setup-jupyter.sh)
// what it reads in a log directory, and writes fixture logs with independent writers
// (TensorBoard's own writer and summary ops, and tensorboardX, the format PyTorch's
// SummaryWriter writes). No TensorFlow is needed.
//
// Python skips a test when the venv or the packages are missing, or fails it when
// GONBVIZ_REQUIRE_JUPYTER=1 (as scripts/test.sh and CI set it), as notebooktest does.
package tbcheck

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

//go:embed tbcheck.py
var script []byte

const setupHint = "run bash scripts/setup-jupyter.sh"

// Python returns the venv's python, with tensorboard and tensorboardX importable. If it is
// not installed, the test is skipped with the reason, or, if GONBVIZ_REQUIRE_JUPYTER=1, it
// fails.
func Python(t testing.TB) string {
	t.Helper()
	python, err := lookup()
	if err != nil {
		msg := fmt.Sprintf("tbcheck: TensorBoard in the test venv is not available (%v): %s", err, setupHint)
		if os.Getenv(notebooktest.EnvRequire) == "1" {
			t.Fatal(msg + " (" + notebooktest.EnvRequire + "=1)")
		}
		t.Skip(msg)
	}
	return python
}

func lookup() (string, error) {
	venv := os.Getenv(notebooktest.EnvVenv)
	if venv == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		venv = filepath.Join(root, ".venv")
	}
	python := filepath.Join(venv, "bin", "python")
	if runtime.GOOS == "windows" {
		python = filepath.Join(venv, "Scripts", "python.exe")
	}
	if _, err := os.Stat(python); err != nil {
		return "", fmt.Errorf("no virtual environment at %s", venv)
	}
	out, err := exec.Command(python, "-c", "import tensorboard, tensorboardX, numpy").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s cannot import tensorboard, tensorboardX and numpy: %s", python, strings.TrimSpace(string(out)))
	}
	return python, nil
}

func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/gonbviz/gonbviz\n")) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no gonbviz go.mod above %s", wd)
		}
	}
}

// run runs the script with args and returns its stdout.
func run(t testing.TB, args ...string) []byte {
	t.Helper()
	python := Python(t)
	path := filepath.Join(t.TempDir(), "tbcheck.py")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, append([]string{path}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tbcheck %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// WriteTensorBoard writes a fixture log under dir with TensorBoard's own writer and summary
// ops: run "v2" (tensor summaries; "train/loss" with NaN at step 50 and +Inf at 60,
// "train/accuracy" with metadata on its first value only, histograms "weights/dense/kernel",
// "weights/constant" and "weights/empty", text "notes", an image and a PR curve that a
// reader of scalars, histograms and text skips, and a graph of three nodes: "x"
// (Placeholder, float32 [-1, 4]), "dense/kernel" (VariableV2, float32 [4, 2]) and
// "dense/MatMul" (MatMul of both on /device:CPU:0, [-1, 2], the string attribute "note"
// "a note")), and run "v1" (simple_value
// "loss" and HistogramProto "layer/activations" on TensorFlow's default buckets, in two
// files).
func WriteTensorBoard(t testing.TB, dir string) {
	t.Helper()
	run(t, "write-tensorboard", dir)
}

// WriteTensorBoardX writes a fixture log under dir with tensorboardX: run "tbx" (scalars
// "train/loss" and "eval/accuracy" at steps 0-199, histograms "fc1.weight" and "fc1.bias"
// at steps 0, 50, 100, 150, text "notes" (stored as "notes/text_summary") and an image),
// and runs "tbx/compare/a" and "tbx/compare/b" (add_scalars).
func WriteTensorBoardX(t testing.TB, dir string) {
	t.Helper()
	run(t, "write-tensorboardx", dir)
}

// Float is a number of the dump: JSON numbers, and "nan", "inf", "-inf".
type Float float64

// UnmarshalJSON reads a number or one of the non-finite strings.
func (f *Float) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"nan"`:
		*f = Float(math.NaN())
	case `"inf"`:
		*f = Float(math.Inf(1))
	case `"-inf"`:
		*f = Float(math.Inf(-1))
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = Float(v)
	}
	return nil
}

// Dump is what TensorBoard read in a log directory, by run name.
type Dump struct {
	Runs map[string]*RunDump `json:"runs"`
}

// RunDump is what TensorBoard read of one run.
type RunDump struct {
	// Files: each event file's framing, checked with TensorBoard's masked CRC-32C.
	Files []struct {
		Name    string `json:"name"`
		Records int    `json:"records"`
		CRCOK   bool   `json:"crc_ok"`
		Error   string `json:"error"`
	} `json:"files"`
	// Events: every event, raw, as its LegacyEventFileLoader reads them, file by file.
	Events []struct {
		Wall        Float  `json:"wall"`
		Step        int64  `json:"step"`
		What        string `json:"what"` // file_version, summary, graph_def, ...
		FileVersion string `json:"file_version"`
		Values      []struct {
			Tag    string `json:"tag"`
			Kind   string `json:"kind"` // simple_value, histo, tensor, image, ...
			Plugin string `json:"plugin"`
		} `json:"values"`
	} `json:"events"`
	// Scalars: the legacy EventAccumulator's simple_value scalars: [step, wall, value].
	Scalars map[string][][3]Float `json:"scalars"`
	// Histo: the legacy EventAccumulator's HistogramProto histograms.
	Histo map[string][]HistoDump `json:"histo"`
	// Tensors: what the plugin multiplexer (TensorBoard's server) holds, by plugin
	// ("scalars", "histograms", "text") and tag, v1 summaries migrated to tensors.
	Tensors map[string]map[string][]TensorDump `json:"tensors"`
	// Graph: the run's last GraphDef, as the legacy EventAccumulator parses it (nil when
	// the run has none).
	Graph *GraphDump `json:"graph"`
}

// GraphDump is a GraphDef as TensorBoard read it.
type GraphDump struct {
	Producer int             `json:"producer"`
	Nodes    []GraphNodeDump `json:"nodes"`
}

// GraphNodeDump is one NodeDef. Attr values hold one of: S (a string), Type (a DataType)
// or Shapes (a list of shapes); Other names any other kind.
type GraphNodeDump struct {
	Name   string   `json:"name"`
	Op     string   `json:"op"`
	Input  []string `json:"input"`
	Device string   `json:"device"`
	Attr   map[string]struct {
		S      *string   `json:"s"`
		Type   *int      `json:"type"`
		Shapes [][]int64 `json:"shapes"`
		Other  string    `json:"other"`
	} `json:"attr"`
}

// HistoDump is a HistogramProto as TensorBoard read it.
type HistoDump struct {
	Step        int64   `json:"step"`
	Wall        Float   `json:"wall"`
	Min         Float   `json:"min"`
	Max         Float   `json:"max"`
	Num         Float   `json:"num"`
	Sum         Float   `json:"sum"`
	SumSquares  Float   `json:"sum_squares"`
	BucketLimit []Float `json:"bucket_limit"`
	Bucket      []Float `json:"bucket"`
}

// TensorDump is one point of a plugin's series.
type TensorDump struct {
	Step  int64  `json:"step"`
	Wall  Float  `json:"wall"`
	DType string `json:"dtype"` // numpy's: float32, float64, object
	Value Float  `json:"value"` // scalars
	// Buckets (histograms): [left, right, count] per bucket, as TensorBoard draws them;
	// Compressed: its distribution chart's [basis point, value] pairs.
	Buckets    [][3]Float `json:"buckets"`
	Compressed [][2]Float `json:"compressed"`
	Text       []string   `json:"text"` // text
}

// Read returns what TensorBoard reads in logdir.
func Read(t testing.TB, logdir string) *Dump {
	t.Helper()
	out := run(t, "read", logdir)
	var d Dump
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("tbcheck read %s: %v", logdir, err)
	}
	return &d
}

// Serve starts TensorBoard's server (the venv's tensorboard command) on logdir, on a free
// loopback port, and returns its address ("http://127.0.0.1:PORT"); it is stopped when the
// test ends. The server is the one users start: its data API (/data/...) and its pages
// read the log as `tensorboard --logdir` does.
func Serve(t testing.TB, logdir string) string {
	t.Helper()
	python := Python(t)
	tb := filepath.Join(filepath.Dir(python), "tensorboard")
	if runtime.GOOS == "windows" {
		tb += ".exe"
	}
	if _, err := os.Stat(tb); err != nil {
		t.Fatalf("tbcheck: no tensorboard command beside %s: %v (%s)", python, err, setupHint)
	}
	cmd := exec.Command(tb, "--logdir", logdir, "--host", "127.0.0.1", "--port", "0", "--reload_interval", "1")
	cmd.Env = append(os.Environ(), "TF_CPP_MIN_LOG_LEVEL=2")
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("tbcheck: starting %s: %v", tb, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// It prints "TensorBoard 2.20.0 at http://127.0.0.1:PORT/ (Press CTRL+C to quit)".
	found := make(chan string, 1)
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			log.WriteString(line + "\n")
			if i := strings.Index(line, " at http://"); i >= 0 {
				addr := strings.TrimSuffix(strings.Fields(line[i+4:])[0], "/")
				select {
				case found <- addr:
				default:
				}
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("tbcheck: tensorboard exited without serving:\n%s", log.String())
		}
		return addr
	case <-time.After(60 * time.Second):
		t.Fatalf("tbcheck: tensorboard did not start serving within 60 s")
	}
	return ""
}
