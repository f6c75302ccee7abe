// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/digits"
)

// torchScript is the PyTorch side: a persistent process driven by JSON lines.
//
//go:embed backends_torch.py
var torchScript []byte

// benchVenv is the bench-only Python environment with PyTorch (scripts/setup-bench.sh).
const benchVenv = ".venv-bench"

// Synthetic data of the 784-512-512-10 model: same values for every framework.
const (
	synthExamples = 4096
	synthFeatures = 784
	synthClasses  = 10
	synthBatch    = 256
	synthSeed     = 1
)

var synthHidden = []int{512, 512}

func synthWidths() []int { return append(append([]int{synthFeatures}, synthHidden...), synthClasses) }

func widthsString(widths []int) string {
	parts := make([]string, len(widths))
	for i, w := range widths {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, "-")
}

// runBackends measures training steps/s of two MLPs on the Go backend, on XLA with a CPU PJRT
// plugin, and in PyTorch eager on the CPU (same layer sizes, He-normal weights and zero
// biases, Adam lr 0.001, cross-entropy, same data, same batch size, torch with as many
// threads as GOMAXPROCS): (a) the gonbviz demo MLP (package demo, digits, 64-128-64-10,
// batch 64), (b) 784-512-512-10, batch 256, on synthetic data. Each model is built once per
// variant; its first step (compilation included) is timed alone, then warm-up steps run.
// Then, in each round, every variant trains the same number of steps, timed (fewer when
// -max-round passes first: torch's threads stall when another process takes a core); the variants
// alternate within a round (their order rotates from round to round), so that bursts of load
// on a shared machine hit them alike, and the median round is reported. The row xla_cpu_async
// is XLA with go-xla's default PJRT CPU client (asynchronous=true: executions handed to its
// thread pool), measured next to backendsel's, which runs them on the calling thread.
func runBackends(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backends", flag.ContinueOnError)
	rounds := fs.Int("rounds", 10, "rounds")
	steps := fs.Int("steps", 50, "timed steps per variant and round of the 784-512-512-10 MLP; the demo MLP runs 10x as many")
	plugin := fs.String("plugin", "", "XLA CPU PJRT plugin (absolute path); default: what backendsel picks when it is an XLA CPU plugin")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "threads: GOMAXPROCS for the Go backend and torch.set_num_threads")
	maxRound := fs.Duration("max-round", 1500*time.Millisecond, "a variant's round stops early, with fewer steps, after this long (bounds the run when the machine is loaded)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 || *steps < 1 || *threads < 1 || *maxRound <= 0 {
		return fmt.Errorf("-rounds, -steps, -threads and -max-round must be positive")
	}
	pluginPath, err := xlaCPUPlugin(*plugin)
	if err != nil {
		return err
	}
	python, err := benchPython()
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(*threads)

	tmp, err := os.MkdirTemp("", "gonbviz-bench-backends-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	torch, err := startTorch(python, tmp, *threads)
	if err != nil {
		return err
	}
	defer torch.close()

	goBackend, err := gobackend.New("")
	if err != nil {
		return err
	}
	xlaBackend, _, err := backendsel.New(backendsel.Choice{Kind: backendsel.KindEnv, Config: "xla:" + pluginPath})
	if err != nil {
		return err
	}
	xlaAsyncBackend, err := newXLAAsync(pluginPath)
	if err != nil {
		return err
	}
	digitsData, err := digits.LoadSplits()
	if err != nil {
		return err
	}
	synth := makeSynth(synthExamples, synthFeatures, synthClasses, synthSeed)
	demoX, demoY := digitsData.Train.Flat()
	if err := torch.load(tmp, "demo", demoX, demoY, digitsData.Train.Len(), len(demoX)/digitsData.Train.Len()); err != nil {
		return err
	}
	if err := torch.load(tmp, "mlp", synth.x, synth.y, synth.n, synth.features); err != nil {
		return err
	}

	type model struct {
		key, label    string
		widths        []int
		batch         int
		warmup, steps int
		newGo         func(compute.Backend) (goTrainer, error)
	}
	demoCfg := demo.Config{}.WithDefaults()
	models := []model{
		{
			key: "demo", label: "demo MLP 64-128-64-10, batch 64, digits (package demo)",
			widths: demoCfg.Widths(), batch: demoCfg.BatchSize, warmup: 50, steps: 10 * *steps,
			newGo: func(b compute.Backend) (goTrainer, error) {
				s, err := demo.DigitsMLP(b, demo.Config{})
				if err != nil {
					return goTrainer{}, err
				}
				return goTrainer{train: s.Train, finalize: s.Finalize}, nil
			},
		},
		{
			key: "mlp", label: fmt.Sprintf("MLP %s, batch %d, synthetic (%d examples)", widthsString(synthWidths()), synthBatch, synthExamples),
			widths: synthWidths(), batch: synthBatch,
			warmup: 10, steps: *steps,
			newGo: func(b compute.Backend) (goTrainer, error) {
				return newSynthTrainer(b, synth, synthHidden, synthBatch, 0)
			},
		},
	}
	variants := []string{"go", "xla_cpu", "xla_cpu_async", "torch"}
	backends := map[string]compute.Backend{"go": goBackend, "xla_cpu": xlaBackend, "xla_cpu_async": xlaAsyncBackend}

	type key struct{ model, variant string }
	trainers := map[key]goTrainer{}
	defer func() {
		for _, t := range trainers {
			t.finalize()
		}
	}()
	rates := map[key][]float64{}
	firsts := map[key]time.Duration{}
	for _, m := range models {
		for _, v := range variants {
			k := key{m.key, v}
			if v == "torch" {
				firsts[k], err = torch.build(m.key, m.widths, m.batch, 0, m.warmup)
			} else {
				var t goTrainer
				t, firsts[k], err = buildGo(func() (goTrainer, error) { return m.newGo(backends[v]) }, m.warmup)
				if err == nil {
					trainers[k] = t
				}
			}
			if err != nil {
				return fmt.Errorf("%s on %s: %w", m.key, v, err)
			}
		}
	}
	for r := 0; r < *rounds; r++ {
		for _, m := range models {
			for i := range variants {
				v := variants[(i+r)%len(variants)]
				k := key{m.key, v}
				var rate float64
				if v == "torch" {
					rate, err = torch.train(m.key, m.steps, *maxRound)
				} else {
					rate, err = timeGo(trainers[k], m.steps, *maxRound)
				}
				if err != nil {
					return fmt.Errorf("%s on %s, round %d: %w", m.key, v, r+1, err)
				}
				rates[k] = append(rates[k], rate)
			}
		}
	}

	fmt.Fprintf(out, "CPU: %s (%d logical CPUs), %d threads (GOMAXPROCS for the Go backend, torch.set_num_threads)\n",
		cpuModel(), runtime.NumCPU(), *threads)
	fmt.Fprintf(out, "go: gobackend; xla_cpu: %s as backendsel creates it (asynchronous=false: executions on the calling thread);\n", pluginPath)
	fmt.Fprintf(out, "xla_cpu_async: the same plugin with go-xla's default client (asynchronous=true); torch: %s eager, CPU\n", torch.version)
	fmt.Fprintf(out, "Adam lr 0.001, cross-entropy; first step timed alone (compilation included), then warm-up steps;\n")
	fmt.Fprintf(out, "then %d rounds of timed steps (a round cut short after %v), variants alternating; steps/s per round and the median round\n", *rounds, *maxRound)
	for _, m := range models {
		fmt.Fprintf(out, "\n%s: %d warm-up steps, up to %d timed steps per round\n", m.label, m.warmup, m.steps)
		header := []string{"variant", "first step (ms)"}
		for r := 0; r < *rounds; r++ {
			header = append(header, fmt.Sprintf("round %d", r+1))
		}
		header = append(header, "median steps/s")
		var rows [][]string
		for _, v := range variants {
			k := key{m.key, v}
			row := []string{v, fmt.Sprintf("%.0f", firsts[k].Seconds()*1000)}
			for _, x := range rates[k] {
				row = append(row, fmt.Sprintf("%.0f", x))
			}
			rows = append(rows, append(row, fmt.Sprintf("%.1f", median(rates[k]))))
		}
		table(out, header, rows)
	}
	ratio := func(model, a, b string) float64 {
		return median(rates[key{model, a}]) / median(rates[key{model, b}])
	}
	fmt.Fprintf(out, "backends: xla_cpu/go=%.2f xla_cpu/torch=%.2f demo_xla_cpu/go=%.2f demo_xla_cpu/torch=%.2f\n",
		ratio("mlp", "xla_cpu", "go"), ratio("mlp", "xla_cpu", "torch"),
		ratio("demo", "xla_cpu", "go"), ratio("demo", "xla_cpu", "torch"))
	return nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// xlaCPUPlugin returns the -plugin flag, or the plugin of backendsel.Default() when that is an
// XLA CPU plugin.
func xlaCPUPlugin(flagValue string) (string, error) {
	const hint = "pass -plugin /abs/path/to/pjrt_c_api_cpu_plugin.so, or install XLA's CPU PJRT plugin with scripts/setup-xla.sh"
	if flagValue != "" {
		abs, err := filepath.Abs(flagValue)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("-plugin: %w; %s", err, hint)
		}
		return abs, nil
	}
	c := backendsel.Default()
	if c.Plugin != "" && (c.Kind == backendsel.KindXLACPU ||
		c.Kind == backendsel.KindEnv && strings.Contains(filepath.Base(c.Plugin), "cpu")) {
		return c.Plugin, nil
	}
	return "", fmt.Errorf("no XLA CPU PJRT plugin: %s; %s", c, hint)
}

