// SPDX-License-Identifier: Apache-2.0

//go:build tools

// Package deps pins, in go.mod, the exact versions of the modules gonbviz is built on,
// before every one of them is imported by a package of its own. Several are served by the Go
// module proxy only by exact version, so the pins must not drift.
package deps

import (
	_ "github.com/gomlx/compute/gobackend"
	_ "github.com/gomlx/go-xla/compute/xla"
	_ "github.com/gomlx/gomlx/core/graph"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "modernc.org/quickjs"
)
