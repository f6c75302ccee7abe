// SPDX-License-Identifier: Apache-2.0

// Package vegalite builds Vega-Lite v5 specifications in Go and validates them against the
// Vega-Lite 5.23.0 JSON schema embedded in the binary.
//
// It knows nothing of notebooks or models: gonbviz's notebook packages draw every chart
// through it, and any Go program can use it to write specs for vega-embed, JupyterLab,
// VS Code or the Vega editor.
//
// # Building a chart
//
// A chart is an immutable value, built in the manner of Altair:
//
//	chart := vegalite.NewChart().
//		Data(vegalite.Values(rows)).             // slices of structs, maps, or Columns(...)
//		Mark(vegalite.Line().Point(true)).
//		Encode(
//			vegalite.X("step:Q"),
//			vegalite.Y("mean(loss):Q").Scale(vegalite.Scale{}.Type("log")),
//			vegalite.Color("run:N"),
//			vegalite.Tooltip("step:Q", "loss:Q"),
//		)
//	spec, err := chart.Build()                   // validated JSON, or an error naming the path
//
// Every method returns a changed copy, so charts, marks, encodings, scales and axes can be
// shared and specialised without surprises. Field shorthands read "field:T",
// "agg(field):T", "timeunit(field):T" and "count()", where T is one of Q, O, N, T, G.
// Composition is Layer, HConcat, VConcat, Concat, Facet and Repeat; interaction is
// parameters (NewParam with Bind, SelectPoint, SelectInterval) used through Selected, If and
// Filter. Every property of marks, axes, legends, scales, headers, titles and the
// configuration has a method (generated from the schema); anything else can be set by path
// with Set, and is validated like the rest.
//
// # Output
//
// Build returns a Spec whose JSON is deterministic (object keys sorted), so specs can be
// golden-tested, and safe to place inside an HTML <script> element (<, >, &, U+2028 and
// U+2029 are escaped). JSON has no NaN or infinity: such numbers in inline data are written
// as null, which Vega-Lite draws as gaps, and a Note in Spec.Notes says which field and rows.
//
// # Validation and the error contract
//
// Build validates before it returns: a chart that Vega-Lite would reject, or draw blank, is
// an error and never a silent empty view. Validate and ValidateValue check spec text and
// decoded specs from anywhere. Errors are *ValidationError values with one Problem per
// line: the JSON pointer of the place and what to change, e.g.
//
//	/encoding/x/type: "quantitive" is not one of quantitative, ordinal, temporal, nominal (did you mean "quantitative"?)
//	/: unknown property "titel" (did you mean "title"?)
//
// Beyond the schema, validation also catches fields that are not in the inline data and
// parameters used in conditions, filters or expressions but never defined. Constructors
// given bad input (rows that are not a slice, columns of unequal length, a malformed field
// shorthand) report it at Build, naming the call. Nothing in this package panics on user
// input.
package vegalite
