// SPDX-License-Identifier: Apache-2.0

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The layout benchmark runs layoutBench: it must name a command of this module.
func TestLayoutBenchIsACommand(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command("go", "list", "-f", "{{.Name}}", layoutBench).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "main" {
		t.Errorf("go list %s: %q, %v; want package main", layoutBench, out, err)
	}
}
