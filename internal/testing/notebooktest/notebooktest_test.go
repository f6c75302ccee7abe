// SPDX-License-Identifier: Apache-2.0

package notebooktest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cellTimeout bounds each GoNB cell: a cold one compiles for 16-20 s on 2 cores, and the
// first cell may download modules.
const cellTimeout = 3 * time.Minute

// TestSmoke executes testdata/smoke.ipynb with the real GoNB kernel and checks the three
// kinds of output gonbviz relies on, as they are saved in the executed notebook.
func TestSmoke(t *testing.T) {
	executed, err := Execute(t, filepath.Join("testdata", "smoke.ipynb"), cellTimeout)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Parse(executed)
	if err != nil {
		t.Fatal(err)
	}

	var sawStream, sawHTML, sawVegaLite bool
	for _, o := range outs {
		if o.Type == "error" {
			t.Errorf("cell %d: error output %s: %s", o.Cell, o.EName, o.EValue)
		}
		if o.Type == "stream" && o.Name == "stdout" && strings.Contains(o.Text, "hello from gonb") {
			sawStream = true
		}
		if html, ok := o.DataText("text/html"); ok && o.Type == "display_data" && strings.Contains(html, "<b>bold</b>") {
			sawHTML = true
		}
		if raw, ok := o.Data["application/vnd.vegalite.v5+json"]; ok {
			// Stored as a JSON object (not a string): what JupyterLab's renderer reads.
			var spec map[string]any
			if err := json.Unmarshal(raw, &spec); err != nil {
				t.Errorf("cell %d: vegalite output is not a JSON object: %v: %.200s", o.Cell, err, raw)
				continue
			}
			if spec["mark"] != "line" || !strings.Contains(spec["$schema"].(string), "vega-lite/v5") {
				t.Errorf("cell %d: vegalite spec came back changed: %.300s", o.Cell, raw)
			}
			values, _ := spec["data"].(map[string]any)["values"].([]any)
			if len(values) != 2 {
				t.Errorf("cell %d: vegalite data.values = %v, want 2 rows", o.Cell, values)
			}
			if text, ok := o.DataText("text/plain"); !ok || !strings.Contains(text, "VegaLite") {
				t.Errorf("cell %d: the vegalite bundle lacks its text/plain fallback: %q", o.Cell, text)
			}
			sawVegaLite = true
		}
	}
	if !sawStream {
		t.Errorf("no stdout stream with %q in the executed notebook", "hello from gonb")
	}
	if !sawHTML {
		t.Errorf("no text/html display with %q in the executed notebook", "<b>bold</b>")
	}
	if !sawVegaLite {
		t.Errorf("no application/vnd.vegalite.v5+json output in the executed notebook")
	}
	if t.Failed() {
		t.Logf("executed notebook:\n%s", executed)
	}
}

// TestFailingCell checks that a cell that does not compile fails Execute with the compiler's
// message, and that the notebook up to it still comes back.
func TestFailingCell(t *testing.T) {
	Require(t)
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"}},
		"cells": []any{
			codeCell("c1", "%%\nfmt.Println(\"before\")"),
			codeCell("c2", "%%\nx := undefinedThing + 1\nfmt.Println(x)"),
			codeCell("c3", "%%\nfmt.Println(\"after\")"),
		},
	}
	raw, _ := json.Marshal(nb)
	path := filepath.Join(t.TempDir(), "fail.ipynb")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	executed, err := Execute(t, path, cellTimeout)
	if err == nil {
		t.Fatal("Execute succeeded on a notebook with a compile error")
	}
	for _, want := range []string{"cell 1", "undefinedThing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	outs, perr := Parse(executed)
	if perr != nil {
		t.Fatalf("partial notebook: %v", perr)
	}
	var before, after bool
	for _, o := range outs {
		before = before || strings.Contains(o.Text, "before")
		after = after || strings.Contains(o.Text, "after")
	}
	if !before || after {
		t.Errorf("partial notebook: before=%v after=%v, want true false", before, after)
	}
}

func codeCell(id, source string) map[string]any {
	return map[string]any{
		"cell_type": "code", "id": id, "metadata": map[string]any{},
		"execution_count": nil, "outputs": []any{}, "source": source,
	}
}

// TestParse needs no Jupyter: nbformat's string-or-list-of-lines texts and JSON mime data.
func TestParse(t *testing.T) {
	const nb = `{"cells": [
	  {"cell_type": "markdown", "source": "# x"},
	  {"cell_type": "code", "outputs": [
	    {"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
	    {"output_type": "display_data", "data": {"text/html": "<i>x</i>", "application/vnd.vegalite.v5+json": {"mark": "bar"}}},
	    {"output_type": "error", "ename": "ERROR", "evalue": "boom", "traceback": []}
	  ]}]}`
	outs, err := Parse([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 3 {
		t.Fatalf("got %d outputs, want 3", len(outs))
	}
	if o := outs[0]; o.Cell != 1 || o.Type != "stream" || o.Name != "stdout" || o.Text != "a\nb\n" {
		t.Errorf("stream: %+v", o)
	}
	if html, ok := outs[1].DataText("text/html"); !ok || html != "<i>x</i>" {
		t.Errorf("html: %q %v", html, ok)
	}
	if _, ok := outs[1].DataText("application/vnd.vegalite.v5+json"); ok {
		t.Errorf("a JSON object read as text")
	}
	if got := string(outs[1].Data["application/vnd.vegalite.v5+json"]); got != `{"mark": "bar"}` {
		t.Errorf("vegalite raw = %s", got)
	}
	if o := outs[2]; o.Type != "error" || o.EName != "ERROR" || o.EValue != "boom" {
		t.Errorf("error: %+v", o)
	}
	if _, err := Parse([]byte("not json")); err == nil {
		t.Errorf("Parse accepted garbage")
	}
}
