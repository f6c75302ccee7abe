// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/gallery"
	"github.com/gonbviz/gonbviz/internal/notebooktest"
)

// Every chart of the executed notebooks in docs/notebooks has its picture in docs/gallery,
// made from the static SVG the notebook stores (see package gallery).
func TestNotebookGalleryIsCurrent(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "docs", "notebooks", "*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no executed notebooks in docs/notebooks (%v)", err)
	}
	svgs := map[string]string{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := notebooktest.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		base := strings.TrimSuffix(filepath.Base(p), ".ipynb")
		n := 0
		for _, o := range outs {
			if svg, ok := o.DataText("image/svg+xml"); ok {
				n++
				svgs[fmt.Sprintf("notebook-%s-cell%02d-%d", base, o.Cell, n)] = svg
			}
		}
	}
	gallery.WriteOrCheck(t, filepath.Join("..", ".."), svgs)
}
