// SPDX-License-Identifier: Apache-2.0

// Command layoutbench compares the diagrams' layout engine (diagram/internal/layout) with
// Graphviz dot (scripts/setup-graphviz.sh): wall time and edge crossings on the demo
// models' op graphs and on random layered DAGs. It prints a table, then a last line
// "layout: figure=value ...". It lives next to the engine, which nothing outside
// diagram/ may import; `go run ./internal/cmd/bench layout [flags]` runs it too.
//
//	GOEXPERIMENT=simd go run ./diagram/internal/layout/layoutbench [flags]
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/diagram/internal/layout"
	"github.com/gonbviz/gonbviz/internal/realmodels"
)

func main() {
	if err := runLayout(os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "layoutbench: %v\n", err)
		os.Exit(1)
	}
}

// runLayout compares gonbviz's layout engine with Graphviz dot on the
// same graphs: wall time and edge crossings for each.
//
// Graphs: the op graphs of the demo models extracted from GoMLX (modelGraphs: MLP, CNN,
// transformer), of two bigger real models (the 12-block transformer of GoMLX's zoo and a
// ResNet-style CNN with projection shortcuts, package realmodels), and
// layout.RandomLayeredDAG(n, seed) for n in -sizes (default 500, 2000 and 10000).
//
// The last line gives crossings_vs_dot_real_max, the largest ratio of our crossings to
// dot's over the five model graphs (0/0 counts as 1), then the speed-up and crossing ratio
// at 2,000 nodes and the speed-up at 10,000.
//
// Ours: the best (minimum) wall time of -reps calls of layout.Layout with the default
// Options (NodeSep 30, RankSep 50, TopBottom), in this process.
//
// dot: the same graph written as DOT and piped to `dot -Tplain` (a separate process, so
// its wall time includes start-up, parsing and writing the output; that is a few ms and
// matters only for the small graphs). Every node is a fixed-size box of the same width
// and height (points/72 inches, label ""); nodesep and ranksep are ours in inches
// (30/72, 50/72); rankdir=TB; groups become nested `subgraph cluster_N`. Splines are
// dot's default (splines=spline: curves routed through its virtual nodes), i.e. the
// drawing one gets from plain `dot`; -splines changes that. dot runs at most -timeout
// (120 s) per graph; a time-out counts as 120 s and has no crossing count. Graphs where
// dot took under 10 s are run -reps times too, best time kept.
//
// Crossings are counted the same way for both drawings, from the final geometry, not
// from either engine's own bookkeeping: the ranks are the distinct y coordinates of the
// node centres (both engines centre every node of a rank on one line); every edge is
// cut at the y of each rank strictly between its end ranks, and the x where it crosses
// that line becomes a virtual point of that rank (our polylines are interpolated
// linearly; dot's cubic Bézier pieces are solved for y by bisection). Each rank is
// then ordered by x (nodes at their centre x), and layout.CountCrossings counts the
// crossings between consecutive ranks of that proper layered drawing (the
// Barth–Jünger–Mutzel count Sugiyama engines minimise; edges sharing an end node do not
// cross). For our engine this equals Result.Crossings, which the bench checks.
func runLayout(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("layoutbench", flag.ContinueOnError)
	sizes := fs.String("sizes", "500,2000,10000", "comma-separated node counts of the random layered DAGs")
	seed := fs.Int64("seed", 1, "seed of the random layered DAGs")
	reps := fs.Int("reps", 3, "runs of each layout (best time kept; dot: only when it takes < 10 s)")
	timeout := fs.Duration("timeout", 120*time.Second, "time limit for one dot run; a time-out counts as this long")
	dotPath := fs.String("dot", "dot", "the Graphviz dot executable")
	splines := fs.String("splines", "", "dot's splines attribute (empty: dot's default, spline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *reps < 1 {
		return fmt.Errorf("-reps must be at least 1, got %d", *reps)
	}
	dot, err := exec.LookPath(*dotPath)
	if err != nil {
		return fmt.Errorf("dot (Graphviz) not found (%v); install it with scripts/setup-graphviz.sh (Debian's graphviz package; needed for this benchmark only)", err)
	}
	version, _ := exec.Command(dot, "-V").CombinedOutput()

	graphs, err := modelGraphs()
	if err != nil {
		return err
	}
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: bad node count %q", f)
		}
		graphs = append(graphs, namedGraph{name: fmt.Sprintf("random-%d", n), g: layout.RandomLayeredDAG(n, *seed), n: n})
	}

	type result struct {
		oursMs, dotMs  float64
		oursC, dotC    int
		dotTimedOut    bool
		nodes, edges   int
		name           string
		n              int
		dotCrossingErr error
	}
	var results []result
	var rows [][]string
	for _, ng := range graphs {
		r := result{name: ng.name, n: ng.n, edges: len(ng.g.Edges)}
		r.nodes = countLeaves(ng.g)
		// Ours.
		var res *layout.Result
		r.oursMs = math.Inf(1)
		for range *reps {
			start := time.Now()
			res, err = layout.Layout(ng.g, layout.Options{})
			if err != nil {
				return fmt.Errorf("%s: %v", ng.name, err)
			}
			r.oursMs = math.Min(r.oursMs, float64(time.Since(start))/float64(time.Millisecond))
		}
		if r.oursC, err = oursCrossings(ng.g, res); err != nil {
			return fmt.Errorf("%s: counting our crossings: %v", ng.name, err)
		}
		if r.oursC != res.Crossings {
			return fmt.Errorf("%s: crossings from our geometry (%d) differ from Result.Crossings (%d)", ng.name, r.oursC, res.Crossings)
		}
		// dot.
		src := toDOT(ng.g, *splines)
		r.dotMs = math.Inf(1)
		for rep := 0; rep < *reps; rep++ {
			plain, ms, timedOut, err := runDot(dot, src, *timeout)
			if err != nil {
				return fmt.Errorf("%s: %v", ng.name, err)
			}
			if timedOut {
				r.dotTimedOut, r.dotMs = true, float64(*timeout)/float64(time.Millisecond)
				break
			}
			r.dotMs = math.Min(r.dotMs, ms)
			if rep == 0 {
				r.dotC, r.dotCrossingErr = dotCrossings(ng.g, plain)
				if r.dotCrossingErr != nil {
					return fmt.Errorf("%s: counting dot's crossings: %v", ng.name, r.dotCrossingErr)
				}
			}
			if ms >= 10000 {
				break
			}
		}
		results = append(results, r)
		dotMs, dotC, ratio := fmt.Sprintf("%.1f", r.dotMs), strconv.Itoa(r.dotC), ratioStr(r.oursC, r.dotC)
		if r.dotTimedOut {
			dotMs, dotC, ratio = fmt.Sprintf(">%.0f (time-out)", r.dotMs), "-", "-"
		}
		rows = append(rows, []string{r.name, strconv.Itoa(r.nodes), strconv.Itoa(r.edges),
			fmt.Sprintf("%.1f", r.oursMs), dotMs, fmt.Sprintf("%.0fx", r.dotMs/r.oursMs),
			strconv.Itoa(r.oursC), dotC, ratio})
	}
	spl := *splines
	if spl == "" {
		spl = "default (spline)"
	}
	fmt.Fprintf(out, "CPU: %s (%d logical CPUs)\n", cpuModel(), runtime.NumCPU())
	fmt.Fprintf(out, "%s; dot -Tplain, rankdir=TB, nodesep=30/72, ranksep=50/72, splines=%s, time-out %v\n",
		strings.TrimSpace(string(version)), spl, *timeout)
	fmt.Fprintf(out, "ours: best of %d runs; dot: best of %d runs when under 10 s; crossings recounted from both drawings' geometry\n", *reps, *reps)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, r := range append([][]string{{"graph", "nodes", "edges", "ours ms", "dot ms", "speedup", "our crossings", "dot crossings", "ratio"}}, rows...) {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()

	var last []string
	// The worst ratio of our crossings to dot's over the model graphs (n == 0).
	realMax, realNA := 0.0, false
	for _, r := range results {
		if r.n != 0 {
			continue
		}
		if r.dotTimedOut {
			realNA = true
			continue
		}
		realMax = max(realMax, crossingRatio(r.oursC, r.dotC))
	}
	if realNA {
		last = append(last, "crossings_vs_dot_real_max=n/a(dot-timed-out)")
	} else {
		last = append(last, fmt.Sprintf("crossings_vs_dot_real_max=%.3f", realMax))
	}
	for _, r := range results {
		switch r.n {
		case 2000:
			last = append(last, fmt.Sprintf("speedup_vs_dot@2000=%.1f", r.dotMs/r.oursMs))
			if r.dotTimedOut {
				last = append(last, "crossings_vs_dot@2000=n/a(dot-timed-out)")
			} else {
				last = append(last, "crossings_vs_dot@2000="+ratioStr(r.oursC, r.dotC))
			}
		case 10000:
			s := fmt.Sprintf("speedup_vs_dot@10000=%.1f", r.dotMs/r.oursMs)
			if r.dotTimedOut {
				s = fmt.Sprintf("speedup_vs_dot@10000>=%.1f", r.dotMs/r.oursMs)
			}
			last = append(last, s)
		}
	}
	fmt.Fprintln(out, "layout: "+strings.Join(last, " "))
	return nil
}

