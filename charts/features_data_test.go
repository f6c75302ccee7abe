// SPDX-License-Identifier: Apache-2.0

package charts_test

import _ "embed"

// Two small real data sets, embedded in the test binary (testdata/DATA.md credits them:
// UCI, CC BY 4.0): the chemical analysis of 178 Italian wines of three cultivars, and
// Fisher's 150 irises.
var (
	//go:embed testdata/wine.csv
	wineCSV string
	//go:embed testdata/iris.csv
	irisCSV string
)
