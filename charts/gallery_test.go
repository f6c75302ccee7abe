// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/gallery"
	"github.com/gonbviz/gonbviz/render"
)

// The static SVG of every builder's gallery case is what docs/gallery shows: with
// GONBVIZ_GALLERY_DIR set (scripts/update-gallery.sh) each is written there as NAME.svg;
// otherwise each must hash as docs/gallery/sources.txt records, so the committed pictures
// cannot fall behind the charts. The pictures keep the names they had when the builders
// were in package notebookviz ("notebookviz-NAME").
func TestGalleryIsCurrent(t *testing.T) {
	svgs := map[string]string{}
	for name, c := range compactCases(t) {
		svg, err := render.SVG(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		svgs["notebookviz-"+name] = svg
	}
	gallery.WriteOrCheck(t, "..", svgs)
}
