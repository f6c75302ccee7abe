// SPDX-License-Identifier: Apache-2.0

package dsv

import (
	"reflect"
	"testing"
)

func TestParseLikeD3(t *testing.T) {
	// Expected values from d3-dsv 3's csvParseRows.
	for _, tc := range []struct {
		in   string
		want [][]string
	}{
		{"", nil},
		{"a\n1\n\n2", [][]string{{"a"}, {"1"}, {""}, {"2"}}},
		{"a\n1\n2\n", [][]string{{"a"}, {"1"}, {"2"}}},
		{"a\n1\n", [][]string{{"a"}, {"1"}}},
		{"a\n1\n\"\"", [][]string{{"a"}, {"1"}, {""}}},
		{"a,b\r\n1,\r\n,\r\n", [][]string{{"a", "b"}, {"1", ""}, {"", ""}}},
		{`"x,""y""",z` + "\n" + `"line1` + "\n" + `line2",2`, [][]string{{`x,"y"`, "z"}, {"line1\nline2", "2"}}},
		{`"a"b,c`, [][]string{{"a", "", "c"}}},
		{`"unclosed`, [][]string{{"unclosed"}}},
		{"\"\"", [][]string{{""}}},
		// A last field that is empty: the text ends with the delimiter.
		{"a,b\n1,", [][]string{{"a", "b"}, {"1", ""}}},
		{"a,", [][]string{{"a", ""}}},
		{"1,\n", [][]string{{"1", ""}}},
		{"a,b\n1,\n2,", [][]string{{"a", "b"}, {"1", ""}, {"2", ""}}},
	} {
		if got := Parse(tc.in, ','); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Rows("a,b\n1,2\n3,4\n", ','); got != 2 {
		t.Errorf("Rows = %d, want 2", got)
	}
	if got := Rows("", ','); got != 0 {
		t.Errorf("Rows of nothing = %d", got)
	}
	if got := Header("\"a\tb\"\tc\n1\t2", '\t'); !reflect.DeepEqual(got, []string{"a\tb", "c"}) {
		t.Errorf("Header = %q", got)
	}
	for _, tc := range []struct {
		format any
		want   byte
		ok     bool
	}{
		{map[string]any{"type": "csv"}, ',', true},
		{map[string]any{"type": "tsv"}, '\t', true},
		{map[string]any{"type": "dsv", "delimiter": "|"}, '|', true},
		{map[string]any{"type": "dsv", "delimiter": "||"}, 0, false},
		{map[string]any{"type": "json"}, 0, false},
		{nil, 0, false},
	} {
		if d, ok := Delimiter(tc.format); d != tc.want || ok != tc.ok {
			t.Errorf("Delimiter(%v) = %q, %v", tc.format, d, ok)
		}
	}
}

func TestRead(t *testing.T) {
	rows, ok := Read("a.b,n,f,s,t\n1.5,,true,,x\n-2,3,0,y,\n", map[string]any{
		"type": "csv", "parse": map[string]any{`a\.b`: "number", "n": "number", "f": "boolean", "s": "string"}})
	want := []any{
		map[string]any{"a.b": 1.5, "n": nil, "f": true, "s": nil, "t": "x"},
		map[string]any{"a.b": -2.0, "n": 3.0, "f": false, "s": "y", "t": ""},
	}
	if !ok || !reflect.DeepEqual(rows, want) {
		t.Errorf("Read = %v, %v; want %v", rows, ok, want)
	}
	if _, ok := Read("a\n1", map[string]any{"type": "csv", "parse": map[string]any{"a": "date"}}); ok {
		t.Error("an unknown parse was accepted")
	}
	if _, ok := Read("a\n1", map[string]any{"type": "json"}); ok {
		t.Error("JSON was read as CSV")
	}
}
