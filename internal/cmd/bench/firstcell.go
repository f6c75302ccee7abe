// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gonbviz/gonbviz/internal/starter"
)

// runFirstCell measures a brand-new user's first chart cell, executed by the real GoNB kernel
// of the tests' venv (scripts/setup-jupyter.sh): the starter notebook's set-up cell and first
// chart cell (internal/starter, what `gonbviz new` writes), then that chart with another title
// (what a later cell costs). Each mode starts from an empty user cache directory (XDG_CACHE_HOME:
// an empty Go build cache and an empty gonbviz bytecode cache; the Go module cache is kept,
// as a clone's first build fills it):
//
//	cold    nothing warmed: the first chart cell compiles the standard library, GoMLX,
//	        QuickJS... and the vega bytecode;
//	warmed  scripts/warm-cache.sh first (what scripts/setup-jupyter.sh and the Dockerfile run).
//
// Cell times are the kernel's own (nbclient's execute_input to execute_reply).
func runFirstCell(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("firstcell", flag.ContinueOnError)
	modes := fs.String("modes", "cold,warmed", "modes to run, in order: cold, warmed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	venv := os.Getenv("GONBVIZ_VENV")
	if venv == "" {
		venv = filepath.Join(root, ".venv")
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(filepath.Join(venv, "share", "jupyter", "kernels", "gonb", "kernel.json")); err != nil {
		return fmt.Errorf("no gonb kernel in %s: run bash scripts/setup-jupyter.sh", venv)
	}

	tmp, err := os.MkdirTemp("", "gonbviz-bench-firstcell-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	nbPath := filepath.Join(tmp, "first.ipynb")
	if err := writeFirstCellNotebook(nbPath, root); err != nil {
		return err
	}

	type result struct {
		mode                          string
		warm, setup, first, later, nb time.Duration
		warmCPU, nbCPU                time.Duration // user+sys of the process and the children it waited for
	}
	var results []result
	for _, mode := range strings.Split(*modes, ",") {
		if mode != "cold" && mode != "warmed" {
			return fmt.Errorf("-modes: unknown mode %q (want cold, warmed)", mode)
		}
		dir := filepath.Join(tmp, mode)
		cache := filepath.Join(dir, "cache")
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return err
		}
		env := firstCellEnv(venv, cache)
		r := result{mode: mode}
		if mode == "warmed" {
			cmd := exec.Command("bash", filepath.Join(root, "scripts", "warm-cache.sh"))
			cmd.Env = env
			start := time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("scripts/warm-cache.sh: %v\n%s", err, msg)
			}
			r.warm = time.Since(start)
			r.warmCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		executed := filepath.Join(dir, "executed.ipynb")
		cmd := exec.Command(python, filepath.Join(root, "scripts", "execute_notebook.py"), nbPath, executed,
			"--timeout", "900", "--kernel", "gonb", "--kernel-log", filepath.Join(dir, "kernel.log"))
		cmd.Dir = tmp
		cmd.Env = env
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: executing the notebook: %v\n%s", mode, err, msg)
		}
		r.nb = time.Since(start)
		r.nbCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		times, err := cellTimes(executed)
		if err != nil {
			return fmt.Errorf("%s: %v", mode, err)
		}
		if len(times) != 3 {
			return fmt.Errorf("%s: %d timed code cells, want 3", mode, len(times))
		}
		r.setup, r.first, r.later = times[0], times[1], times[2]
		results = append(results, r)
	}

	fmt.Fprintln(out, "a new user's first chart cell (the starter notebook's), executed by the GoNB kernel from an empty user cache dir")
	secs := func(d time.Duration) string {
		if d == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f", d.Seconds())
	}
	var rows [][]string
	for _, r := range results {
		rows = append(rows, []string{r.mode, secs(r.warm), secs(r.warmCPU), secs(r.setup), secs(r.first), secs(r.later), secs(r.nb), secs(r.nbCPU)})
	}
	table(out, []string{"mode", "warm-cache.sh s", "its CPU s", "set-up cell s", "first chart cell s", "later chart cell s", "notebook s", "its CPU s"}, rows)
	fmt.Fprintln(out, "cell times: the kernel's, in whole seconds; CPU: user+sys of the process and its children (the kernel, go build)")
	byMode := map[string]result{}
	for _, r := range results {
		byMode[r.mode] = r
	}
	line := "firstcell:"
	if c, ok := byMode["cold"]; ok {
		line += fmt.Sprintf(" cold_first_chart_s=%.1f cold_notebook_cpu_s=%.1f", c.first.Seconds(), c.nbCPU.Seconds())
	}
	if w, ok := byMode["warmed"]; ok {
		line += fmt.Sprintf(" warmed_first_chart_s=%.1f later_cell_s=%.1f warmed_notebook_cpu_s=%.1f", w.first.Seconds(), w.later.Seconds(), w.nbCPU.Seconds())
		if c, ok := byMode["cold"]; ok {
			line += fmt.Sprintf(" warmed/cold=%.2f", w.first.Seconds()/c.first.Seconds())
		}
	}
	fmt.Fprintln(out, line)
	return nil
}

// writeFirstCellNotebook writes the starter's set-up cell and first chart cell, and that chart
// with another title, as a notebook for the gonb kernel.
func writeFirstCellNotebook(path, checkout string) error {
	var code []string
	for _, c := range starter.Cells(checkout) {
		if c.Kind == "code" {
			code = append(code, c.Source)
		}
	}
	if len(code) < 2 || !strings.Contains(code[1], "notebookviz.Display") {
		return fmt.Errorf("the starter notebook's second code cell is not its first chart")
	}
	// A later cell: the same chart with another title, so that the cell's program is compiled
	// and linked again (a cell run twice unchanged finds its binary up to date).
	later := strings.Replace(code[1], `Title("a first chart")`, `Title("a later chart")`, 1)
	if later == code[1] {
		return fmt.Errorf("the starter notebook's first chart has no Title(\"a first chart\") to change")
	}
	type cell struct {
		CellType       string         `json:"cell_type"`
		ID             string         `json:"id"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}},
		"cells": []cell{
			{CellType: "code", ID: "setup", Metadata: map[string]any{}, Outputs: []any{}, Source: code[0]},
			{CellType: "code", ID: "first-chart", Metadata: map[string]any{}, Outputs: []any{}, Source: code[1]},
			{CellType: "code", ID: "later-chart", Metadata: map[string]any{}, Outputs: []any{}, Source: later},
		},
	}
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// firstCellEnv is the environment of a brand-new user: ours with the user cache directory at
// cache (and no GOCACHE or GONBVIZ_CACHE_DIR of our own), the venv's Jupyter as
// scripts/jupyter-env.sh sets it, and no -mod flag in GOFLAGS.
func firstCellEnv(venv, cache string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOCACHE", "GONBVIZ_CACHE_DIR", "XDG_CACHE_HOME", "JUPYTER_DATA_DIR", "JUPYTER_PATH", "PATH", "GOFLAGS", "VIRTUAL_ENV":
			continue
		}
		env = append(env, kv)
	}
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if !strings.HasPrefix(f, "-mod=") {
			flags = append(flags, f)
		}
	}
	data := filepath.Join(venv, "share", "jupyter")
	env = append(env, "XDG_CACHE_HOME="+cache, "JUPYTER_DATA_DIR="+data, "JUPYTER_PATH="+data,
		"PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"), "VIRTUAL_ENV="+venv,
		"GOFLAGS="+strings.Join(flags, " "))
	return env
}

// cellTimes returns, for each code cell of an executed notebook, the kernel's time from
// execute_input to execute_reply (nbclient's record_timing metadata).
func cellTimes(path string) ([]time.Duration, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb struct {
		Cells []struct {
			CellType string `json:"cell_type"`
			Metadata struct {
				Execution map[string]string `json:"execution"`
			} `json:"metadata"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var times []time.Duration
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		in, err1 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["iopub.execute_input"])
		reply, err2 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["shell.execute_reply"])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: cell %d has no execution times", path, i)
		}
		times = append(times, reply.Sub(in))
	}
	return times, nil
}

// repoRoot is the gonbviz repository holding the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for root := dir; ; root = filepath.Dir(root) {
		if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/gonbviz/gonbviz\n") {
			return root, nil
		}
		if filepath.Dir(root) == root {
			return "", fmt.Errorf("run the bench inside the gonbviz repository (no gonbviz go.mod above %s)", dir)
		}
	}
}
