// SPDX-License-Identifier: Apache-2.0

package starter

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the checkout these tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := FindCheckout(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestCells(t *testing.T) {
	cells := Cells(Placeholder)
	var kinds []string
	for _, c := range cells {
		kinds = append(kinds, c.Kind)
		if strings.TrimSpace(c.Source) == "" {
			t.Errorf("empty %s cell", c.Kind)
		}
	}
	if got := strings.Join(kinds, " "); got != "markdown code markdown code markdown code markdown code markdown code" {
		t.Errorf("cells: %s", got)
	}
	setup := SetupCell("/home/me/gonbviz")
	if !strings.HasPrefix(setup, "!*go mod edit -require=github.com/gonbviz/gonbviz@v0.0.0-00010101000000-000000000000 -replace=github.com/gonbviz/gonbviz=/home/me/gonbviz\n!*go get github.com/janpfeifer/gonb@v0.11.4 ") {
		t.Errorf("set-up cell:\n%s", setup)
	}
	if s := SetupCell("/home/me/my notebooks/gonbviz's"); !strings.Contains(s, `-replace='github.com/gonbviz/gonbviz=/home/me/my notebooks/gonbviz'\''s'`+"\n") {
		t.Errorf("a path with a space and a quote is not quoted for the shell:\n%s", s)
	}
}

func TestNotebook(t *testing.T) {
	data, err := Notebook("/home/me/gonbviz")
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string   `json:"cell_type"`
			ID       string   `json:"id"`
			Source   []string `json:"source"`
			Outputs  []any    `json:"outputs"`
		} `json:"cells"`
		Metadata struct {
			Kernelspec struct{ Name string } `json:"kernelspec"`
		} `json:"metadata"`
		Format int `json:"nbformat"`
		Minor  int `json:"nbformat_minor"`
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatal(err)
	}
	if nb.Format != 4 || nb.Minor != 5 || nb.Metadata.Kernelspec.Name != "gonb" || len(nb.Cells) != 10 {
		t.Fatalf("notebook: nbformat %d.%d, kernel %q, %d cells", nb.Format, nb.Minor, nb.Metadata.Kernelspec.Name, len(nb.Cells))
	}
	for i, c := range nb.Cells {
		if c.ID != fmt.Sprintf("cell%02d", i) {
			t.Errorf("cell %d has id %q", i, c.ID)
		}
		if got, want := strings.Join(c.Source, ""), Cells("/home/me/gonbviz")[i].Source; got != want {
			t.Errorf("cell %d source:\n%s\nwant:\n%s", i, got, want)
		}
	}
	if !strings.Contains(string(data), `"execution_count": null`) || strings.Contains(string(data), `\u00`) {
		t.Error("code cells lack execution_count null, or characters were escaped (nbformat writes them as they are)")
	}
}

func TestWrite(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "first.ipynb")
	if err := Write(path, root); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	err := Write(path, root)
	if err == nil || !strings.Contains(err.Error(), "first.ipynb already exists; gonbviz new never overwrites") {
		t.Errorf("second Write: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the existing notebook was changed")
	}
	if err := Write(filepath.Join(dir, "first.txt"), root); err == nil || !strings.Contains(err.Error(), "name the notebook NAME.ipynb") {
		t.Errorf("Write of a .txt: %v", err)
	}
	if err := Write(filepath.Join(dir, "other.ipynb"), dir); err == nil || !strings.Contains(err.Error(), "is not the absolute directory of a gonbviz checkout") {
		t.Errorf("Write pointing at a non-checkout: %v", err)
	}
	if _, err := FindCheckout(dir); err == nil || !strings.Contains(err.Error(), "not inside a gonbviz checkout") {
		t.Errorf("FindCheckout outside a checkout: %v", err)
	}
	if got, err := FindCheckout(filepath.Join(root, "internal", "starter")); err != nil || got != root {
		t.Errorf("FindCheckout = %q, %v; want %q", got, err, root)
	}
}

