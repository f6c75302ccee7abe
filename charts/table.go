// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ReadFeaturesOptions says how ReadFeatures reads a table.
type ReadFeaturesOptions struct {
	// Label names the column that holds each row's class; "" for none. Its distinct
	// values, sorted (as numbers when all are numbers), become Features.Classes, unless
	// Classes lists them.
	Label string
	// Classes, optional, lists the label column's values in the order of their class
	// indices; a value not listed is an error. Pass the same list to read several files
	// (a train and a test file) with the same class indices.
	Classes []string
	// Split names a column that says each row's split ("train", "test"); the splits are
	// in the order they first appear. "" puts every row in one split named SplitName.
	Split string
	// SplitName names the one split when Split is ""; default "data".
	SplitName string
	// Columns lists the feature columns to read, in that order; default every column but
	// Label and Split.
	Columns []string
	// Delimiter separates the fields: ',' for CSV, '\t' for TSV, or another rune; 0 takes
	// a tab when the header line has one, else a comma.
	Delimiter rune
}

// ReadFeatures reads a table of features from CSV or TSV text: a header row naming the
// columns, then a row per example. Feature cells are numbers (as strconv.ParseFloat reads
// them, "Inf" included); an empty cell, NA, N/A, NaN or null is a missing value, NaN,
// which the charts count and never draw. The label and split columns hold any text. The
// errors name the line and the column: "charts.ReadFeatures: line 7, column 3 (ash):
// "2.1x" is not a number".
func ReadFeatures(r io.Reader, opts ReadFeaturesOptions) (data Features, err error) {
	defer guard(&err)
	data, err = readFeatures(r, opts)
	if err != nil {
		return Features{}, fmt.Errorf("charts.ReadFeatures: %w", err)
	}
	return data, nil
}

// ReadFeaturesFile reads a table of features from a file, as ReadFeatures; a file named
// *.tsv is read as TSV unless opts.Delimiter says otherwise.
func ReadFeaturesFile(path string, opts ReadFeaturesOptions) (data Features, err error) {
	defer guard(&err)
	f, err := os.Open(path)
	if err != nil {
		return Features{}, fmt.Errorf("charts.ReadFeaturesFile: %w", err)
	}
	defer f.Close()
	if opts.Delimiter == 0 && strings.EqualFold(filepath.Ext(path), ".tsv") {
		opts.Delimiter = '\t'
	}
	data, err = readFeatures(f, opts)
	if err != nil {
		return Features{}, fmt.Errorf("charts.ReadFeaturesFile: %s: %w", path, err)
	}
	return data, nil
}

// missing are the cells read as a missing value.
var missing = []string{"", "na", "n/a", "nan", "null"}

