// SPDX-License-Identifier: Apache-2.0

package runs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// scalarLine is one line of scalars.jsonl as encoding/json reads it (the
// slow path, for lines the fast parser does not take).
type scalarLine struct {
	Type      string          `json:"type"`
	Series    *string         `json:"series"`
	Step      *json.Number    `json:"step"`
	Wall      *float64        `json:"wall"`
	Epoch     *float64        `json:"epoch"`
	Value     json.RawMessage `json:"value"`
	NonFinite string          `json:"nonfinite"`
	Kind      string          `json:"kind"`
	Split     string          `json:"split"`
}

func (l *scalarLine) point() (Point, error) {
	p := Point{Epoch: math.NaN()}
	if l.Step == nil {
		return p, errors.New(`no "step"`)
	}
	step, err := strconv.ParseInt(string(*l.Step), 10, 64)
	if err != nil {
		// Accept integral floats such as 1e6.
		f, ferr := l.Step.Float64()
		if ferr != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
			return p, fmt.Errorf(`"step" %s is not an integer`, *l.Step)
		}
		step = int64(f)
	}
	p.Step = step
	if l.Wall != nil {
		p.Wall = *l.Wall
	}
	if l.Epoch != nil {
		p.Epoch = *l.Epoch
	}
	switch l.NonFinite {
	case "nan":
		p.Value = math.NaN()
	case "+inf", "inf":
		p.Value = math.Inf(1)
	case "-inf":
		p.Value = math.Inf(-1)
	case "":
		if len(l.Value) == 0 || string(l.Value) == "null" {
			// A null value without "nonfinite" is a gap too.
			p.Value = math.NaN()
			break
		}
		if err := json.Unmarshal(l.Value, &p.Value); err != nil {
			return p, fmt.Errorf(`"value" %s is not a number`, l.Value)
		}
	default:
		return p, fmt.Errorf(`"nonfinite" is %q, want "nan", "+inf" or "-inf"`, l.NonFinite)
	}
	return p, nil
}

// appendScalar appends one point line; quoted is the JSON-quoted series name.
func appendScalar(b, quoted []byte, p Point) []byte {
	b = append(b, `{"series":`...)
	b = append(b, quoted...)
	b = append(b, ',')
	b = appendPointFields(b, p, true)
	return append(b, '\n')
}

// appendDecl appends one series declaration line.
func appendDecl(b []byte, info SeriesInfo) []byte {
	b = append(b, `{"type":"series","series":`...)
	b = append(b, jsonString(info.Name)...)
	b = append(b, `,"kind":`...)
	b = append(b, jsonString(string(info.Kind))...)
	b = append(b, `,"split":`...)
	b = append(b, jsonString(info.Split)...)
	return append(b, "}\n"...)
}

// parsed is one decoded scalars.jsonl line.
type parsed struct {
	name  []byte // series name (may alias the line)
	p     Point
	decl  bool
	info  SeriesInfo // for decl
	other string     // unknown record type, skipped
}

// parseScalar decodes one line: the fast path takes exactly what
// appendScalar writes; anything else goes through encoding/json.
func parseScalar(line []byte, out *parsed) error {
	if parseFast(line, out) {
		return nil
	}
	var l scalarLine
	if err := json.Unmarshal(line, &l); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	*out = parsed{}
	switch l.Type {
	case "", "scalar":
	case "series":
		if l.Series == nil || *l.Series == "" {
			return errors.New(`series declaration without "series" name`)
		}
		out.decl = true
		out.info = SeriesInfo{Name: *l.Series, Kind: Kind(l.Kind), Split: l.Split}
		return nil
	default:
		out.other = l.Type
		return nil
	}
	if l.Series == nil {
		return errors.New(`no "series"`)
	}
	if err := checkSeriesName(*l.Series); err != nil {
		return err
	}
	p, err := l.point()
	if err != nil {
		return err
	}
	out.name = []byte(*l.Series)
	out.p = p
	return nil
}

