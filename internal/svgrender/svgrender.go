// Package svgrender renders Vega-Lite specs to static SVG in-process, in pure
// Go: it runs the real vega and vega-lite JavaScript bundles (embedded by
// internal/jsbundle) in modernc.org/quickjs, a JavaScript engine transpiled to
// Go. No Node.js, no cgo, no network.
//
// The output is what vega's View.toSVG() gives for a headless view (renderer
// 'none'), byte for byte the same as Node running the same packages: the tests
// check it against internal/testing/nodecheck. To get there the engine gets V8's
// results where QuickJS's differ: Math.sin, cos, tan, exp, log, log1p, log2,
// log10, pow and hypot are V8's algorithms (v8math.js; musl's results differ
// in the last bit for up to 15% of arguments, which moves ticks and path
// coordinates), and Number.prototype.toLocaleString formats as V8 does for
// "en" (used by d3-format for numbers >= 1e21). Text widths are vega's
// estimates (no canvas), as in Node. Dates use the process's local time zone
// (TZ, else /etc/localtime, as read when the first engine starts), as Node
// does.
//
// Math.random is seeded the same way for every render, so a spec that samples
// (bootstrap confidence intervals, the sample transform, random()) renders the
// same SVG every time; Node and browsers draw different numbers on each run.
//
// Data must be inlined ("values"): every URL or file load is refused with an
// error. Links (the href channel) are not loads: they render as vega's own
// loader sanitizes them. Images inlined as data:image/ URLs render as they are;
// an image at any other URL is never fetched but drawn empty, and the render
// says so in one note (Result.Notes), however many images there are.
//
// The bundles are compiled to QuickJS bytecode once and kept in the user's
// cache directory (cache.go), so that a new process, such as every GoNB cell,
// reads it instead of compiling again; a [Renderer] keeps warm engines (VMs
// with vega and vega-lite loaded) and reuses them. The costs are in
// docs/measurements/costs.md. Three exact patches of vega's code
// (patch.go) route its expression parser, code generator and Function()
// compiles through memos kept per engine, the compilation cache an interpreter
// lacks: a chart's axes and legends repeat expressions, and so do charts of
// the same kind. They change no output, and the bundles sent to browsers are
// not patched. With them the gallery renders in 2.6x the CPU time of a warm
// Node (3.1x with the memos emptied before every render, 3.65x before them);
// what remains is the interpreter itself (`go run ./internal/cmd/bench
// render`).
package svgrender

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Defaults for [Options].
const (
	// DefaultTimeout caps a render whose context has no earlier deadline.
	DefaultTimeout = time.Minute
	// DefaultMemoryLimit is the memory limit of each engine's JavaScript heap.
	DefaultMemoryLimit = 1 << 30
	// DefaultMaxRenders is how many renders an engine does before it is
	// replaced by a fresh one, bounding heap growth and fragmentation.
	DefaultMaxRenders = 1000
)

// Options configure a [Renderer]. The zero value gives the defaults.
type Options struct {
	// MaxEngines is how many engines (QuickJS VMs) may exist, and so render in
	// parallel, at once. 0 means runtime.GOMAXPROCS(0).
	MaxEngines int
	// Timeout caps each render (including starting an engine when none is
	// idle) when the context has no earlier deadline. 0 means DefaultTimeout;
	// negative means no cap.
	Timeout time.Duration
	// MemoryLimit is the JavaScript heap limit of each engine, in bytes. 0
	// means DefaultMemoryLimit; negative means no limit.
	MemoryLimit int64
	// MaxRenders is how many renders an engine does before it is replaced. 0
	// means DefaultMaxRenders; negative means no limit.
	MaxRenders int
	// NoMemo empties an engine's expression memos (see vegaPatches) before
	// every render, so that each render pays as if its expressions were new:
	// for measuring, not for use.
	NoMemo bool
	// Scenegraph makes every render also return the drawn scenegraph
	// (Result.Scenegraph), for tests that check what a chart draws, not
	// only its bytes. Off, a render costs nothing more.
	Scenegraph bool
}

