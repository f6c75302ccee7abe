// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestBytecodeCache builds the real command (a test binary carries no module
// versions, so it has no bytecode cache) and renders a spec in new processes: the
// first writes the cache file, later ones read it and draw the same SVG, a damaged
// file is rewritten, and GONBVIZ_CACHE_DIR=off writes nothing.
func TestBytecodeCache(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gonbviz command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gonbviz")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	spec, err := filepath.Abs(filepath.Join("..", "..", "examples", "specs", "training_loss.vl.json"))
	if err != nil {
		t.Fatal(err)
	}
	render := func(cacheDir, name string) []byte {
		t.Helper()
		out := filepath.Join(dir, name+".svg")
		cmd := exec.Command(bin, "render", spec, "-o", out)
		cmd.Dir = dir // where a relative "off" would become a directory
		cmd.Env = append(os.Environ(), "GONBVIZ_CACHE_DIR="+cacheDir)
		start := time.Now()
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, msg)
		}
		t.Logf("%-6s render in a new process: %v", name, time.Since(start).Round(time.Millisecond))
		svg, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return svg
	}
	files := func(cacheDir string) []string {
		f, _ := filepath.Glob(filepath.Join(cacheDir, "svgrender-*.qjsbc"))
		return f
	}
	cache := filepath.Join(dir, "cache")
	first := render(cache, "first")
	f := files(cache)
	if len(f) != 1 {
		t.Fatalf("cache files after the first render: %q, want one", f)
	}
	stored, _ := os.ReadFile(f[0])
	if second := render(cache, "second"); !bytes.Equal(second, first) {
		t.Error("the SVG drawn from cached bytecode differs")
	}
	if again, _ := os.ReadFile(f[0]); !bytes.Equal(again, stored) {
		t.Error("a good cache file was rewritten")
	}
	damaged := bytes.Clone(stored)
	damaged[len(damaged)/2] ^= 0xff
	os.WriteFile(f[0], damaged, 0o644)
	if third := render(cache, "third"); !bytes.Equal(third, first) {
		t.Error("the SVG after a damaged cache file differs")
	}
	if again, _ := os.ReadFile(f[0]); !bytes.Equal(again, stored) {
		t.Error("a damaged cache file was not rewritten")
	}
	off := filepath.Join(dir, "off")
	if svg := render("off", "off"); !bytes.Equal(svg, first) {
		t.Error("the SVG without a cache differs")
	}
	if _, err := os.Stat(off); err == nil {
		t.Error("GONBVIZ_CACHE_DIR=off made a directory")
	}
}
