// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"github.com/gomlx/compute"
	"strings"
)

// Direction is the direction the data flows in the drawing.
type Direction int

const (
	// TopBottom draws inputs at the top and outputs at the bottom (the default).
	TopBottom Direction = iota
	// LeftRight draws inputs on the left and outputs on the right.
	LeftRight
)

// OpLevel as Options.Depth opens every scope: one box per GoMLX op.
const OpLevel = -1

// Defaults.
const (
	// DefaultMaxBoxes is the number of boxes above which a diagram opens collapsed: outer
	// scopes are drawn as single boxes until the view fits (a note says so; in the HTML
	// output a click opens them).
	DefaultMaxBoxes = 200
	// MaxViewBoxes bounds the boxes of one view that the interactive HTML prepares; a
	// scope with more is not opened by a click (its box says so).
	MaxViewBoxes = 1500
	// MaxHTMLBoxes bounds the boxes of all the views one HTML output carries.
	MaxHTMLBoxes = 3000
)

// Options shape a diagram. The zero value is a top-to-bottom, layer-level diagram.
type Options struct {
	// Title is drawn above the diagram (default: the graph's name when one was given, else
	// "model").
	Title string
	// Depth: 0 (default) draws one box per layer scope (dense, conv, norm, attention, ...);
	// N > 0 opens layer scopes N levels deeper, down to GoMLX ops; OpLevel opens everything.
	Depth int
	// Direction of the data flow: TopBottom (default) or LeftRight.
	Direction Direction
	// MaxBoxes: a view with more boxes opens collapsed (default DefaultMaxBoxes).
	MaxBoxes int
	// Backend builds the graph in FromModel (default: the pure-Go backend; nothing runs).
	Backend compute.Backend
}

func (o Options) withDefaults() Options {
	if o.MaxBoxes <= 0 {
		o.MaxBoxes = DefaultMaxBoxes
	}
	if o.Depth < OpLevel {
		o.Depth = OpLevel
	}
	return o
}

// Diagram is the structure of a GoMLX model: its ops (pruned to what the outputs need),
// their inferred model scopes and the variables they read. Draw it with SVG or HTML,
// tabulate it with Summary or SummaryHTML. A Diagram is immutable and safe for concurrent
// use.
type Diagram struct {
	name    string
	opts    Options
	ops     []op
	outputs []int
	pruned  int // graph nodes dropped (not reachable from the outputs)
	scopes  map[string]*scopeNode
	root    *scopeNode
	vars    []Variable
}

// WithOptions returns the same diagram drawn with other options.
func (d *Diagram) WithOptions(opts Options) *Diagram {
	c := *d
	c.opts = opts.withDefaults()
	return &c
}

// Options returns the diagram's options (defaults filled in).
func (d *Diagram) Options() Options { return d.opts }

// Name is the graph's name.
func (d *Diagram) Name() string { return d.name }

// NumOps is the number of GoMLX ops the outputs depend on: variables and inputs included,
// constants (and ops computed from constants only) not.
func (d *Diagram) NumOps() int { return d.countOps() }

// NumPruned is the number of graph nodes left out because no output depends on them (such
// as the decomposed form the Go backend keeps next to each fused op).
func (d *Diagram) NumPruned() int { return d.pruned }

// Variables lists the variables the graph reads, in graph order.
func (d *Diagram) Variables() []Variable {
	out := make([]Variable, len(d.vars))
	copy(out, d.vars)
	return out
}

// Params returns the total number of parameters (elements of the variables the graph
// reads) and how many of them are trainable.
func (d *Diagram) Params() (total, trainable int) {
	for _, v := range d.vars {
		total += v.Size
		if v.Trainable {
			trainable += v.Size
		}
	}
	return total, trainable
}

// ScopeOf returns the inferred scope of the graph node with the given id, and false if the
// node is not in the diagram (pruned or unknown).
func (d *Diagram) ScopeOf(nodeID int) (string, bool) {
	for _, o := range d.ops {
		if o.id == nodeID {
			return o.scope, true
		}
	}
	return "", false
}

func (d *Diagram) title() string {
	if d.opts.Title != "" {
		return d.opts.Title
	}
	// GoMLX names the graphs it builds for a model function after the Go function
	// ("Store.Exec:github.com/...func38#1"): no title for a reader.
	if d.name != "" && !strings.Contains(d.name, "/") && !strings.Contains(d.name, ".func") {
		return d.name
	}
	return "model"
}