// benchPython returns the Python of the bench-only environment at the repository root.
func benchPython() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	python := filepath.Join(root, benchVenv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		return "", fmt.Errorf("PyTorch for the bench is missing (%s): make it with `bash scripts/setup-bench.sh` "+
			"from the repository root (a bench-only environment, not the tests' .venv)", python)
	}
	return python, nil
}

// goTrainer is a GoMLX training setup as the bench drives it.
type goTrainer struct {
	train    func(steps int) error
	finalize func()
}

// buildGo builds a trainer, times its first step and runs warmup steps.
func buildGo(build func() (goTrainer, error), warmup int) (goTrainer, time.Duration, error) {
	t, err := build()
	if err != nil {
		return goTrainer{}, 0, err
	}
	start := time.Now()
	err = t.train(1)
	first := time.Since(start)
	if err == nil {
		err = t.train(warmup)
	}
	if err != nil {
		t.finalize()
		return goTrainer{}, 0, err
	}
	return t, first, nil
}

// timeGo returns the steps/s of steps more steps, run in chunks of a tenth of them; it stops
// after the first chunk that ends past maxTime.
func timeGo(t goTrainer, steps int, maxTime time.Duration) (float64, error) {
	chunk := max(1, steps/10)
	start := time.Now()
	done := 0
	for done < steps {
		n := min(chunk, steps-done)
		if err := t.train(n); err != nil {
			return 0, err
		}
		done += n
		if time.Since(start) > maxTime {
			break
		}
	}
	return float64(done) / time.Since(start).Seconds(), nil
}

