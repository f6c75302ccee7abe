// SPDX-License-Identifier: Apache-2.0

package notebookviz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/demo"
	"github.com/gonbviz/gonbviz/diagram"
	"github.com/gonbviz/gonbviz/internal/bundle"
)

func TestDisplayDiagram(t *testing.T) {
	d, err := demo.Diagram("mlp", diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var r recorder
	if err := DisplayDiagram(d, r.option()); err != nil {
		t.Fatal(err)
	}
	if len(r.sends) != 1 {
		t.Fatalf("%d sends", len(r.sends))
	}
	m := r.sends[0].mime
	h, _ := m[bundle.MIMEHTML].(string)
	svg, _ := m[bundle.MIMESVG].(string)
	text, _ := m[bundle.MIMEText].(string)
	// The no-script fallback is an <img> (JupyterLab's sanitizer strips inline <svg>).
	if !strings.Contains(h, `<div class="gonbviz-static"><img`) || strings.Contains(h, "<svg") {
		t.Errorf("text/html: static fallback is not an image, or inline <svg> outside the scripts' data")
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(text, "Total params: 17,226") {
		t.Errorf("svg %.40q, text %q", svg, text)
	}
	if err := DisplaySummary(d, r.option()); err != nil || len(r.sends) != 2 || !strings.Contains(r.sends[1].mime[bundle.MIMEHTML].(string), "<table") {
		t.Errorf("DisplaySummary: %v", err)
	}
	if err := DisplayDiagram(nil, r.option()); err == nil {
		t.Error("nil diagram accepted")
	}

	// Outside a notebook: a page on disk.
	dir := t.TempDir()
	no := false
	if err := DisplayDiagram(d, WithOutputDir(dir), WithName("mlp"), func(o *options) { o.inNB = &no }); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "mlp.html"))
	if err != nil || !strings.Contains(string(page), `class="gonbviz-diagram"`) || !strings.Contains(string(page), "Layer (type)") {
		t.Errorf("page: %v", err)
	}
}
