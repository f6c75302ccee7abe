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