func ratioStr(a, b int) string { return fmt.Sprintf("%.3f", crossingRatio(a, b)) }

// crossingRatio is a/b, with 0/0 = 1 (both drawings free of crossings) and a/0 = +Inf.
func crossingRatio(a, b int) float64 {
	switch {
	case b > 0:
		return float64(a) / float64(b)
	case a == 0:
		return 1
	}
	return math.Inf(1)
}

// namedGraph is one benchmark input. n is the requested size of a random DAG (0 for the
// op graphs).
type namedGraph struct {
	name string
	g    layout.Graph
	n    int
	m    demo.Model // the model of an op graph
}

// modelGraphs are the op graphs of the demo models (package demo: the digits MLP, the
// small CNN and the two-block transformer) and of two bigger real models (package
// realmodels: the 12-block transformer of GoMLX's zoo and a ResNet-style CNN with
// projection shortcuts), extracted from GoMLX and drawn at op level with every op a box,
// grouped by inferred scope: exactly what the diagrams lay out.
func modelGraphs() ([]namedGraph, error) {
	var models []demo.Model
	for _, name := range demo.ModelNames {
		m, err := demo.GetModel(name)
		if err != nil {
			return nil, err
		}
		models = append(models, m)
	}
	models = append(models, realmodels.All()...)
	var out []namedGraph
	for _, m := range models {
		name := m.Name
		d, err := diagram.FromModel(nil, m.Fn, m.InputShapes, diagram.Options{Title: m.Title, Depth: diagram.OpLevel, MaxBoxes: 1 << 20})
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", name, err)
		}
		boxes, links, err := d.Graph()
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", name, err)
		}
		var g layout.Graph
		for _, b := range boxes {
			g.Nodes = append(g.Nodes, layout.Node{ID: b.ID, Width: b.Width, Height: b.Height, Parent: b.Group})
		}
		for _, l := range links {
			g.Edges = append(g.Edges, layout.Edge{From: l.From, To: l.To, Label: l.Label})
		}
		out = append(out, namedGraph{name: name + " (ops)", g: g, m: m})
	}
	return out, nil
}

