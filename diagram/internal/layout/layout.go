// Package layout is gonbviz's own layered (Sugiyama-style) graph layout
// engine, written in pure Go. It places the boxes and routes the edges of
// network-structure diagrams, such as the computation graph of an ML model,
// and knows nothing about where the graph came from.
//
// # Pipeline
//
// [Layout] runs the classic steps, each near-linear per pass and fully
// deterministic (the same input always gives byte-identical output; no step
// depends on map iteration order):
//
//  1. Cycle removal: a depth-first search in input order; every back edge is
//     reversed for layering (cycles are broken, never rejected). Such edges
//     are reported with EdgePath.Reversed and still point From -> To.
//  2. Layer assignment: network simplex (Gansner et al., as in Graphviz
//     dot) from the longest-path layering: integer layers that minimise the
//     total edge span, hence the number of dummy nodes (simplex.go). Among
//     the equally short layerings, every group with as many edges entering
//     as leaving it then shifts as a whole to the layers holding the fewest
//     other nodes (as dot balances its collapsed clusters), which keeps
//     side branches away from crowded layers where their edges would cross
//     others. Empty layers are then removed.
//  3. Long edges are split into chains of dummy nodes, one per crossed layer;
//     every group gets a placeholder dummy in each layer of its span where it
//     has no item of its own.
//  4. Crossing minimisation: a fixed number of alternating down/up sweeps
//     (barycenter first, then weighted median restarted from the best order),
//     each followed by adjacent-pair transposition (on alternate pairs of
//     sweeps also swapping pairs whose crossings tie, as dot does); the best
//     ordering seen is kept. Transposition also moves a node past a whole
//     neighbouring block of a sibling group. With groups, a final local
//     search then moves each group past its nearest sibling that shares a
//     layer (in all those layers at once) while that lowers crossings, and
//     transposes once more. Crossings are counted with the
//     Barth–Jünger–Mutzel accumulator tree, O(E log V) per layer pair.
//  5. Coordinate assignment: alternating sweeps that pull every node towards
//     the weighted mean of its neighbours (dummy-to-dummy links weigh most,
//     which straightens long edges), each layer solved exactly under the
//     minimum-separation constraints by weighted isotonic regression
//     (pool-adjacent-violators, linear time). With groups, a push of
//     non-members out of group boxes follows, then an exact legalisation
//     (see Groups).
//  6. Edge routing: every layer is a band as tall as its tallest box, with
//     room above it for the top walls and labels of the group boxes that open
//     there and room below for the walls of those that close. An edge leaves
//     the bottom of its upper box, runs vertically to the end of the room
//     below the band, crosses the gap between bands in a straight segment,
//     runs vertically through the band and its rooms at each dummy, and
//     enters the top of its lower box. Inside a band and its rooms a route is
//     vertical at the x of its own box or dummy, which no other box covers, so
//     no edge passes through a box other than its ends.
//
// # Groups
//
// Node.Parent puts a node into a compound group. A group is named either by
// the ID of another node (which then becomes a container: it is not drawn as
// a box of its own, its Width/Height are ignored, and it may have a Parent
// itself, giving nesting) or by a name that is not a node ID (an implicit
// top-level group). Result.Groups reports each group's bounding box: its
// leaves, its inner edges' dummies and its subgroups' boxes, plus padding.
//
// Every group box contains exactly its members, at any nesting depth: its
// leaves and subgroups are inside, and no other node, no dummy of an edge
// that does not have both ends in the group, and no unrelated group box
// overlaps it. Three steps guarantee it: members of a group are contiguous
// within every layer; sibling groups keep the same left-to-right order in
// every layer (one key per group, the mean relative position of its blocks);
// and a final legalisation solves "a left of b by at least d" constraints
// between each layer's neighbouring items (nodes, dummies, and the left and
// right walls of group boxes, with padding per nesting level) exactly, by a
// forward and a backward pass over their topological order (groups.go),
// moving nodes no further than needed. Layers get extra vertical room where
// boxes open or close. Keeping sibling groups in one order can cost
// crossings compared with free orderings; the sibling-group swap search
// (order.go) recovers part of that cost.
//
// # Group labels
//
// A group container with a LabelWidth and LabelHeight gets a header: its box
// opens with room for the label along its top wall (the top in either
// direction), and Result.Labels says where the label goes. In TopBottom the
// only edges that cross a header are those that enter the group there, each
// vertical at the x of the member it enters; the label takes the first spot
// clear of them (left-aligned, else right-aligned, else between two of them),
// and where there is none the group's box widens on the side that needs less,
// leaving the label beside the entering edges. Constraints of the final
// legalisation keep every label's spot clear, so no edge crosses a label, no
// box covers one, and every label fits its box. In LeftRight the header is a
// strip along the top wall, which edges cross only where they enter or leave
// the group sideways between two layers; the label takes the first spot clear
// of them (else the least crossed one), and is shortened where the group is
// narrower than the label.
//
// # Special edges
//
// Self-loops are not used for layering; they are drawn as a small
// rectangular loop on the node's right-hand side (below it for LeftRight),
// and the node gets room for it. EdgePath.SelfLoop marks them. Parallel edges are
// kept and drawn side by side. Edges may not touch a group container node.
// Edge labels are placed at the midpoint of their path; no space is reserved
// for them.
//
// # Errors
//
// Layout rejects empty or duplicate IDs, edges naming unknown nodes, edges to
// or from group containers, cycles among Parent links, and sizes, label
// sizes or spacings that are negative, NaN or infinite. Every error names the offending node or
// edge.
package layout

