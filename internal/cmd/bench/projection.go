// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gomlx/compute"

	"github.com/gonbviz/gonbviz/internal/backendsel"
	"github.com/gonbviz/gonbviz/internal/digits"
	"github.com/gonbviz/gonbviz/projection"
)

//go:embed projection_sklearn.py
var sklearnScript string

// runProjection times package projection against scikit-learn on the same data, in one
// run: PCA of 10,000 x 784 to 50 components (the digits upsampled to 28x28 and
// resampled with noise, MNIST's shape) on the Go backend and XLA's CPU plugin (where
// installed), float64 and float32, against PCA(svd_solver="randomized"); t-SNE of 5,000
// points (the digits resampled with noise) against TSNE(), the same iterations, with
// both layouts' trustworthiness (k = 10). scikit-learn runs in the tests' venv (.venv,
// bash scripts/setup-jupyter.sh) with its default threads.
func runProjection(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("projection", flag.ContinueOnError)
	rounds := fs.Int("rounds", 3, "timed PCA runs per variant (the median is reported)")
	points := fs.Int("tsne-points", 5000, "points of the t-SNE")
	iterations := fs.Int("iterations", 1000, "t-SNE iterations, both sides")
	if err := fs.Parse(args); err != nil {
		return err
	}
	python, err := sklearnPython()
	if err != nil {
		return err
	}
	set, err := digits.Load()
	if err != nil {
		return err
	}
	const pcaN, side, components = 10000, 28, 50
	pcaX := resampled(set, pcaN, side, 0.05, 1)
	tsneX := resampled(set, *points, 8, 0.03, 2)
	tmp, err := os.MkdirTemp("", "gonbviz-bench-projection-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(out, "CPU: %s, %d cores, GOMAXPROCS %d\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// PCA on each backend present.
	type variant struct {
		name    string
		backend compute.Backend
		f32     bool
	}
	var variants []variant
	goB, _, err := newBackend("go")
	if err != nil {
		return err
	}
	variants = append(variants, variant{"go float64", goB, false}, variant{"go float32", goB, true})
	if xla, _, err := newBackend("xla-cpu"); err == nil {
		variants = append(variants, variant{"xla-cpu float64", xla, false}, variant{"xla-cpu float32", xla, true})
	} else {
		fmt.Fprintf(out, "(no XLA CPU row: %v)\n", err)
	}
	defaultKind := backendsel.CPU().Kind
	type pcaRow struct {
		name    string
		seconds float64
		ratio   []float64
		iters   int
	}
	var rows []pcaRow
	for _, v := range variants {
		var times []float64
		var res *projection.PCAResult
		if _, err := projection.PCA(pcaX, projection.PCAOptions{Components: components, Backend: v.backend, Float32: v.f32}); err != nil { // compiles
			return err
		}
		for range *rounds {
			start := time.Now()
			res, err = projection.PCA(pcaX, projection.PCAOptions{Components: components, Backend: v.backend, Float32: v.f32})
			if err != nil {
				return err
			}
			times = append(times, time.Since(start).Seconds())
		}
		rows = append(rows, pcaRow{v.name, median(times), res.ExplainedVarianceRatio, res.Iterations})
	}

	// t-SNE here, then scikit-learn's of both.
	start := time.Now()
	tsne, err := projection.TSNE(tsneX, projection.TSNEOptions{Iterations: *iterations, Seed: 1, Backend: goB})
	if err != nil {
		return err
	}
	tsneSeconds := time.Since(start).Seconds()
	write := func(name string, rows [][]float64) (string, error) {
		var b bytes.Buffer
		for _, r := range rows {
			binary.Write(&b, binary.LittleEndian, r)
		}
		p := filepath.Join(tmp, name)
		return p, os.WriteFile(p, b.Bytes(), 0o644)
	}
	pcaFile, err := write("pca.f64", pcaX)
	if err != nil {
		return err
	}
	tsneFile, err := write("tsne.f64", tsneX)
	if err != nil {
		return err
	}
	oursFile, err := write("ours.f64", tsne.Embedding)
	if err != nil {
		return err
	}
	req, _ := json.Marshal(map[string]any{
		"pca_x": pcaFile, "pca_n": pcaN, "pca_f": side * side, "components": components, "rounds": *rounds,
		"tsne_x": tsneFile, "tsne_n": *points, "tsne_f": 64, "tsne_ours": oursFile, "iterations": *iterations,
	})
	cmd := exec.Command(python, "-c", sklearnScript)
	cmd.Stdin = bytes.NewReader(req)
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("scikit-learn: %v", err)
	}
	var sk struct {
		PCASeconds   []float64 `json:"pca_seconds"`
		PCARatio     []float64 `json:"pca_ratio"`
		TSNESeconds  float64   `json:"tsne_seconds"`
		TrustSklearn float64   `json:"trust_sklearn"`
		TrustOurs    float64   `json:"trust_ours"`
		Threads      []struct {
			API        string `json:"internal_api"`
			NumThreads int    `json:"num_threads"`
		} `json:"threads"`
	}
	if err := json.Unmarshal(raw, &sk); err != nil {
		return fmt.Errorf("scikit-learn's answer: %v", err)
	}
	skPCA := median(sk.PCASeconds)
	fmt.Fprintf(out, "\nPCA of %d x %d to %d components (median of %d runs, compilation excluded)\n", pcaN, side*side, components, *rounds)
	var table1 [][]string
	best := math.Inf(1)
	for _, r := range rows {
		diff := 0.0
		for i := range r.ratio {
			diff = max(diff, math.Abs(r.ratio[i]-sk.PCARatio[i]))
		}
		table1 = append(table1, []string{r.name, fmt.Sprintf("%.3f s", r.seconds), fmt.Sprintf("%.2f", r.seconds/skPCA), fmt.Sprint(r.iters), fmt.Sprintf("%.1e", diff)})
		if r.name == map[string]string{backendsel.KindXLACPU: "xla-cpu float64"}[defaultKind] || r.name == "go float64" && defaultKind != backendsel.KindXLACPU {
			best = r.seconds
		}
	}
	var threads []string
	for _, t := range sk.Threads {
		threads = append(threads, fmt.Sprintf("%s %d", t.API, t.NumThreads))
	}
	table1 = append(table1, []string{"scikit-learn randomized (" + fmt.Sprint(threads) + ")", fmt.Sprintf("%.3f s", skPCA), "1.00", "", ""})
	table(out, []string{"variant", "time", "vs sklearn", "iterations", "max |Δ ratio| vs sklearn"}, table1)

	fmt.Fprintf(out, "\nt-SNE of %d points x 64 features, %d iterations (%s here)\n", *points, *iterations, tsne.Method)
	table(out, []string{"variant", "time", "vs sklearn", "trustworthiness k=10", "KL"}, [][]string{
		{"gonbviz projection.TSNE", fmt.Sprintf("%.1f s", tsneSeconds), fmt.Sprintf("%.2f", tsneSeconds/sk.TSNESeconds), fmt.Sprintf("%.4f", sk.TrustOurs), fmt.Sprintf("%.3f", tsne.KL)},
		{"scikit-learn TSNE", fmt.Sprintf("%.1f s", sk.TSNESeconds), "1.00", fmt.Sprintf("%.4f", sk.TrustSklearn), ""},
	})
	fmt.Fprintf(out, "projection: pca/sklearn=%.2f tsne/sklearn=%.2f\n", best/skPCA, tsneSeconds/sk.TSNESeconds)
	return nil
}

