// SPDX-License-Identifier: Apache-2.0

package vegalite_test

import (
	"fmt"
	"net/url"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// The second half of the gallery: charts of the Vega-Lite example gallery
// (https://vega.github.io/vega-lite/examples/) rebuilt with the builder, mostly the
// interactive ones, the transforms and the compositions. The originals load their data from
// URLs; here every data set is a small inline stand-in: rows invented to look like the
// original data (cars, unemployment, S&P 500, stocks, penguins, movies, weather), a random
// normal sample, or the rows the original spec already carries inline.

// carB is one row of a small stand-in for vega-datasets' cars.json (invented rows in the
// style of the 1970-82 Auto MPG data).
type carB struct {
	Name         string  `json:"Name"`
	MPG          float64 `json:"Miles_per_Gallon"`
	Cylinders    int     `json:"Cylinders"`
	Displacement float64 `json:"Displacement"`
	Horsepower   float64 `json:"Horsepower"`
	Acceleration float64 `json:"Acceleration"`
	Origin       string  `json:"Origin"`
}

var carsB = []carB{
	{"chevrolet chevelle malibu", 18, 8, 307, 130, 12, "USA"},
	{"buick skylark 320", 15, 8, 350, 165, 11.5, "USA"},
	{"plymouth satellite", 18, 8, 318, 150, 11, "USA"},
	{"ford torino", 17, 8, 302, 140, 10.5, "USA"},
	{"toyota corona mark ii", 24, 4, 113, 95, 15, "Japan"},
	{"datsun pl510", 27, 4, 97, 88, 14.5, "Japan"},
	{"volkswagen 1131 deluxe sedan", 26, 4, 97, 46, 20.5, "Europe"},
	{"peugeot 504", 25, 4, 110, 87, 17.5, "Europe"},
	{"audi 100 ls", 24, 4, 107, 90, 14.5, "Europe"},
	{"bmw 2002", 26, 4, 121, 113, 12.5, "Europe"},
	{"amc hornet", 18, 6, 199, 97, 15.5, "USA"},
	{"ford maverick", 21, 6, 200, 85, 16, "USA"},
	{"chevrolet impala", 14, 8, 454, 220, 9, "USA"},
	{"pontiac catalina", 14, 8, 455, 225, 10, "USA"},
	{"dodge challenger se", 15, 8, 383, 170, 10, "USA"},
	{"toyota corolla 1200", 31, 4, 71, 65, 19, "Japan"},
	{"datsun 1200", 35, 4, 72, 69, 18, "Japan"},
	{"mazda rx2 coupe", 19, 3, 70, 97, 13.5, "Japan"},
	{"fiat 128", 29, 4, 68, 49, 19.5, "Europe"},
	{"volvo 144ea", 19, 4, 121, 112, 15.5, "Europe"},
	{"honda civic cvcc", 33, 4, 91, 53, 17.4, "Japan"},
	{"volkswagen rabbit", 29, 4, 90, 70, 14.2, "Europe"},
	{"mercedes-benz 280s", 16.5, 6, 168, 120, 13.5, "Europe"},
	{"ford pinto", 26, 4, 122, 80, 16.5, "USA"},
	{"chevrolet chevette", 30, 4, 98, 68, 17, "USA"},
	{"oldsmobile cutlass supreme", 17, 8, 260, 110, 19, "USA"},
	{"mazda glc", 46.6, 4, 86, 65, 17.9, "Japan"},
	{"toyota celica gt", 32, 4, 144, 96, 13.9, "Japan"},
	{"buick century limited", 25, 6, 181, 110, 16.4, "USA"},
	{"renault 18i", 34.5, 4, 100, 81, 15.8, "Europe"},
	{"chevrolet camaro", 27, 4, 151, 90, 17.3, "USA"},
	{"ford mustang gl", 27, 4, 140, 86, 15.6, "USA"},
	{"vw pickup", 44, 4, 97, 52, 24.6, "Europe"},
	{"datsun 280-zx", 32.7, 6, 168, 132, 11.4, "Japan"},
	{"dodge charger 2.2", 36, 4, 135, 84, 13, "USA"},
}

// unemploymentB is a stand-in for unemployment-across-industries.json: unemployed people
// (thousands) per industry, every January and July from 2000 to 2005 (invented, with the
// seasonal shape of the original).
func unemploymentB() vl.Data {
	counts := []struct {
		series string
		counts [12]int
	}{
		{"Construction", [12]int{745, 520, 398, 480, 894, 640, 470, 556, 1104, 820, 610, 680}},
		{"Finance", [12]int{228, 210, 240, 215, 247, 270, 290, 300, 343, 330, 310, 305}},
		{"Manufacturing", [12]int{734, 690, 672, 600, 831, 900, 980, 1050, 1271, 1205, 1130, 1090}},
		{"Wholesale and Retail Trade", [12]int{1000, 910, 950, 1020, 1100, 1180, 1200, 1290, 1410, 1360, 1380, 1330}},
	}
	var rows []map[string]any
	for _, s := range counts {
		for i, c := range s.counts {
			date := fmt.Sprintf("%d-%02d-01", 2000+i/2, 1+6*(i%2))
			rows = append(rows, map[string]any{"series": s.series, "date": date, "count": c})
		}
	}
	return vl.Values(rows)
}

// sp500B is a stand-in for sp500.csv: month-start closes of the S&P 500, 2006 to 2009
// (rounded), as columns.
func sp500B() vl.Data {
	prices := []float64{
		1280, 1280, 1294, 1310, 1270, 1270, 1276, 1303, 1335, 1377, 1400, 1418,
		1438, 1406, 1420, 1482, 1530, 1503, 1455, 1473, 1526, 1549, 1481, 1468,
		1378, 1330, 1322, 1385, 1400, 1280, 1267, 1282, 1166, 968, 896, 903,
		825, 735, 797, 872, 919, 919, 987, 1020, 1057, 1036, 1095, 1115,
	}
	dates := make([]string, len(prices))
	for i := range dates {
		dates[i] = fmt.Sprintf("%d-%02d-01", 2006+i/12, 1+i%12)
	}
	return vl.Columns(map[string]any{"date": dates, "price": prices})
}

// stocksB is a stand-in for stocks.csv: month-start prices of three symbols in 2009.
func stocksB() vl.Data {
	type stock struct {
		Symbol string  `json:"symbol"`
		Date   string  `json:"date"`
		Price  float64 `json:"price"`
	}
	series := map[string][12]float64{
		"AAPL": {90.13, 89.31, 105.12, 125.83, 135.81, 142.43, 163.39, 168.21, 185.35, 188.5, 199.91, 210.73},
		"AMZN": {58.82, 64.79, 73.44, 80.52, 77.99, 83.66, 85.76, 81.19, 93.36, 118.81, 135.91, 134.52},
		"MSFT": {17.1, 15.8, 17.8, 19.9, 20.6, 23.3, 23.5, 24.3, 25.7, 27.7, 29.1, 30.2},
	}
	var rows []stock
	for _, sym := range []string{"AAPL", "AMZN", "MSFT"} {
		for i, p := range series[sym] {
			rows = append(rows, stock{sym, fmt.Sprintf("2009-%02d-01", i+1), p})
		}
	}
	return vl.Values(rows)
}

// penguinsB is a stand-in for penguins.json: body masses (g) of 15 invented penguins per
// species, drawn around the species means of the Palmer penguins.
func penguinsB() vl.Data {
	masses := []struct {
		species string
		grams   []float64
	}{
		{"Adelie", []float64{3575, 3925, 3600, 3550, 3275, 3600, 4200, 3900, 4175, 3800, 3875, 3775, 2950, 4075, 3925}},
		{"Chinstrap", []float64{3925, 3075, 3075, 3400, 3550, 3850, 3725, 3925, 3475, 3850, 3875, 3475, 4375, 3950, 4175}},
		{"Gentoo", []float64{4775, 4700, 4900, 5025, 5400, 5200, 4850, 4600, 4825, 5700, 4675, 5200, 5300, 4325, 5100}},
	}
	type penguin struct {
		Species string  `json:"Species"`
		Mass    float64 `json:"Body Mass (g)"`
	}
	var rows []penguin
	for _, m := range masses {
		for _, g := range m.grams {
			rows = append(rows, penguin{m.species, g})
		}
	}
	return vl.Values(rows)
}

// moviesB is a stand-in for movies.json: Rotten Tomatoes and IMDB ratings of 40 invented
// films, with the positive relation of the original.
func moviesB() vl.Data {
	rt := []int{72, 68, 41, 82, 58, 26, 67, 58, 76, 78, 48, 93, 63, 13, 65, 94, 94, 44, 62, 41,
		49, 7, 83, 19, 41, 21, 68, 15, 40, 22, 40, 95, 53, 34, 34, 89, 80, 28, 58, 73}
	imdb := []float64{7.5, 7.3, 4.9, 7.4, 6.2, 5.1, 6.2, 7.1, 7.1, 7.2, 4.8, 7, 7, 5.4, 5.3, 7.4, 7.3, 4.6, 4.9, 5.4,
		4.7, 5, 6.9, 4.4, 5.7, 4.9, 6, 5, 6.1, 5.5, 4.5, 7, 6.3, 5.6, 5.7, 7.4, 7.7, 5.2, 6.3, 6.2}
	return vl.Columns(map[string]any{"Rotten Tomatoes Rating": rt, "IMDB Rating": imdb})
}

// normalB is a stand-in for the "u" column of normal-2d.json: 50 draws of a standard normal.
var normalB = []float64{
	0.946, 1.465, -0.445, -1.38, -0.135, -0.149, -0.298, 1.405, -1.027, 1.261,
	-1.268, -0.787, 0.632, 1.129, 0.859, 0.345, 0.142, 0.152, 0.575, -0.176,
	0.277, 0.573, 0.001, 0.764, 0.566, 2.011, 0.325, -0.428, -0.373, -0.013,
	0.924, -0.337, 0.386, 1.837, -2.565, -1.124, 0.244, 0.398, 0.239, -0.431,
	0.655, 0.282, -0.522, 2.43, 0.355, -0.554, -0.099, -0.226, -0.063, -2.728,
}

// abDataB is the inline data of the gallery's concat_bar_scales_discretize_2_cols.
func abDataB() vl.Data {
	b := []int{28, 55, 43, 91, 81, 53, 19, 87, 52}
	rows := make([]map[string]any, len(b))
	for i, v := range b {
		rows[i] = map[string]any{"a": string(rune('A' + i)), "b": v}
	}
	return vl.Values(rows)
}

var galleryCasesB = []galleryCase{
	// interactive_brush: drag a rectangle; points inside are coloured by cylinders.
	{"interactive_brush_condition", func() vl.Chart {
		return vl.NewChart().
			Description("Drag out a rectangular brush to highlight points.").
			Data(vl.Values(carsB)).
			Params(vl.SelectInterval("brush").Value(map[string]any{"x": []float64{55, 160}, "y": []float64{13, 37}})).
			Mark(vl.Point()).
			Encode(
				vl.X("Horsepower:Q"),
				vl.Y("Miles_per_Gallon:Q"),
				vl.Color(vl.If(vl.Selected("brush"), "Cylinders:O", vl.Value("grey"))),
			)
	}},

	// interactive_legend: click a legend entry to highlight its series in a streamgraph.
	{"interactive_legend", func() vl.Chart {
		return vl.NewChart().
			Width(300).Height(200).
			Data(unemploymentB()).
			Mark(vl.Area()).
			Params(vl.SelectPoint("industry").Fields("series").BindLegend()).
			Encode(
				vl.X("yearmonth(date)").Axis(vl.Axis{}.Domain(false).Format("%Y").TickSize(0)),
				vl.Y("sum(count)").Stack("center").NoAxis(),
				vl.Color("series").Scale(vl.Scale{}.Scheme("category20b")),
				vl.Opacity(vl.If(vl.Selected("industry"), vl.Value(1), vl.Value(0.2))),
			)
	}},

	// selection_translate_scatterplot_drag: an interval selection bound to the scales
	// pans (drag) and zooms (wheel).
	{"scatter_bind_scales", func() vl.Chart {
		return vl.NewChart().
			Data(vl.Values(carsB)).
			Params(vl.SelectInterval("grid").BindScales()).
			Mark(vl.Circle()).
			Encode(
				vl.X("Horsepower:Q").Scale(vl.Scale{}.Domain([]float64{75, 150})),
				vl.Y("Miles_per_Gallon:Q").Scale(vl.Scale{}.Domain([]float64{20, 40})),
				vl.Size("Cylinders:Q"),
			)
	}},

	// In the spirit of param_expr and point_params: variable parameters bound to sliders,
	// read by a filter and a calculate expression, and by a mark property.
	{"slider_param", func() vl.Chart {
		return vl.NewChart().
			Description("Sliders set the largest horsepower shown and the MPG that counts as efficient.").
			Data(vl.Values(carsB)).
			Params(
				vl.NewParam("maxHP").Value(200).Bind(vl.BindRange(40, 240, 10).Name("max horsepower ")),
				vl.NewParam("cutoff").Value(25).Bind(vl.BindRange(10, 45, 1).Name("MPG cutoff ")),
				vl.NewParam("pointSize").Value(60).Bind(vl.BindRange(10, 300, 10).Name("point size ")),
			).
			Transform(
				vl.Filter("datum.Horsepower <= maxHP"),
				vl.Calculate("datum.Miles_per_Gallon >= cutoff ? 'efficient' : 'thirsty'", "class"),
			).
			// Mark.Size takes a float64: a parameter expression needs Set.
			Mark(vl.Point().Filled(true).SizeExpr("pointSize")).
			Encode(
				vl.X("Horsepower:Q"),
				vl.Y("Miles_per_Gallon:Q"),
				vl.Color("class:N").Scale(vl.Scale{}.Domain([]string{"efficient", "thirsty"}).Range([]string{"#1a9850", "#d73027"})),
				vl.Tooltip("Name:N", "Miles_per_Gallon:Q"),
			)
	}},

	// selection_bind_origin (a point selection driven by a drop-down menu), plus radio
	// buttons choosing the measure on y.
	{"select_dropdown_param", func() vl.Chart {
		return vl.NewChart().
			Data(vl.Values(carsB)).
			Params(
				vl.SelectPoint("org").Fields("Origin").
					Bind(vl.BindSelect[any](nil, "Europe", "Japan", "USA").Labels("All", "Europe", "Japan", "USA").Name("Origin ")),
				vl.NewParam("measure").Value("Miles_per_Gallon").
					Bind(vl.BindRadio("Miles_per_Gallon", "Acceleration").Labels("Miles per gallon", "Acceleration").Name("y ")),
			).
			Transform(vl.Calculate("datum[measure]", "measure_value")).
			Mark(vl.Point()).
			Encode(
				vl.X("Horsepower:Q"),
				vl.Y("measure_value:Q").Title("Miles per gallon or acceleration"),
				vl.Color(vl.If(vl.Selected("org"), "Cylinders:O", vl.Value("grey"))),
			)
	}},

	// interactive_overview_detail: brushing the small overview sets the x domain of the
	// detail view.
	{"overview_detail", func() vl.Chart {
		detail := vl.NewChart().
			Width(480).
			Mark(vl.Area()).
			Encode(
				vl.X("date:T").Scale(vl.Scale{}.Domain(vl.ParamDomain("brush"))).Axis(vl.Axis{}.Title("")),
				vl.Y("price:Q"),
			)
		overview := vl.NewChart().
			Width(480).Height(60).
			Mark(vl.Area()).
			Params(vl.SelectInterval("brush").Encodings("x")).
			Encode(
				vl.X("date:T"),
				vl.Y("price:Q").Axis(vl.Axis{}.TickCount(3).Grid(false)),
			)
		return vl.VConcat(detail, overview).Data(sp500B())
	}},

	// rule_color_mean over a line chart: each symbol's mean price as a dashed rule (the
	// aggregate in the encoding), and the months above it marked (the joinaggregate).
	{"layer_line_rule_mean", func() vl.Chart {
		line := vl.NewChart().
			Mark(vl.Line()).
			Encode(vl.X("date:T").Title(nil), vl.Y("price:Q").Title("Price (USD)"))
		above := vl.NewChart().
			Transform(vl.Filter("datum.price > datum.mean_price")).
			Mark(vl.Point().Filled(true)).
			Encode(vl.X("date:T"), vl.Y("price:Q"))
		mean := vl.NewChart().
			Mark(vl.Rule().StrokeDash([]float64{6, 4})).
			Encode(vl.Y("mean(price):Q"), vl.Size(vl.Value(2)))
		return vl.Layer(line, above, mean).
			Title("Stock prices in 2009 and their yearly mean").
			Data(stocksB()).
			Transform(vl.JoinAggregate(vl.AggOp("mean", "price", "mean_price")).GroupBy("symbol")).
			Encode(vl.Color("symbol:N"))
	}},

	// window_top_k: rank the students by score and keep the top five.
	{"window_rank_top_k", func() vl.Chart {
		type score struct {
			Student string `json:"student"`
			Score   int    `json:"score"`
		}
		scores := []int{100, 56, 88, 65, 45, 23, 66, 67, 13, 12, 50, 78, 66, 30, 97, 75, 24, 42, 76, 78, 21, 46}
		rows := make([]score, len(scores))
		for i, s := range scores {
			rows[i] = score{string(rune('A' + i)), s}
		}
		return vl.NewChart().
			Description("A bar graph showing the scores of the top 5 students. This shows an example of the window transform, for how the top K (5) can be filtered, and also how a rank can be computed for each student.").
			Data(vl.Values(rows)).
			Transform(
				vl.Window(vl.AggOp("rank", "", "rank")).Sort(vl.SortField{Field: "score", Order: "descending"}),
				vl.Filter("datum.rank <= 5"),
			).
			Mark(vl.Bar()).
			Encode(
				vl.X("score:Q"),
				vl.Y("student:N").Sort(vl.SortField{Field: "score", Op: "average", Order: "descending"}),
			)
	}},

	// sequence_line_fold: two functions of a generated sequence, folded into key/value.
	{"fold_transform", func() vl.Chart {
		return vl.NewChart().
			Description("Plots two functions using a generated sequence.").
			Width(300).Height(150).
			Data(vl.Sequence(0, 12.7, 0.1, "x")).
			Transform(
				vl.Calculate("sin(datum.x)", "sin(x)"),
				vl.Calculate("cos(datum.x)", "cos(x)"),
				vl.Fold("sin(x)", "cos(x)"),
			).
			Mark(vl.Line()).
			Encode(
				vl.X("x:Q"),
				vl.Y("value:Q"),
				vl.Color("key:N").Title(nil),
			)
	}},

	// area_density_stacked: one density estimate per species, stacked.
	{"density_plot", func() vl.Chart {
		return vl.NewChart().
			Title("Distribution of Body Mass of Penguins").
			Width(400).Height(80).
			Data(penguinsB()).
			Mark(vl.Area()).
			Transform(vl.Density("Body Mass (g)").GroupBy("Species").Extent(2500, 6500)).
			Encode(
				vl.X("value:Q").Title("Body Mass (g)"),
				vl.Y("density:Q").Stack("zero"),
				vl.Color("Species:N"),
			)
	}},

	// layer_point_line_regression and layer_point_line_loess in one chart: the points, a
	// linear fit with its R², and a loess curve.
	{"regression_loess", func() vl.Chart {
		xy := vl.NewChart().Encode(vl.X("Rotten Tomatoes Rating:Q"), vl.Y("IMDB Rating:Q"))
		points := xy.Mark(vl.Point().Filled(true))
		linear := xy.Mark(vl.Line().Color("firebrick")).
			Transform(vl.Regression("IMDB Rating", "Rotten Tomatoes Rating"))
		loess := xy.Mark(vl.Line().Color("steelblue").StrokeDash([]float64{4, 2})).
			Transform(vl.Loess("IMDB Rating", "Rotten Tomatoes Rating").Bandwidth(0.5))
		r2 := vl.NewChart().
			Transform(
				// The regression transform's "params" output has no method: Set.
				vl.Regression("IMDB Rating", "Rotten Tomatoes Rating").Params(true),
				vl.Calculate("'R²: '+format(datum.rSquared, '.2f')", "R2"),
			).
			Mark(vl.Text().Color("firebrick").X("width").Align("right").Y(-5)).
			Encode(vl.TextOf("R2:N"))
		return vl.Layer(points, linear, loess, r2).Data(moviesB())
	}},

	// point_quantile_quantile: sample quantiles against uniform and normal quantiles.
	{"quantile_qq", func() vl.Chart {
		uniform := vl.NewChart().Mark(vl.Point()).Encode(vl.X("unif:Q"), vl.Y("v:Q"))
		normal := vl.NewChart().Mark(vl.Point()).Encode(vl.X("norm:Q"), vl.Y("v:Q"))
		return vl.HConcat(uniform, normal).
			Data(vl.Columns(map[string]any{"u": normalB})).
			Transform(
				vl.Quantile("u").Step(0.01).As("p", "v"),
				vl.Calculate("quantileUniform(datum.p)", "unif"),
				vl.Calculate("quantileNormal(datum.p)", "norm"),
			)
	}},

	// facet_grid_bar, with the facet operator instead of row/column channels.
	{"facet_grid", func() vl.Chart {
		ps := [][]string{
			{"0.14", "0.60", "0.03"}, {"0.80", "0.38", "0.55"}, {"0.11", "0.58", "0.79"},
			{"0.83", "0.87", "0.67"}, {"0.97", "0.84", "0.90"}, {"0.74", "0.64", "0.19"},
			{"0.57", "0.35", "0.49"}, {"0.91", "0.38", "0.91"}, {"0.99", "0.80", "0.37"},
		}
		var rows []map[string]string
		for i, cell := range ps {
			for j, p := range cell {
				rows = append(rows, map[string]string{
					"a": fmt.Sprintf("a%d", i/3+1), "b": fmt.Sprintf("b%d", i%3+1), "c": []string{"x", "y", "z"}[j], "p": p,
				})
			}
		}
		bars := vl.NewChart().
			Data(vl.Values(rows)).
			Width(60).Height(vl.Step(8)).
			Mark(vl.Bar()).
			Encode(
				vl.Y("c:N").NoAxis(),
				vl.X("p:Q").Axis(vl.Axis{}.Format("%")).Title(nil),
				vl.Color("c:N").Legend(vl.Legend{}.Orient("bottom").TitleOrient("left")).Title("settings"),
			)
		return vl.Facet(bars,
			vl.Row("a").Title("Factor A").Header(vl.Header{}.LabelAngle(0)),
			vl.Column("b").Title("Factor B"),
		).
			Description("A simple grid of bar charts to compare performance data.").
			Spacing(5)
	}},

	// repeat_histogram: one histogram per field, wrapped in two columns.
	{"repeat_histograms", func() vl.Chart {
		hist := vl.NewChart().
			Data(vl.Values(carsB)).
			Mark(vl.Bar()).
			Encode(
				vl.X(vl.RepeatField("repeat")).Bin(true),
				vl.Y("count()"),
				vl.Color("Origin"),
			)
		return vl.Repeat(hist, vl.RepeatBy{Fields: []string{"Horsepower", "Miles_per_Gallon", "Acceleration", "Displacement"}}).
			Columns(2)
	}},

	// concat_bar_scales_discretize_2_cols: three discretizing scales in a wrapped concat,
	// each with its own colour and size scale.
	{"concat_wrapped", func() vl.Chart {
		y := vl.Y("b:N").Sort(nil).Axis(vl.Axis{}.Ticks(false).Domain(false).Title(nil))
		view := func(size vl.Scale, color vl.Scale, legend vl.Legend) vl.Chart {
			return vl.NewChart().Mark(vl.Circle()).Encode(
				y,
				vl.Size("b:Q").Scale(size),
				vl.Color("b:Q").Scale(color).Legend(legend),
			)
		}
		return vl.Concat(
			view(vl.Scale{}.Type("quantize"),
				vl.Scale{}.Type("quantize").Zero(true),
				vl.Legend{}.Title("Quantize")),
			view(vl.Scale{}.Type("quantile").Range([]float64{80, 160, 240, 320, 400}),
				vl.Scale{}.Type("quantile").Scheme("magma"),
				vl.Legend{}.Format("d").Title("Quantile")),
			view(vl.Scale{}.Type("threshold").Domain([]float64{30, 70}).Range([]float64{80, 200, 320}),
				vl.Scale{}.Type("threshold").Domain([]float64{30, 70}).Scheme("viridis"),
				vl.Legend{}.Title("Threshold")),
		).
			Description("Horizontally concatenated charts that show different types of discretizing scales.").
			Data(abDataB()).
			Columns(2).
			ResolveScale("color", "independent").
			ResolveScale("size", "independent")
	}},

	// lookup and line_timeunit_transform together: readings joined with their station's
	// city, truncated to months and converted to °F.
	{"calculate_timeunit_lookup", func() vl.Chart {
		type reading struct {
			Station string  `json:"station"`
			Date    string  `json:"date"`
			TempMax float64 `json:"temp_max"`
		}
		temps := map[string][12]float64{
			"SEA": {10.6, 12.2, 13.3, 15, 14.4, 16.1, 15.6, 17.8, 19.4, 21.1, 24.4, 27.8},
			"NYC": {3.3, 1.1, -1.7, 2.2, 6.1, 10, 14.4, 18.3, 22.2, 25, 26.1, 28.9},
		}
		var readings []reading
		for _, st := range []string{"SEA", "NYC"} {
			for i, t := range temps[st] {
				readings = append(readings, reading{st, fmt.Sprintf("2015-%02d-%02d", i/2+1, 5+15*(i%2)), t})
			}
		}
		stations := vl.Values([]map[string]any{
			{"id": "SEA", "city": "Seattle", "elevation": 131},
			{"id": "NYC", "city": "New York", "elevation": 40},
		})
		return vl.NewChart().
			Description("Daily highs joined with their station's city, by month, in degrees Fahrenheit.").
			Data(vl.Values(readings)).
			Transform(
				vl.Lookup("station", stations, "id", "city"),
				vl.TimeUnit("month", "date", "month"),
				vl.Calculate("datum.temp_max * 9 / 5 + 32", "temp_max_f"),
			).
			Mark(vl.Line().Point(true)).
			Encode(
				vl.X("month:T").Axis(vl.Axis{}.Format("%b")).Title("Month"),
				vl.Y("max(temp_max_f):Q").Title("Highest temperature (°F)"),
				vl.Color("city:N"),
			)
	}},
	// point_href: a link on every point (the href channel). Links are not loads: the
	// static renderer draws them as Node's vega does, offline.
	{"point_href", func() vl.Chart {
		type car struct {
			Name       string
			Horsepower float64
			MPG        float64 `json:"Miles_per_Gallon"`
			URL        string  `json:"url"`
		}
		cars := []car{
			{Name: "chevrolet chevelle malibu", Horsepower: 130, MPG: 18}, {Name: "buick skylark 320", Horsepower: 165, MPG: 15},
			{Name: "plymouth satellite", Horsepower: 150, MPG: 18}, {Name: "toyota corona mark ii", Horsepower: 95, MPG: 24},
			{Name: "datsun pl510", Horsepower: 88, MPG: 27}, {Name: "volkswagen 1131 deluxe sedan", Horsepower: 46, MPG: 26},
			{Name: "peugeot 504", Horsepower: 87, MPG: 25}, {Name: "audi 100 ls", Horsepower: 90, MPG: 24},
			{Name: "saab 99e", Horsepower: 95, MPG: 25}, {Name: "bmw 2002", Horsepower: 113, MPG: 26},
			{Name: `ford f250 & "camper"`, Horsepower: 215, MPG: 10},
		}
		for i := range cars {
			cars[i].URL = "https://www.google.com/search?q=" + url.QueryEscape(cars[i].Name)
		}
		return vl.NewChart().
			Description("A scatterplot whose points link to a search for the car's name (click a point).").
			Data(vl.Values(cars)).
			Mark(vl.Point()).
			Encode(
				vl.X("Horsepower:Q"),
				vl.Y("Miles_per_Gallon:Q"),
				vl.Tooltip(vl.Field("Name").Nominal()),
				vl.Href(vl.Field("url").Nominal()),
			)
	}},

	// scatter_image: image marks whose URLs are PNGs inlined as data: URLs, drawn
	// without smoothing.
	{"scatter_image", func() vl.Chart {
		return vl.NewChart().
			Description("Images placed on a scatterplot, each a PNG inlined as a data: URL.").
			Data(vl.Values([]map[string]any{
				{"x": 0.5, "y": 0.5, "img": galleryPNG[0]},
				{"x": 1.5, "y": 1.5, "img": galleryPNG[1]},
				{"x": 2.5, "y": 2.5, "img": galleryPNG[2]},
			})).
			Mark(vl.Image().Width(40).Height(40).Smooth(false)).
			Encode(vl.X("x:Q"), vl.Y("y:Q"), vl.URLOf(vl.Field("img").Nominal()))
	}},
}

// galleryPNG are three 8x8 PNGs (a red disc, a blue cross, a green triangle) as data: URLs.
var galleryPNG = [3]string{
	"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAOElEQVR42mJiQALX1DX+gzCyGCNMggEL0Lp5g5GJgQBgxKUbBgiawASyB5ckUW5gIORNQAAAAP//VqQSeVxqPKIAAAAASUVORK5CYII=",
	"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAQ0lEQVR42mKSL9/ynwEHAMkxwRjYJEE008NOH0Z0RTA2SI4RXRAGYBqZ0AXQ2UzYTEBmM6Hbie4mRmRJbL4ABAAA//9J+St8xZC7tQAAAABJRU5ErkJggg==",
	"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAKElEQVR42mJiIADorUBngc5/EMaqAFkCmc2ELoCuiBGbJDIABAAA//8L4A3RsgmqIwAAAABJRU5ErkJggg==",
}
