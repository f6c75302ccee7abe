// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gonbviz/gonbviz/internal/runstore"
)

// IfExists says what AttachDashboard, and a Capture recording a run of its own, do when
// their RunDir already holds a run: what re-running a training cell with a fixed RunDir does.
type IfExists int

const (
	// IfExistsFail, the default, refuses, with an error that names the other choices.
	IfExistsFail IfExists = iota
	// IfExistsAppend adds to the run: a resumed training continues its curves and keeps its
	// metadata and start time.
	IfExistsAppend
	// IfExistsOverwrite deletes the run's records and starts it anew.
	IfExistsOverwrite
	// IfExistsNew records beside it, in the first of RunDir-2, RunDir-3, ... that holds no
	// run, so that every run of a cell is kept.
	IfExistsNew
)

func (e IfExists) String() string {
	switch e {
	case IfExistsFail:
		return "IfExistsFail"
	case IfExistsAppend:
		return "IfExistsAppend"
	case IfExistsOverwrite:
		return "IfExistsOverwrite"
	case IfExistsNew:
		return "IfExistsNew"
	}
	return fmt.Sprintf("IfExists(%d)", int(e))
}

// createRun creates the run directory of a dashboard or a capture; field names the option
// in errors ("DashboardOptions.IfExists").
func createRun(dir string, meta runstore.Meta, ifExists IfExists, field string) (*runstore.Run, error) {
	var opts runstore.Options
	switch ifExists {
	case IfExistsFail:
	case IfExistsAppend:
		opts.IfExists = runstore.Append
	case IfExistsOverwrite:
		opts.IfExists = runstore.Overwrite
	case IfExistsNew:
		base := filepath.Clean(dir)
		for n := 2; holdsRun(dir); n++ {
			dir = fmt.Sprintf("%s-%d", base, n)
		}
	default:
		return nil, fmt.Errorf("%s is %s; use notebookviz.IfExistsFail, IfExistsAppend, IfExistsOverwrite or IfExistsNew", field, ifExists)
	}
	run, err := runstore.CreateWith(dir, meta, opts)
	var exists *runstore.ExistsError
	if errors.As(err, &exists) {
		return nil, fmt.Errorf("%s holds %s; set %s to notebookviz.IfExistsAppend to add to it, IfExistsOverwrite to replace it or IfExistsNew to record beside it, or pass another directory",
			exists.Dir, exists.What, field)
	}
	return run, err
}

// holdsRun reports whether dir holds a run's metadata or records.
func holdsRun(dir string) bool {
	for _, f := range []string{runstore.MetaFile, runstore.ScalarsFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}
