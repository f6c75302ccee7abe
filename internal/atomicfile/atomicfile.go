// SPDX-License-Identifier: Apache-2.0

// Package atomicfile writes files so that a reader never sees a half-written one: the data
// goes to a temporary file in the same directory, which is then renamed over the target.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Write replaces path with data atomically. With durable, the data is fsynced before the
// rename, so it survives a machine crash, not only the process being killed. The file keeps
// the permissions of the one it replaces; a new file is readable by all (0644), like one
// os.WriteFile makes, not private like a temporary file.
func Write(path string, data []byte, durable bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	werr := tmp.Chmod(mode)
	if werr == nil {
		_, werr = tmp.Write(data)
	}
	if werr == nil && durable {
		werr = tmp.Sync()
	}
	werr = errors.Join(werr, tmp.Close())
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, werr)
	}
	return nil
}