// resampled draws n digits images (seeded), upsampled to side x side by bilinear
// interpolation, with Gaussian noise of standard deviation sigma added.
func resampled(set *digits.Set, n, side int, sigma float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([][]float64, n)
	for i := range out {
		img := set.Features[rng.IntN(len(set.Features))]
		row := make([]float64, side*side)
		for y := range side {
			fy := float64(y) * float64(digits.Width-1) / float64(side-1)
			y0 := min(int(fy), digits.Width-2)
			ty := fy - float64(y0)
			for x := range side {
				fx := float64(x) * float64(digits.Width-1) / float64(side-1)
				x0 := min(int(fx), digits.Width-2)
				tx := fx - float64(x0)
				p := func(yy, xx int) float64 { return float64(img[yy*digits.Width+xx]) }
				v := (1-ty)*((1-tx)*p(y0, x0)+tx*p(y0, x0+1)) + ty*((1-tx)*p(y0+1, x0)+tx*p(y0+1, x0+1))
				row[y*side+x] = v + sigma*rng.NormFloat64()
			}
		}
		out[i] = row
	}
	return out
}

// sklearnPython is the tests' venv's python (scikit-learn): $GONBVIZ_VENV or .venv at
// the repository root.
func sklearnPython() (string, error) {
	venv := os.Getenv("GONBVIZ_VENV")
	if venv == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		venv = filepath.Join(root, ".venv")
	}
	py := filepath.Join(venv, "bin", "python")
	if out, err := exec.Command(py, "-c", "import sklearn, threadpoolctl").CombinedOutput(); err != nil {
		return "", fmt.Errorf("scikit-learn is missing in %s (%v: %s): bash scripts/setup-jupyter.sh makes the tests' venv", venv, err, bytes.TrimSpace(out))
	}
	return py, nil
}
