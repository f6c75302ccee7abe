// SPDX-License-Identifier: Apache-2.0

package vegalite_test

import (
	"fmt"
	"strings"

	vl "github.com/gonbviz/gonbviz/vegalite"
)

// galleryCasesA rebuilds charts of the Vega-Lite example gallery
// (https://vega.github.io/vega-lite/examples/, specs in vega/vega-lite examples/specs/).
// The gallery loads its data from URLs; here every chart has a few inline rows instead:
//   - scatter_colored uses 45 rows of Fisher's Iris data set and boxplot 45 rows of the Wine
//     recognition data set, both from the UCI Machine Learning Repository (R. A. Fisher, 1936;
//     M. Forina et al., 1991), licensed CC BY 4.0;
//   - the other data sets are small made-up samples shaped like the gallery's own
//     (seattle-weather, population, movies, stocks, unemployment-across-industries, cars, barley).
var galleryCasesA = []galleryCase{
	// bar.vl.json: "Simple Bar Chart".
	{"bar_simple", func() vl.Chart {
		type row struct {
			A string  `json:"a"`
			B float64 `json:"b"`
		}
		rows := []row{{"A", 28}, {"B", 55}, {"C", 43}, {"D", 91}, {"E", 81}, {"F", 53}, {"G", 19}, {"H", 87}, {"I", 52}}
		return vl.NewChart().
			Description("A simple bar chart with embedded data.").
			Data(vl.Values(rows)).
			Mark(vl.Bar()).
			Encode(
				vl.X("a:N").Axis(vl.Axis{}.LabelAngle(0)),
				vl.Y("b:Q"),
			)
	}},

	// bar_grouped.vl.json: "Grouped Bar Chart": bars offset within each category by xOffset.
	// The fields have no type (nominal by default), as in the gallery.
	{"bar_grouped", func() vl.Chart {
		rows := []map[string]any{
			{"category": "A", "group": "x", "value": 0.1},
			{"category": "A", "group": "y", "value": 0.6},
			{"category": "A", "group": "z", "value": 0.9},
			{"category": "B", "group": "x", "value": 0.7},
			{"category": "B", "group": "y", "value": 0.2},
			{"category": "B", "group": "z", "value": 1.1},
			{"category": "C", "group": "x", "value": 0.6},
			{"category": "C", "group": "y", "value": 0.1},
			{"category": "C", "group": "z", "value": 0.2},
		}
		return vl.NewChart().
			Data(vl.Values(rows)).
			Mark(vl.Bar()).
			Encode(vl.X("category"), vl.Y("value:Q"), vl.XOffset("group"), vl.Color("group"))
	}},

	// stacked_bar_weather.vl.json: "Stacked Bar Chart", counts of weather types per month,
	// with a custom colour scale (domain and range) and titles.
	{"bar_stacked", func() vl.Chart {
		byMonth := []string{
			"rain sun fog rain", "sun rain rain fog", "rain drizzle sun rain", "sun rain sun drizzle",
			"sun sun rain sun", "sun sun drizzle sun", "sun sun sun fog", "sun sun rain sun",
			"sun fog sun rain", "rain fog rain sun", "rain snow rain sun", "rain snow rain rain",
		}
		var dates, weather []string
		for m, ws := range byMonth {
			for i, w := range strings.Fields(ws) {
				dates = append(dates, fmt.Sprintf("2015-%02d-%02d", m+1, 5+7*i))
				weather = append(weather, w)
			}
		}
		return vl.NewChart().
			Data(vl.Columns(map[string]any{"date": dates, "weather": weather})).
			Mark(vl.Bar()).
			Encode(
				vl.X("month(date):O").Title("Month of the year"),
				vl.Y("count()"),
				vl.Color("weather:N").
					Scale(vl.Scale{}.
						Domain([]string{"sun", "fog", "drizzle", "rain", "snow"}).
						Range([]string{"#e7ba52", "#c7c7c7", "#aec7e8", "#1f77b4", "#9467bd"})).
					Title("Weather type"),
			)
	}},

	// bar_aggregate_sort_by_encoding.vl.json: "Sorted Bar Chart", a horizontal bar chart with
	// the age groups sorted by their population; plus the SI axis format of
	// bar_aggregate_format.vl.json.
	{"bar_horizontal_sorted", func() vl.Chart {
		pop2000 := [][2]int{
			{9735380, 9310714}, {10552146, 10069564}, {10563233, 10022524}, {10237419, 9692669},
			{9731315, 9324244}, {9659493, 9518507}, {10205879, 10119296}, {11475182, 11635647},
			{11320252, 11488578}, {9925006, 10261253}, {8507934, 8911133}, {6459082, 6921268},
			{5123399, 5668961}, {4453623, 4804784}, {3792145, 5184855}, {2912655, 4355644},
			{1902638, 3221898}, {970357, 1981156}, {336303, 1064581},
		}
		pop1990 := []int{9430719, 9071253, 8695236, 9131120, 9660424, 10938735, 11015340, 10087214, 8972532}
		var year, age, sex, people []int
		add := func(y, a, s, p int) {
			year, age, sex, people = append(year, y), append(age, a), append(sex, s), append(people, p)
		}
		for i, p := range pop2000 {
			add(2000, 5*i, 1, p[0])
			add(2000, 5*i, 2, p[1])
		}
		for i, p := range pop1990 {
			add(1990, 5*i, 1, p)
		}
		return vl.NewChart().
			Description("A bar chart that sorts the y-values by the x-values.").
			Data(vl.Columns(map[string]any{"year": year, "age": age, "sex": sex, "people": people})).
			Transform(vl.Filter("datum.year == 2000")).
			Height(vl.Step(17)).
			Mark(vl.Bar()).
			Encode(
				vl.Y("age:O").Sort("-x"),
				vl.X("sum(people)").Title("population").Axis(vl.Axis{}.Format("~s")),
			)
	}},

	// histogram_bin_change.vl.json: "Histogram" with a maximum number of bins.
	{"histogram", func() vl.Chart {
		type movie struct {
			Title  string
			Rating float64 `json:"IMDB Rating"`
		}
		movies := []movie{
			{"The Shawshank Redemption", 9.2}, {"Pulp Fiction", 8.9}, {"Forrest Gump", 8.8},
			{"The Matrix", 8.7}, {"Titanic", 7.9}, {"Jurassic Park", 8.2}, {"Toy Story", 8.3},
			{"Armageddon", 6.7}, {"Speed", 7.3}, {"Waterworld", 5.7}, {"Godzilla", 5.4},
			{"Batman & Robin", 3.7}, {"Catwoman", 3.4}, {"Gigli", 2.4}, {"The Avengers", 3.7},
			{"Home Alone", 7.5}, {"Ghost", 7.0}, {"Pretty Woman", 6.9}, {"Mrs. Doubtfire", 6.9},
			{"Independence Day", 6.8}, {"Men in Black", 7.2}, {"Twister", 6.3}, {"Con Air", 6.7},
			{"The Mummy", 7.0}, {"Notting Hill", 7.1}, {"Bad Boys", 6.8}, {"Daredevil", 5.3},
			{"Scary Movie", 6.2}, {"Gladiator", 8.5}, {"Memento", 8.5}, {"Shrek", 8.0},
			{"Elektra", 4.8}, {"Ghost Rider", 5.2}, {"Hancock", 6.4}, {"Norbit", 3.4},
			{"Epic Movie", 2.2}, {"Up", 8.3}, {"Wall-E", 8.5}, {"Cars", 7.3}, {"Hook", 6.7},
		}
		return vl.NewChart().
			Data(vl.Values(movies)).
			Mark(vl.Bar()).
			Encode(
				vl.X(vl.Field("IMDB Rating").Bin(vl.BinParams{}.Maxbins(10))),
				vl.Y("count()"),
			)
	}},

	// line_color.vl.json: "Multi Series Line Chart", with a title and subtitle added.
	{"line_multi_series", func() vl.Chart {
		return vl.NewChart().
			Description("Stock prices of 5 Tech Companies over Time.").
			Title(vl.NewTitle("Stock prices").Subtitle("Half-yearly, 2005 to 2009").Anchor("start")).
			Data(vl.Values(galleryStocks())).
			Mark(vl.Line()).
			Encode(vl.X("date:T"), vl.Y("price:Q"), vl.Color("symbol:N"))
	}},

	// line_overlay.vl.json: "Line Chart with Point Markers", yearly means.
	{"line_with_points", func() vl.Chart {
		return vl.NewChart().
			Description("Stock prices of 5 Tech Companies over Time.").
			Data(vl.Values(galleryStocks())).
			Mark(vl.Line().Point(true)).
			Encode(vl.X("year(date)"), vl.Y("mean(price):Q"), vl.Color("symbol:N"))
	}},

	// stacked_area_normalize.vl.json: "Normalized Stacked Area Chart".
	{"area_stacked_normalize", func() vl.Chart {
		type row struct {
			Series string `json:"series"`
			Date   string `json:"date"`
			Count  int    `json:"count"`
		}
		counts := []struct {
			series string
			counts []int
		}{
			{"Construction", []int{833, 568, 547, 727, 1060, 898, 950, 1221, 1743, 1733, 1745, 1937}},
			{"Finance", []int{228, 211, 217, 238, 261, 274, 296, 354, 429, 460, 469, 505}},
			{"Government", []int{430, 332, 356, 357, 444, 366, 404, 431, 606, 535, 660, 655}},
			{"Manufacturing", []int{808, 683, 668, 712, 914, 789, 872, 1131, 1817, 1866, 1687, 1601}},
		}
		var rows []row
		for _, s := range counts {
			for i, c := range s.counts {
				rows = append(rows, row{s.series, fmt.Sprintf("%d-%02d-01", 2004+i/2, 1+6*(i%2)), c})
			}
		}
		return vl.NewChart().
			Data(vl.Values(rows)).
			Width(300).
			Height(200).
			Mark(vl.Area()).
			Encode(
				vl.X("yearmonth(date)").Axis(vl.Axis{}.Domain(false).Format("%Y")),
				vl.Y("sum(count)").NoAxis().Stack("normalize"),
				vl.Color("series").Scale(vl.Scale{}.Scheme("category20b")),
			)
	}},

	// point_color_with_shape.vl.json: "Colored Scatterplot", with iris instead of penguins.
	{"scatter_colored", func() vl.Chart {
		type iris struct {
			SepalLength float64 `json:"Sepal Length (cm)"`
			PetalLength float64 `json:"Petal Length (cm)"`
			Species     string
		}
		rows := []iris{
			{5.1, 1.4, "setosa"}, {4.9, 1.4, "setosa"}, {4.7, 1.3, "setosa"}, {4.6, 1.5, "setosa"}, {5.0, 1.4, "setosa"},
			{5.4, 1.7, "setosa"}, {4.6, 1.4, "setosa"}, {5.0, 1.5, "setosa"}, {4.4, 1.4, "setosa"}, {4.9, 1.5, "setosa"},
			{5.4, 1.5, "setosa"}, {4.8, 1.6, "setosa"}, {4.8, 1.4, "setosa"}, {4.3, 1.1, "setosa"}, {5.8, 1.2, "setosa"},
			{7.0, 4.7, "versicolor"}, {6.4, 4.5, "versicolor"}, {6.9, 4.9, "versicolor"}, {5.5, 4.0, "versicolor"},
			{6.5, 4.6, "versicolor"}, {5.7, 4.5, "versicolor"}, {6.3, 4.7, "versicolor"}, {4.9, 3.3, "versicolor"},
			{6.6, 4.6, "versicolor"}, {5.2, 3.9, "versicolor"}, {5.0, 3.5, "versicolor"}, {5.9, 4.2, "versicolor"},
			{6.0, 4.0, "versicolor"}, {6.1, 4.7, "versicolor"}, {5.6, 3.6, "versicolor"},
			{6.3, 6.0, "virginica"}, {5.8, 5.1, "virginica"}, {7.1, 5.9, "virginica"}, {6.3, 5.6, "virginica"},
			{6.5, 5.8, "virginica"}, {7.6, 6.6, "virginica"}, {4.9, 4.5, "virginica"}, {7.3, 6.3, "virginica"},
			{6.7, 5.8, "virginica"}, {7.2, 6.1, "virginica"}, {6.5, 5.1, "virginica"}, {6.4, 5.3, "virginica"},
			{6.8, 5.5, "virginica"}, {5.7, 5.0, "virginica"}, {5.8, 5.1, "virginica"},
		}
		return vl.NewChart().
			Description("A scatterplot showing sepal and petal lengths of irises.").
			Data(vl.Values(rows)).
			Mark(vl.Point()).
			Encode(
				vl.X("Sepal Length (cm):Q").Scale(vl.Scale{}.Zero(false)),
				vl.Y("Petal Length (cm):Q").Scale(vl.Scale{}.Zero(false)),
				vl.Color("Species:N"),
				vl.Shape("Species:N"),
			)
	}},

	// point_bubble.vl.json: "Bubble Plot", acceleration on size.
	{"bubble_plot", func() vl.Chart {
		return vl.NewChart().
			Description("A bubbleplot showing horsepower on x, miles per gallons on y, and acceleration on size.").
			Data(vl.Values(galleryCars())).
			Mark(vl.Point()).
			Encode(vl.X("Horsepower:Q"), vl.Y("Miles_per_Gallon:Q"), vl.Size("Acceleration:Q"))
	}},

	// rect_heatmap.vl.json: "Heatmap" of mean horsepower, with grid lines set in the config.
	{"heatmap_rect", func() vl.Chart {
		return vl.NewChart().
			Data(vl.Values(galleryCars())).
			Mark(vl.Rect()).
			Encode(vl.Y("Origin:N"), vl.X("Cylinders:O"), vl.Color("mean(Horsepower)")).
			Config(vl.Config{}.Axis(vl.Axis{}.Grid(true).TickBand("extent")))
	}},

	// layer_bar_labels.vl.json: "Bar Chart with Label Overlay": a bar layer and a text layer
	// sharing the data and the position encodings.
	{"text_labels_on_bars", func() vl.Chart {
		bars := vl.NewChart().Mark(vl.Bar())
		labels := vl.NewChart().
			Mark(vl.Text().Align("left").Baseline("middle").Dx(3)).
			Encode(vl.TextOf("b:Q"))
		return vl.Layer(bars, labels).
			Description("Bar chart with text labels. Set domain to make the frame cover the labels.").
			Data(vl.Values([]map[string]any{{"a": "A", "b": 28}, {"a": "B", "b": 55}, {"a": "C", "b": 43}})).
			Encode(
				vl.Y("a:N"),
				vl.X("b:Q").Scale(vl.Scale{}.Domain([]float64{0, 60})),
			)
	}},

	// arc_pie.vl.json: "Pie Chart", with the legend titled and placed on the left.
	{"pie_chart", func() vl.Chart {
		return vl.NewChart().
			Description("A simple pie chart with embedded data.").
			Data(vl.Columns(map[string]any{
				"category": []int{1, 2, 3, 4, 5, 6},
				"value":    []int{4, 6, 10, 3, 7, 8},
			})).
			Mark(vl.Arc()).
			Encode(
				vl.Theta("value:Q"),
				vl.Color("category:N").Legend(vl.Legend{}.Title("Category").Orient("left")),
			)
	}},

	// arc_radial.vl.json: "Radial Plot": arcs with an inner radius, the radius on a square-root
	// scale, and labels just outside each arc.
	{"donut_radial", func() vl.Chart {
		arcs := vl.NewChart().Mark(vl.Arc().InnerRadius(20).Stroke("#fff"))
		labels := vl.NewChart().Mark(vl.Text().RadiusOffset(10)).Encode(vl.TextOf("data:Q"))
		return vl.Layer(arcs, labels).
			Description("A simple radial chart with embedded data.").
			Data(vl.Values([]int{12, 23, 47, 6, 52, 19})).
			Encode(
				vl.Theta("data:Q").Stack(true),
				vl.Radius("data").Scale(vl.Scale{}.Type("sqrt").Zero(true).RangeMin(20)),
				vl.Color("data:N").NoLegend(),
			)
	}},

	// boxplot_minmax_2D_vertical.vl.json: "Box Plot with Min/Max Whiskers", with the alcohol
	// content of wines of three cultivars instead of penguin body masses.
	{"boxplot", func() vl.Chart {
		alcohol := map[string][]float64{
			"class_0": {14.23, 13.2, 13.16, 14.37, 13.24, 14.2, 14.39, 14.06, 14.83, 13.86, 14.1, 14.12, 13.75, 14.75, 14.38},
			"class_1": {12.37, 12.33, 12.64, 13.67, 12.37, 12.17, 12.37, 13.11, 12.37, 13.34, 12.21, 12.29, 13.86, 13.49, 12.99},
			"class_2": {12.86, 12.88, 12.81, 12.7, 12.51, 12.6, 12.25, 12.53, 13.49, 12.84, 12.93, 13.36, 13.52, 13.62, 12.25},
		}
		var cultivar []string
		var values []float64
		for _, c := range []string{"class_0", "class_1", "class_2"} {
			for _, a := range alcohol[c] {
				cultivar = append(cultivar, c)
				values = append(values, a)
			}
		}
		return vl.NewChart().
			Description("A vertical box plot showing median, min, and max alcohol content of wines by cultivar.").
			Data(vl.Columns(map[string]any{"cultivar": cultivar, "alcohol": values})).
			Mark(vl.Boxplot().Extent("min-max")).
			Encode(
				vl.X("cultivar:N"),
				vl.Color("cultivar:N").NoLegend(),
				vl.Y("alcohol:Q").Scale(vl.Scale{}.Zero(false)),
			)
	}},

	// layer_point_errorbar_ci.vl.json: "Error Bars Showing Confidence Interval": the mean
	// yield of each variety as a point, over a bootstrapped 95% confidence interval.
	{"errorbar_with_mean", func() vl.Chart {
		sites := []string{"University Farm", "Waseca", "Morris", "Crookston", "Grand Rapids", "Duluth"}
		yields := []struct {
			variety string
			yield   []float64
		}{
			{"Manchuria", []float64{27.00, 48.87, 27.43, 39.93, 32.97, 28.97}},
			{"Glabron", []float64{43.07, 55.20, 28.77, 38.13, 29.13, 29.67}},
			{"Svansota", []float64{35.13, 47.33, 25.77, 40.47, 29.67, 25.70}},
			{"Velvet", []float64{26.90, 50.23, 41.33, 41.43, 23.03, 26.30}},
			{"Trebi", []float64{36.77, 63.83, 43.77, 46.93, 29.77, 33.93}},
		}
		var rows []map[string]any
		for _, v := range yields {
			for i, y := range v.yield {
				rows = append(rows, map[string]any{"variety": v.variety, "site": sites[i], "yield": y, "year": 1931})
			}
		}
		means := vl.NewChart().
			Mark(vl.Point().Filled(true)).
			Encode(
				vl.X("mean(yield):Q").Scale(vl.Scale{}.Zero(false)).Title("Barley Yield"),
				vl.Color(vl.Value("black")),
			)
		intervals := vl.NewChart().
			Mark(vl.ErrorBar().Extent("ci")).
			Encode(vl.X("yield:Q").Title("Barley Yield"))
		return vl.Layer(means, intervals).
			Data(vl.Values(rows)).
			Encode(vl.Y("variety:O"))
	}},
}

