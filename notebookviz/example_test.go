// SPDX-License-Identifier: Apache-2.0

package notebookviz_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/notebookviz"
)

// A histogram of any Go slice, shown: in a GoNB cell, Display sends it to the notebook;
// outside one, as here, it writes a self-contained HTML page (its path is printed on
// standard error).
func ExampleDisplay() {
	chart, err := charts.Histogram([]float64{1, 2, 2, 3, 3, 3, 4, 4}, charts.HistogramOptions{Bins: 3, Title: "values"})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "gonbviz-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := notebookviz.Display(chart, notebookviz.WithOutputDir(dir), notebookviz.WithName("values")); err != nil {
		fmt.Println(err)
		return
	}
	page, err := os.ReadFile(filepath.Join(dir, "values.html"))
	fmt.Println(err == nil && len(page) > 0)
	// Output:
	// true
}
