// SPDX-License-Identifier: Apache-2.0

// Package notebooktest is a test helper: it executes .ipynb notebooks headless with the real
// GoNB kernel, in the JupyterLab virtual environment that scripts/setup-jupyter.sh installs,
// and hands back the executed notebook so tests can assert on the saved outputs (what
// JupyterLab, nbconvert and GitHub will show).
//
// Require skips a test when that environment is missing (run `bash scripts/setup-jupyter.sh`),
// or fails it when GONBVIZ_REQUIRE_JUPYTER=1 (CI). Execute runs scripts/execute_notebook.py
// (nbclient, kernel "gonb") on one notebook. Parse reads an executed notebook's outputs.
//
// GoNB compiles every cell (tens of seconds for a cold cell on 2 cores, a few for a warm
// one), and the first cell of a run may `go get` modules. Give Execute a per-cell timeout of a minute or
// two and the test binary a -timeout to match.
//
// Notebooks for GoNB v0.11.4: pin `!*go get github.com/janpfeifer/gonb@v0.11.4` in an early
// cell, and have every cell that displays something end with gonbui.Sync() (`defer
// gonbui.Sync()` at the top of a %% cell): GoNB closes its end of the display pipe as soon
// as the cell program exits, so a display sent just before the exit is now and then lost
// (3 in 105 cells under load here; none in 180 with Sync).
package notebooktest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvRequire names the environment variable that, set to 1, turns Require's skip into a
// failure: CI sets it so that a broken Jupyter set-up cannot pass as skipped tests.
const EnvRequire = "GONBVIZ_REQUIRE_JUPYTER"

// EnvVenv names the environment variable that moves the virtual environment away from
// <repo>/.venv, as it does for scripts/setup-jupyter.sh.
const EnvVenv = "GONBVIZ_VENV"

// KernelName is the Jupyter kernel spec the notebooks are executed with.
const KernelName = "gonb"

const setupHint = "run bash scripts/setup-jupyter.sh"

// Require returns the path of the Jupyter virtual environment with the GoNB kernel registered
// in it. If it is not installed, the test is skipped with the reason, or, if
// GONBVIZ_REQUIRE_JUPYTER=1, it fails.
func Require(t testing.TB) (venv string) {
	t.Helper()
	env, err := lookup()
	if err != nil {
		msg := fmt.Sprintf("notebooktest: Jupyter with the GoNB kernel is not available (%v): %s", err, setupHint)
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg + " (" + EnvRequire + "=1)")
		}
		t.Skip(msg)
	}
	return env.venv
}

// Execute runs every cell of the notebook at notebookPath with the GoNB kernel (each cell at
// most timeout) and returns the executed .ipynb. The kernel runs in the notebook's directory.
// It calls Require first, so it skips (or fails) the test the same way.
//
// If a cell fails, err says which one and why (GoNB's compile errors included) and executed
// holds the notebook as far as it got, when there is one; Execute itself does not fail the
// test. The kernel's own log is left out of err unless the kernel died or never started.
func Execute(t testing.TB, notebookPath string, timeout time.Duration) (executed []byte, err error) {
	t.Helper()
	Require(t)
	env, _ := lookup()

	nbPath, err := filepath.Abs(notebookPath)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(nbPath); err != nil {
		return nil, fmt.Errorf("notebooktest: %w", err)
	}
	dir := t.TempDir()
	name := strings.TrimSuffix(filepath.Base(nbPath), ".ipynb")
	outPath := filepath.Join(dir, name+".executed.ipynb")
	kernelLog := filepath.Join(dir, name+".kernel.log")

	// The run as a whole stops a little before the test binary's own deadline (go test
	// -timeout), so that the failure reads as this notebook's, not as a panic dump.
	ctx := context.Background()
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline.Add(-15*time.Second))
			defer cancel()
		}
	}

	secs := fmt.Sprintf("%.0f", max(timeout.Seconds(), 1))
	cmd := exec.CommandContext(ctx, env.python, env.script, nbPath, outPath,
		"--timeout", secs, "--kernel", KernelName, "--kernel-log", kernelLog)
	cmd.Dir = filepath.Dir(nbPath)
	cmd.Env = env.environ()
	// On the deadline: an interrupt first, so nbclient shuts the kernel down and saves what it
	// has; a kill 20 s later.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	start := time.Now()
	runErr := cmd.Run()
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	executed, readErr := os.ReadFile(outPath)
	if runErr == nil && readErr == nil {
		t.Logf("notebooktest: executed %s with the %s kernel in %s", notebookPath, KernelName, elapsed)
		return executed, nil
	}
	if readErr != nil {
		executed = nil
	}

	var msg strings.Builder
	fmt.Fprintf(&msg, "notebooktest: executing %s failed after %s: %v", notebookPath, elapsed, runErr)
	if ctx.Err() != nil {
		msg.WriteString(" (stopped before the test binary's deadline; raise go test -timeout)")
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		msg.WriteString("\n" + s)
	}
	if s := strings.TrimSpace(stdout.String()); s != "" {
		msg.WriteString("\n" + s)
	}
	if runErr != nil && !strings.Contains(stderr.String(), "CellExecutionError") {
		// The kernel died, timed out, or never started: its log says why.
		if log, err := os.ReadFile(kernelLog); err == nil && len(log) > 0 {
			fmt.Fprintf(&msg, "\n--- kernel log (tail):\n%s", tail(string(log), 40))
		}
	}
	if runErr == nil {
		fmt.Fprintf(&msg, "\nreading the executed notebook: %v", readErr)
	}
	return executed, fmt.Errorf("%s", msg.String())
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Output is one output of a code cell of an executed notebook.
type Output struct {
	Cell int    // index of the cell in the notebook (markdown cells counted)
	Type string // "stream", "display_data", "execute_result" or "error"
	Name string // for streams: "stdout" or "stderr"
	Text string // for streams: the text
	// Data maps MIME type to content, for display_data and execute_result: JSON mime types
	// (e.g. application/vnd.vegalite.v5+json) hold the JSON value itself, text ones a JSON
	// string or list of strings (use DataText).
	Data map[string]json.RawMessage
	// EName, EValue and Traceback describe an error output.
	EName, EValue string
	Traceback     []string
}

