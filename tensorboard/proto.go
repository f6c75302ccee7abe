// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of TensorBoard's protocol buffers (tensorboard/compat/proto: event.proto,
// summary.proto, tensor.proto, tensor_shape.proto).
const (
	// Event
	eventWallTime    = 1 // double
	eventStep        = 2 // int64
	eventFileVersion = 3 // string
	eventGraphDef    = 4 // bytes
	eventSummary     = 5 // Summary

	// Summary
	summaryValue = 1 // repeated Value

	// Summary.Value
	valueTag        = 1 // string
	valueSimple     = 2 // float
	valueOldHisto   = 3 // bytes: obsolete_old_style_histogram
	valueImage      = 4
	valueHisto      = 5 // HistogramProto
	valueAudio      = 6
	valueNodeName   = 7 // string, the tag of old writers
	valueTensor     = 8 // TensorProto
	valueMetadata   = 9 // SummaryMetadata
	metaPluginData  = 1 // SummaryMetadata.plugin_data
	pluginName      = 1 // PluginData.plugin_name
	histoMin        = 1
	histoMax        = 2
	histoNum        = 3
	histoSum        = 4
	histoSumSquares = 5
	histoLimit      = 6 // repeated double, packed
	histoBucket     = 7 // repeated double, packed

	// TensorProto
	tensorDtype   = 1
	tensorShape   = 2
	tensorContent = 4
	tensorFloat   = 5
	tensorDouble  = 6
	tensorInt     = 7
	tensorString  = 8
	tensorInt64   = 10
	tensorHalf    = 13
	shapeDim      = 2 // TensorShapeProto.dim
	dimSize       = 1
)

// TensorFlow's DataType values.
const (
	dtFloat    = 1
	dtDouble   = 2
	dtInt32    = 3
	dtString   = 7
	dtInt64    = 9
	dtBfloat16 = 14
	dtHalf     = 19
)

// fileVersion is the first event's file_version: TensorBoard reads version 2 files.
const fileVersion = "brain.Event:2"

// ---- encoding ----

func appendDouble(b []byte, num protowire.Number, v float64) []byte {
	b = protowire.AppendTag(b, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(b, math.Float64bits(v))
}

func appendPackedDoubles(b []byte, num protowire.Number, v []float64) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(8*len(v)))
	for _, x := range v {
		b = protowire.AppendFixed64(b, math.Float64bits(x))
	}
	return b
}

func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// appendEventHead appends an Event's wall_time and step.
func appendEventHead(b []byte, wall float64, step int64) []byte {
	b = appendDouble(b, eventWallTime, wall)
	b = protowire.AppendTag(b, eventStep, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(step))
}

// appendSummaryEvent appends an Event whose summary holds the one encoded Summary.Value.
func appendSummaryEvent(b []byte, wall float64, step int64, value []byte) []byte {
	b = appendEventHead(b, wall, step)
	b = protowire.AppendTag(b, eventSummary, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(protowire.SizeTag(summaryValue)+protowire.SizeBytes(len(value))))
	return appendMessage(b, summaryValue, value)
}

// appendFileVersionEvent appends the first event of a file.
func appendFileVersionEvent(b []byte, wall float64) []byte {
	b = appendEventHead(b, wall, 0)
	return appendString(b, eventFileVersion, fileVersion)
}

// appendScalarValue appends a Summary.Value with a simple_value.
func appendScalarValue(b []byte, tag string, v float32) []byte {
	b = appendString(b, valueTag, tag)
	b = protowire.AppendTag(b, valueSimple, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, math.Float32bits(v))
}

// appendHistogram appends a HistogramProto.
func appendHistogram(b []byte, h *Histogram) []byte {
	b = appendDouble(b, histoMin, h.Min)
	b = appendDouble(b, histoMax, h.Max)
	b = appendDouble(b, histoNum, h.Num)
	b = appendDouble(b, histoSum, h.Sum)
	b = appendDouble(b, histoSumSquares, h.SumSquares)
	b = appendPackedDoubles(b, histoLimit, h.BucketLimit)
	return appendPackedDoubles(b, histoBucket, h.Bucket)
}