// parseFast decodes {"series":"<name without escapes>","step":N,"wall":F
// [,"epoch":F],"value":F|null,"nonfinite":"..."}, the writer's own layout.
func parseFast(line []byte, out *parsed) bool {
	const pre = `{"series":"`
	if !bytes.HasPrefix(line, []byte(pre)) {
		return false
	}
	rest := line[len(pre):]
	q := bytes.IndexByte(rest, '"')
	if q <= 0 || bytes.IndexByte(rest[:q], '\\') >= 0 {
		return false
	}
	name := rest[:q]
	for _, c := range name {
		if c < 0x20 || c == 0x7f || c >= 0x80 { // leave UTF-8 and odd bytes to the slow path's checks
			return false
		}
	}
	rest = rest[q+1:]
	var ok bool
	if rest, ok = cut(rest, `,"step":`); !ok {
		return false
	}
	step, rest, ok := parseInt(rest)
	if !ok {
		return false
	}
	if rest, ok = cut(rest, `,"wall":`); !ok {
		return false
	}
	wall, rest, ok := parseWall(rest)
	if !ok {
		return false
	}
	epoch := math.NaN()
	if r, ok := cut(rest, `,"epoch":`); ok {
		if epoch, rest, ok = parseNum(r); !ok {
			return false
		}
	}
	if rest, ok = cut(rest, `,"value":`); !ok {
		return false
	}
	var value float64
	switch {
	case bytes.Equal(rest, []byte(`null,"nonfinite":"nan"}`)):
		value = math.NaN()
	case bytes.Equal(rest, []byte(`null,"nonfinite":"+inf"}`)):
		value = math.Inf(1)
	case bytes.Equal(rest, []byte(`null,"nonfinite":"-inf"}`)):
		value = math.Inf(-1)
	default:
		if value, rest, ok = parseNum(rest); !ok || len(rest) != 1 || rest[0] != '}' {
			return false
		}
	}
	*out = parsed{name: name, p: Point{Step: step, Wall: wall, Epoch: epoch, Value: value}}
	return true
}

func cut(b []byte, prefix string) ([]byte, bool) {
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		return b, false
	}
	return b[len(prefix):], true
}

// parseInt reads a JSON integer that fits int64.
func parseInt(b []byte) (int64, []byte, bool) {
	i, neg := 0, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	var u uint64
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if u > (math.MaxUint64-9)/10 {
			return 0, b, false
		}
		u = u*10 + uint64(b[i]-'0')
		i++
	}
	if i == start || (i-start > 1 && b[start] == '0') {
		return 0, b, false
	}
	if neg {
		if u > 1<<63 {
			return 0, b, false
		}
		return -int64(u), b[i:], true
	}
	if u > math.MaxInt64 {
		return 0, b, false
	}
	return int64(u), b[i:], true
}

// parseWall reads a wall time as appendWall writes it (digits, and up to 6
// after a dot) with integer arithmetic: float64(µs)/1e6 is the correctly
// rounded value of the decimal, as ParseFloat gives. Other forms go to
// parseNum.
func parseWall(b []byte) (float64, []byte, bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	start := i
	var us int64
	for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 12 {
		us = us*10 + int64(b[i]-'0')
		i++
	}
	if i == start || (i-start > 1 && b[start] == '0') {
		return parseNum(b)
	}
	digits := 0
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && digits < 6 {
			us = us*10 + int64(b[i]-'0')
			i++
			digits++
		}
		if digits == 0 {
			return parseNum(b)
		}
	}
	if i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == 'e' || b[i] == 'E' || b[i] == '.') {
		return parseNum(b)
	}
	for ; digits < 6; digits++ {
		us *= 10
	}
	w := float64(us) / 1e6
	if neg {
		w = -w
	}
	return w, b[i:], true
}

// parseNum reads a JSON number as float64.
func parseNum(b []byte) (float64, []byte, bool) {
	i := 0
	for i < len(b) {
		c := b[i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			i++
			continue
		}
		break
	}
	if i == 0 {
		return 0, b, false
	}
	// ParseFloat accepts more than JSON (hex, "inf", underscores): digits,
	// signs, dots and exponents only reach it, and it rejects the rest.
	f, err := strconv.ParseFloat(string(b[:i]), 64)
	if err != nil {
		return 0, b, false
	}
	return f, b[i:], true
}

// Notes collects what a reader skipped, bounded.
type notes struct {
	list    []string
	dropped int
}

const maxNotes = 20

func (n *notes) addf(format string, args ...any) {
	if len(n.list) >= maxNotes {
		n.dropped++
		return
	}
	n.list = append(n.list, fmt.Sprintf(format, args...))
}

func (n *notes) result() []string {
	out := append([]string(nil), n.list...)
	if n.dropped > 0 {
		out = append(out, fmt.Sprintf("... and %d more notes", n.dropped))
	}
	return out
}