// DataText returns the text of the given MIME type of o (joined, if it was stored as a list
// of lines), and whether o has it as text.
func (o Output) DataText(mime string) (string, bool) {
	raw, ok := o.Data[mime]
	if !ok {
		return "", false
	}
	return multiline(raw)
}

// Parse returns the outputs of all code cells of an executed notebook, in order.
func Parse(executed []byte) ([]Output, error) {
	_, outs, err := ParseCells(executed)
	return outs, err
}

// ParseCells is Parse, with the number of cells of the notebook (markdown cells counted).
func ParseCells(executed []byte) (cells int, outs []Output, err error) {
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Outputs  []struct {
				OutputType string                     `json:"output_type"`
				Name       string                     `json:"name"`
				Text       json.RawMessage            `json:"text"`
				Data       map[string]json.RawMessage `json:"data"`
				EName      string                     `json:"ename"`
				EValue     string                     `json:"evalue"`
				Traceback  []string                   `json:"traceback"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(executed, &nb); err != nil {
		return 0, nil, fmt.Errorf("notebooktest: parsing notebook: %w", err)
	}
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		for _, o := range c.Outputs {
			out := Output{Cell: i, Type: o.OutputType, Name: o.Name, Data: o.Data, EName: o.EName, EValue: o.EValue, Traceback: o.Traceback}
			if len(o.Text) > 0 {
				out.Text, _ = multiline(o.Text)
			}
			outs = append(outs, out)
		}
	}
	return len(nb.Cells), outs, nil
}

// multiline decodes nbformat's "multiline string": a string or a list of strings.
func multiline(raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, true
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err == nil {
		return strings.Join(lines, ""), true
	}
	return "", false
}

// jupyterEnv is a checked installation.
type jupyterEnv struct {
	root   string // the repository
	venv   string
	python string
	script string // scripts/execute_notebook.py
}

// environ is the environment for execute_notebook.py: the caller's, with the venv's Jupyter
// data dir first on the kernel search path (as scripts/jupyter-env.sh sets it) and no -mod
// flag in GOFLAGS (the kernel runs `go get` in its own module; scripts/test.sh sets
// -mod=readonly).
func (e *jupyterEnv) environ() []string {
	data := filepath.Join(e.venv, "share", "jupyter")
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "JUPYTER_DATA_DIR", "JUPYTER_PATH", "PATH", "GOFLAGS", "VIRTUAL_ENV":
			continue
		}
		env = append(env, kv)
	}
	path := filepath.Join(e.venv, "bin")
	if p := os.Getenv("PATH"); p != "" {
		path += string(os.PathListSeparator) + p
	}
	jpath := data
	if p := os.Getenv("JUPYTER_PATH"); p != "" {
		jpath += string(os.PathListSeparator) + p
	}
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if !strings.HasPrefix(f, "-mod=") {
			flags = append(flags, f)
		}
	}
	env = append(env, "JUPYTER_DATA_DIR="+data, "JUPYTER_PATH="+jpath, "PATH="+path, "VIRTUAL_ENV="+e.venv)
	if len(flags) > 0 {
		env = append(env, "GOFLAGS="+strings.Join(flags, " "))
	}
	return env
}

var (
	lookupOnce sync.Once
	lookupEnv  *jupyterEnv
	lookupErr  error
)

// lookup finds and checks the installation once per test binary.
func lookup() (*jupyterEnv, error) {
	lookupOnce.Do(func() { lookupEnv, lookupErr = check() })
	return lookupEnv, lookupErr
}

func check() (*jupyterEnv, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	e := &jupyterEnv{root: root, venv: os.Getenv(EnvVenv), script: filepath.Join(root, "scripts", "execute_notebook.py")}
	if e.venv == "" {
		e.venv = filepath.Join(root, ".venv")
	}
	e.python = filepath.Join(e.venv, "bin", "python")
	if runtime.GOOS == "windows" {
		e.python = filepath.Join(e.venv, "Scripts", "python.exe")
	}
	if _, err := os.Stat(e.python); err != nil {
		return nil, fmt.Errorf("no virtual environment at %s", e.venv)
	}
	if _, err := os.Stat(e.script); err != nil {
		return nil, fmt.Errorf("missing %s", e.script)
	}

	// The kernel spec: our gonb, with the env that setup-jupyter.sh writes.
	specPath := filepath.Join(e.venv, "share", "jupyter", "kernels", KernelName, "kernel.json")
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return nil, fmt.Errorf("no %s kernel registered in the venv (%s)", KernelName, specPath)
	}
	var spec struct {
		Argv []string          `json:"argv"`
		Env  map[string]string `json:"env"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil || len(spec.Argv) == 0 {
		return nil, fmt.Errorf("unreadable kernel spec %s", specPath)
	}
	if fi, err := os.Stat(spec.Argv[0]); err != nil || fi.IsDir() {
		return nil, fmt.Errorf("kernel spec %s runs %s, which is missing", specPath, spec.Argv[0])
	}
	if spec.Env["GOEXPERIMENT"] == "" || spec.Env["PATH"] == "" {
		return nil, fmt.Errorf("kernel spec %s lacks the GOEXPERIMENT/PATH env that setup-jupyter.sh writes", specPath)
	}
	if _, err := exec.LookPath("go"); err != nil && !pathHas(spec.Env["PATH"], "go") {
		return nil, fmt.Errorf("go is neither on PATH nor on the kernel's PATH")
	}

	// The Python packages.
	out, err := exec.Command(e.python, "-c", "import nbclient, nbformat").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("nbclient/nbformat not importable in %s: %v: %s", e.venv, err, bytes.TrimSpace(out))
	}
	return e, nil
}

