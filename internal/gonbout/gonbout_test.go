// SPDX-License-Identifier: Apache-2.0

package gonbout

import (
	"strings"
	"testing"
)

func TestSendOutsideNotebook(t *testing.T) {
	if InNotebook() {
		t.Skip("running inside GoNB")
	}
	err := Send(map[string]any{"text/plain": "x"}, nil, "")
	if err == nil || !strings.Contains(err.Error(), "not running in a GoNB notebook") {
		t.Errorf("err = %v", err)
	}
}

// A bundle gob cannot encode is refused before it reaches GoNB's pipe (a gob error there
// would close the pipe for the rest of the cell).
func TestUnencodableBundleIsRefused(t *testing.T) {
	err := Send(map[string]any{"application/json": map[string]any{"c": make(chan int)}}, nil, "")
	if err == nil || !strings.Contains(err.Error(), "cannot be sent to GoNB") {
		t.Errorf("err = %v", err)
	}
	// JSON-like values (nested maps, lists, nulls) encode.
	err = Send(map[string]any{"application/json": map[string]any{"a": []any{nil, 1.0, map[string]any{"b": nil}}}}, nil, "")
	if err != nil && !strings.Contains(err.Error(), "not running in a GoNB notebook") {
		t.Errorf("a JSON-like bundle was refused: %v", err)
	}
}
