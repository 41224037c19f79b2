package tfjs

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// The JSON of a TensorFlow.js graph model. modelTopology is a GraphDef in
// the protobuf JSON mapping: 64-bit integers are decimal strings, bytes are
// base64, enums are names, special floats are "NaN", "Infinity" and
// "-Infinity". Only the fields the conversion uses are declared; a field
// that cannot be converted is declared so that its presence is noticed.

type modelFile struct {
	Format          string          `json:"format"`
	ModelTopology   *topologyJSON   `json:"modelTopology"`
	WeightsManifest []manifestGroup `json:"weightsManifest"`
}

type topologyJSON struct {
	Node []nodeJSON `json:"node"`
}

type nodeJSON struct {
	Name  string              `json:"name"`
	Op    string              `json:"op"`
	Input []string            `json:"input"`
	Attr  map[string]attrJSON `json:"attr"`
}

// attrJSON is an AttrValue: one of its fields is set.
type attrJSON struct {
	List        *listJSON       `json:"list"`
	S           *protoBytes     `json:"s"`
	I           *json.Number    `json:"i"`
	F           *protoFloat     `json:"f"`
	B           *bool           `json:"b"`
	Type        *dataType       `json:"type"`
	Shape       *shapeJSON      `json:"shape"`
	Tensor      *tensorJSON     `json:"tensor"`
	Func        json.RawMessage `json:"func"`
	Placeholder json.RawMessage `json:"placeholder"`
}

// listJSON is an AttrValue.ListValue.
type listJSON struct {
	S      []protoBytes      `json:"s"`
	I      []json.Number     `json:"i"`
	F      []protoFloat      `json:"f"`
	B      []bool            `json:"b"`
	Type   []dataType        `json:"type"`
	Shape  []shapeJSON       `json:"shape"`
	Tensor []tensorJSON      `json:"tensor"`
	Func   []json.RawMessage `json:"func"`
}

// empty reports whether the list holds no value at all.
func (l *listJSON) empty() bool {
	return len(l.S)+len(l.I)+len(l.F)+len(l.B)+len(l.Type)+len(l.Shape)+len(l.Tensor)+len(l.Func) == 0
}

// shapeJSON is a TensorShapeProto.
type shapeJSON struct {
	Dim         []dimJSON `json:"dim"`
	UnknownRank bool      `json:"unknownRank"`
}

type dimJSON struct {
	Size json.Number `json:"size"`
	Name string      `json:"name"`
}

// tensorJSON is a TensorProto. Only tensorContent is converted; the typed
// value lists are declared to refuse them.
type tensorJSON struct {
	Dtype         dataType          `json:"dtype"`
	TensorShape   shapeJSON         `json:"tensorShape"`
	TensorContent protoBytes        `json:"tensorContent"`
	HalfVal       []json.RawMessage `json:"halfVal"`
	FloatVal      []json.RawMessage `json:"floatVal"`
	DoubleVal     []json.RawMessage `json:"doubleVal"`
	IntVal        []json.RawMessage `json:"intVal"`
	StringVal     []json.RawMessage `json:"stringVal"`
	ScomplexVal   []json.RawMessage `json:"scomplexVal"`
	Int64Val      []json.RawMessage `json:"int64Val"`
	BoolVal       []json.RawMessage `json:"boolVal"`
	DcomplexVal   []json.RawMessage `json:"dcomplexVal"`
	Uint32Val     []json.RawMessage `json:"uint32Val"`
	Uint64Val     []json.RawMessage `json:"uint64Val"`
}

// hasValueLists reports whether the tensor gives values other than by
// tensorContent.
func (t *tensorJSON) hasValueLists() bool {
	return len(t.HalfVal)+len(t.FloatVal)+len(t.DoubleVal)+len(t.IntVal)+
		len(t.StringVal)+len(t.ScomplexVal)+len(t.Int64Val)+len(t.BoolVal)+
		len(t.DcomplexVal)+len(t.Uint32Val)+len(t.Uint64Val) > 0
}

