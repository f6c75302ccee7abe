// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Latest picks by the start time in meta.json, whatever the directory names and file
// times say; a run still being written counts.
func TestLatest(t *testing.T) {
	root := t.TempDir()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	// Names sort against start times ("c" oldest, "a" newest), and the older runs' files
	// are touched last.
	for _, r := range []struct {
		dir   string
		start time.Duration
	}{{"c", 0}, {"sweep/b", time.Hour}} {
		run := mustCreate(t, filepath.Join(root, r.dir), Meta{Name: r.dir, StartTime: t0.Add(r.start)}, Options{})
		run.Add("train/loss", 1, 1)
		if err := run.Close(); err != nil {
			t.Fatal(err)
		}
	}
	m, err := Latest(root)
	if err != nil || m.Name != "sweep/b" || m.Status != StatusFinished || m.Dir != filepath.Join(root, "sweep/b") {
		t.Fatalf("Latest = %+v, %v; want sweep/b, finished", m, err)
	}

	// A newer run, still running (not closed), in a directory that sorts first.
	live := mustCreate(t, filepath.Join(root, "a"), Meta{Name: "a", StartTime: t0.Add(2 * time.Hour)}, Options{})
	defer live.Close()
	live.Add("train/loss", 1, 1)
	if err := live.Flush(); err != nil {
		t.Fatal(err)
	}
	// File times say "c" is newest, and a damaged run is passed over.
	future := time.Now().Add(time.Hour)
	for _, f := range []string{"c", filepath.Join("c", MetaFile), filepath.Join("c", ScalarsFile)} {
		if err := os.Chtimes(filepath.Join(root, f), future, future); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(root, "zz-broken"), 0o755)
	os.WriteFile(filepath.Join(root, "zz-broken", MetaFile), []byte("{"), 0o644)

	m, err = Latest(root)
	if err != nil || m.Name != "a" || m.Status != StatusRunning {
		t.Fatalf("Latest = %q (%s), %v; want the running run a", m.Name, m.Status, err)
	}
	r, err := Open(m.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := r.Stats("train/loss"); !ok || st.Count != 1 {
		t.Errorf("the running run's flushed point is not readable: %+v %v", st, ok)
	}

	// Equal start times: the last directory in List's order.
	tie := t.TempDir()
	for _, d := range []string{"x", "y"} {
		run := mustCreate(t, filepath.Join(tie, d), Meta{Name: d, StartTime: t0}, Options{})
		run.Close()
	}
	if m, err := Latest(tie); err != nil || m.Name != "y" {
		t.Errorf("tie: Latest = %q, %v; want y", m.Name, err)
	}
}

// Root "" is the default root, where DefaultDir makes runs.
func TestLatestDefaultRoot(t *testing.T) {
	root := t.TempDir()
	t.Setenv(EnvRoot, root)
	if DefaultRoot() != root || filepath.Dir(DefaultDir()) != root {
		t.Fatalf("DefaultRoot %q, DefaultDir %q; want under %q", DefaultRoot(), DefaultDir(), root)
	}
	_, err := Latest("")
	if err == nil || !strings.Contains(err.Error(), "no run under "+root+" (the default root: $GONBVIZ_RUNS") ||
		!strings.Contains(err.Error(), "train a model first") {
		t.Fatalf("empty default root: %v", err)
	}
	first := DefaultDir()
	mustCreate(t, first, Meta{Name: "first"}, Options{}).Close()
	time.Sleep(2 * time.Millisecond)
	second := DefaultDir()
	mustCreate(t, second, Meta{Name: "second"}, Options{}).Close()
	m, err := Latest("")
	if err != nil || m.Dir != second {
		t.Fatalf("Latest(\"\") = %q, %v; want %q", m.Dir, err, second)
	}

	t.Setenv(EnvRoot, "")
	if want := filepath.Join(os.TempDir(), "gonbviz-runs"); DefaultRoot() != want {
		t.Errorf("DefaultRoot without $%s = %q, want %q", EnvRoot, DefaultRoot(), want)
	}
}

func TestLatestErrors(t *testing.T) {
	empty := t.TempDir()
	os.MkdirAll(filepath.Join(empty, "not-a-run"), 0o755)
	for _, c := range []struct {
		root string
		want []string
	}{
		{empty, []string{"no run under " + empty + " (no directory there holds a meta.json)", "train a model first", "pass the directory"}},
		{filepath.Join(empty, "missing"), []string{"no run under " + filepath.Join(empty, "missing") + ": the directory does not exist", "train a model first"}},
	} {
		m, err := Latest(c.root)
		if err == nil {
			t.Errorf("Latest(%q) = %+v, want an error", c.root, m)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Latest(%q): %v\nwant it to say %q", c.root, err, w)
			}
		}
	}
	file := filepath.Join(empty, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Latest(file); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("Latest(file): %v", err)
	}
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, MetaFile), []byte("{"), 0o644)
	if _, err := Latest(broken); err == nil || !strings.Contains(err.Error(), "no readable run under") ||
		!strings.Contains(err.Error(), "not valid run metadata") {
		t.Errorf("Latest of a damaged run: %v", err)
	}
}
