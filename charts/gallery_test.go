// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/gallery"
	"github.com/gonbviz/gonbviz/render"
)

// The static SVG of every example's chart (its golden spec, testdata/NAME.vl.json) is what
// docs/gallery shows as charts-NAME.png: with GONBVIZ_GALLERY_DIR set
// (scripts/update-gallery.sh) each is written there as charts-NAME.svg; otherwise each must
// hash as docs/gallery/sources.txt records, so the committed pictures cannot fall behind
// the charts.
func TestGalleryIsCurrent(t *testing.T) {
	svgs := map[string]string{}
	for name, spec := range goldenSpecs(t) {
		out, err := render.Spec(spec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if notes := out.Notes(); len(notes) > 0 {
			t.Errorf("%s: notes %v (what Vega-Lite warned of while compiling)", name, notes)
		}
		svgs["charts-"+name] = out.SVG()
	}
	gallery.WriteOrCheck(t, "..", svgs)
}
