// SPDX-License-Identifier: Apache-2.0

package svgrender

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestCacheEncoding(t *testing.T) {
	code := [][]byte{[]byte("one"), {}, bytes.Repeat([]byte{7}, 1000)}
	data := encodeCache(code)
	got, err := decodeCache(data, len(code))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, code, bytes.Equal) {
		t.Errorf("decoded %q, want %q", got, code)
	}
	// Every damaged file is refused: a flipped byte anywhere, truncation, the wrong
	// number of pieces, another format.
	for i := range data {
		bad := bytes.Clone(data)
		bad[i] ^= 0x40
		if _, err := decodeCache(bad, len(code)); err == nil {
			t.Fatalf("byte %d flipped: accepted", i)
		}
	}
	for _, n := range []int{0, 1, len(data) / 2, len(data) - 1} {
		if _, err := decodeCache(data[:n], len(code)); err == nil {
			t.Errorf("truncated to %d bytes: accepted", n)
		}
	}
	if _, err := decodeCache(data, len(code)-1); err == nil {
		t.Error("read as one piece fewer: accepted")
	}
	if _, err := decodeCache(data, len(code)+1); err == nil {
		t.Error("read as one piece more: accepted")
	}
}

func TestCachePath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(cacheEnv, "off")
	if p := cachePath([]string{"a"}); p != "" {
		t.Errorf("%s=off: cache at %s", cacheEnv, p)
	}
	// A test binary carries no module versions, so there is no cache.
	t.Setenv(cacheEnv, dir)
	if _, ok := moduleVersions(); !ok {
		if p := cachePath([]string{"a"}); p != "" {
			t.Errorf("no module versions: cache at %s", p)
		}
	}
}

// TestStoreCachePrunes checks that storing keeps the newest cacheKeep files.
func TestStoreCachePrunes(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for i := range cacheKeep + 2 {
		p := filepath.Join(dir, "svgrender-old"+string(rune('a'+i))+".qjsbc")
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old.Add(time.Duration(i)*time.Minute), old.Add(time.Duration(i)*time.Minute))
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("keep"), 0o644)
	path := filepath.Join(dir, "svgrender-new.qjsbc")
	storeCache(path, [][]byte{[]byte("code")})
	if got := loadCache(path, 1); len(got) != 1 || string(got[0]) != "code" {
		t.Fatalf("stored and loaded %q", got)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "svgrender-*.qjsbc"))
	if len(left) != cacheKeep || !slices.Contains(left, path) {
		t.Errorf("left %q, want the new file and the %d newest old ones", left, cacheKeep-1)
	}
	for _, gone := range []string{"svgrender-olda.qjsbc", "svgrender-oldb.qjsbc", "svgrender-oldc.qjsbc"} {
		if slices.Contains(left, filepath.Join(dir, gone)) {
			t.Errorf("%s (among the oldest) kept", gone)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file that is not a cache file was removed: %v", err)
	}
}

// TestStaleCacheRecompiles gives the engines cached bytecode that does not run (the
// scripts in the wrong order): starting an engine compiles afresh, rewrites the cache
// file, and renders.
func TestStaleCacheRecompiles(t *testing.T) {
	good, _, _, err := bytecode()
	if err != nil {
		t.Fatal(err)
	}
	stale := slices.Clone(good)
	slices.Reverse(stale) // setup.js first: it needs vega
	path := filepath.Join(t.TempDir(), "svgrender-stale.qjsbc")
	storeCache(path, stale)

	compiled.mu.Lock()
	savedCode, savedFromCache, savedPath, savedGen := compiled.code, compiled.fromCache, compiled.path, compiled.gen
	compiled.code, compiled.fromCache, compiled.path = stale, true, path
	compiled.mu.Unlock()
	defer func() {
		compiled.mu.Lock()
		compiled.code, compiled.fromCache, compiled.path, compiled.gen = savedCode, savedFromCache, savedPath, savedGen
		compiled.mu.Unlock()
	}()

	r := New(Options{MaxEngines: 1})
	defer r.Close()
	svg, err := r.Render(context.Background(), loadSpecs(t)["histogram"])
	if err != nil {
		t.Fatalf("render with stale cached bytecode: %v", err)
	}
	if !bytes.HasPrefix([]byte(svg), []byte("<svg")) {
		t.Errorf("render gave %.80q", svg)
	}
	compiled.mu.Lock()
	fromCache, gen := compiled.fromCache, compiled.gen
	compiled.mu.Unlock()
	if fromCache || gen != savedGen+1 {
		t.Errorf("after the retry: fromCache %v, gen %d (was %d)", fromCache, gen, savedGen)
	}
	if got := loadCache(path, len(scripts)); got == nil || bytes.Equal(got[0], stale[0]) {
		t.Error("the cache file still holds the stale bytecode")
	}
}
