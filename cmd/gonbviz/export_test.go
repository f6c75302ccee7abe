// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gonbviz export writes an executed notebook as one page with one library copy and every
// chart (the page itself is checked in Chromium by internal/export's tests); bad usage
// gets one line naming what to do.
func TestExportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "charts.html")
	code, stdout, stderr := runCmd(t, "", "export", "../../docs/notebooks/00-charts.ipynb", "-o", out)
	if code != 0 || !strings.Contains(stdout, "3 charts") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if n := strings.Count(s, `class="gonbviz-lib"`); n != 1 {
		t.Errorf("%d library copies, want 1", n)
	}
	if n := strings.Count(s, `class="gonbviz-chart"`); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	if !strings.Contains(s, "<title>Charts that render everywhere</title>") {
		t.Error("the page is not titled by the notebook's heading")
	}

	bad := filepath.Join(t.TempDir(), "bad.ipynb")
	os.WriteFile(bad, []byte(`{"cells": []}`), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "../../docs/notebooks/00-charts.ipynb"}, 2, "usage: gonbviz export NOTEBOOK.ipynb -o OUT.html"},
		{[]string{"export", "../../docs/notebooks/00-charts.ipynb", "-o", "x.svg"}, 2, "name it OUT.html"},
		{[]string{"export", "missing.ipynb", "-o", filepath.Join(t.TempDir(), "x.html")}, 1, "missing.ipynb"},
		{[]string{"export", bad, "-o", filepath.Join(t.TempDir(), "x.html")}, 1, "no nbformat field"},
	} {
		code, _, stderr := runCmd(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want %d and %q on one line", c.args, code, stderr, c.code, c.want)
		}
	}
}
