// SPDX-License-Identifier: Apache-2.0

// Package gallery keeps docs/gallery current: the PNG pictures of the chart of every
// Example of package charts, of the demo models' network diagrams and of every chart in
// docs/notebooks, rasterized by scripts/update-gallery.sh with Chromium from their static
// SVGs. docs/gallery/sources.txt records the SHA-256 of each SVG a picture was made from;
// tests that make the same SVGs call Check, which fails when a chart changed and its
// picture was not made again, or when a picture has no source.
package gallery

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// DirEnv names the directory scripts/update-gallery.sh collects SVGs in; tests that make
// gallery SVGs write them there instead of checking them.
const DirEnv = "GONBVIZ_GALLERY_DIR"

// Sources is the record of the SVGs behind docs/gallery, relative to the repository root.
const Sources = "docs/gallery/sources.txt"

// Hash is the hex SHA-256 of an SVG, as sources.txt records it.
func Hash(svg string) string {
	h := sha256.Sum256([]byte(svg))
	return hex.EncodeToString(h[:])
}

// Read returns sources.txt as name -> hash ("NAME SHA256" lines; # comments).
func Read(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, hash, ok := strings.Cut(line, " "); ok {
			out[name] = strings.TrimSpace(hash)
		}
	}
	return out, sc.Err()
}

// Check compares svgs (name -> SVG) with the record at path: every name must be recorded
// with its SVG's hash, and every recorded name with the same prefix (the part up to the
// first "-") must be among svgs.
func Check(t *testing.T, path string, svgs map[string]string) {
	t.Helper()
	rec, err := Read(path)
	if err != nil {
		t.Fatalf("%v: run scripts/update-gallery.sh", err)
	}
	prefixes := map[string]bool{}
	var names []string
	for name := range svgs {
		names = append(names, name)
		p, _, _ := strings.Cut(name, "-")
		prefixes[p] = true
	}
	sort.Strings(names)
	var stale []string
	for _, name := range names {
		if rec[name] != Hash(svgs[name]) {
			stale = append(stale, name)
		}
	}
	for name := range rec {
		p, _, _ := strings.Cut(name, "-")
		if _, ok := svgs[name]; prefixes[p] && !ok {
			stale = append(stale, name+" (no longer made)")
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		t.Errorf("docs/gallery is not current for %s: run scripts/update-gallery.sh, look at the pictures that changed, and commit them",
			strings.Join(stale, ", "))
	}
}

// WriteOrCheck is what a gallery test does with its SVGs (name -> SVG): with
// GONBVIZ_GALLERY_DIR set it writes each as NAME.svg there, for scripts/update-gallery.sh to
// rasterize; otherwise it checks them against sources.txt (Check). root is the repository
// root, relative to the test's directory.
func WriteOrCheck(t *testing.T, root string, svgs map[string]string) {
	t.Helper()
	if dir := os.Getenv(DirEnv); dir != "" {
		for name, svg := range svgs {
			if err := os.WriteFile(filepath.Join(dir, name+".svg"), []byte(svg), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	Check(t, filepath.Join(root, Sources), svgs)
}
