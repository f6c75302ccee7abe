// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"errors"
	"fmt"

	"github.com/gonbviz/gonbviz/runs"
)

// createRun creates the run directory of a dashboard or a capture; field names the
// IfExists option in errors ("DashboardOptions.IfExists"), so that the advice for a re-run
// cell names what its author can set.
func createRun(dir string, meta runs.Meta, ifExists runs.IfExists, field string) (*runs.Run, error) {
	if ifExists < runs.Fail || ifExists > runs.New {
		return nil, fmt.Errorf("%s is %s; use runs.Fail, runs.Append, runs.Overwrite or runs.New", field, ifExists)
	}
	run, err := runs.CreateWith(dir, meta, runs.Options{IfExists: ifExists})
	var exists *runs.ExistsError
	if errors.As(err, &exists) {
		return nil, fmt.Errorf("%s holds %s; set %s to runs.Append to add to it, runs.Overwrite to replace it or runs.New to record beside it, or pass another directory",
			exists.Dir, exists.What, field)
	}
	return run, err
}