// pathHas reports whether program is in one of the directories of a PATH-like list.
func pathHas(list, program string) bool {
	for _, dir := range filepath.SplitList(list) {
		if fi, err := os.Stat(filepath.Join(dir, program)); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}

// repoRoot finds the gonbviz repository: upwards from the working directory (go test runs in
// the package directory), else from this source file.
func repoRoot() (string, error) {
	isRoot := func(dir string) bool {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		return err == nil && bytes.Contains(b, []byte("module github.com/gonbviz/gonbviz\n"))
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if isRoot(dir) {
				return dir, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		dir := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file)))) // internal/testing/notebooktest/
		if isRoot(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("cannot find the gonbviz repository root (go.mod of github.com/gonbviz/gonbviz)")
}

// Environ returns the environment for running the venv's jupyter commands (jupyter lab,
// nbconvert, trust) against the gonb kernel, or skips/fails the test like Require.
func Environ(t testing.TB) []string {
	t.Helper()
	Require(t)
	e, err := lookup()
	if err != nil {
		t.Fatal(err)
	}
	return e.environ()
}

// Command returns an *exec.Cmd running the venv's jupyter with args, in dir.
func Command(t testing.TB, dir string, args ...string) *exec.Cmd {
	t.Helper()
	env := Environ(t)
	e, _ := lookup()
	cmd := exec.Command(filepath.Join(e.venv, "bin", "jupyter"), args...)
	cmd.Dir = dir
	cmd.Env = env
	return cmd
}
