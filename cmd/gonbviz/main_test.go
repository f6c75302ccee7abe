// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.vl.json")
	bad := filepath.Join(dir, "bad.vl.json")
	broken := filepath.Join(dir, "broken.vl.json")
	os.WriteFile(good, []byte(`{"data":{"values":[{"a":1}]},"mark":"bar","encoding":{"x":{"field":"a","type":"quantitative"}}}`), 0o644)
	os.WriteFile(bad, []byte(`{"data":{"values":[{"a":1}]},"mark":"bar","titel":"x","encoding":{"x":{"field":"a","type":"quantitive"}}}`), 0o644)
	os.WriteFile(broken, []byte("{\n  \"mark\": \"bar\",\n  \"encoding\": {,}\n}"), 0o644)

	code, out, _ := runCmd(t, "", "validate", good)
	if code != 0 || out != good+": ok\n" {
		t.Errorf("good: code %d, out %q", code, out)
	}
	code, out, _ = runCmd(t, "", "validate", good, bad, broken, filepath.Join(dir, "missing.json"))
	if code != 1 {
		t.Errorf("bad files: exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		good + ": ok",
		bad + `: /: unknown property "titel" (did you mean "title"?)`,
		bad + `: /encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal (did you mean "quantitative"?)`,
	}
	for _, w := range want {
		if !contains(lines, w) {
			t.Errorf("output lacks line %q; got:\n%s", w, out)
		}
	}
	if !strings.Contains(out, broken+": /: invalid JSON at line 3, column 16") {
		t.Errorf("broken JSON line/column missing:\n%s", out)
	}
	if !strings.Contains(out, "missing.json: cannot read") {
		t.Errorf("unreadable file not reported:\n%s", out)
	}
	// Standard input.
	code, out, _ = runCmd(t, `{"mark":"point","data":{"values":[1]}}`, "validate", "-")
	if code != 0 || out != "-: ok\n" {
		t.Errorf("stdin: code %d out %q", code, out)
	}
	// Usage errors.
	if code, _, errOut := runCmd(t, "", "validate"); code != 2 || !strings.Contains(errOut, "name at least one spec file") {
		t.Errorf("no files: %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestExampleSpecsAreValid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "specs", "*.vl.json"))
	if len(files) == 0 {
		t.Fatal("no example specs found")
	}
	code, out, _ := runCmd(t, "", append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Errorf("example specs invalid:\n%s", out)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
