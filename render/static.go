// SPDX-License-Identifier: Apache-2.0

package render

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gonbviz/gonbviz/internal/textwrap"
	"github.com/gonbviz/gonbviz/vegalite"
)

// StaticSpec returns the spec a chart's static SVG is drawn from (JSON text, as Chart
// draws it from the chart's spec): without the layers that only serve interaction
// (vegalite.InteractiveOnlyPrefix), and, where parameters are bound to controls, with a
// last subtitle line that says which values the picture shows. It returns specJSON itself
// when neither applies. For drawing gonbviz's charts statically with other tools.
func StaticSpec(specJSON []byte) (static []byte, err error) {
	defer guard(&err)
	return staticSpec(specJSON)
}

// staticSpec is the spec the static SVG draws: the chart without its interactive-only
// layers, and, when parameters are bound to controls (a slider, a drop-down, a
// checkbox), with a last subtitle line that says which values the picture shows, as
// no control does there: "showing step 1500 of 10–1500; move the slider in the
// interactive view". The interactive view leaves it out: its controls show the values.
func staticSpec(specJSON []byte) ([]byte, error) {
	m, err := vegalite.Spec{JSON: specJSON}.Value()
	if err != nil {
		return nil, fmt.Errorf("render: spec is not a JSON object: %w", err)
	}
	stripped, changed := withoutInteractiveOnly(m)
	if note := boundParamsNote(stripped); note != "" {
		for _, line := range textwrap.Lines(note, textwrap.Chars(specWidth(stripped))) {
			stripped["title"] = withSubtitleLine(stripped["title"], line)
		}
		changed = true
	}
	if !changed {
		return specJSON, nil
	}
	return vegalite.SafeJSON(stripped)
}

// withNotes returns the spec with each note as a last line of its subtitle, broken into
// lines no wider than the chart: what a reader should know (values drawn as gaps, what
// Vega-Lite warned of) is said by the chart itself, in every reader. specJSON itself when
// there is no note.
func withNotes(specJSON []byte, notes []string) ([]byte, error) {
	if len(notes) == 0 {
		return specJSON, nil
	}
	m, err := vegalite.Spec{JSON: specJSON}.Value()
	if err != nil {
		return nil, fmt.Errorf("render: spec is not a JSON object: %w", err)
	}
	chars := textwrap.Chars(specWidth(m))
	for _, n := range notes {
		for _, line := range textwrap.Lines(n, chars) {
			m["title"] = withSubtitleLine(m["title"], line)
		}
	}
	return vegalite.SafeJSON(m)
}

// specWidth estimates the width in pixels of the views of a spec (a view's width plus
// room for its axis; concatenated views side by side; a facet's or repeat's columns), for
// breaking the static note into lines no wider than the chart. 400 where it cannot tell.
func specWidth(m map[string]any) int {
	if w, ok := m["width"].(float64); ok {
		return int(w) + 60
	}
	if views, ok := m["hconcat"].([]any); ok {
		total := 0
		for _, v := range views {
			if vm, ok := v.(map[string]any); ok {
				total += specWidth(vm) + 20
			}
		}
		return max(total, 400)
	}
	widest := 0
	for _, k := range []string{"vconcat", "concat", "layer"} {
		if views, ok := m[k].([]any); ok {
			for _, v := range views {
				if vm, ok := v.(map[string]any); ok {
					widest = max(widest, specWidth(vm))
				}
			}
		}
	}
	if inner, ok := m["spec"].(map[string]any); ok {
		cols := 1
		if c, ok := m["columns"].(float64); ok && c > 1 {
			cols = int(c)
		}
		widest = max(widest, cols*specWidth(inner))
	}
	if widest == 0 {
		return 400
	}
	return widest
}

// withSubtitleLine returns a title (a spec's "title": nil, a string, lines or an
// object) with line added as the last line of its subtitle. A chart without a title
// text gets line as its title, in the subtitle's weight and size (vega draws no
// subtitle under an empty title), from the left.
func withSubtitleLine(title any, line string) any {
	t := map[string]any{}
	switch x := title.(type) {
	case map[string]any:
		for k, v := range x {
			t[k] = v
		}
	case nil:
	default: // a string or lines
		t["text"] = x
	}
	if text, ok := t["text"]; !ok || text == "" {
		t["text"], t["fontWeight"], t["fontSize"], t["anchor"] = line, "normal", 12, "start"
		return t
	}
	switch sub := t["subtitle"].(type) {
	case string:
		t["subtitle"] = []any{sub, line}
	case []any:
		t["subtitle"] = append(slices.Clone(sub), line)
	default:
		t["subtitle"] = line
	}
	return t
}