// Result is a rendered chart.
type Result struct {
	// SVG is the chart, as vega's View.toSVG() gives it.
	SVG string
	// Warnings are the warnings vega-lite's compiler and the vega view
	// logged, such as "shape dropped as it is incompatible with "bar"." (info
	// and debug messages are not kept).
	Warnings []string
	// CompileWarnings are the first of Warnings: those vega-lite's compiler
	// logged, about the spec itself ("Selection not supported for boxplot
	// yet."), as opposed to what the view logged while running on the data
	// ("Infinite extent for field ...", for a layer left without rows).
	CompileWarnings []string
	// Notes say what the SVG does not show that the spec asks for: images
	// at URLs that were not fetched (drawn empty), one note for the chart.
	Notes []string
	// Scenegraph is the drawn scene as JSON, when Options.Scenegraph is set
	// (else nil):
	//
	//	{"scales": {"<name>": {"type", "domain", "range", "zero", "one"}},
	//	 "viewport": {"x1", "y1", "x2", "y2"}, "root": <mark>}
	//
	// scales are the view's scales ("zero" and "one" are the pixel positions of
	// the values 0 and 1 on linear, pow, sqrt and symlog scales; "one" on log
	// scales); viewport is the SVG's visible area in the root group's
	// coordinates (what lies outside is cut off); a mark is {"marktype", "role", "name", "description", "items"},
	// where description is the items' ariaRoleDescription (Vega-Lite's mark
	// type: "bar", "area", ...) and "clip" is true for a clipped mark, and an
	// item is {"x", "y", "width", "height", "x2", "y2", "opacity",
	// "fillOpacity"} (those set, in the coordinates of its group) and
	// "bounds" {"x1", "y1", "x2", "y2"} (the box vega computed for it, in the
	// same coordinates; text widths are vega's estimates) with, for a group,
	// its marks in "items" and "clip" when it clips them, for a text item its
	// "text" (lines joined with "\n", before truncation), "limit" and
	// "truncated" (true when the limit cut it short), and for a data mark's
	// item the number, string and boolean fields of its datum in "datum".
	Scenegraph []byte
}

// Error is a failure reported by vega-lite or vega for a spec: an exception
// (Message, thrown at Stage) and/or errors they logged (Logged), such as a
// refused data load.
type Error struct {
	// Stage is where the exception was thrown: "parse spec JSON", "vega-lite
	// compile", "vega parse", "vega run" or "vega toSVG"; empty if none was.
	Stage string
	// Message is the exception's message, if any.
	Message string
	// Logged holds the messages logged at the error level.
	Logged []string
	// Warnings holds the warnings logged before the failure.
	Warnings []string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("svgrender: ")
	if e.Message != "" {
		b.WriteString(e.Stage)
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, m := range e.Logged {
		if i > 0 || e.Message != "" {
			b.WriteString("; ")
		}
		b.WriteString(m)
	}
	return b.String()
}

// ErrClosed is returned by Render after Close.
var ErrClosed = errors.New("svgrender: renderer closed")

// Renderer is a pool of warm engines. It is safe for concurrent use: up to
// Options.MaxEngines renders run in parallel, others wait for an engine.
type Renderer struct {
	opts  Options
	slots chan struct{} // one token per engine in use or being started

	mu     sync.Mutex
	idle   []*engine // most recently used last
	closed bool
}

// New returns a Renderer. Engines are started on demand and kept until Close.
func New(opts Options) *Renderer {
	if opts.MaxEngines <= 0 {
		opts.MaxEngines = runtime.GOMAXPROCS(0)
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MemoryLimit == 0 {
		opts.MemoryLimit = DefaultMemoryLimit
	}
	if opts.MaxRenders == 0 {
		opts.MaxRenders = DefaultMaxRenders
	}
	return &Renderer{opts: opts, slots: make(chan struct{}, opts.MaxEngines)}
}

// Render compiles a Vega-Lite spec (JSON text) and returns the SVG text, as
// vega's View.toSVG() gives it. Warnings are dropped; see RenderWithWarnings.
func (r *Renderer) Render(ctx context.Context, spec []byte) (string, error) {
	res, err := r.RenderWithWarnings(ctx, spec)
	return res.SVG, err
}

// RenderWithWarnings is Render that also returns the warnings vega-lite and
// vega logged. Failures of the spec are *Error; a context that is done, or
// the Options.Timeout, give the context's error (context.Canceled or
// context.DeadlineExceeded).
func (r *Renderer) RenderWithWarnings(ctx context.Context, spec []byte) (Result, error) {
	if !json.Valid(spec) {
		return Result{}, &Error{Stage: "parse spec JSON", Message: "spec is not valid JSON"}
	}
	deadline := time.Now().Add(365 * 24 * time.Hour)
	if r.opts.Timeout > 0 {
		deadline = time.Now().Add(r.opts.Timeout)
	}
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	e, err := r.acquire(ctx, deadline)
	if err != nil {
		return Result{}, err
	}
	res, err := e.run(ctx, deadline, spec, r.opts.NoMemo, r.opts.Scenegraph)
	r.release(e)
	return res, err
}

// acquire returns an idle engine, or starts one if fewer than MaxEngines exist.
func (r *Renderer) acquire(ctx context.Context, deadline time.Time) (*engine, error) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, context.DeadlineExceeded
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.slots
		return nil, ErrClosed
	}
	if n := len(r.idle); n > 0 {
		e := r.idle[n-1]
		r.idle = r.idle[:n-1]
		r.mu.Unlock()
		return e, nil
	}
	r.mu.Unlock()
	e, err := newEngine(ctx, deadline, r.opts.MemoryLimit)
	if err != nil {
		<-r.slots
		return nil, err
	}
	return e, nil
}