// cpuModel is the first "model name" of /proc/cpuinfo, or GOARCH.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// countLeaves counts the nodes that are not groups.
func countLeaves(g layout.Graph) int {
	isGroup := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Parent != "" {
			isGroup[n.Parent] = true
		}
	}
	c := 0
	for _, n := range g.Nodes {
		if !isGroup[n.ID] {
			c++
		}
	}
	return c
}

// toDOT writes g for dot: leaves as fixed-size boxes named v<index>, groups as nested
// clusters, sizes and separations in inches.
func toDOT(g layout.Graph, splines string) []byte {
	var b bytes.Buffer
	in := func(pt float64) string { return strconv.FormatFloat(pt/72, 'f', 4, 64) }
	b.WriteString("digraph G {\n")
	fmt.Fprintf(&b, "graph [rankdir=TB, nodesep=%s, ranksep=%s", in(30), in(50))
	if splines != "" {
		fmt.Fprintf(&b, ", splines=%s", splines)
	}
	b.WriteString("];\nnode [shape=box, fixedsize=true, label=\"\", margin=0];\n")
	isGroup := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Parent != "" {
			isGroup[n.Parent] = true
		}
	}
	idx := map[string]int{}
	children := map[string][]int{} // parent id -> node indices
	groupName := map[string]int{}
	var groupsInOrder []string
	for i, n := range g.Nodes {
		idx[n.ID] = i
		children[n.Parent] = append(children[n.Parent], i)
		if n.Parent != "" {
			if _, ok := groupName[n.Parent]; !ok {
				groupName[n.Parent] = len(groupName)
				groupsInOrder = append(groupsInOrder, n.Parent)
			}
		}
	}
	var emit func(parent string, depth int)
	emit = func(parent string, depth int) {
		ind := strings.Repeat("  ", depth)
		for _, i := range children[parent] {
			n := g.Nodes[i]
			if isGroup[n.ID] {
				fmt.Fprintf(&b, "%ssubgraph cluster_%d {\n", ind, groupName[n.ID])
				emit(n.ID, depth+1)
				fmt.Fprintf(&b, "%s}\n", ind)
				continue
			}
			fmt.Fprintf(&b, "%sv%d [width=%s, height=%s];\n", ind, i, in(n.Width), in(n.Height))
		}
	}
	emit("", 1)
	// Implicit groups (names that are no node's ID) sit at the top level.
	for _, gid := range groupsInOrder {
		if _, isNode := idx[gid]; !isNode {
			fmt.Fprintf(&b, "  subgraph cluster_%d {\n", groupName[gid])
			emit(gid, 2)
			b.WriteString("  }\n")
		}
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "  v%d -> v%d;\n", idx[e.From], idx[e.To])
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// runDot runs dot -Tplain on src with a time limit.
func runDot(dot string, src []byte, timeout time.Duration) (plain []byte, ms float64, timedOut bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, dot, "-Tplain")
	cmd.Stdin = bytes.NewReader(src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	ms = float64(time.Since(start)) / float64(time.Millisecond)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, ms, true, nil
	}
	if err != nil {
		return nil, ms, false, fmt.Errorf("dot: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), ms, false, nil
}

// drawnEdge is an edge of a finished drawing: its end nodes and its route, either a
// polyline or a piecewise cubic Bézier curve (1+3k points).
type drawnEdge struct {
	from, to string
	pts      []layout.Point
	bezier   bool
}

// oursCrossings recounts the crossings of our drawing from its geometry.
func oursCrossings(g layout.Graph, res *layout.Result) (int, error) {
	centres := make(map[string]layout.Point, len(res.Nodes))
	for id, r := range res.Nodes {
		centres[id] = r.Center()
	}
	var edges []drawnEdge
	for _, e := range res.Edges {
		if e.SelfLoop {
			continue
		}
		edges = append(edges, drawnEdge{from: e.From, to: e.To, pts: e.Points})
	}
	return geometricCrossings(centres, edges)
}

// dotCrossings parses dot's plain output and counts its crossings.
func dotCrossings(g layout.Graph, plain []byte) (int, error) {
	centres := map[string]layout.Point{}
	var edges []drawnEdge
	sc := bufio.NewScanner(bytes.NewReader(plain))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	name := func(tok string) (string, error) {
		i, err := strconv.Atoi(strings.TrimPrefix(strings.Trim(tok, `"`), "v"))
		if err != nil || i < 0 || i >= len(g.Nodes) {
			return "", fmt.Errorf("unexpected node name %q in dot output", tok)
		}
		return g.Nodes[i].ID, nil
	}
	for sc.Scan() {
		f := plainFields(sc.Text())
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "node":
			if len(f) < 4 {
				return 0, fmt.Errorf("short node line %q", sc.Text())
			}
			id, err := name(f[1])
			if err != nil {
				return 0, err
			}
			x, err1 := strconv.ParseFloat(f[2], 64)
			y, err2 := strconv.ParseFloat(f[3], 64)
			if err1 != nil || err2 != nil {
				return 0, fmt.Errorf("bad node line %q", sc.Text())
			}
			centres[id] = layout.Point{X: x * 72, Y: y * 72}
		case "edge":
			if len(f) < 4 {
				return 0, fmt.Errorf("short edge line %q", sc.Text())
			}
			from, err := name(f[1])
			if err != nil {
				return 0, err
			}
			to, err := name(f[2])
			if err != nil {
				return 0, err
			}
			n, err := strconv.Atoi(f[3])
			if err != nil || len(f) < 4+2*n {
				return 0, fmt.Errorf("bad edge line %q", sc.Text())
			}
			pts := make([]layout.Point, n)
			for k := range n {
				x, err1 := strconv.ParseFloat(f[4+2*k], 64)
				y, err2 := strconv.ParseFloat(f[5+2*k], 64)
				if err1 != nil || err2 != nil {
					return 0, fmt.Errorf("bad edge line %q", sc.Text())
				}
				pts[k] = layout.Point{X: x * 72, Y: y * 72}
			}
			if from != to {
				edges = append(edges, drawnEdge{from: from, to: to, pts: pts, bezier: n >= 4 && (n-1)%3 == 0})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return geometricCrossings(centres, edges)
}

// plainFields splits a line of dot's plain output, keeping quoted strings whole.
func plainFields(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == len(s) {
			break
		}
		j := i
		if s[i] == '"' {
			j++
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
		} else {
			for j < len(s) && s[j] != ' ' {
				j++
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// geometricCrossings counts crossings between consecutive ranks of a drawing, where the
// ranks are the distinct y of the node centres and every edge passes through each rank
// between its ends at the x where its route meets that rank's line.
func geometricCrossings(centres map[string]layout.Point, edges []drawnEdge) (int, error) {
	key := func(y float64) float64 { return math.Round(y*100) / 100 }
	var ys []float64
	seen := map[float64]bool{}
	for _, p := range centres {
		if k := key(p.Y); !seen[k] {
			seen[k] = true
			ys = append(ys, k)
		}
	}
	slices.Sort(ys)
	rankOf := make(map[float64]int, len(ys))
	for i, y := range ys {
		rankOf[y] = i
	}
	type item struct {
		x  float64
		id string
	}
	ranks := make([][]item, len(ys))
	ids := make([]string, 0, len(centres))
	for id := range centres {
		ids = append(ids, id)
	}
	slices.Sort(ids) // deterministic tie order
	for _, id := range ids {
		p := centres[id]
		r := rankOf[key(p.Y)]
		ranks[r] = append(ranks[r], item{p.X, id})
	}
	var proper []layout.Edge
	for i, e := range edges {
		a, okA := centres[e.from]
		b, okB := centres[e.to]
		if !okA || !okB {
			return 0, fmt.Errorf("edge %s -> %s has an end without a position", e.from, e.to)
		}
		ra, rb := rankOf[key(a.Y)], rankOf[key(b.Y)]
		from, to := e.from, e.to
		if ra > rb {
			ra, rb, from, to = rb, ra, to, from
		}
		if ra == rb {
			continue // flat edge: not between ranks
		}
		prev := from
		for r := ra + 1; r < rb; r++ {
			x, ok := routeX(e.pts, e.bezier, ys[r])
			if !ok {
				return 0, fmt.Errorf("edge %s -> %s does not reach y=%v", e.from, e.to, ys[r])
			}
			id := fmt.Sprintf("\x00e%d@%d", i, r)
			ranks[r] = append(ranks[r], item{x, id})
			proper = append(proper, layout.Edge{From: prev, To: id})
			prev = id
		}
		proper = append(proper, layout.Edge{From: prev, To: to})
	}
	layers := make([][]string, len(ranks))
	for r, items := range ranks {
		slices.SortStableFunc(items, func(a, b item) int { return cmp.Compare(a.x, b.x) })
		for _, it := range items {
			layers[r] = append(layers[r], it.id)
		}
	}
	return layout.CountCrossings(layers, proper)
}

// routeX returns the x at which a route first meets the horizontal line at y.
func routeX(pts []layout.Point, bezier bool, y float64) (float64, bool) {
	const eps = 1e-6
	if !bezier {
		for k := 0; k+1 < len(pts); k++ {
			p, q := pts[k], pts[k+1]
			if (p.Y-y)*(q.Y-y) <= 0 && math.Abs(q.Y-p.Y) > eps {
				t := (y - p.Y) / (q.Y - p.Y)
				return p.X + t*(q.X-p.X), true
			}
			if math.Abs(p.Y-y) <= eps {
				return p.X, true
			}
		}
		return 0, false
	}
	for k := 0; k+3 < len(pts); k += 3 {
		p0, p1, p2, p3 := pts[k], pts[k+1], pts[k+2], pts[k+3]
		at := func(t float64) layout.Point {
			u := 1 - t
			a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
			return layout.Point{X: a*p0.X + b*p1.X + c*p2.X + d*p3.X, Y: a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y}
		}
		// Sample the piece, then bisect the first sub-interval that brackets y.
		const samples = 16
		t0, q0 := 0.0, p0
		for s := 1; s <= samples; s++ {
			t1 := float64(s) / samples
			q1 := at(t1)
			if (q0.Y-y)*(q1.Y-y) <= 0 {
				lo, hi := t0, t1
				for range 50 {
					mid := (lo + hi) / 2
					if (at(lo).Y-y)*(at(mid).Y-y) <= 0 {
						hi = mid
					} else {
						lo = mid
					}
				}
				return at((lo + hi) / 2).X, true
			}
			t0, q0 = t1, q1
		}
	}
	return 0, false
}