// textMetadata is the SummaryMetadata of a text summary: plugin_data {plugin_name:
// "text"}, as TensorBoard's text_pb writes it.
var textMetadata = appendMessage(nil, metaPluginData, appendString(nil, pluginName, "text"))

// appendTextTensor appends a TensorProto holding the scalar string s.
func appendTextTensor(b []byte, s string) []byte {
	b = protowire.AppendTag(b, tensorDtype, protowire.VarintType)
	b = protowire.AppendVarint(b, dtString)
	b = appendMessage(b, tensorShape, nil) // a scalar: no dims
	return appendString(b, tensorString, s)
}

// ---- decoding ----

// field is one decoded field of a message.
type field struct {
	num protowire.Number
	typ protowire.Type
	u   uint64 // the value of a varint, fixed32 or fixed64
	b   []byte // the value of a length-delimited field
}

// walk calls fn with each field of the message b.
func walk(b []byte, fn func(f field) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		f := field{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			f.u, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.u = uint64(v)
		case protowire.Fixed64Type:
			f.u, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

func wrongType(what string, f field) error {
	return fmt.Errorf("field %s (%d) has wire type %d", what, f.num, f.typ)
}

// doubles appends the values of a repeated double field, packed or not.
func doubles(dst []float64, what string, f field) ([]float64, error) {
	switch f.typ {
	case protowire.Fixed64Type:
		return append(dst, math.Float64frombits(f.u)), nil
	case protowire.BytesType:
		if len(f.b)%8 != 0 {
			return dst, fmt.Errorf("packed field %s has %d bytes, not a multiple of 8", what, len(f.b))
		}
		for i := 0; i < len(f.b); i += 8 {
			dst = append(dst, math.Float64frombits(binary.LittleEndian.Uint64(f.b[i:])))
		}
		return dst, nil
	}
	return dst, wrongType(what, f)
}

// floats appends the values of a repeated float field, packed or not.
func floats(dst []float64, what string, f field) ([]float64, error) {
	switch f.typ {
	case protowire.Fixed32Type:
		return append(dst, float64(math.Float32frombits(uint32(f.u)))), nil
	case protowire.BytesType:
		if len(f.b)%4 != 0 {
			return dst, fmt.Errorf("packed field %s has %d bytes, not a multiple of 4", what, len(f.b))
		}
		for i := 0; i < len(f.b); i += 4 {
			dst = append(dst, float64(math.Float32frombits(binary.LittleEndian.Uint32(f.b[i:]))))
		}
		return dst, nil
	}
	return dst, wrongType(what, f)
}

// varints appends the values of a repeated varint field, packed or not, each converted by
// conv.
func varints(dst []float64, what string, f field, conv func(uint64) float64) ([]float64, error) {
	switch f.typ {
	case protowire.VarintType:
		return append(dst, conv(f.u)), nil
	case protowire.BytesType:
		b := f.b
		for len(b) > 0 {
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return dst, fmt.Errorf("packed field %s: %v", what, protowire.ParseError(n))
			}
			dst = append(dst, conv(v))
			b = b[n:]
		}
		return dst, nil
	}
	return dst, wrongType(what, f)
}

// event is a decoded Event, as far as Read needs it.
type event struct {
	wall        float64
	step        int64
	fileVersion string
	summary     []byte // the Summary message; nil when the event has none
	graph       []byte // the graph_def; nil when the event has none
}

func decodeEvent(b []byte) (ev event, err error) {
	err = walk(b, func(f field) error {
		switch f.num {
		case eventWallTime:
			if f.typ != protowire.Fixed64Type {
				return wrongType("wall_time", f)
			}
			ev.wall = math.Float64frombits(f.u)
		case eventStep:
			if f.typ != protowire.VarintType {
				return wrongType("step", f)
			}
			ev.step = int64(f.u)
		case eventFileVersion:
			ev.fileVersion = string(f.b)
		case eventSummary:
			if f.typ != protowire.BytesType {
				return wrongType("summary", f)
			}
			if ev.summary == nil {
				ev.summary = f.b
			} else { // a repeated embedded message merges
				ev.summary = append(append([]byte(nil), ev.summary...), f.b...)
			}
		case eventGraphDef:
			if f.typ != protowire.BytesType {
				return wrongType("graph_def", f)
			}
			ev.graph = f.b
		}
		return nil
	})
	return ev, err
}

// value is a decoded Summary.Value.
type value struct {
	tag, nodeName string
	kind          string // "simple_value", "histo", "tensor", or what a skipped one is
	simple        float32
	payload       []byte // histo or tensor
	plugin        string
	hasPlugin     bool
}

func decodeValue(b []byte) (v value, err error) {
	err = walk(b, func(f field) error {
		switch f.num {
		case valueTag:
			v.tag = string(f.b)
		case valueNodeName:
			v.nodeName = string(f.b)
		case valueSimple:
			if f.typ != protowire.Fixed32Type {
				return wrongType("simple_value", f)
			}
			v.kind, v.simple = "simple_value", math.Float32frombits(uint32(f.u))
		case valueHisto:
			v.kind, v.payload = "histo", f.b
		case valueTensor:
			v.kind, v.payload = "tensor", f.b
		case valueImage:
			v.kind = "image"
		case valueAudio:
			v.kind = "audio"
		case valueOldHisto:
			v.kind = "old-style histogram"
		case valueMetadata:
			return walk(f.b, func(m field) error {
				if m.num == metaPluginData {
					return walk(m.b, func(p field) error {
						if p.num == pluginName {
							v.plugin, v.hasPlugin = string(p.b), true
						}
						return nil
					})
				}
				return nil
			})
		}
		return nil
	})
	if v.tag == "" {
		v.tag = v.nodeName
	}
	return v, err
}

// decodeSummary calls fn with each value of a Summary.
func decodeSummary(b []byte, fn func(v value) error) error {
	return walk(b, func(f field) error {
		if f.num != summaryValue {
			return nil
		}
		if f.typ != protowire.BytesType {
			return wrongType("value", f)
		}
		v, err := decodeValue(f.b)
		if err != nil {
			return fmt.Errorf("summary value: %w", err)
		}
		return fn(v)
	})
}

func decodeHistogram(b []byte) (h Histogram, err error) {
	err = walk(b, func(f field) error {
		var d *float64
		switch f.num {
		case histoMin:
			d = &h.Min
		case histoMax:
			d = &h.Max
		case histoNum:
			d = &h.Num
		case histoSum:
			d = &h.Sum
		case histoSumSquares:
			d = &h.SumSquares
		case histoLimit:
			h.BucketLimit, err = doubles(h.BucketLimit, "bucket_limit", f)
			return err
		case histoBucket:
			h.Bucket, err = doubles(h.Bucket, "bucket", f)
			return err
		default:
			return nil
		}
		if f.typ != protowire.Fixed64Type {
			return wrongType("of HistogramProto", f)
		}
		*d = math.Float64frombits(f.u)
		return nil
	})
	if err == nil && len(h.BucketLimit) != len(h.Bucket) {
		err = fmt.Errorf("HistogramProto has %d bucket limits and %d buckets", len(h.BucketLimit), len(h.Bucket))
	}
	return h, err
}

// tensor is a decoded TensorProto of numbers (values) or strings.
type tensor struct {
	dtype   uint64
	dims    []int64
	values  []float64
	strings []string
}

// maxTensorValues bounds what a tensor may hold: a summary tensor is small.
const maxTensorValues = 1 << 24

func decodeTensor(b []byte) (t tensor, err error) {
	var content []byte
	err = walk(b, func(f field) error {
		switch f.num {
		case tensorDtype:
			t.dtype = f.u
		case tensorShape:
			return walk(f.b, func(d field) error {
				if d.num != shapeDim {
					return nil
				}
				size := int64(-1)
				if err := walk(d.b, func(s field) error {
					if s.num == dimSize {
						size = int64(s.u)
					}
					return nil
				}); err != nil {
					return err
				}
				t.dims = append(t.dims, size)
				return nil
			})
		case tensorContent:
			content = f.b
		case tensorFloat:
			t.values, err = floats(t.values, "float_val", f)
		case tensorDouble:
			t.values, err = doubles(t.values, "double_val", f)
		case tensorInt:
			t.values, err = varints(t.values, "int_val", f, func(u uint64) float64 { return float64(int32(u)) })
		case tensorInt64:
			t.values, err = varints(t.values, "int64_val", f, func(u uint64) float64 { return float64(int64(u)) })
		case tensorHalf:
			conv := halfToFloat
			if t.dtype == dtBfloat16 {
				conv = bfloat16ToFloat
			}
			t.values, err = varints(t.values, "half_val", f, conv)
		case tensorString:
			t.strings = append(t.strings, string(f.b))
		}
		return err
	})
	if err != nil {
		return t, err
	}
	n := int64(1)
	for _, d := range t.dims {
		if d < 0 || (d > 0 && n > maxTensorValues/d) {
			return t, fmt.Errorf("tensor of shape %v", t.dims)
		}
		n *= d
	}
	if t.dtype == dtString {
		return t, nil
	}
	if content != nil {
		t.values, err = decodeContent(t.dtype, content)
		if err != nil {
			return t, err
		}
	}
	// TensorFlow repeats the last value when a tensor lists fewer than it holds.
	if l := int64(len(t.values)); l > 0 && l < n {
		last := t.values[l-1]
		for range n - l {
			t.values = append(t.values, last)
		}
	}
	if int64(len(t.values)) != n {
		return t, fmt.Errorf("tensor of shape %v holds %d values", t.dims, len(t.values))
	}
	return t, nil
}

// decodeContent decodes a tensor_content: the values, little-endian.
func decodeContent(dtype uint64, b []byte) ([]float64, error) {
	size := map[uint64]int{dtFloat: 4, dtDouble: 8, dtInt32: 4, dtInt64: 8, dtHalf: 2, dtBfloat16: 2}[dtype]
	if size == 0 {
		return nil, fmt.Errorf("tensor of dtype %d is not read (float, double, half, bfloat16, int32 and int64 are)", dtype)
	}
	if len(b)%size != 0 {
		return nil, fmt.Errorf("tensor_content of %d bytes for values of %d", len(b), size)
	}
	if len(b)/size > maxTensorValues {
		return nil, errors.New("tensor_content too large")
	}
	out := make([]float64, 0, len(b)/size)
	for i := 0; i < len(b); i += size {
		var v float64
		switch dtype {
		case dtFloat:
			v = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
		case dtDouble:
			v = math.Float64frombits(binary.LittleEndian.Uint64(b[i:]))
		case dtInt32:
			v = float64(int32(binary.LittleEndian.Uint32(b[i:])))
		case dtInt64:
			v = float64(int64(binary.LittleEndian.Uint64(b[i:])))
		case dtHalf:
			v = halfToFloat(uint64(binary.LittleEndian.Uint16(b[i:])))
		case dtBfloat16:
			v = bfloat16ToFloat(uint64(binary.LittleEndian.Uint16(b[i:])))
		}
		out = append(out, v)
	}
	return out, nil
}

// halfToFloat converts IEEE 754 half-precision bits (the low 16 bits of u).
func halfToFloat(u uint64) float64 {
	h := uint16(u)
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}

// bfloat16ToFloat converts bfloat16 bits (the low 16 bits of u): a float32's high half.
func bfloat16ToFloat(u uint64) float64 {
	return float64(math.Float32frombits(uint32(uint16(u)) << 16))
}
