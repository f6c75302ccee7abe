// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"testing"

	"github.com/gonbviz/gonbviz/internal/histo"
)

func TestNonFiniteText(t *testing.T) {
	for _, tc := range []struct {
		nan, posInf, negInf int64
		want                string
	}{
		{0, 0, 0, ""},
		{3, 0, 0, "3 NaN"},
		{1, 0, 1, "1 NaN and 1 -Inf"},
		{1, 2, 3, "1 NaN, 2 +Inf and 3 -Inf"},
	} {
		if got := nonFiniteText(histo.Result{NaN: tc.nan, PosInf: tc.posInf, NegInf: tc.negInf}); got != tc.want {
			t.Errorf("nonFiniteText(%d NaN, %d +Inf, %d -Inf) = %q, want %q", tc.nan, tc.posInf, tc.negInf, got, tc.want)
		}
	}
}