import (
	"fmt"
	"math"
)

// Direction is the direction edges flow in.
type Direction int

const (
	// TopBottom lays layers out as rows, edges pointing down. It is the default.
	TopBottom Direction = iota
	// LeftRight lays layers out as columns, edges pointing right.
	LeftRight
)

// Node is a box to place. Width and Height are in output units (SVG pixels).
type Node struct {
	ID            string
	Width, Height float64
	// Parent is the compound group the node belongs to, "" for the root.
	Parent string
	// LabelWidth and LabelHeight are, for a group container, the size of its
	// label as drawn (horizontal text, output units); 0 for no label. The
	// layout places the label inside the group's box along its top wall,
	// where no edge crosses it and no box covers it, and reports where in
	// Result.Labels. Leaf nodes ignore them.
	LabelWidth, LabelHeight float64
}

// Edge connects two nodes by ID. Self-loops and parallel edges are allowed.
type Edge struct {
	From, To string
	Label    string
}

// Graph is the input of [Layout]. Order matters only as a deterministic
// tie-breaker.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

// Options tunes [Layout]. The zero value is usable: NodeSep defaults to 30 and
// RankSep to 50.
type Options struct {
	Direction Direction
	// NodeSep is the minimum gap between neighbouring boxes in one layer.
	NodeSep float64
	// RankSep is the gap between consecutive layers.
	RankSep float64
}

// Point is a position in output coordinates (y grows downwards).
type Point struct{ X, Y float64 }

// Rect is an axis-aligned box; X, Y is its top-left corner.
type Rect struct{ X, Y, W, H float64 }

// Center returns the middle of r.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// EdgePath is the route of one input edge, in the order of Graph.Edges.
type EdgePath struct {
	From, To, Label string
	// Points is a polyline of straight segments from the border of From to
	// the border of To.
	Points []Point
	// Reversed is true when the edge was reversed to break a cycle; it then
	// runs against the layout direction.
	Reversed bool
	// SelfLoop is true for an edge from a node to itself.
	SelfLoop bool
}

// Result is the output of [Layout].
type Result struct {
	// Nodes holds the box of every leaf node (nodes that are not groups).
	Nodes map[string]Rect
	// Groups holds the bounding box of every group, containers included.
	Groups map[string]Rect
	// Labels holds, for every group container with a label size, the
	// rectangle its label is drawn in. It is as wide as asked, except in
	// LeftRight where a group is narrower than its label: it is then as wide
	// as the group allows, and the caller shortens the text.
	Labels map[string]Rect
	Edges  []EdgePath
	// Width and Height are the size of the drawing, origin at 0, 0.
	Width, Height float64
	// Crossings is the number of edge crossings between consecutive layers of
	// the final ordering (long edges counted through their dummy nodes).
	Crossings int
	// Layers is the number of layers used.
	Layers    int
	Direction Direction

	nodeOrder  []string // leaf ids, input order
	groupOrder []string // group ids, outermost first
}

const (
	groupPad  = 12.0
	loopWidth = 24.0
	// A group label sits labelGap inside the top wall and labelInset in from
	// the box's side, and keeps labelClear from the edges that enter the box.
	labelGap   = 2.0
	labelInset = 5.0
	labelClear = 6.0
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Layout computes a layered drawing of g. See the package documentation for
// the steps and the error contract.
func Layout(g Graph, opts Options) (*Result, error) {
	if !finite(opts.NodeSep) || opts.NodeSep < 0 {
		return nil, fmt.Errorf("layout: Options.NodeSep is %v; use a finite value >= 0 (0 picks the default 30)", opts.NodeSep)
	}
	if !finite(opts.RankSep) || opts.RankSep < 0 {
		return nil, fmt.Errorf("layout: Options.RankSep is %v; use a finite value >= 0 (0 picks the default 50)", opts.RankSep)
	}
	if opts.Direction != TopBottom && opts.Direction != LeftRight {
		return nil, fmt.Errorf("layout: Options.Direction is %d; use TopBottom or LeftRight", opts.Direction)
	}
	if opts.NodeSep == 0 {
		opts.NodeSep = 30
	}
	if opts.RankSep == 0 {
		opts.RankSep = 50
	}
	st, err := build(g, opts)
	if err != nil {
		return nil, err
	}
	st.breakCycles()
	st.assignLayers()
	st.splitLongEdges()
	st.order()
	st.assignX()
	st.separateGroups()
	st.placeLabels()
	return st.result(), nil
}