// readmeSection returns the Go code blocks of the README's section "Use it in your own
// notebook".
func readmeSection(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const heading = "## Use it in your own notebook\n"
	_, sec, ok := strings.Cut(string(data), heading)
	if !ok {
		t.Fatalf("README.md has no section %q", strings.TrimSpace(heading))
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	var blocks []string
	for {
		_, rest, ok := strings.Cut(sec, "```go\n")
		if !ok {
			break
		}
		block, after, ok := strings.Cut(rest, "\n```\n")
		if !ok {
			t.Fatal("README: a ```go block of the section is not closed")
		}
		blocks = append(blocks, block)
		sec = after
	}
	return blocks
}

// The README's section shows the starter's code cells, word for word, in order.
func TestREADMEShowsTheStarter(t *testing.T) {
	blocks := readmeSection(t)
	var code []string
	for _, c := range Cells(Placeholder) {
		if c.Kind == "code" {
			code = append(code, c.Source)
		}
	}
	if len(blocks) != len(code) {
		t.Fatalf("the README section has %d Go blocks, the starter %d code cells; keep them the same (internal/starter/notebook.txt)", len(blocks), len(code))
	}
	for i := range blocks {
		if blocks[i] != code[i] {
			t.Errorf("README block %d differs from the starter's code cell %d (internal/starter/notebook.txt):\n%s\n--- want:\n%s", i+1, i+1, blocks[i], code[i])
		}
	}
}

// goProgram turns a GoNB cell into a Go program as GoNB does: lines starting with "!" or
// "%" are commands, declarations come before the "%%" line, the body of main after it.
func goProgram(cell string) string {
	var decls, body []string
	inMain := false
	for _, line := range strings.Split(cell, "\n") {
		switch {
		case line == "%%":
			inMain = true
		case strings.HasPrefix(line, "!") || strings.HasPrefix(line, "%"):
		case inMain:
			body = append(body, "\t"+line)
		default:
			decls = append(decls, line)
		}
	}
	return "package main\n\n" + strings.Join(decls, "\n") + "\n\nfunc main() {\n" + strings.Join(body, "\n") + "\n}\n"
}

// The README's cells compile in a module set up by its own first cell, outside this one,
// as a notebook's module is: the "!*" lines run as written (the placeholder replaced by
// this checkout), with no network.
func TestREADMECellsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles gonbviz in a new module (-short)")
	}
	blocks := readmeSection(t)
	if len(blocks) < 2 {
		t.Fatalf("the README section has %d Go blocks", len(blocks))
	}
	root := repoRoot(t)
	mod := t.TempDir()
	env := []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off"}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("go", "mod", "init", "example.com/notebook")
	// The go.sum of this checkout holds the hashes of gonbviz's dependencies, which the
	// module cache has; with GOPROXY=off nothing could be checked against the sum database.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	setup := strings.ReplaceAll(blocks[0], Placeholder, root)
	for _, line := range strings.Split(setup, "\n") {
		cmd, ok := strings.CutPrefix(line, "!*")
		if !ok {
			t.Fatalf("the set-up cell has a line that is not a command: %q", line)
		}
		run("bash", "-c", cmd)
	}
	for i, b := range blocks[1:] {
		dir := filepath.Join(mod, fmt.Sprintf("cell%d", i+2))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(goProgram(b)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's cells do not compile (go vet in a module set up by its first cell): %v\n%s", err, out)
	}
	gomod, _ := os.ReadFile(filepath.Join(mod, "go.mod"))
	if !strings.Contains(string(gomod), "github.com/gonbviz/gonbviz => "+root) || !strings.Contains(string(gomod), "github.com/janpfeifer/gonb v0.11.4") {
		t.Errorf("the set-up cell did not give the module gonbviz and GoNB v0.11.4:\n%s", gomod)
	}
}
