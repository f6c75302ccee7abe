// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// gen_props.go is what the generator writes from the embedded schema now: a change to the
// generator or the schema without `go generate ./vegalite` fails here.
func TestGeneratedPropsAreCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "gen_props.go")
	cmd := exec.Command("go", "run", "./internal/gen", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("gen_props.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Error("gen_props.go differs from what ./internal/gen writes now: run go generate ./vegalite and commit the result")
	}
}
