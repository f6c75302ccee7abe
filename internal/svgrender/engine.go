package svgrender

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gonbviz/gonbviz/internal/jsbundle"
	"modernc.org/quickjs"
)

var (
	//go:embed prelude.js
	preludeJS string
	//go:embed setup.js
	setupJS string
	//go:embed v8math.js
	v8mathJS string
)

// script is one piece of JavaScript an engine evaluates at start-up, in order.
type script struct {
	name string
	src  func() (string, error)
}

var scripts = []script{
	{"v8math.js", text(v8mathJS)},
	{"prelude.js", text(preludeJS)},
	{"vega.min.js", func() (string, error) { return patchVega(jsbundle.Vega()) }},
	{"vega-lite.min.js", func() (string, error) { return jsbundle.VegaLite(), nil }},
	{"setup.js", text(setupJS)},
}

// text is the source of a script held in a string.
func text(s string) func() (string, error) { return func() (string, error) { return s, nil } }

// compiled holds the QuickJS bytecode of scripts, compiled (or read from the
// cache, see cache.go) once per process.
var compiled struct {
	mu   sync.Mutex
	done bool
	code [][]byte
	err  error
	// gen counts the compiles that replaced cached bytecode (see recompile).
	gen int
	// path is the cache file, "" when the cache is off; fromCache says that
	// code was read from it.
	path      string
	fromCache bool
}

// bytecode returns the bytecode of scripts, from the cache or compiled on
// first use, its generation, and whether it came from the cache.
func bytecode() (code [][]byte, gen int, fromCache bool, err error) {
	compiled.mu.Lock()
	defer compiled.mu.Unlock()
	if !compiled.done {
		compiled.done = true
		srcs, err := sources()
		if err != nil {
			compiled.err = fmt.Errorf("svgrender: %w", err)
			return nil, 0, false, compiled.err
		}
		compiled.path = cachePath(srcs)
		if compiled.path != "" {
			compiled.code = loadCache(compiled.path, len(scripts))
			compiled.fromCache = compiled.code != nil
		}
		if compiled.code == nil {
			compiled.code, compiled.err = compileScripts(srcs)
			if compiled.err == nil && compiled.path != "" {
				storeCache(compiled.path, compiled.code)
			}
		}
	}
	return compiled.code, compiled.gen, compiled.fromCache, compiled.err
}

// recompile replaces bytecode of generation gen, read from the cache, with a
// fresh compile after it failed to start an engine, and rewrites the cache
// file. It returns the bytecode to retry with, and false if there is none.
func recompile(gen int) ([][]byte, bool) {
	compiled.mu.Lock()
	defer compiled.mu.Unlock()
	if compiled.gen != gen { // another engine already recompiled
		return compiled.code, compiled.err == nil
	}
	srcs, err := sources()
	if err != nil {
		return nil, false
	}
	code, err := compileScripts(srcs)
	if err != nil {
		return nil, false
	}
	compiled.code, compiled.fromCache = code, false
	compiled.gen++
	if compiled.path != "" {
		storeCache(compiled.path, code)
	}
	return code, true
}

// sources returns the source texts of scripts.
func sources() ([]string, error) {
	srcs := make([]string, len(scripts))
	for i, s := range scripts {
		src, err := s.src()
		if err != nil {
			return nil, err
		}
		srcs[i] = src
	}
	return srcs, nil
}

