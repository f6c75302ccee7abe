// SPDX-License-Identifier: Apache-2.0

package realmodels

import (
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/diagram"
)

// The models build, and their op graphs have the structure their documentation promises:
// 12 transformer blocks; 6 residual blocks, 6 residual additions, 2 projection shortcuts.
func TestModelsStructure(t *testing.T) {
	count := func(name string, pred func(b, group diagram.Box) bool) int {
		for _, m := range All() {
			if m.Name != name {
				continue
			}
			d, err := diagram.FromModel(nil, m.Fn, m.InputShapes, diagram.Options{Depth: diagram.OpLevel, MaxBoxes: 1 << 20})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			boxes, _, err := d.Graph()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			byID := map[string]diagram.Box{}
			for _, b := range boxes {
				byID[b.ID] = b
			}
			n := 0
			for _, b := range boxes {
				if pred(b, byID[b.Group]) {
					n++
				}
			}
			return n
		}
		t.Fatalf("no model %q", name)
		return 0
	}
	label := func(b diagram.Box) string { return strings.Fields(b.Label + " ")[0] }
	checks := []struct {
		model, what string
		pred        func(b, group diagram.Box) bool
		want        int
	}{
		{"transformer-12", "blocks", func(b, _ diagram.Box) bool { return b.Container && strings.HasPrefix(label(b), "layer_") }, TransformerLayers},
		{"resnet", "residual blocks", func(b, _ diagram.Box) bool { return b.Container && strings.HasPrefix(label(b), "stage") }, len(ResNetChannels) * ResNetBlocks},
		{"resnet", "projection shortcuts", func(b, _ diagram.Box) bool { return b.Container && label(b) == "shortcut" }, len(ResNetChannels) - 1},
		{"resnet", "residual additions", func(b, g diagram.Box) bool {
			// The additions of identity shortcuts sit in the parent scope.
			return !b.Container && label(b) == "Add" && (strings.HasPrefix(label(g), "stage") || label(g) == "resnet")
		}, len(ResNetChannels) * ResNetBlocks},
	}
	for _, c := range checks {
		if got := count(c.model, c.pred); got != c.want {
			t.Errorf("%s: %d %s, want %d", c.model, got, c.what, c.want)
		}
	}
}