// boundParamsNote says which values the parameters bound to input controls have in a
// spec ("" if none is bound): "showing tensor /a/weights (1 of 2), step 50 of 10–50;
// change them with the drop-down and the slider in the interactive view". Parameters
// bound to a legend or to scales have no control of their own and are left out.
func boundParamsNote(spec map[string]any) string {
	var parts, controls []string
	seen := map[string]bool{}
	var walk func(v map[string]any)
	walk = func(v map[string]any) {
		params, _ := v["params"].([]any)
		for _, p := range params {
			pm, _ := p.(map[string]any)
			bind, _ := pm["bind"].(map[string]any)
			input, _ := bind["input"].(string)
			name, _ := pm["name"].(string)
			if input == "" || seen[name] {
				continue
			}
			seen[name] = true
			value, ok := pm["value"]
			if !ok {
				continue // the control starts empty: nothing to say
			}
			parts = append(parts, describeBound(name, input, bind, value))
			controls = append(controls, controlWord(input))
		}
		for _, k := range []string{"layer", "hconcat", "vconcat", "concat"} {
			list, _ := v[k].([]any)
			for _, e := range list {
				if em, ok := e.(map[string]any); ok {
					walk(em)
				}
			}
		}
		if inner, ok := v["spec"].(map[string]any); ok {
			walk(inner)
		}
	}
	walk(spec)
	if len(parts) == 0 {
		return ""
	}
	var how string
	switch {
	case len(controls) > 1:
		how = "change them with the " + joinAnd(controls)
	case controls[0] == "slider":
		how = "move the slider"
	case controls[0] == "checkbox":
		how = "toggle the checkbox"
	case controls[0] == "input field":
		how = "change it in the input field"
	default:
		how = "pick another with the " + controls[0]
	}
	return "showing " + strings.Join(parts, ", ") + "; " + how + " in the interactive view"
}

// describeBound says what value a bound parameter has: "step 50 of 10–50", "tensor
// /a/weights (1 of 2)", "log scale off".
func describeBound(name, input string, bind map[string]any, value any) string {
	label := name
	if s, ok := bind["name"].(string); ok && strings.TrimSpace(s) != "" {
		label = strings.TrimSpace(s)
	}
	text := boundValue(value)
	switch input {
	case "range":
		lo, okLo := bind["min"].(float64)
		hi, okHi := bind["max"].(float64)
		if okLo && okHi {
			text += " of " + boundValue(lo) + "–" + boundValue(hi)
		}
	case "select", "radio":
		options, _ := bind["options"].([]any)
		for i, o := range options {
			if equalJSON(o, value) {
				if labels, ok := bind["labels"].([]any); ok && i < len(labels) {
					text = boundValue(labels[i])
				}
				text += fmt.Sprintf(" (%d of %d)", i+1, len(options))
				break
			}
		}
	}
	return label + " " + text
}

// boundValue writes a parameter's value as a control shows it.
func boundValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "on"
		}
		return "off"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// controlWord names the control an input binding draws.
func controlWord(input string) string {
	switch input {
	case "range":
		return "slider"
	case "select":
		return "drop-down"
	case "radio":
		return "buttons"
	case "checkbox":
		return "checkbox"
	}
	return "input field"
}

// joinAnd joins words as "a, b and c", each distinct word once.
func joinAnd(words []string) string {
	var uniq []string
	for _, w := range words {
		if !slices.Contains(uniq, w) {
			uniq = append(uniq, w)
		}
	}
	if len(uniq) == 1 {
		return uniq[0] + "s"
	}
	return strings.Join(uniq[:len(uniq)-1], ", the ") + " and the " + uniq[len(uniq)-1]
}

// withoutInteractiveOnly returns a copy of the spec without the layers named with
// vegalite.InteractiveOnlyPrefix, and whether there were any.
func withoutInteractiveOnly(spec map[string]any) (map[string]any, bool) {
	found := false
	var strip func(v any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				if k == "layer" {
					if list, ok := e.([]any); ok {
						kept := make([]any, 0, len(list))
						for _, l := range list {
							if lm, ok := l.(map[string]any); ok {
								if name, _ := lm["name"].(string); strings.HasPrefix(name, vegalite.InteractiveOnlyPrefix) {
									found = true
									continue
								}
							}
							kept = append(kept, strip(l))
						}
						out[k] = kept
						continue
					}
				}
				out[k] = strip(e)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = strip(e)
			}
			return out
		}
		return v
	}
	out := strip(spec).(map[string]any)
	return out, found
}
