// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/gonbviz/gonbviz/capture"
	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/internal/testing/browsertest"
	"github.com/gonbviz/gonbviz/render"
)

// cnnModel is the demo CNN on the digits' flat batches ([batch, 64] reshaped to
// [batch, 8, 8, 1]).
func cnnModel(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
	x := graph.Reshape(inputs[0], -1, 8, 8, 1)
	return []*graph.Node{demo.CNNGraph(scope, x)}
}

// cnnStore holds the demo CNN's variables, initialised (seed 1) by a first inference: the
// Go backend lacks the gradient of max pooling (SelectAndScatterMax), so the tests do not
// train it; its filters are the initial ones.
func cnnStore(t *testing.T) *model.Store {
	t.Helper()
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(1))
	return store
}

// The demo CNN's first-layer filters, and the feature maps of its two convolutions for one
// digit, read with capture.Activations: one map per channel, the input beside.
func TestCNNFiltersAndFeatureMaps(t *testing.T) {
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	store := cnnStore(t)
	d := digitsClassified()
	one := tensors.FromFlatDataAndDimensions(d.flat[:64], 1, 64)
	acts, outs, err := capture.Activations(backend, store, cnnModel, one)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(capture.ActivationNames(acts), " "); got != "/cnn/conv1 /cnn/conv2 /cnn/hidden" {
		t.Errorf("activations %q", got)
	}
	if len(outs) != 1 || outs[0].Shape().Dimensions[1] != 10 {
		t.Errorf("outputs %v, want the logits [1, 10]", outs)
	}
	for _, layer := range []string{"/cnn/conv1", "/cnn/conv2"} {
		act, err := capture.LookupActivation(acts, layer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := charts.FeatureMaps(act, charts.FeatureMapsOptions{Layer: layer, Input: d.images[0]})
		if err != nil {
			t.Fatal(err)
		}
		channels := act.Shape().Dimensions[3]
		items, _ := drawnImages(t, layer, c)
		if len(items) != channels+1 {
			t.Errorf("%s: %d images drawn, want the input and %d maps", layer, len(items), channels)
		}
		out, err := render.Chart(c)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(out.SVG(), "data:image/png;base64,") != channels+1 {
			t.Errorf("%s: the static SVG does not hold the %d images", layer, channels+1)
		}
		writeArtifact(t, "feature-maps"+strings.ReplaceAll(layer, "/", "-")+".svg", out.SVG())
	}
	if _, err := capture.LookupActivation(acts, "/cnn/conv3"); err == nil || !strings.Contains(err.Error(), `the model marks "/cnn/conv1", "/cnn/conv2", "/cnn/hidden"`) {
		t.Errorf("a missing layer: %v", err)
	}
	if _, err := charts.FeatureMaps(acts["/cnn/hidden"], charts.FeatureMapsOptions{}); err == nil || !strings.Contains(err.Error(), "a dense layer's, not feature maps") {
		t.Errorf("a dense layer's activation: %v", err)
	}

	var kernel *tensors.Tensor
	for v := range store.IterVariables() {
		if v.Path() == "/cnn/conv1/conv/weights" {
			if kernel, err = v.Value(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if kernel == nil {
		t.Fatal("no /cnn/conv1/conv/weights in the store")
	}
	c, err := charts.ConvFilters(kernel, charts.ConvFiltersOptions{Title: "conv1 filters"})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := drawnImages(t, "conv1", c)
	if len(items) != 8 {
		t.Errorf("%d filters drawn, want 8", len(items))
	}
	out, err := render.Chart(c)
	if err != nil {
		t.Fatal(err)
	}
	writeArtifact(t, "conv1-filters.svg", out.SVG())
}

// writeArtifact keeps a picture a test made where browsertest keeps its screenshots
// ($GONBVIZ_ARTIFACTS, else the test's temporary directory), for a person to look at.
func writeArtifact(t *testing.T, name, svg string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(browsertest.Artifacts(t), name), []byte(svg), 0o644); err != nil {
		t.Fatal(err)
	}
}
