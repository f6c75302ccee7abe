// Package nodecheck cross-checks Vega-Lite specs against the real JavaScript
// implementations: it compiles them with vega-lite and renders them headlessly
// with vega (the versions pinned in scripts/node/package.json), by running
// scripts/node/vlcheck.mjs under Node.js.
//
// It is a test helper used by gonbviz tests and benchmarks only; gonbviz never
// uses it (nor Node.js) at run time. The harness is offline: specs must inline
// their data, and any URL or file load is reported as an error; links render,
// and images at URLs other than inline data:image/ ones are drawn empty with a
// note, as the in-process renderer does (internal/svgrender).
//
// Set up once with:
//
//	npm ci --prefix scripts/node
//
// Tests call [Require], which skips when Node.js or the packages are missing,
// unless GONBVIZ_REQUIRE_NODE=1 (as in CI), in which case it fails.
package nodecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Script is the harness file name inside [Dir].
const Script = "vlcheck.mjs"

// RequireEnv is the environment variable that turns [Require]'s skip into a failure.
const RequireEnv = "GONBVIZ_REQUIRE_NODE"

// Result is the outcome of compiling and rendering one spec.
type Result struct {
	// OK is true when no error was reported (warnings are allowed).
	OK bool
	// Errors holds exceptions thrown by any stage (prefixed with the stage:
	// "compile:", "parse:", "run:", "svg:") and messages vega/vega-lite logged
	// as errors, including refused data loads.
	Errors []string
	// Warnings holds the warnings logged by vega-lite's compiler and by the vega view.
	Warnings []string
	// Info holds vega-lite's informational messages (not warnings).
	Info []string
	// Notes holds what the chart does not draw that the spec asks for: the one
	// note of a chart whose image URLs were not fetched (the in-process
	// renderer's note, word for word).
	Notes []string
	// SVG is the rendered chart, when requested.
	SVG string
	// Items counts the scenegraph items drawn by data marks (axes, legends,
	// titles and group marks are not counted).
	Items int
	// CompileMS is the wall-clock time of vl.compile; RenderMS covers
	// vega.parse, the view's first run and, when requested, toSVG.
	CompileMS, RenderMS float64
}

// BenchResult holds per-chart averages from [Bench].
type BenchResult struct {
	N int `json:"n"`
	// CPUMS is the process CPU time (user+system, all node threads) per chart.
	CPUMS float64 `json:"cpuMs"`
	// WallMS is the wall-clock time per chart.
	WallMS float64 `json:"wallMs"`
	// CompileMS and RenderMS split WallMS as in [Result].
	CompileMS float64 `json:"compileMs"`
	RenderMS  float64 `json:"renderMs"`
	// Errors are those of the warm-up run; timings are meaningless if non-empty.
	Errors []string `json:"errors"`
}

// Dir returns the scripts/node directory (found by walking up from the
// working directory to go.mod) and an error if node or
// node_modules/vega-lite is missing.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", fmt.Errorf("nodecheck: no go.mod found above %s", wd)
		}
		root = parent
	}
	dir := filepath.Join(root, "scripts", "node")
	if _, err := exec.LookPath("node"); err != nil {
		return "", fmt.Errorf("nodecheck: node (Node.js) not found in PATH; install Node.js and run `npm ci --prefix scripts/node`")
	}
	for _, pkg := range []string{"vega-lite", "vega"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			return "", fmt.Errorf("nodecheck: %s is not installed in %s/node_modules; run `npm ci --prefix scripts/node`", pkg, dir)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, Script)); err != nil {
		return "", fmt.Errorf("nodecheck: harness %s missing: %w", Script, err)
	}
	return dir, nil
}

// Check runs vlcheck.mjs once for the whole batch (one node process) and
// returns results by name. A spec that is not valid JSON gets a failed Result
// without being sent to node; a failure of one spec never affects the others.
// The error is non-nil only when the harness itself cannot run.
func Check(specs map[string][]byte, withSVG bool) (map[string]Result, error) {
	return check(specs, withSVG, "", false)
}

// CheckVegaLoader is Check with vega's default loader in place of the
// harness's offline one: Node rendering a spec as a user's script does. Use
// it only for specs that load nothing (links and images inlined as data:
// URLs): a spec that names a URL would be fetched.
func CheckVegaLoader(specs map[string][]byte, withSVG bool) (map[string]Result, error) {
	return check(specs, withSVG, "", true)
}