func readFeatures(r io.Reader, opts ReadFeaturesOptions) (Features, error) {
	br := bufio.NewReader(r)
	delim := opts.Delimiter
	if delim == 0 {
		first, err := br.Peek(64 << 10)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return Features{}, err
		}
		if i := strings.IndexByte(string(first), '\n'); i >= 0 {
			first = first[:i]
		}
		delim = ','
		if strings.ContainsRune(string(first), '\t') {
			delim = '\t'
		}
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Features{}, errors.New("the table is empty; it needs a header row naming the columns")
	}
	if err != nil {
		return Features{}, err
	}
	header = slices.Clone(header)
	index := map[string]int{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff") // a byte order mark
		}
		header[i] = name
		if name == "" {
			return Features{}, fmt.Errorf("line 1, column %d: the header names no column; name every column", i+1)
		}
		if j, dup := index[name]; dup {
			return Features{}, fmt.Errorf("line 1: columns %d and %d are both named %q; name each column once", j+1, i+1, name)
		}
		index[name] = i
	}
	find := func(arg, name string) (int, error) {
		i, ok := index[name]
		if !ok {
			return 0, fmt.Errorf("opts.%s is %q, which is not a column; the columns are %s", arg, name, quoteList(header, 12))
		}
		return i, nil
	}
	labelCol, splitCol := -1, -1
	if opts.Label != "" {
		if labelCol, err = find("Label", opts.Label); err != nil {
			return Features{}, err
		}
	}
	if opts.Split != "" {
		if splitCol, err = find("Split", opts.Split); err != nil {
			return Features{}, err
		}
		if splitCol == labelCol {
			return Features{}, fmt.Errorf("opts.Split and opts.Label both name column %q", opts.Split)
		}
	}
	var cols []int
	if opts.Columns != nil {
		for k, name := range opts.Columns {
			i, err := find(fmt.Sprintf("Columns[%d]", k), name)
			if err != nil {
				return Features{}, err
			}
			if i == labelCol || i == splitCol {
				return Features{}, fmt.Errorf("opts.Columns[%d] is %q, the label or split column; a feature column holds numbers", k, name)
			}
			if slices.Contains(cols, i) {
				return Features{}, fmt.Errorf("opts.Columns names %q twice", name)
			}
			cols = append(cols, i)
		}
	} else {
		for i := range header {
			if i != labelCol && i != splitCol {
				cols = append(cols, i)
			}
		}
	}
	if len(cols) == 0 {
		return Features{}, errors.New("the table has no feature columns, only the label or split column")
	}
	names := make([]string, len(cols))
	for k, i := range cols {
		names[k] = header[i]
	}

	type part struct {
		name   string
		values []float64
		labels []string
	}
	var parts []*part
	byName := map[string]*part{}
	splitName := cmp.Or(opts.SplitName, "data")
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				line, _ := cr.FieldPos(0)
				return Features{}, fmt.Errorf("line %d has %d fields, the header %d; every row needs one field per column", line, len(rec), len(header))
			}
			return Features{}, err
		}
		name := splitName
		if splitCol >= 0 {
			if name = strings.TrimSpace(rec[splitCol]); name == "" {
				line, _ := cr.FieldPos(splitCol)
				return Features{}, fmt.Errorf("line %d, column %d (%s): the split is empty; name every row's split", line, splitCol+1, header[splitCol])
			}
		}
		p := byName[name]
		if p == nil {
			p = &part{name: name}
			byName[name] = p
			parts = append(parts, p)
		}
		for _, i := range cols {
			cell := strings.TrimSpace(rec[i])
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				if !slices.Contains(missing, strings.ToLower(cell)) {
					line, _ := cr.FieldPos(i)
					return Features{}, fmt.Errorf("line %d, column %d (%s): %q is not a number; feature cells are numbers, or empty, NA or NaN for a missing value (or list the feature columns in opts.Columns)", line, i+1, header[i], cell)
				}
				v = math.NaN()
			}
			p.values = append(p.values, v)
		}
		if labelCol >= 0 {
			label := strings.TrimSpace(rec[labelCol])
			if label == "" {
				line, _ := cr.FieldPos(labelCol)
				return Features{}, fmt.Errorf("line %d, column %d (%s): the label is empty; every row needs a class", line, labelCol+1, header[labelCol])
			}
			p.labels = append(p.labels, label)
		}
	}
	if len(parts) == 0 {
		return Features{}, errors.New("the table has a header but no rows")
	}

	data := Features{Names: names}
	if labelCol >= 0 {
		classes := opts.Classes
		if classes == nil {
			seen := map[string]bool{}
			for _, p := range parts {
				for _, l := range p.labels {
					if !seen[l] {
						seen[l] = true
						classes = append(classes, l)
					}
				}
			}
			sortLabels(classes)
		}
		if len(classes) > maxClasses {
			return Features{}, fmt.Errorf("column %s has %d distinct labels, more classes than a chart tells apart (%d); is it the label column?", header[labelCol], len(classes), maxClasses)
		}
		data.Classes = classes
		code := map[string]int{}
		for i, c := range classes {
			code[c] = i
		}
		for _, p := range parts {
			for _, l := range p.labels {
				if _, ok := code[l]; !ok {
					return Features{}, fmt.Errorf("column %s: label %q is not in opts.Classes (%s)", header[labelCol], l, quoteList(classes, 12))
				}
			}
		}
		for _, p := range parts {
			labels := make([]int, len(p.labels))
			for r, l := range p.labels {
				labels[r] = code[l]
			}
			data.Splits = append(data.Splits, Split{Name: p.name, X: p.values, Width: len(cols), Labels: labels})
		}
	} else {
		for _, p := range parts {
			data.Splits = append(data.Splits, Split{Name: p.name, X: p.values, Width: len(cols)})
		}
	}
	return data, nil
}

// sortLabels sorts labels as numbers when all are numbers, else as text.
func sortLabels(labels []string) {
	nums := make(map[string]float64, len(labels))
	for _, l := range labels {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			slices.Sort(labels)
			return
		}
		nums[l] = v
	}
	slices.SortFunc(labels, func(a, b string) int { return cmp.Compare(nums[a], nums[b]) })
}