// synthData is a labelled synthetic classification set: features uniform in [0, 1), labels the
// argmax of a fixed random linear map of them (learnable).
type synthData struct {
	n, features, classes int
	x                    []float32
	y                    []int32
}

func makeSynth(n, features, classes int, seed int64) synthData {
	rng := rand.New(rand.NewSource(seed))
	w := make([]float32, features*classes)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	d := synthData{n: n, features: features, classes: classes, x: make([]float32, n*features), y: make([]int32, n)}
	for i := range d.x {
		d.x[i] = rng.Float32()
	}
	logits := make([]float32, classes)
	for i := 0; i < n; i++ {
		clear(logits)
		row := d.x[i*features : (i+1)*features]
		for f, v := range row {
			for c := range logits {
				logits[c] += v * w[f*classes+c]
			}
		}
		best := 0
		for c := range logits {
			if logits[c] > logits[best] {
				best = c
			}
		}
		d.y[i] = int32(best)
	}
	return d
}

// newSynthTrainer builds an MLP (relu hidden layers, He-normal weights: GoMLX's default) with
// Adam lr 0.001 and no metrics beyond the loss, on shuffled batches of d.
func newSynthTrainer(backend compute.Backend, d synthData, hidden []int, batch int, seed int64) (t goTrainer, err error) {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, seed)
	x := tensors.FromFlatDataAndDimensions(d.x, d.n, d.features)
	y := tensors.FromFlatDataAndDimensions(d.y, d.n, 1)
	var ds *dataset.InMemoryDataset
	var loop *train.Loop
	if e := exceptions.TryCatch[error](func() {
		ds, err = dataset.InMemoryFromData(backend, "synthetic", []any{x}, []any{y})
		if err != nil {
			return
		}
		ds.BatchSize(batch, true).Shuffle().WithRand(rand.New(rand.NewSource(seed))).Infinite(true)
		modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
			scope = scope.In("model")
			for i, h := range hidden {
				x = activation.Relu(layers.DenseWithBias(scope.In("hidden_%d", i), x, h))
			}
			return layers.DenseWithBias(scope.In("output"), x, d.classes)
		}
		trainer := train.NewTrainer(backend, store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
			optimizer.Adam().LearningRate(0.001).Done(), nil, nil)
		loop = train.NewLoop(trainer)
	}); e != nil {
		return goTrainer{}, e
	}
	if err != nil {
		return goTrainer{}, err
	}
	return goTrainer{
		train: func(steps int) error {
			metrics, err := loop.RunSteps(ds, steps)
			for _, m := range metrics {
				_ = m.FinalizeAll()
			}
			return err
		},
		finalize: func() {
			ds.FinalizeAll()
			store.Finalize()
		},
	}, nil
}