// manifestGroup is one entry of weightsManifest: the weights stored in the
// shard files named by paths.
type manifestGroup struct {
	Paths   []string     `json:"paths"`
	Weights []weightJSON `json:"weights"`
}

type weightJSON struct {
	Name         string     `json:"name"`
	Shape        []int64    `json:"shape"`
	Dtype        string     `json:"dtype"`
	Quantization *quantJSON `json:"quantization"`
}

type quantJSON struct {
	Dtype         string   `json:"dtype"`
	OriginalDtype string   `json:"original_dtype"`
	Min           *float64 `json:"min"`
	Scale         *float64 `json:"scale"`
}

// protoBytes is a bytes field: base64, standard or URL-safe, with or
// without padding, as the protobuf JSON mapping accepts.
type protoBytes []byte

func (p *protoBytes) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			*p = b
			return nil
		}
	}
	return errors.New("bytes field is not base64")
}

// protoFloat is a float field: a JSON number or a string holding a number,
// "NaN", "Infinity" or "-Infinity".
type protoFloat float64

func (f *protoFloat) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = protoFloat(math.NaN())
			return nil
		case "Infinity":
			*f = protoFloat(math.Inf(1))
			return nil
		case "-Infinity":
			*f = protoFloat(math.Inf(-1))
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("float field %q is not a number", s)
	}
	*f = protoFloat(v)
	return nil
}

// float32Bits returns the bits of f as a float32, as Python's
// struct.pack("<f") does: NaN becomes the quiet NaN 0x7fc00000, and a
// finite value too large for a float32 is an error.
func float32Bits(f float64) (uint32, error) {
	if math.IsNaN(f) {
		return 0x7fc00000, nil
	}
	v := float32(f)
	if math.IsInf(float64(v), 0) && !math.IsInf(f, 0) {
		return 0, fmt.Errorf("float %g overflows a float32: %w", f, ErrFormat)
	}
	return math.Float32bits(v), nil
}

// parseInt parses a 64-bit integer field, a decimal string or number.
func parseInt(n json.Number) (int64, error) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("integer field %q: %w", string(n), ErrFormat)
	}
	return v, nil
}

// dataType is a DataType enum: a name such as "DT_FLOAT", or its number.
type dataType string

func (d *dataType) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*d = dataType(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	*d = dataType(n)
	return nil
}

// The data types the weights are converted to.
const (
	dtFloat = 1
	dtInt32 = 3
)

// dataTypes are the numbers of TensorFlow's DataType enum (types.proto).
var dataTypes = map[string]uint64{
	"DT_INVALID":    0,
	"DT_FLOAT":      1,
	"DT_DOUBLE":     2,
	"DT_INT32":      3,
	"DT_UINT8":      4,
	"DT_INT16":      5,
	"DT_INT8":       6,
	"DT_STRING":     7,
	"DT_COMPLEX64":  8,
	"DT_INT64":      9,
	"DT_BOOL":       10,
	"DT_QINT8":      11,
	"DT_QUINT8":     12,
	"DT_QINT32":     13,
	"DT_BFLOAT16":   14,
	"DT_QINT16":     15,
	"DT_QUINT16":    16,
	"DT_UINT16":     17,
	"DT_COMPLEX128": 18,
	"DT_HALF":       19,
	"DT_RESOURCE":   20,
	"DT_VARIANT":    21,
	"DT_UINT32":     22,
	"DT_UINT64":     23,
}

// code returns the enum number of d.
func (d dataType) code() (uint64, error) {
	if c, ok := dataTypes[string(d)]; ok {
		return c, nil
	}
	if d == "" {
		return 0, fmt.Errorf("missing data type: %w", ErrFormat)
	}
	if c, err := strconv.ParseUint(string(d), 10, 31); err == nil {
		return c, nil
	}
	return 0, fmt.Errorf("data type %q: %w", string(d), ErrUnsupported)
}
