// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"sort"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
)

// TestJupyterLabDrawsTheSame: a notebook output carries a chart's Vega-Lite spec, which
// JupyterLab draws with the vega-lite its own renderer bundles (older than ours; the
// version is pinned in scripts/node/package.json and checked against JupyterLab's by
// examples/notebooks). Every gallery chart compiled by that vega-lite draws the same SVG,
// byte for byte, as compiled by ours, both drawn by the same vega: what the lab shows is
// what the static picture shows.
func TestJupyterLabDrawsTheSame(t *testing.T) {
	nodecheck.Require(t)
	specs := goldenSpecs(t)
	ours, err := nodecheck.Check(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	lab, err := nodecheck.CheckJupyterLab(specs)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(specs))
	for name := range specs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o, l := ours[name], lab[name]
		if !o.OK || !l.OK {
			t.Errorf("%s: errors with our vega-lite %q, with JupyterLab's %q", name, o.Errors, l.Errors)
			continue
		}
		if o.SVG != l.SVG {
			i := 0
			for i < len(o.SVG) && i < len(l.SVG) && o.SVG[i] == l.SVG[i] {
				i++
			}
			lo := max(0, i-80)
			t.Errorf("%s: JupyterLab's vega-lite draws another SVG; at byte %d:\n  ours: …%s…\n  lab:  …%s…",
				name, i, o.SVG[lo:min(len(o.SVG), i+80)], l.SVG[lo:min(len(l.SVG), i+80)])
		}
		if len(l.Warnings) != len(o.Warnings) {
			t.Logf("%s: JupyterLab's vega-lite warns %q (ours %q); the picture is the same", name, l.Warnings, o.Warnings)
		}
	}
}
