// SPDX-License-Identifier: Apache-2.0

package textwrap

import (
	"reflect"
	"testing"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"", 10, []string{""}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"a supercalifragilistic b", 5, []string{"a", "supercalifragilistic", "b"}},
		// Characters, not bytes: "–" and "·" are one each.
		{"steps 10–500 · 3 NaN", 14, []string{"steps 10–500 ·", "3 NaN"}},
	} {
		if got := Lines(tc.s, tc.width); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Lines(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
	if Chars(0) != 40 || Chars(960) != 100 {
		t.Errorf("Chars(0) = %d, Chars(960) = %d", Chars(0), Chars(960))
	}
}
