// SPDX-License-Identifier: Apache-2.0

package notebooks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/gallery"
	"github.com/gonbviz/gonbviz/internal/testing/notebooktest"
)

// Every chart of the executed notebooks in docs/notebooks has its picture in docs/gallery,
// made from the static SVG the notebook stores (see package gallery).
func TestNotebookGalleryIsCurrent(t *testing.T) {
	svgs := map[string]string{}
	for _, nb := range executedDocs(t) {
		n := 0
		for _, o := range nb.outputs {
			if svg, ok := o.DataText("image/svg+xml"); ok {
				n++
				svgs[fmt.Sprintf("notebook-%s-cell%02d-%d", nb.name, o.Cell, n)] = svg
			}
		}
	}
	gallery.WriteOrCheck(t, filepath.Join("..", ".."), svgs)
}

// executedDoc is an executed notebook of docs/notebooks: its name without ".ipynb" and its
// outputs.
type executedDoc struct {
	name    string
	outputs []notebooktest.Output
}

// executedDocs reads the executed notebooks in docs/notebooks, in name order.
func executedDocs(t *testing.T) []executedDoc {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "docs", "notebooks", "*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no executed notebooks in docs/notebooks (%v)", err)
	}
	var docs []executedDoc
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := notebooktest.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		docs = append(docs, executedDoc{strings.TrimSuffix(filepath.Base(p), ".ipynb"), outs})
	}
	return docs
}
