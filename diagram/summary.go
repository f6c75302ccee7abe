// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Layer is one row of the summary: a layer scope, a run of ops between layers (an
// activation, a residual add, ...) or a model input, in graph order.
type Layer struct {
	Name        string // scope path ("/model/hidden_0/dense"), "input 0", or the ops' name
	Kind        string // Dense, Conv, LayerNorm, BatchNorm, Embedding, Attention, Activation, Input, ...
	OutputShape string // e.g. "float32[64, 128]"
	Params      int
	Trainable   int // trainable params among Params
	Ops         int // GoMLX ops (constants and variables not counted)
}

// TrainableText is "yes", "no", "partly" or "" (no params).
func (l Layer) TrainableText() string {
	switch {
	case l.Params == 0:
		return ""
	case l.Trainable == l.Params:
		return "yes"
	case l.Trainable == 0:
		return "no"
	}
	return "partly"
}

// Layers returns the layer-level rows of the summary, in graph order.
func (d *Diagram) Layers() []Layer {
	b := &viewBuilder{d: d, cluster: true}
	b.expand = func(s *scopeNode, level int) bool { return s.kind == "" && level < 0 }
	v := b.build(focus{scope: d.root, name: d.title()}, "summary")
	var rows []Layer
	for _, u := range v.units {
		if u.container || u.class == "output" || u.class == "ext" {
			continue
		}
		name := u.full
		if u.class == "input" || u.class == "op" && u.full == "" {
			name = u.name
		}
		l := Layer{Name: name, Kind: u.kind, Params: u.params, Trainable: u.trainable}
		if u.out >= 0 {
			l.OutputShape = fullShape(d.ops[u.out])
		}
		for _, i := range u.ops {
			if !d.ops[i].constant && d.ops[i].varPath == "" && d.ops[i].input == 0 {
				l.Ops++
			}
		}
		rows = append(rows, l)
	}
	return rows
}

func bytesText(n int) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.2f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

type totals struct{ total, trainable, tBytes, trBytes int }

func (d *Diagram) totals() totals {
	var t totals
	for _, v := range d.vars {
		t.total += v.Size
		t.tBytes += v.Bytes
		if v.Trainable {
			t.trainable += v.Size
			t.trBytes += v.Bytes
		}
	}
	return t
}

func (t totals) lines() [3]string {
	return [3]string{
		fmt.Sprintf("Total params: %s (%s)", commas(t.total), bytesText(t.tBytes)),
		fmt.Sprintf("Trainable params: %s (%s)", commas(t.trainable), bytesText(t.trBytes)),
		fmt.Sprintf("Non-trainable params: %s (%s)", commas(t.total-t.trainable), bytesText(t.tBytes-t.trBytes)),
	}
}

// Summary is a text table like Keras' model.summary(): one row per layer (name and kind,
// output shape, parameter count, trainable), then the total, trainable and non-trainable
// parameter counts with their sizes.
func (d *Diagram) Summary() string {
	rows := d.Layers()
	head := [4]string{"Layer (type)", "Output Shape", "Param #", "Trainable"}
	cells := make([][4]string, len(rows))
	w := [4]int{}
	for i := range head {
		w[i] = utf8.RuneCountInString(head[i])
	}
	for i, r := range rows {
		cells[i] = [4]string{r.Name + " (" + r.Kind + ")", r.OutputShape, commas(r.Params), r.TrainableText()}
		for j, c := range cells[i] {
			w[j] = max(w[j], utf8.RuneCountInString(c))
		}
	}
	pad := func(s string, n int, right bool) string {
		k := n - utf8.RuneCountInString(s)
		if k <= 0 {
			return s
		}
		if right {
			return strings.Repeat(" ", k) + s
		}
		return s + strings.Repeat(" ", k)
	}
	line := func(c [4]string) string {
		return strings.TrimRight(" "+pad(c[0], w[0], false)+"   "+pad(c[1], w[1], false)+"   "+pad(c[2], w[2], true)+"   "+pad(c[3], w[3], false), " ")
	}
	total := w[0] + w[1] + w[2] + w[3] + 10
	var b strings.Builder
	fmt.Fprintf(&b, "Model: %q\n", d.title())
	b.WriteString(strings.Repeat("_", total) + "\n")
	b.WriteString(line(head) + "\n")
	b.WriteString(strings.Repeat("=", total) + "\n")
	for i, c := range cells {
		if i > 0 {
			b.WriteString(strings.Repeat("─", total) + "\n")
		}
		b.WriteString(line(c) + "\n")
	}
	b.WriteString(strings.Repeat("=", total) + "\n")
	for _, l := range d.totals().lines() {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "%s ops (%s graph nodes pruned: no output depends on them)\n", commas(d.countOps()), commas(d.pruned))
	return b.String()
}

// SummaryHTML is Summary as an HTML table (every name escaped), for notebooks and reports.
func (d *Diagram) SummaryHTML() string {
	var b strings.Builder
	b.WriteString(`<div class="gonbviz-summary" style="font:12px system-ui,sans-serif;color:#202124">`)
	fmt.Fprintf(&b, `<div style="font-weight:bold;margin:4px 0">Model: %s</div>`, html.EscapeString(d.title()))
	b.WriteString(`<table style="border-collapse:collapse"><thead><tr>`)
	for _, h := range []string{"Layer (type)", "Output Shape", "Param #", "Trainable"} {
		align := "left"
		if h == "Param #" {
			align = "right"
		}
		fmt.Fprintf(&b, `<th style="text-align:%s;padding:3px 10px;border-bottom:2px solid #5f6368">%s</th>`, align, h)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, r := range d.Layers() {
		fmt.Fprintf(&b, `<tr><td style="padding:3px 10px;border-bottom:1px solid #dadce0"><code>%s</code> (%s)</td><td style="padding:3px 10px;border-bottom:1px solid #dadce0"><code>%s</code></td><td style="text-align:right;padding:3px 10px;border-bottom:1px solid #dadce0">%s</td><td style="padding:3px 10px;border-bottom:1px solid #dadce0">%s</td></tr>`,
			html.EscapeString(r.Name), html.EscapeString(r.Kind), html.EscapeString(r.OutputShape), commas(r.Params), r.TrainableText())
	}
	b.WriteString(`</tbody></table><div style="margin-top:6px">`)
	for _, l := range d.totals().lines() {
		fmt.Fprintf(&b, `<div>%s</div>`, html.EscapeString(l))
	}
	b.WriteString(`</div></div>`)
	return b.String()
}