// release returns e to the pool, or closes it if it must not be reused.
func (r *Renderer) release(e *engine) {
	r.mu.Lock()
	keep := !r.closed && !e.broken && (r.opts.MaxRenders < 0 || e.renders < r.opts.MaxRenders)
	if keep {
		r.idle = append(r.idle, e)
	}
	r.mu.Unlock()
	if !keep {
		e.close()
	}
	<-r.slots
}

// Close releases the idle engines; engines busy rendering are released when
// their render ends. Render fails with ErrClosed afterwards.
func (r *Renderer) Close() error {
	r.mu.Lock()
	idle := r.idle
	r.idle = nil
	r.closed = true
	r.mu.Unlock()
	for _, e := range idle {
		e.close()
	}
	return nil
}

var (
	defaultOnce     sync.Once
	defaultRenderer *Renderer
)

// Default returns the Renderer used by the package-level functions, created
// on first use with the default Options. It is never closed.
func Default() *Renderer {
	defaultOnce.Do(func() { defaultRenderer = New(Options{}) })
	return defaultRenderer
}

// Render compiles a Vega-Lite spec (JSON text) and returns the SVG text, as
// vega's View.toSVG() gives it, using the Default Renderer.
func Render(ctx context.Context, spec []byte) (string, error) {
	return Default().Render(ctx, spec)
}

// RenderWithWarnings is Render that also returns the warnings, using the
// Default Renderer.
func RenderWithWarnings(ctx context.Context, spec []byte) (Result, error) {
	return Default().RenderWithWarnings(ctx, spec)
}

// Warm starts one engine of the Default Renderer ahead of the first render,
// compiling the bundles to bytecode if that was not done yet.
func Warm(ctx context.Context) error {
	return Default().Warm(ctx)
}

// Warm makes sure r has an idle engine (compiling the bundles to bytecode
// first if that was not done yet in this process), so that the next Render
// does not pay the start-up.
func (r *Renderer) Warm(ctx context.Context) error {
	deadline := time.Now().Add(r.opts.Timeout)
	if r.opts.Timeout < 0 {
		deadline = time.Now().Add(365 * 24 * time.Hour)
	}
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	e, err := r.acquire(ctx, deadline)
	if err != nil {
		return err
	}
	r.release(e)
	return nil
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
