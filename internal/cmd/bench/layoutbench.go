// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// layoutBench is the command that compares the layout engine with Graphviz dot. It sits
// next to the engine, diagram/internal/layout, which this command may not import.
const layoutBench = "github.com/gonbviz/gonbviz/diagram/internal/layout/layoutbench"

// runLayout runs layoutBench with args (go run, from anywhere in the module): its
// flags, table and last line are this benchmark's.
func runLayout(args []string, out io.Writer) error {
	cmd := exec.Command("go", append([]string{"run", layoutBench}, args...)...)
	cmd.Stdout, cmd.Stderr = out, os.Stderr
	err := cmd.Run()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		os.Exit(ee.ExitCode()) // layoutbench and go run have said why
	}
	if err != nil {
		return fmt.Errorf("go run %s: %w", layoutBench, err)
	}
	return nil
}
