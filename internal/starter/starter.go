// SPDX-License-Identifier: Apache-2.0

// Package starter is the notebook that `gonbviz new NAME.ipynb` writes: a first cell that
// points the notebook's Go module at a gonbviz checkout, a chart, a model's diagram, the
// demo MLP trained with a live dashboard and a capture, and a cell that reads the last run
// back with runs.Latest. Its cells are in notebook.txt; the README's section "Use it in
// your own notebook" shows the same code cells, which the tests compile.
package starter

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Module is gonbviz's module path.
const Module = "github.com/gonbviz/gonbviz"

// Placeholder stands for the checkout's directory in the set-up cell of notebook.txt and
// of the README.
const Placeholder = "/path/to/gonbviz"

//go:embed notebook.txt
var template string

// Cell is one cell of the starter notebook.
type Cell struct {
	Kind   string // "markdown" or "code"
	Source string // without a final newline
}

// Cells returns the starter's cells with the set-up cell pointing at checkout (an absolute
// directory; Placeholder leaves the template as it is).
func Cells(checkout string) []Cell {
	var cells []Cell
	sc := bufio.NewScanner(strings.NewReader(template))
	var cur *Cell
	var lines []string
	flush := func() {
		if cur != nil {
			cur.Source = strings.TrimRight(strings.Join(lines, "\n"), "\n")
			cells = append(cells, *cur)
		}
		lines = nil
	}
	for sc.Scan() {
		line := sc.Text()
		if kind, ok := strings.CutPrefix(line, "// %% "); ok && (kind == "markdown" || kind == "code") {
			flush()
			cur = &Cell{Kind: kind}
			continue
		}
		if cur != nil {
			lines = append(lines, line)
		}
	}
	flush()
	if checkout != Placeholder {
		for i, c := range cells {
			if c.Kind == "code" && strings.Contains(c.Source, "-replace="+Module+"="+Placeholder) {
				cells[i].Source = strings.Replace(c.Source, "-replace="+Module+"="+Placeholder, "-replace="+shellQuote(Module+"="+checkout), 1)
			}
		}
	}
	return cells
}

// SetupCell is the first code cell, pointing at checkout.
func SetupCell(checkout string) string {
	for _, c := range Cells(checkout) {
		if c.Kind == "code" {
			return c.Source
		}
	}
	return ""
}

// shellQuote quotes s for the shell that runs a GoNB "!*" line, when it needs quoting.
func shellQuote(s string) string {
	plain := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=@:,", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Notebook returns the starter notebook (nbformat 4.5, kernel gonb) pointing at checkout,
// written as nbformat writes notebooks (keys sorted, one space of indent).
func Notebook(checkout string) ([]byte, error) {
	type markdownCell struct {
		CellType string   `json:"cell_type"`
		ID       string   `json:"id"`
		Metadata struct{} `json:"metadata"`
		Source   []string `json:"source"`
	}
	type codeCell struct {
		CellType       string   `json:"cell_type"`
		ExecutionCount *int     `json:"execution_count"` // null: not run yet
		ID             string   `json:"id"`
		Metadata       struct{} `json:"metadata"`
		Outputs        []any    `json:"outputs"`
		Source         []string `json:"source"`
	}
	var nb struct {
		Cells    []any          `json:"cells"`
		Metadata map[string]any `json:"metadata"`
		Format   int            `json:"nbformat"`
		Minor    int            `json:"nbformat_minor"`
	}
	nb.Format, nb.Minor = 4, 5
	nb.Metadata = map[string]any{
		"kernelspec":    map[string]string{"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
		"language_info": map[string]string{"name": "go"},
	}
	for i, c := range Cells(checkout) {
		id, src := fmt.Sprintf("cell%02d", i), sourceLines(c.Source)
		if c.Kind == "code" {
			nb.Cells = append(nb.Cells, codeCell{CellType: "code", ID: id, Outputs: []any{}, Source: src})
		} else {
			nb.Cells = append(nb.Cells, markdownCell{CellType: "markdown", ID: id, Source: src})
		}
	}
	data, err := marshal(nb)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", " "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping (nbformat writes < and > as they are).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// sourceLines splits a cell's source as nbformat stores it: lines, each but the last
// ending with "\n".
func sourceLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// FindCheckout returns the root of the gonbviz checkout that holds dir (dir itself or a
// directory above it whose go.mod declares module github.com/gonbviz/gonbviz).
func FindCheckout(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if IsCheckout(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside a gonbviz checkout (no go.mod of module %s in it or above it)", abs, Module)
		}
	}
}

// IsCheckout reports whether dir holds the go.mod of module github.com/gonbviz/gonbviz.
func IsCheckout(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == Module {
			return true
		}
	}
	return false
}

// Write writes the starter notebook pointing at checkout to path, which must end in
// .ipynb and must not exist yet.
func Write(path, checkout string) error {
	if !strings.HasSuffix(path, ".ipynb") {
		return fmt.Errorf("%s: name the notebook NAME.ipynb (Jupyter opens .ipynb files)", path)
	}
	if !filepath.IsAbs(checkout) || !IsCheckout(checkout) {
		return fmt.Errorf("%s is not the absolute directory of a gonbviz checkout (its go.mod declares module %s)", checkout, Module)
	}
	data, err := Notebook(checkout)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; gonbviz new never overwrites a notebook: pick another name, or move that one away first", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