// torchProc is the persistent PyTorch process (backends_torch.py).
type torchProc struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stdout  *bufio.Reader
	stderr  *bytes.Buffer
	version string
}

func startTorch(python, tmp string, threads int) (*torchProc, error) {
	script := filepath.Join(tmp, "backends_torch.py")
	if err := os.WriteFile(script, torchScript, 0o644); err != nil {
		return nil, err
	}
	p := &torchProc{cmd: exec.Command(python, script), stderr: &bytes.Buffer{}}
	p.cmd.Stderr = p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.stdout = bufio.NewReader(stdout)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	var hello struct {
		Torch string `json:"torch"`
	}
	if err := p.call(map[string]any{"op": "hello", "threads": threads}, &hello); err != nil {
		p.close()
		return nil, fmt.Errorf("%w; (re)make PyTorch's bench environment with `bash scripts/setup-bench.sh`", err)
	}
	p.version = hello.Torch
	return p, nil
}

func (p *torchProc) call(req, resp any) error {
	line, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("torch process: %w: %s", err, strings.TrimSpace(p.stderr.String()))
	}
	answer, err := p.stdout.ReadBytes('\n')
	if err != nil {
		_ = p.cmd.Wait()
		return fmt.Errorf("torch process ended: %s", strings.TrimSpace(p.stderr.String()))
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(answer, &e) == nil && e.Error != "" {
		return errors.New("torch process: " + e.Error)
	}
	return json.Unmarshal(answer, resp)
}

// load writes the features (float32) and labels (int32), little-endian, and has the torch
// process read them under name.
func (p *torchProc) load(tmp, name string, x []float32, y []int32, n, features int) error {
	xPath, yPath := filepath.Join(tmp, name+".f32"), filepath.Join(tmp, name+".i32")
	if err := writeLE(xPath, x); err != nil {
		return err
	}
	if err := writeLE(yPath, y); err != nil {
		return err
	}
	var ok struct{}
	return p.call(map[string]any{"op": "load", "name": name, "x": xPath, "y": yPath, "n": n, "features": features}, &ok)
}

func writeLE[T float32 | int32](path string, values []T) error {
	var buf bytes.Buffer
	buf.Grow(4 * len(values))
	if err := binary.Write(&buf, binary.LittleEndian, values); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// build has the torch process build a model on the data called name, time its first step
// and run warmup steps.
func (p *torchProc) build(name string, widths []int, batch int, seed int64, warmup int) (time.Duration, error) {
	var r struct {
		FirstS float64 `json:"first_s"`
	}
	err := p.call(map[string]any{"op": "build", "name": name, "widths": widths, "batch": batch, "lr": 0.001,
		"seed": seed, "warmup": warmup}, &r)
	return time.Duration(r.FirstS * float64(time.Second)), err
}

// train has the torch process run steps more steps of the model name, fewer if maxTime has
// passed; it returns steps/s.
func (p *torchProc) train(name string, steps int, maxTime time.Duration) (float64, error) {
	var r struct {
		StepsPerS float64 `json:"steps_per_s"`
		Loss      float64 `json:"loss"`
	}
	if err := p.call(map[string]any{"op": "train", "name": name, "steps": steps, "max_s": maxTime.Seconds()}, &r); err != nil {
		return 0, err
	}
	if math.IsNaN(r.Loss) {
		return 0, fmt.Errorf("torch: loss is NaN")
	}
	return r.StepsPerS, nil
}

func (p *torchProc) close() {
	_ = p.stdin.Close()
	_ = p.cmd.Wait()
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
