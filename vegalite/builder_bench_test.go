// SPDX-License-Identifier: Apache-2.0

package vegalite

import (
	"encoding/json"
	"math"
	"testing"
)

type benchRow struct {
	Step  int     `json:"step"`
	Loss  float64 `json:"loss"`
	Acc   float64 `json:"accuracy"`
	Split string  `json:"split"`
}

func benchRows(n int) []benchRow {
	rows := make([]benchRow, n)
	for i := range rows {
		rows[i] = benchRow{Step: i, Loss: math.Exp(-float64(i) / 1e4), Acc: 1 - math.Exp(-float64(i)/2e4), Split: "train"}
	}
	return rows
}

// BenchmarkEncodeRows100k builds a chart whose inline data is 100,000 rows of structs
// (Values + validation + JSON encoding), reporting MB of JSON per second.
func BenchmarkEncodeRows100k(b *testing.B) {
	rows := benchRows(100_000)
	var size int
	for b.Loop() {
		spec, err := NewChart().Data(Values(rows)).Mark(Line()).
			Encode(X("step:Q"), Y("loss:Q"), Color("split:N")).Build()
		if err != nil {
			b.Fatal(err)
		}
		size = len(spec.JSON)
	}
	b.SetBytes(int64(size))
}

// BenchmarkEncodeColumns100k is the same data given as column slices.
func BenchmarkEncodeColumns100k(b *testing.B) {
	rows := benchRows(100_000)
	steps := make([]float64, len(rows))
	loss := make([]float64, len(rows))
	acc := make([]float64, len(rows))
	for i, r := range rows {
		steps[i], loss[i], acc[i] = float64(r.Step), r.Loss, r.Acc
	}
	var size int
	for b.Loop() {
		spec, err := NewChart().Data(Columns(map[string]any{"step": steps, "loss": loss, "accuracy": acc})).
			Mark(Line()).Encode(X("step:Q"), Y("loss:Q")).Build()
		if err != nil {
			b.Fatal(err)
		}
		size = len(spec.JSON)
	}
	b.SetBytes(int64(size))
}

// BenchmarkEncodeRows100kStdlib is the baseline for BenchmarkEncodeRows100k: encoding/json
// marshalling the same rows alone (no spec, no validation, no NaN handling; it would fail on
// a NaN). Compare the two ns/op for the builder's overhead ratio.
func BenchmarkEncodeRows100kStdlib(b *testing.B) {
	rows := benchRows(100_000)
	var size int
	for b.Loop() {
		out, err := json.Marshal(rows)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.SetBytes(int64(size))
}