// galleryStocks is a half-yearly sample of stock prices of five companies, 2005 to 2009,
// shaped like the gallery's stocks.csv.
func galleryStocks() any {
	type row struct {
		Symbol string  `json:"symbol"`
		Date   string  `json:"date"`
		Price  float64 `json:"price"`
	}
	prices := []struct {
		symbol string
		prices []float64
	}{
		{"AAPL", []float64{38.45, 46.89, 42.73, 74.98, 75.51, 67.96, 92.64, 131.76, 135.36, 160.18}},
		{"AMZN", []float64{43.22, 44.75, 47.23, 43.04, 39.46, 37.31, 37.67, 78.54, 77.70, 81.40}},
		{"GOOG", []float64{195.62, 294.15, 287.76, 432.66, 432.66, 386.60, 501.50, 510.00, 564.30, 473.75}},
		{"IBM", []float64{90.49, 72.43, 83.16, 81.68, 79.74, 76.39, 99.15, 105.32, 110.43, 116.49}},
		{"MSFT", []float64{24.38, 24.62, 25.29, 26.14, 26.47, 24.47, 29.98, 29.82, 28.73, 29.54}},
	}
	var rows []row
	for _, s := range prices {
		for i, p := range s.prices {
			rows = append(rows, row{s.symbol, fmt.Sprintf("%d-%02d-01", 2005+i/2, 1+6*(i%2)), p})
		}
	}
	return rows
}

