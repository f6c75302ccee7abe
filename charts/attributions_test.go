// SPDX-License-Identifier: Apache-2.0

package charts_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/charts"
	"github.com/gonbviz/gonbviz/saliency"
)

// attributionRows returns the rows of an Attributions chart's data, parsed from its
// inline CSV through the spec's JSON (field -> value as text).
func attributionRows(t *testing.T, spec map[string]any) []map[string]string {
	t.Helper()
	data := spec["data"].(map[string]any)
	values, ok := data["values"].(string)
	if !ok {
		t.Fatalf("data values are %T; want the grid's CSV", data["values"])
	}
	return parseCSV(t, values)
}

// parseCSV reads a small CSV with quoted fields that may hold newlines.
func parseCSV(t *testing.T, s string) []map[string]string {
	t.Helper()
	var records [][]string
	var rec []string
	var field strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '"' && i+1 < len(s) && s[i+1] == '"':
			field.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == ',':
			rec = append(rec, field.String())
			field.Reset()
		case !quoted && c == '\n':
			records = append(records, append(rec, field.String()))
			rec, field = nil, strings.Builder{}
		default:
			field.WriteByte(c)
		}
	}
	if field.Len() > 0 || rec != nil {
		records = append(records, append(rec, field.String()))
	}
	var rows []map[string]string
	for _, r := range records[1:] {
		row := map[string]string{}
		for j, name := range records[0] {
			row[name] = r[j]
		}
		rows = append(rows, row)
	}
	return rows
}

func attributionsSpec(t *testing.T, r *saliency.Result, opts charts.AttributionsOptions) map[string]any {
	t.Helper()
	chart, err := charts.Attributions(r, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := chart.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	return spec
}

// The chart shows the examples asked for, captioned with the result's own figures, and
// the right-and-wrong pair is the surest right and the surest wrong prediction.
func TestAttributionsCaptions(t *testing.T) {
	r, labels := explainDigits()
	examples := []int{5, 1, 2}
	rows := attributionRows(t, attributionsSpec(t, r, charts.AttributionsOptions{Examples: examples, Labels: labels}))
	if len(rows) != len(examples) {
		t.Fatalf("%d images; want %d", len(rows), len(examples))
	}
	for k, i := range examples {
		row, c := rows[k], r.Completeness[i]
		if want := fmt.Sprintf("#%d", i); row["name"] != want {
			t.Errorf("image %d is %s; want %s", k, row["name"], want)
		}
		p := r.Probabilities[i][r.Predicted[i]]
		want := fmt.Sprintf("#%d %.2f", i, p)
		if labels[i] == r.Predicted[i] {
			want += fmt.Sprintf("\n%d", labels[i])
		} else {
			want += fmt.Sprintf("\n%d→%d", labels[i], r.Predicted[i])
		}
		want += fmt.Sprintf("\nIG ±%s%%", strings.TrimSuffix(fmt.Sprintf("%.2g", 100*c.RelError), "%"))
		if row["caption"] != want {
			t.Errorf("image %d caption %q; want %q", k, row["caption"], want)
		}
		if got := row["wrong"] == "true"; got != (labels[i] != r.Predicted[i]) {
			t.Errorf("image %d wrong=%v; want %v", k, got, !got)
		}
		if !strings.HasPrefix(row["url"], "data:image/png;base64,") {
			t.Errorf("image %d url %.30q; want a PNG data URL", k, row["url"])
		}
	}

	// Right and wrong, computed here from the probabilities.
	right, wrong := -1, -1
	for i, l := range labels {
		p := r.Predicted[i]
		conf := r.Probabilities[i][p]
		if p == l && (right < 0 || conf > r.Probabilities[right][r.Predicted[right]]) {
			right = i
		}
		if p != l && (wrong < 0 || conf > r.Probabilities[wrong][r.Predicted[wrong]]) {
			wrong = i
		}
	}
	spec := attributionsSpec(t, r, charts.AttributionsOptions{RightAndWrong: true, Labels: labels})
	rows = attributionRows(t, spec)
	if len(rows) != 2 || rows[0]["name"] != fmt.Sprintf("#%d", right) || rows[1]["name"] != fmt.Sprintf("#%d", wrong) {
		t.Fatalf("right and wrong drew %v; want #%d then #%d", []string{rows[0]["name"], rows[len(rows)-1]["name"]}, right, wrong)
	}
	// One scale for both: the largest |pixel attribution| of the two.
	scale := 0.0
	for _, i := range []int{right, wrong} {
		for _, a := range r.Example(i) {
			scale = max(scale, math.Abs(float64(a)))
		}
	}
	b, _ := json.Marshal(spec)
	if want := "overlay: " + strconv.FormatFloat(-scale, 'g', 3, 64) + " to " + strconv.FormatFloat(scale, 'g', 3, 64) + " on one scale"; !strings.Contains(string(b), want) {
		t.Errorf("the subtitle does not say %q", want)
	}
}

// Bad input gets one clear error naming the argument.
func TestAttributionsErrors(t *testing.T) {
	r, labels := explainDigits()
	allRight := make([]int, r.Len())
	copy(allRight, r.Predicted)
	for _, c := range []struct {
		name string
		r    *saliency.Result
		opts charts.AttributionsOptions
		want string
	}{
		{"nil", nil, charts.AttributionsOptions{}, "result is nil or empty"},
		{"labels", r, charts.AttributionsOptions{Labels: labels[:3]}, "AttributionsOptions.Labels has 3 labels"},
		{"no labels", r, charts.AttributionsOptions{RightAndWrong: true}, "RightAndWrong needs Labels"},
		{"both", r, charts.AttributionsOptions{RightAndWrong: true, Labels: labels, Examples: []int{1}}, "leave Examples nil"},
		{"range", r, charts.AttributionsOptions{Examples: []int{0, r.Len()}}, fmt.Sprintf("Examples[1] is %d", r.Len())},
		{"all right", r, charts.AttributionsOptions{RightAndWrong: true, Labels: allRight}, "predictions are right"},
		{"not images", r, charts.AttributionsOptions{Height: 5, Width: 5}, "Height×Width = 5×5"},
		{"colormap", r, charts.AttributionsOptions{Colormap: 9}, "AttributionsOptions.Colormap"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := charts.Attributions(c.r, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "charts.Attributions: ") {
				t.Errorf("err = %v; want charts.Attributions: …%s…", err, c.want)
			}
		})
	}
}
