// SPDX-License-Identifier: Apache-2.0

// Package browsertest opens pages in headless Debian Chromium, driven by playwright-core
// (scripts/node/browsercheck.mjs), and reports what a reader sees of the gonbviz charts on
// them. It is a test helper: nothing in gonbviz uses it at run time.
package browsertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

// RequireEnv, when "1", turns a missing browser into a test failure instead of a skip.
const RequireEnv = "GONBVIZ_REQUIRE_BROWSER"

// Job says what page to open and how.
type Job struct {
	URL              string      `json:"url"`
	JavaScript       bool        `json:"javascript"`
	AllowHosts       []string    `json:"allowHosts,omitempty"`
	Screenshot       string      `json:"screenshot,omitempty"`
	SliderScreenshot string      `json:"sliderScreenshot,omitempty"`
	WaitFor          string      `json:"waitFor,omitempty"` // "interactive" (default with JS) or "static"
	TimeoutMS        int         `json:"timeoutMs,omitempty"`
	Slider           *SliderMove `json:"slider,omitempty"`
	Prepare          string      `json:"prepare,omitempty"` // "jupyterlab": wait for outputs to render
	Hover            *Hover      `json:"hover,omitempty"`
	Drag             *Drag       `json:"drag,omitempty"`
	// ChartInView scrolls JupyterLab to the first chart itself (centred) before the
	// screenshot, rather than to the top of its cell.
	ChartInView bool `json:"chartInView,omitempty"`
}

// Hover puts the mouse on the center of the Nth element that Selector matches in the
// interactive view (the SVG) of chart Chart (counted as Result.Charts counts), after the
// slider moved, and reports the tooltip shown (Result.Tooltip).
type Hover struct {
	Chart      int    `json:"chart"`
	Selector   string `json:"selector"` // e.g. ".mark-symbol path"
	Nth        int    `json:"nth"`
	Screenshot string `json:"screenshot,omitempty"`
}

// Drag presses the mouse at From and releases it at To, each given as fractions (x, y)
// of the box of the Nth element that Selector matches in chart Chart's interactive view
// (e.g. a panel's "path.background"), after the hover; Result.AfterDrag is what the
// charts show then.
type Drag struct {
	Chart      int        `json:"chart"`
	Selector   string     `json:"selector"`
	Nth        int        `json:"nth"`
	From       [2]float64 `json:"from"`
	To         [2]float64 `json:"to"`
	Screenshot string     `json:"screenshot,omitempty"`
}

// Tooltip is the vega-tooltip element after a hover.
type Tooltip struct {
	Found   bool   `json:"found"`   // the page has a tooltip element
	Visible bool   `json:"visible"` // it is shown
	Text    string `json:"text"`
	Images  []struct {
		Src     string `json:"src"`
		Width   int    `json:"width"` // the decoded size; 0 if it did not decode
		Height  int    `json:"height"`
		Decoded bool   `json:"decoded"`
	} `json:"images"`
}

// SliderMove sets the first range input on the page.
type SliderMove struct {
	Value string `json:"value"`
}

// Chart is what the page shows of one gonbviz chart: one of ours on an HTML page
// (.gonbviz-chart), or a notebook output drawn by JupyterLab's own vega renderer (ID
// "jupyterlab-vega-N"; State "interactive" once drawn, "error" with its message in Note).
type Chart struct {
	ID            string `json:"id"`
	State         string `json:"state"` // "interactive", "static" (fell back), "loading", "error", "" (no script ran)
	StaticVisible bool   `json:"staticVisible"`
	ViewMarks     int    `json:"viewMarks"`
	ViewSVG       string `json:"viewSVG"`
	Note          string `json:"note"`
}

// Result is what the browser reported.
type Result struct {
	Blocked       []string `json:"blocked"`
	ConsoleErrors []string `json:"consoleErrors"`
	PageErrors    []string `json:"pageErrors"`
	Charts        []Chart  `json:"charts"`
	AfterSlider   []Chart  `json:"afterSlider"`
	Tooltip       *Tooltip `json:"tooltip"`   // after Job.Hover
	AfterDrag     []Chart  `json:"afterDrag"` // after Job.Drag
	Sliders       int      `json:"sliders"`
	Outputs       []string `json:"outputs"`       // JupyterLab outputs: mime type, classes, start of the HTML
	VisibleCharts int      `json:"visibleCharts"` // visible SVG charts, whoever drew them
	Renderers     struct {
		GonbViz        int `json:"gonbviz"`        // our charts on HTML pages (.gonbviz-chart)
		JupyterLabVega int `json:"jupyterLabVega"` // outputs JupyterLab's own vega renderer drew
		OtherVegaEmbed int `json:"otherVegaEmbed"` // vega-embed views outside our HTML charts
		SVGOutputs     int `json:"svgOutputs"`     // image/svg+xml outputs
	} `json:"renderers"`
	Error string `json:"error"`
}

// Chromium is the browser used: $CHROMIUM or Debian's /usr/bin/chromium.
func Chromium() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	return "/usr/bin/chromium"
}

// Available reports whether Chromium and playwright-core are installed.
func Available() (string, error) {
	dir, err := nodecheck.Dir()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(Chromium()); err != nil {
		return "", fmt.Errorf("browsertest: no Chromium at %s; install Debian's chromium package (apt-get install chromium fonts-dejavu-core)", Chromium())
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		return "", fmt.Errorf("browsertest: playwright-core is not installed; run npm ci --prefix scripts/node")
	}
	return dir, nil
}

// Require skips the test when the browser is unavailable, or fails it when $GONBVIZ_REQUIRE_BROWSER=1.
func Require(t testing.TB) {
	t.Helper()
	if _, err := Available(); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%v (%s=1)", err, RequireEnv)
		}
		t.Skip(err)
	}
}

// Run opens the page as the job says.
func Run(job Job) (Result, error) {
	dir, err := Available()
	if err != nil {
		return Result{}, err
	}
	in, _ := json.Marshal(job)
	cmd := exec.Command("node", filepath.Join(dir, "browsercheck.mjs"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Result{}, fmt.Errorf("browsertest: %v: %s", err, stderr.String())
	}
	var r Result
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return Result{}, fmt.Errorf("browsertest: bad output: %v: %.500s", err, stdout.String())
	}
	if r.Error != "" {
		return r, fmt.Errorf("browsertest: %s", r.Error)
	}
	return r, nil
}

// RunScript runs a Node script that drives Chromium itself (for pages browsercheck.mjs does
// not know), and decodes the JSON it prints on stdout into out. The script finds
// playwright-core under $NODE_DIR/node_modules and the browser at $CHROMIUM; env adds
// variables ("PAGE=...").
func RunScript(script string, env []string, out any) error {
	dir, err := Available()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gonbviz-browser-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "check.cjs")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("node", path)
	cmd.Env = append(append(os.Environ(), "NODE_DIR="+dir, "CHROMIUM="+Chromium()), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("browsertest: node: %v: %s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("browsertest: bad output: %v: %.500s", err, stdout.String())
	}
	return nil
}

// Artifacts is where tests keep screenshots: $GONBVIZ_ARTIFACTS (created), else a
// temporary directory of the test.
func Artifacts(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("GONBVIZ_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}