// galleryCars is a sample of the gallery's cars.json.
func galleryCars() any {
	type car struct {
		Name           string
		MilesPerGallon float64 `json:"Miles_per_Gallon"`
		Cylinders      int
		Horsepower     float64
		Acceleration   float64
		Origin         string
	}
	return []car{
		{"chevrolet chevelle malibu", 18, 8, 130, 12, "USA"},
		{"buick skylark 320", 15, 8, 165, 11.5, "USA"},
		{"plymouth satellite", 18, 8, 150, 11, "USA"},
		{"ford torino", 17, 8, 140, 10.5, "USA"},
		{"chevrolet impala", 14, 8, 220, 9, "USA"},
		{"pontiac catalina", 14, 8, 225, 10, "USA"},
		{"plymouth duster", 22, 6, 95, 15.5, "USA"},
		{"amc hornet", 18, 6, 97, 15.5, "USA"},
		{"ford maverick", 21, 6, 85, 16, "USA"},
		{"chevrolet vega 2300", 28, 4, 90, 15.5, "USA"},
		{"ford pinto", 25, 4, 85, 19, "USA"},
		{"dodge colt", 28, 4, 75, 15.5, "USA"},
		{"volkswagen 1131 deluxe sedan", 26, 4, 46, 20.5, "Europe"},
		{"peugeot 504", 25, 4, 87, 17.5, "Europe"},
		{"audi 100 ls", 24, 4, 90, 14.5, "Europe"},
		{"saab 99e", 25, 4, 95, 17.5, "Europe"},
		{"bmw 2002", 26, 4, 113, 12.5, "Europe"},
		{"audi 5000", 20.3, 5, 103, 15.9, "Europe"},
		{"mercedes-benz 300d", 25.4, 5, 77, 20.1, "Europe"},
		{"peugeot 604sl", 16.2, 6, 133, 15.8, "Europe"},
		{"volvo 264gl", 17, 6, 125, 13.6, "Europe"},
		{"toyota corona mark ii", 24, 4, 95, 15, "Japan"},
		{"datsun pl510", 27, 4, 88, 14.5, "Japan"},
		{"honda civic", 33, 4, 53, 17.5, "Japan"},
		{"mazda rx2 coupe", 19, 3, 97, 13.5, "Japan"},
		{"mazda rx-4", 21.5, 3, 110, 13.5, "Japan"},
		{"toyota mark ii", 20, 6, 108, 15.5, "Japan"},
		{"datsun 810", 22, 6, 120, 13.8, "Japan"},
	}
}
