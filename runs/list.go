// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// List returns the metadata of the runs under root (root itself, or any
// directory below it holding a meta.json; run directories are not searched
// further), sorted by start time, then directory. Meta.Dir tells where each
// is: pass it to Open.
//
// Runs whose meta.json cannot be read are left out, and named in the
// returned error, which then comes with the runs that could be read: a
// caller may show those and report the error. A root that does not exist is
// an error.
func List(root string) ([]Meta, error) {
	if root == "" {
		return nil, errors.New(`runs: List needs a root directory; got "" (use "." for the current directory)`)
	}
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("runs: List(%q): %w; pass the directory that holds the run directories", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("runs: List(%q): not a directory; pass the directory that holds the run directories", root)
	}
	var metas []Meta
	var errs []error
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			errs = append(errs, fmt.Errorf("runs: List: skipped %s: %w", path, err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && len(d.Name()) > 0 && d.Name()[0] == '.' {
			return fs.SkipDir // hidden directories (.git, .ipynb_checkpoints)
		}
		if _, err := os.Stat(filepath.Join(path, MetaFile)); err != nil {
			return nil
		}
		m, err := readMeta(path)
		if err != nil {
			errs = append(errs, err)
		} else {
			metas = append(metas, m)
		}
		return fs.SkipDir
	})
	if walkErr != nil {
		return nil, fmt.Errorf("runs: List(%q): %w", root, walkErr)
	}
	sort.SliceStable(metas, func(i, j int) bool {
		a, b := metas[i], metas[j]
		if !a.StartTime.Equal(b.StartTime) {
			return a.StartTime.Before(b.StartTime)
		}
		return a.Dir < b.Dir
	})
	return metas, errors.Join(errs...)
}

// Latest returns the metadata of the newest run under root: the one whose meta.json has
// the latest start time (file times play no part; equal start times go to the last
// directory in [List]'s order). Root "" means [DefaultRoot], where a dashboard or capture
// given no RunDir records: so in a notebook, whose every cell is a new process, a later
// cell finds the run an earlier cell trained with
//
//	meta, err := runs.Latest("")
//	snaps, _, err := capture.Read(meta.Dir)
//
// The default root is shared by every notebook and program of the user on this machine
// that records there; give a notebook its own with `%env GONBVIZ_RUNS /some/dir` in its
// first cell (or name a root).
//
// A run still being written counts (its Status is [StatusRunning]; its files hold what was
// flushed, at most a second old), and so does one whose process was killed (it stays
// "running"). Runs whose meta.json cannot be read are passed over; when no run can be
// read, the error says why, and what to do.
func Latest(root string) (Meta, error) {
	where := root
	if root == "" {
		root = DefaultRoot()
		where = root + " (the default root: $" + EnvRoot + ", else gonbviz-runs in the temporary directory)"
	}
	const advice = "train a model first (notebookviz.AttachDashboard and capture.New record under the default root when given no RunDir), or pass the directory that holds your runs"
	if st, err := os.Stat(root); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Meta{}, fmt.Errorf("runs: Latest: no run under %s: the directory does not exist; %s", where, advice)
		}
		return Meta{}, fmt.Errorf("runs: Latest: %w", err)
	} else if !st.IsDir() {
		return Meta{}, fmt.Errorf("runs: Latest: %s is not a directory; pass the directory that holds the run directories", where)
	}
	metas, err := List(root)
	if len(metas) == 0 {
		if err != nil {
			return Meta{}, fmt.Errorf("runs: Latest: no readable run under %s: %w", where, err)
		}
		return Meta{}, fmt.Errorf("runs: Latest: no run under %s (no directory there holds a %s); %s", where, MetaFile, advice)
	}
	return metas[len(metas)-1], nil
}