// Longest lines the readers take; longer ones are skipped with a note.
const (
	maxScalarLine = 64 << 10
	maxStreamLine = 256 << 20
)

// readLines calls fn for each line of r (without the newline and a trailing
// \r; empty lines skipped). The last line, when it has no newline, is passed
// with terminated false. Lines longer than maxLine are skipped with a note.
// It returns the offset just past the last newline, and the length of the
// unterminated tail after it.
func readLines(r io.Reader, maxLine int, path string, nt *notes, fn func(line []byte, lineNo int, terminated bool) error) (end int64, tail int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	var pos int64
	lineNo := 0
	tooLong := false
	for {
		chunk, rerr := br.ReadSlice('\n')
		pos += int64(len(chunk))
		if rerr == bufio.ErrBufferFull {
			if !tooLong {
				if len(long)+len(chunk) > maxLine {
					tooLong = true
					long = long[:0]
				} else {
					long = append(long, chunk...)
				}
			}
			continue
		}
		terminated := rerr == nil
		line := chunk
		if !tooLong && len(long)+len(bytes.TrimRight(chunk, "\r\n")) > maxLine {
			tooLong = true
			long = long[:0]
		}
		if len(long) > 0 {
			line = append(long, chunk...)
			long = long[:0]
		}
		if len(line) > 0 || tooLong {
			lineNo++
		}
		if tooLong {
			if terminated {
				nt.addf("%s: line %d is longer than %d bytes; skipped", path, lineNo, maxLine)
			}
			tooLong = false
		} else {
			line = bytes.TrimRight(line, "\r\n")
			if len(line) > 0 {
				if ferr := fn(line, lineNo, terminated); ferr != nil {
					return end, 0, ferr
				}
			}
		}
		if terminated {
			end = pos
			continue
		}
		if rerr == io.EOF {
			return end, int(pos - end), nil
		}
		return end, int(pos - end), fmt.Errorf("runs: reading %s: %w", path, rerr)
	}
}

// streamPath returns dir/stream.jsonl after checking the stream name.
func streamPath(dir, stream string) (string, error) {
	if err := checkStreamName(stream); err != nil {
		return "", err
	}
	return filepath.Join(dir, stream+StreamExt), nil
}

// checkStreamName accepts lower-case letters, digits, '_' and '-'.
func checkStreamName(stream string) error {
	if stream == "" || len(stream) > 64 {
		return fmt.Errorf("runs: stream name %q must be 1 to 64 characters of a-z, 0-9, _ and -, such as \"histograms\"", stream)
	}
	for _, c := range []byte(stream) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("runs: stream name %q has %q; use only a-z, 0-9, _ and -, such as \"histograms\"", stream, c)
		}
	}
	if stream == "meta" {
		return fmt.Errorf("runs: stream name %q is reserved (meta.json); choose another name", stream)
	}
	return nil
}

// ReadStream calls fn with each record (one JSON value, as raw bytes that
// are only valid during the call) of the stream file dir/<stream>.jsonl, in
// file order. A last line without newline that is not valid JSON (the
// writer was killed mid-write) is skipped and named in the notes, as are
// over-long lines. A stream that does not exist yet reads as empty. It stops
// at the first error fn returns and returns it.
//
// Scalars are the stream "scalars": read them decoded with [Run.ScanScalars].
func ReadStream(dir, stream string, fn func(record []byte) error) (notesOut []string, err error) {
	path, err := streamPath(dir, stream)
	if err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, errors.New("runs: ReadStream needs a function fn to receive the records; got nil")
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if _, serr := os.Stat(filepath.Join(dir, MetaFile)); serr != nil {
				return nil, fmt.Errorf("runs: %s is not a run directory (no %s); pass a directory written by Create", dir, MetaFile)
			}
			return nil, nil
		}
		return nil, fmt.Errorf("runs: opening %s: %w", path, err)
	}
	defer f.Close()
	var nt notes
	_, _, err = readLines(f, maxStreamLine, path, &nt, func(line []byte, lineNo int, terminated bool) error {
		if !terminated && !json.Valid(line) {
			nt.addf("%s: last line (%d bytes, no newline) is incomplete, the writer was probably killed mid-write; skipped", path, len(line))
			return nil
		}
		return fn(line)
	})
	return nt.result(), err
}
