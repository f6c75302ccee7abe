// SPDX-License-Identifier: Apache-2.0

package vegalite

import "fmt"

// Transform is one data transform, applied before encoding. Make one with the constructor
// of its kind (Aggregate, Bin, Calculate, Density, Extent, Filter, Flatten, Fold, Impute,
// JoinAggregate, Loess, Lookup, Pivot, Quantile, Regression, Sample, Stack, TimeUnit,
// Window) and refine it with the methods that kind takes (GroupBy, As, Frame, ...); a
// method a kind does not take is reported by Build as an unknown property.
type Transform struct {
	kind string
	p    props
	sets []pathSet
}

func (t Transform) with(key string, v any) Transform {
	return Transform{kind: t.kind, p: t.p.with(key, v), sets: t.sets}
}

func (t Transform) specValue() any { return buildObject(t.p, t.sets) }

// Set sets any transform property by path (validated with the rest of the spec).
func (t Transform) Set(path string, v any) Transform {
	return Transform{kind: t.kind, p: t.p, sets: appendSet(t.sets, path, v)}
}

// Op is one operation of an Aggregate, JoinAggregate or Window transform: op over field,
// output named as. Window operations without a field (rank, row_number, ...) take "".
type Op struct {
	p props
}

func (o Op) specValue() any { return plain(o.p) }

// AggOp makes an operation, e.g. AggOp("mean", "price", "mean_price").
func AggOp(op, field, as string) Op {
	p := props{"op": op, "as": as}
	if field != "" {
		p["field"] = field
	}
	return Op{p: p}
}

// Param sets the parameter of a window operation (lag/lead offset, nth_value index, ...).
func (o Op) Param(v float64) Op { return Op{p: o.p.with("param", v)} }

// SortField is a sort by a field: SortField{Field: "date", Order: "descending"} in window
// and stack transforms; with Op it is also an encoding sort by an aggregate of another
// field, Sort(SortField{Field: "price", Op: "mean", Order: "descending"}).
type SortField struct {
	Field string
	Op    string // aggregate for an encoding sort ("mean", "sum", ...); "" for none
	Order string // "ascending" (default) or "descending"
}

func (s SortField) specValue() any {
	m := map[string]any{}
	if s.Field != "" {
		m["field"] = s.Field
	}
	if s.Op != "" {
		m["op"] = s.Op
	}
	if s.Order != "" {
		m["order"] = s.Order
	}
	return m
}

// Aggregate groups rows and summarises each group: Aggregate(AggOp("mean", "y", "mean_y")).GroupBy("x").
func Aggregate(ops ...Op) Transform {
	return Transform{kind: "aggregate", p: props{"aggregate": ops}}
}

// JoinAggregate adds group summaries to every row, keeping the rows.
func JoinAggregate(ops ...Op) Transform {
	return Transform{kind: "joinaggregate", p: props{"joinaggregate": ops}}
}

// Window computes running and ranked values over sorted windows of rows.
func Window(ops ...Op) Transform {
	return Transform{kind: "window", p: props{"window": ops}}
}

// Bin bins field into [as, as_end]; params is true or a BinParams value.
func Bin(field, as string, params any) Transform {
	if params == nil {
		params = true
	}
	return Transform{kind: "bin", p: props{"bin": params, "field": field, "as": as}}
}

// Calculate adds the field as computed by a Vega expression, e.g. Calculate("datum.a * 2", "b").
func Calculate(expr, as string) Transform {
	return Transform{kind: "calculate", p: props{"calculate": expr, "as": as}}
}

// Density estimates the probability density (KDE) of field; outputs "value" and "density".
func Density(field string) Transform {
	return Transform{kind: "density", p: props{"density": field}}
}

// Extent computes the [min, max] of field into the parameter param.
func Extent(field, param string) Transform {
	return Transform{kind: "extent", p: props{"extent": field, "param": param}}
}

// Filter keeps rows where the predicate holds: a Vega expression string ("datum.x > 0") or a
// Predicate (Selected("brush"), FieldRange(...), And(...), ...).
func Filter(pred any) Transform {
	switch q := pred.(type) {
	case string:
		return Transform{kind: "filter", p: props{"filter": q}}
	case Predicate:
		return Transform{kind: "filter", p: props{"filter": q.p}}
	}
	return Transform{kind: "filter", p: props{"filter": buildError{fmt.Errorf(
		"vegalite: Filter(%v): pass an expression string or a Predicate, not a %T", pred, pred)}}}
}

// Flatten turns array-valued fields into one row per element.
func Flatten(fields ...string) Transform {
	return Transform{kind: "flatten", p: props{"flatten": fields}}
}

// Fold turns columns into rows of "key" and "value" (As renames them).
func Fold(fields ...string) Transform {
	return Transform{kind: "fold", p: props{"fold": fields}}
}

// Impute fills in missing values of field along key (Value, Method, Frame, GroupBy).
func Impute(field, key string) Transform {
	return Transform{kind: "impute", p: props{"impute": field, "key": key}}
}

// Loess fits a smooth locally-estimated curve of y against x.
func Loess(y, x string) Transform {
	return Transform{kind: "loess", p: props{"loess": y, "on": x}}
}

