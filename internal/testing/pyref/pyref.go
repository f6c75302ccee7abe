// SPDX-License-Identifier: Apache-2.0

// Package pyref runs the tests' reference implementations: Python scripts that use
// NumPy, SciPy and scikit-learn (pinned in scripts/requirements-jupyter.txt) in the
// virtual environment that scripts/setup-jupyter.sh installs, <repo>/.venv or
// $GONBVIZ_VENV. A test hands Run its input as JSON and reads the script's JSON answer,
// so that what gonbviz computes in Go is checked against what Python users compute.
//
// Require skips a test when the venv or the packages are missing (run `bash
// scripts/setup-jupyter.sh`), or fails it when GONBVIZ_REQUIRE_JUPYTER=1 (which
// scripts/test.sh sets) or CI=true.
//
// It is a test helper: gonbviz never runs Python.
package pyref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// RequireEnv names the environment variable that, set to 1, turns Require's skip into a
// failure; it is the one of the Jupyter set-up, which installs the same venv.
const RequireEnv = "GONBVIZ_REQUIRE_JUPYTER"

// Modules are the Python modules Require checks for.
var Modules = []string{"numpy", "scipy", "sklearn"}

var (
	once      sync.Once
	python    string
	lookupErr error
)

// Require returns the venv's python with NumPy, SciPy and scikit-learn importable. When
// they are missing the test is skipped with the reason, or fails under
// GONBVIZ_REQUIRE_JUPYTER=1 or CI=true.
func Require(t testing.TB) string {
	t.Helper()
	once.Do(func() { python, lookupErr = find() })
	if lookupErr != nil {
		msg := fmt.Sprintf("pyref: the reference implementations are not available (%v): run bash scripts/setup-jupyter.sh", lookupErr)
		if os.Getenv(RequireEnv) == "1" || os.Getenv("CI") == "true" {
			t.Fatal(msg + " (" + RequireEnv + "=1 or CI=true)")
		}
		t.Skip(msg)
	}
	return python
}

// Run runs the Python script (its text) with input as JSON on its standard input, and
// decodes the JSON the script prints into output. It calls Require first.
func Run(t testing.TB, script string, input, output any) {
	t.Helper()
	py := Require(t)
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatalf("pyref: encoding the input: %v", err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pyref: the script failed: %v\n%s", err, stderr.Bytes())
	}
	if err := json.Unmarshal(stdout.Bytes(), output); err != nil {
		t.Fatalf("pyref: decoding the script's answer: %v\n%.500s", err, stdout.Bytes())
	}
}

func find() (string, error) {
	venv := os.Getenv("GONBVIZ_VENV")
	if venv == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		venv = filepath.Join(root, ".venv")
	}
	py := filepath.Join(venv, "bin", "python")
	if runtime.GOOS == "windows" {
		py = filepath.Join(venv, "Scripts", "python.exe")
	}
	if _, err := os.Stat(py); err != nil {
		return "", fmt.Errorf("no virtual environment at %s", venv)
	}
	code := "import " + join(Modules)
	if out, err := exec.Command(py, "-c", code).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s failed in %s: %v: %s", code, venv, err, bytes.TrimSpace(out))
	}
	return py, nil
}

func join(names []string) string {
	var b bytes.Buffer
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n)
	}
	return b.String()
}

// repoRoot finds the gonbviz repository upwards from the working directory (go test runs
// in the package directory).
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/gonbviz/gonbviz\n")) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("cannot find the gonbviz repository root above %s", wd)
		}
	}
}
