package vegalite

import (
	"encoding/json"
	"fmt"
	"testing"

	vlschema "github.com/gonbviz/gonbviz/vegalite/schema"
)

// BenchmarkSchemaCompile measures decompressing and compiling the embedded
// schema, the one-time cost paid by the first validation.
func BenchmarkSchemaCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chkCompileSchema(vlschema.Gzipped); err != nil {
			b.Fatal(err)
		}
	}
}

// validateBenchTypical is a typical interactive chart: inline data, a
// transform, a brush and a condition.
const validateBenchTypical = `{
  "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
  "title": "Stock prices",
  "data": {"values": [
    {"symbol": "MSFT", "date": "2000-01-01", "price": 39.81},
    {"symbol": "MSFT", "date": "2000-02-01", "price": 36.35},
    {"symbol": "AMZN", "date": "2000-01-01", "price": 64.56},
    {"symbol": "AMZN", "date": "2000-02-01", "price": 68.87}
  ]},
  "transform": [{"calculate": "datum.price * 1.1", "as": "adjusted"}],
  "params": [{"name": "brush", "select": {"type": "interval", "encodings": ["x"]}}],
  "mark": {"type": "line", "point": true, "tooltip": true},
  "encoding": {
    "x": {"field": "date", "type": "temporal", "axis": {"title": "Date"}},
    "y": {"field": "adjusted", "type": "quantitative", "scale": {"zero": false}},
    "color": {
      "condition": {"param": "brush", "field": "symbol", "type": "nominal"},
      "value": "lightgray"
    }
  },
  "width": 400,
  "height": 200
}`

// BenchmarkValidate measures validating a typical spec with a compiled
// schema.
func BenchmarkValidate(b *testing.B) {
	spec := []byte(validateBenchTypical)
	if err := Validate(spec); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Validate(spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateLarge measures a spec with 5000 inline rows.
func BenchmarkValidateLarge(b *testing.B) {
	rows := make([]map[string]any, 5000)
	for i := range rows {
		rows[i] = map[string]any{
			"id":       i,
			"category": fmt.Sprintf("c%d", i%12),
			"x":        float64(i) * 0.5,
			"y":        float64(i%97) * 1.25,
			"date":     fmt.Sprintf("2020-01-%02d", 1+i%28),
		}
	}
	spec, err := json.Marshal(map[string]any{
		"data":      map[string]any{"values": rows},
		"transform": []any{map[string]any{"filter": "datum.y > 10"}},
		"mark":      "point",
		"encoding": map[string]any{
			"x":     map[string]any{"field": "x", "type": "quantitative"},
			"y":     map[string]any{"field": "y", "type": "quantitative"},
			"color": map[string]any{"field": "category", "type": "nominal"},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := Validate(spec); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(spec)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Validate(spec); err != nil {
			b.Fatal(err)
		}
	}
}