// Regression fits a regression model of y against x (Method "linear", "log", "exp", "pow", "quad", "poly").
func Regression(y, x string) Transform {
	return Transform{kind: "regression", p: props{"regression": y, "on": x}}
}

// Lookup joins fields of a secondary data set: rows whose key equals this row's field.
// With no fields, the whole matching row is added under As.
func Lookup(field string, from Data, key string, fields ...string) Transform {
	f := props{"data": from, "key": key}
	if len(fields) > 0 {
		f = f.with("fields", fields)
	}
	return Transform{kind: "lookup", p: props{"lookup": field, "from": f}}
}

// LookupSelection joins the values of a selection parameter: rows whose key (default: the
// selection's field) equals this row's field.
func LookupSelection(field, param string) Transform {
	return Transform{kind: "lookup", p: props{"lookup": field, "from": props{"param": param}}}
}

// Pivot turns rows into columns: one new field per value of field, holding value.
func Pivot(field, value string) Transform {
	return Transform{kind: "pivot", p: props{"pivot": field, "value": value}}
}

// Quantile computes quantiles of field; outputs "prob" and "value".
func Quantile(field string) Transform {
	return Transform{kind: "quantile", p: props{"quantile": field}}
}

// Sample keeps a random sample of n rows.
func Sample(n int) Transform { return Transform{kind: "sample", p: props{"sample": n}} }

// Stack computes stacked positions of field into as (start) and as2 (end).
func Stack(field string, groupby []string, as, as2 string) Transform {
	return Transform{kind: "stack", p: props{"stack": field, "groupby": groupby, "as": []string{as, as2}}}
}

// TimeUnit discretises a date field: TimeUnit("yearmonth", "date", "month").
func TimeUnit(unit any, field, as string) Transform {
	return Transform{kind: "timeUnit", p: props{"timeUnit": unit, "field": field, "as": as}}
}

// GroupBy sets the fields that partition the rows.
func (t Transform) GroupBy(fields ...string) Transform { return t.with("groupby", fields) }

// As names the output field(s). Kinds with one output (calculate, bin, timeUnit, lookup,
// extent) take one name; the others take a list.
func (t Transform) As(names ...string) Transform {
	switch t.kind {
	case "calculate", "timeUnit", "extent":
		if len(names) == 1 {
			return t.with("as", names[0])
		}
	case "lookup", "bin":
		if len(names) == 1 {
			return t.with("as", names[0])
		}
	}
	return t.with("as", names)
}

// Sort sets the sort order of window and stack transforms.
func (t Transform) Sort(fields ...SortField) Transform { return t.with("sort", fields) }

// Frame sets a window frame [lo, hi] relative to the current row (nil for unbounded).
func (t Transform) Frame(lo, hi any) Transform { return t.with("frame", []any{lo, hi}) }

// IgnorePeers makes the window frame ignore sort peers.
func (t Transform) IgnorePeers(b bool) Transform { return t.with("ignorePeers", b) }

// Offset sets the stack offset: "zero", "center" or "normalize".
func (t Transform) Offset(o string) Transform { return t.with("offset", o) }

// Method sets the imputation method ("value", "mean", ...) or the regression model.
func (t Transform) Method(m string) Transform { return t.with("method", m) }

// Value sets the imputed value, or the value field of a pivot.
func (t Transform) Value(v any) Transform { return t.with("value", v) }

// KeyVals sets the key values an impute must produce.
func (t Transform) KeyVals(v any) Transform { return t.with("keyvals", v) }

// Bandwidth sets the bandwidth of density and loess.
func (t Transform) Bandwidth(b float64) Transform { return t.with("bandwidth", b) }

// Extent sets the domain of density or regression output [min, max].
func (t Transform) Extent(lo, hi float64) Transform { return t.with("extent", []float64{lo, hi}) }

// Counts makes density output counts instead of probabilities.
func (t Transform) Counts(b bool) Transform { return t.with("counts", b) }

// Cumulative makes density output the cumulative distribution.
func (t Transform) Cumulative(b bool) Transform { return t.with("cumulative", b) }

// Steps sets the number of samples of the density estimate.
func (t Transform) Steps(n int) Transform { return t.with("steps", n) }

// Order sets the polynomial order of a "poly" regression.
func (t Transform) Order(n int) Transform { return t.with("order", n) }

// Probs sets the probabilities of a quantile transform.
func (t Transform) Probs(p ...float64) Transform { return t.with("probs", p) }

// Step sets the probability step of a quantile transform.
func (t Transform) Step(s float64) Transform { return t.with("step", s) }

// Limit caps the number of pivoted fields.
func (t Transform) Limit(n int) Transform { return t.with("limit", n) }

// Op sets the aggregate of a pivot.
func (t Transform) Op(op string) Transform { return t.with("op", op) }

// Default sets the value of a lookup that finds no match.
func (t Transform) Default(v any) Transform { return t.with("default", v) }

// Params makes a regression or loess output the fitted model's parameters (coef, rSquared)
// instead of the curve.
func (t Transform) Params(b bool) Transform { return t.with("params", b) }