// CheckJupyterLab is Check with the SVG, compiling with the vega-lite that JupyterLab's
// own renderer bundles (scripts/node/package.json pins it as vega-lite-jupyterlab): what
// JupyterLab draws of a notebook output's Vega-Lite spec, with the same vega.
func CheckJupyterLab(specs map[string][]byte) (map[string]Result, error) {
	return check(specs, true, "jupyterlab", false)
}

func check(specs map[string][]byte, withSVG bool, compiler string, vegaLoader bool) (map[string]Result, error) {
	results := make(map[string]Result, len(specs))
	valid := make(map[string]json.RawMessage, len(specs))
	for name, spec := range specs {
		if !json.Valid(spec) {
			results[name] = Result{Errors: []string{"spec is not valid JSON"}}
			continue
		}
		valid[name] = spec
	}
	if len(valid) == 0 {
		return results, nil
	}

	var out struct {
		Results map[string]struct {
			OK       bool     `json:"ok"`
			Errors   []string `json:"errors"`
			Warnings []string `json:"warnings"`
			Info     []string `json:"info"`
			Notes    []string `json:"notes"`
			SVG      string   `json:"svg"`
			Items    int      `json:"items"`
			MS       struct {
				Compile float64 `json:"compile"`
				Render  float64 `json:"render"`
			} `json:"ms"`
		} `json:"results"`
	}
	if err := run(valid, withSVG, compiler, vegaLoader, []string{Script}, &out); err != nil {
		return nil, err
	}
	for name := range valid {
		r, ok := out.Results[name]
		if !ok {
			return nil, fmt.Errorf("nodecheck: no result for spec %q", name)
		}
		results[name] = Result{
			OK: r.OK, Errors: r.Errors, Warnings: r.Warnings, Info: r.Info, Notes: r.Notes,
			SVG: r.SVG, Items: r.Items, CompileMS: r.MS.Compile, RenderMS: r.MS.Render,
		}
	}
	return results, nil
}

// Bench runs `vlcheck.mjs --bench n`: per spec, one warm-up compile+render
// then n timed ones, in one node process started with nodeFlags (e.g.
// "--jitless"). Specs that are not valid JSON are an error.
func Bench(specs map[string][]byte, withSVG bool, n int, nodeFlags ...string) (map[string]BenchResult, error) {
	if n <= 0 {
		return nil, errors.New("nodecheck: Bench needs n > 0")
	}
	raw := make(map[string]json.RawMessage, len(specs))
	for name, spec := range specs {
		if !json.Valid(spec) {
			return nil, fmt.Errorf("nodecheck: spec %q is not valid JSON", name)
		}
		raw[name] = spec
	}
	var out struct {
		Bench map[string]BenchResult `json:"bench"`
	}
	args := append(slices.Clone(nodeFlags), Script, "--bench", fmt.Sprint(n))
	if err := run(raw, withSVG, "", false, args, &out); err != nil {
		return nil, err
	}
	return out.Bench, nil
}

// run feeds the batch to one node process (node args...) and decodes its
// stdout into out; compiler picks the vega-lite ("" the pinned one), vegaLoader asks the
// harness for vega's default loader.
func run(specs map[string]json.RawMessage, withSVG bool, compiler string, vegaLoader bool, args []string, out any) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	in, err := json.Marshal(struct {
		Specs      map[string]json.RawMessage `json:"specs"`
		SVG        bool                       `json:"svg"`
		Compiler   string                     `json:"compiler,omitempty"`
		VegaLoader bool                       `json:"vegaLoader,omitempty"`
	}{specs, withSVG, compiler, vegaLoader})
	if err != nil {
		return fmt.Errorf("nodecheck: encoding input: %w", err)
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("nodecheck: node %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("nodecheck: decoding %s output: %w\nstderr: %s", Script, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Require is for tests: it returns [Dir], and if the harness is unavailable
// it calls t.Skip with the reason, unless the environment variable
// GONBVIZ_REQUIRE_NODE=1 is set (CI sets it), in which case t.Fatal.
func Require(t testing.TB) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%v (%s=1)", err, RequireEnv)
		}
		t.Skip(err)
	}
	return dir
}