// compileScripts compiles the sources of scripts in a scratch VM.
func compileScripts(srcs []string) (code [][]byte, err error) {
	err = protect(func() error {
		vm, err := quickjs.NewVM()
		if err != nil {
			return err
		}
		defer vm.Close()
		for i, src := range srcs {
			b, err := vm.Compile(src, quickjs.EvalGlobal)
			if err != nil {
				return fmt.Errorf("compiling %s: %w", scripts[i].name, err)
			}
			code = append(code, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("svgrender: %w", err)
	}
	return code, nil
}

// protect runs f and turns a panic into an error.
func protect(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("quickjs panic: %v", p)
		}
	}()
	return f()
}

// engine is one QuickJS VM with prelude.js, vega, vega-lite and setup.js
// evaluated. It is used by one goroutine at a time.
type engine struct {
	vm *quickjs.VM
	// The entry points of setup.js and prelude.js, kept to avoid evaluating
	// their names for every call.
	render, poll, takeSVG, takeScene, runTimer quickjs.Value
	funcs                                      []*quickjs.Value
	renders                                    int
	// broken is set when the VM must not be reused: it was interrupted, ran
	// out of memory, panicked, or was left in an unknown state.
	broken bool
}

// maxSteps bounds the timer turns of one render, so that a spec that keeps
// timers firing cannot keep an engine forever (the deadline also does).
const maxSteps = 100000

// newEngine starts a VM and evaluates the start-up scripts, within deadline.
func newEngine(ctx context.Context, deadline time.Time, memoryLimit int64) (*engine, error) {
	code, gen, fromCache, err := bytecode()
	if err != nil {
		return nil, err
	}
	e, err := startEngine(ctx, deadline, memoryLimit, code)
	if err != nil && fromCache && ctx.Err() == nil && time.Now().Before(deadline) {
		// Cached bytecode that does not run. The cache key covers the engine's
		// versions, so this should not happen; if it does, compile afresh and
		// retry once.
		if code, ok := recompile(gen); ok {
			return startEngine(ctx, deadline, memoryLimit, code)
		}
	}
	return e, err
}

// startEngine starts a VM and evaluates the bytecode of scripts in it.
func startEngine(ctx context.Context, deadline time.Time, memoryLimit int64, code [][]byte) (e *engine, err error) {
	e = &engine{}
	err = protect(func() error {
		vm, err := quickjs.NewVM()
		if err != nil {
			return err
		}
		e.vm = vm
		if memoryLimit > 0 {
			vm.SetMemoryLimit(uintptr(memoryLimit))
		}
		stop := context.AfterFunc(ctx, vm.Interrupt)
		defer func() {
			if !stop() {
				e.broken = true // ctx is done: an Interrupt may still land
			}
		}()
		for i, b := range code {
			if err := e.arm(ctx, deadline); err != nil {
				return err
			}
			v, err := vm.EvalBytecodeValue(b)
			if err != nil {
				return e.jsError(ctx, deadline, fmt.Errorf("evaluating %s: %w", scripts[i].name, err))
			}
			v.Free()
		}
		for _, f := range []struct {
			name string
			v    *quickjs.Value
		}{{"render", &e.render}, {"poll", &e.poll}, {"takeSVG", &e.takeSVG}, {"takeScene", &e.takeScene}, {"runTimer", &e.runTimer}} {
			v, err := vm.EvalValue("__gonbviz."+f.name, quickjs.EvalGlobal)
			if err != nil {
				return fmt.Errorf("looking up %s: %w", f.name, err)
			}
			*f.v = v
			e.funcs = append(e.funcs, f.v)
		}
		return nil
	})
	if err != nil {
		e.broken = true
		e.close()
		return nil, err
	}
	return e, nil
}

// arm sets the VM's eval timeout to what is left until deadline, and fails if
// ctx is done or deadline passed.
func (e *engine) arm(ctx context.Context, deadline time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	left := time.Until(deadline)
	if left <= 0 {
		return context.DeadlineExceeded
	}
	return e.vm.SetEvalTimeout(left)
}

// jsError is err, a failure of a call into JavaScript, unless ctx or the
// deadline explain it: an interrupt then becomes the context's error. Either
// way the VM is not reused.
func (e *engine) jsError(ctx context.Context, deadline time.Time, err error) error {
	e.broken = true
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if !time.Now().Before(deadline) && strings.Contains(err.Error(), "interrupted") {
		return context.DeadlineExceeded
	}
	return err
}

// outcome is what setup.js's poll reports.
type outcome struct {
	Error    string   `json:"error"`
	Stage    string   `json:"stage"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
	// CompileWarnings is how many of Warnings vega-lite's compiler logged (the first ones).
	CompileWarnings int `json:"compileWarnings"`
	// Notes are what the chart does not show (see Result.Notes).
	Notes []string `json:"notes"`
}

// run renders spec. Errors from the spec come back as *Error; other errors
// (context, deadline, engine failures) mark the engine broken.
// With scene, res also holds the scenegraph.
func (e *engine) run(ctx context.Context, deadline time.Time, spec []byte, noMemo, scene bool) (res Result, err error) {
	e.renders++
	err = protect(func() error {
		// Cancelling ctx interrupts the JavaScript. If that happened, or may
		// still happen, the engine is not reused: a late Interrupt must not
		// stop the next render.
		stop := context.AfterFunc(ctx, e.vm.Interrupt)
		defer func() {
			if !stop() {
				e.broken = true
			}
		}()

		if err := e.arm(ctx, deadline); err != nil {
			return err
		}
		if _, err := e.render.Call(quickjs.UndefinedValue, string(spec), noMemo, scene); err != nil {
			return e.jsError(ctx, deadline, fmt.Errorf("starting the render: %w", err))
		}
		for step := 0; ; step++ {
			if err := e.arm(ctx, deadline); err != nil {
				e.broken = true
				return err
			}
			if _, err := e.vm.ExecutePendingJobs(); err != nil {
				return e.jsError(ctx, deadline, fmt.Errorf("running jobs: %w", err))
			}
			if err := e.arm(ctx, deadline); err != nil {
				e.broken = true
				return err
			}
			out, err := e.poll.Call(quickjs.UndefinedValue)
			if err != nil {
				return e.jsError(ctx, deadline, fmt.Errorf("polling: %w", err))
			}
			if s, ok := out.(string); ok {
				// Let what the render left queued settle before the engine
				// is reused, so it cannot log into the next render.
				if err := e.arm(ctx, deadline); err != nil {
					e.broken = true
					return err
				}
				if _, err := e.vm.ExecutePendingJobs(); err != nil {
					return e.jsError(ctx, deadline, fmt.Errorf("running jobs: %w", err))
				}
				return e.finish(ctx, deadline, s, scene, &res)
			}
			if step >= maxSteps {
				e.broken = true
				return fmt.Errorf("render still pending after %d timer turns", maxSteps)
			}
			ran, err := e.runTimer.Call(quickjs.UndefinedValue)
			if err != nil {
				return e.jsError(ctx, deadline, fmt.Errorf("running a timer: %w", err))
			}
			if ran != true {
				e.broken = true
				return errors.New("render stalled: nothing left to run and vega did not finish")
			}
		}
	})
	if err != nil {
		var se *Error
		if !errors.As(err, &se) {
			e.broken = true
		}
		switch {
		case se != nil:
		case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
			err = fmt.Errorf("svgrender: render stopped: %w", err)
		default:
			err = fmt.Errorf("svgrender: %w", err)
		}
		return res, err
	}
	return res, nil
}

// finish decodes the outcome JSON of poll and fetches the SVG, and with scene
// the scenegraph.
func (e *engine) finish(ctx context.Context, deadline time.Time, s string, scene bool, res *Result) error {
	var out outcome
	if err := jsonUnmarshal(s, &out); err != nil {
		e.broken = true
		return fmt.Errorf("decoding the render outcome: %w", err)
	}
	res.Warnings = out.Warnings
	res.Notes = out.Notes
	if n := out.CompileWarnings; n > 0 && n <= len(out.Warnings) {
		res.CompileWarnings = out.Warnings[:n:n]
	}
	if err := e.arm(ctx, deadline); err != nil {
		e.broken = true
		return err
	}
	var sceneJSON string
	if scene {
		v, err := e.takeScene.Call(quickjs.UndefinedValue)
		if err != nil {
			return e.jsError(ctx, deadline, fmt.Errorf("fetching the scenegraph: %w", err))
		}
		sceneJSON, _ = v.(string)
		if err := e.arm(ctx, deadline); err != nil {
			e.broken = true
			return err
		}
	}
	v, err := e.takeSVG.Call(quickjs.UndefinedValue)
	if err != nil {
		return e.jsError(ctx, deadline, fmt.Errorf("fetching the SVG: %w", err))
	}
	svg, _ := v.(string)
	if out.Error != "" || len(out.Errors) > 0 {
		if strings.Contains(out.Error, "out of memory") {
			e.broken = true
		}
		return &Error{Stage: out.Stage, Message: out.Error, Logged: out.Errors, Warnings: out.Warnings}
	}
	if svg == "" {
		return &Error{Stage: "vega toSVG", Message: "empty SVG", Warnings: out.Warnings}
	}
	res.SVG = svg
	if scene {
		if sceneJSON == "" {
			return &Error{Stage: "vega scenegraph", Message: "empty scenegraph", Warnings: out.Warnings}
		}
		res.Scenegraph = []byte(sceneJSON)
	}
	return nil
}

// close releases the VM. (A VM that a Go panic went up through is abandoned
// by quickjs, which then leaks its memory rather than free it unsafely.)
func (e *engine) close() {
	if e.vm == nil {
		return
	}
	_ = protect(func() error {
		for _, f := range e.funcs {
			f.Free()
		}
		return e.vm.Close()
	})
	e.vm = nil
}
