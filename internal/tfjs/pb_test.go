package tfjs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// A small protobuf reader, on protowire like the writer but written
// field by field from the TensorFlow schema, that decodes the GraphDef back
// to check it.

// A pbField is one field of a protobuf message.
type pbField struct {
	num  protowire.Number
	wire protowire.Type
	v    uint64 // A varint or fixed32.
	b    []byte // Length-delimited.
}

// pbFields splits a message into its fields.
func pbFields(b []byte) ([]pbField, error) {
	var fs []pbField
	for len(b) > 0 {
		num, wire, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		f := pbField{num: num, wire: wire}
		switch wire {
		case protowire.VarintType:
			f.v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.v = uint64(v)
		default:
			return nil, fmt.Errorf("wire type %d", wire)
		}
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		b = b[n:]
		fs = append(fs, f)
	}
	return fs, nil
}

// pbNode is a decoded NodeDef.
type pbNode struct {
	name, op string
	inputs   []string
	keys     []string          // Attribute keys in wire order.
	attrs    map[string][]byte // Encoded AttrValues.
}

// decodeGraph decodes a GraphDef holding only nodes.
func decodeGraph(g []byte) ([]pbNode, error) {
	fs, err := pbFields(g)
	if err != nil {
		return nil, err
	}
	var nodes []pbNode
	for _, f := range fs {
		if f.num != 1 || f.wire != protowire.BytesType {
			return nil, fmt.Errorf("GraphDef field %d/%d", f.num, f.wire)
		}
		n, err := decodeNode(f.b)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

func decodeNode(b []byte) (pbNode, error) {
	n := pbNode{attrs: map[string][]byte{}}
	fs, err := pbFields(b)
	if err != nil {
		return n, err
	}
	for _, f := range fs {
		if f.wire != protowire.BytesType {
			return n, fmt.Errorf("NodeDef field %d has wire type %d", f.num, f.wire)
		}
		switch f.num {
		case 1:
			n.name = string(f.b)
		case 2:
			n.op = string(f.b)
		case 3:
			n.inputs = append(n.inputs, string(f.b))
		case 5:
			es, err := pbFields(f.b)
			if err != nil {
				return n, err
			}
			if len(es) != 2 || es[0].num != 1 || es[1].num != 2 || es[0].wire != protowire.BytesType || es[1].wire != protowire.BytesType {
				return n, errors.New("bad attr map entry")
			}
			n.keys = append(n.keys, string(es[0].b))
			n.attrs[string(es[0].b)] = es[1].b
		default:
			return n, fmt.Errorf("NodeDef field %d", f.num)
		}
	}
	return n, nil
}

// pbTensor is a decoded TensorProto.
type pbTensor struct {
	dtype    uint64
	shape    []int64
	content  []byte
	intVal   []int64
	floatVal []float32
	value    int // The field holding the values: 4, 5 or 7.
}

// decodeTensorAttr decodes an AttrValue holding a tensor.
func decodeTensorAttr(attr []byte) (pbTensor, error) {
	fs, err := pbFields(attr)
	if err != nil {
		return pbTensor{}, err
	}
	if len(fs) != 1 || fs[0].num != attrTensor {
		return pbTensor{}, errors.New("not a tensor AttrValue")
	}
	return decodeTensor(fs[0].b)
}

func decodeTensor(b []byte) (pbTensor, error) {
	var t pbTensor
	fs, err := pbFields(b)
	if err != nil {
		return t, err
	}
	for _, f := range fs {
		switch {
		case f.num == 1 && f.wire == protowire.VarintType:
			t.dtype = f.v
		case f.num == 2 && f.wire == protowire.BytesType:
			if t.shape, err = decodeShape(f.b); err != nil {
				return t, err
			}
		case f.num == 4 && f.wire == protowire.BytesType:
			t.content, t.value = f.b, 4
		case f.num == 5 && f.wire == protowire.BytesType:
			if len(f.b)%4 != 0 {
				return t, errors.New("packed float_val")
			}
			for i := 0; i < len(f.b); i += 4 {
				t.floatVal = append(t.floatVal, math.Float32frombits(binary.LittleEndian.Uint32(f.b[i:])))
			}
			t.value = 5
		case f.num == 7 && f.wire == protowire.BytesType:
			for p := f.b; len(p) > 0; {
				v, n := protowire.ConsumeVarint(p)
				if n < 0 {
					return t, protowire.ParseError(n)
				}
				t.intVal, p = append(t.intVal, int64(v)), p[n:]
			}
			t.value = 7
		default:
			return t, fmt.Errorf("TensorProto field %d/%d", f.num, f.wire)
		}
	}
	return t, nil
}

// decodeShape decodes a TensorShapeProto's sizes; unknown_rank gives nil.
func decodeShape(b []byte) ([]int64, error) {
	fs, err := pbFields(b)
	if err != nil {
		return nil, err
	}
	shape := []int64{}
	for _, f := range fs {
		if f.num == 3 {
			return nil, nil
		}
		if f.num != 2 || f.wire != protowire.BytesType {
			return nil, fmt.Errorf("TensorShapeProto field %d", f.num)
		}
		ds, err := pbFields(f.b)
		if err != nil {
			return nil, err
		}
		var size int64
		for _, d := range ds {
			if d.num == 1 && d.wire == protowire.VarintType {
				size = int64(d.v)
			}
		}
		shape = append(shape, size)
	}
	return shape, nil
}

// floats returns the values of a float32 tensor, whichever field holds them.
func (t pbTensor) floats() []float32 {
	if t.value == 5 {
		return t.floatVal
	}
	var fs []float32
	for i := 0; i+4 <= len(t.content); i += 4 {
		fs = append(fs, math.Float32frombits(binary.LittleEndian.Uint32(t.content[i:])))
	}
	return fs
}

// ints returns the values of an int32 tensor, whichever field holds them.
func (t pbTensor) ints() []int64 {
	if t.value == 7 {
		return t.intVal
	}
	var is []int64
	for i := 0; i+4 <= len(t.content); i += 4 {
		is = append(is, int64(int32(binary.LittleEndian.Uint32(t.content[i:]))))
	}
	return is
}

func (t pbTensor) String() string {
	field := map[int]string{4: "tensor_content", 5: "float_val", 7: "int_val"}[t.value]
	var values any = fmt.Sprintf("%x", t.content)
	switch t.dtype {
	case dtFloat:
		values = t.floats()
	case dtInt32:
		values = t.ints()
	}
	return fmt.Sprintf("tensor{dtype=%d shape=%v %s=%v}", t.dtype, t.shape, field, values)
}

// describeAttr returns an AttrValue as text.
func describeAttr(b []byte) (string, error) {
	fs, err := pbFields(b)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, f := range fs {
		switch {
		case f.num == attrList && f.wire == protowire.BytesType:
			l, err := describeList(f.b)
			if err != nil {
				return "", err
			}
			parts = append(parts, "list{"+l+"}")
		case f.num == attrS && f.wire == protowire.BytesType:
			parts = append(parts, fmt.Sprintf("s=%q", f.b))
		case f.num == attrI && f.wire == protowire.VarintType:
			parts = append(parts, fmt.Sprintf("i=%d", int64(f.v)))
		case f.num == attrF && f.wire == protowire.Fixed32Type:
			parts = append(parts, fmt.Sprintf("f=%v", math.Float32frombits(uint32(f.v))))
		case f.num == attrB && f.wire == protowire.VarintType:
			parts = append(parts, fmt.Sprintf("b=%v", f.v != 0))
		case f.num == attrType && f.wire == protowire.VarintType:
			parts = append(parts, fmt.Sprintf("type=%d", f.v))
		case f.num == attrShape && f.wire == protowire.BytesType:
			s, err := decodeShape(f.b)
			if err != nil {
				return "", err
			}
			if s == nil {
				parts = append(parts, "shape=unknown-rank")
			} else {
				parts = append(parts, fmt.Sprintf("shape=%v", s))
			}
		case f.num == attrTensor && f.wire == protowire.BytesType:
			t, err := decodeTensor(f.b)
			if err != nil {
				return "", err
			}
			parts = append(parts, t.String())
		default:
			return "", fmt.Errorf("AttrValue field %d/%d", f.num, f.wire)
		}
	}
	return strings.Join(parts, " "), nil
}

func describeList(b []byte) (string, error) {
	fs, err := pbFields(b)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, f := range fs {
		switch {
		case f.num == attrS && f.wire == protowire.BytesType:
			parts = append(parts, fmt.Sprintf("s=%q", f.b))
		case f.num == attrI && f.wire == protowire.BytesType:
			var is []int64
			for p := f.b; len(p) > 0; {
				v, n := protowire.ConsumeVarint(p)
				if n < 0 {
					return "", protowire.ParseError(n)
				}
				is, p = append(is, int64(v)), p[n:]
			}
			parts = append(parts, fmt.Sprintf("i=%v", is))
		case f.num == attrType && f.wire == protowire.VarintType:
			parts = append(parts, fmt.Sprintf("type=%d", f.v))
		default:
			return "", fmt.Errorf("ListValue field %d/%d", f.num, f.wire)
		}
	}
	return strings.Join(parts, " "), nil
}

// dumpGraph returns the nodes of a GraphDef as text, one line per node
// and per attribute.
func dumpGraph(g []byte) (string, error) {
	nodes, err := decodeGraph(g)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&sb, "node %q op=%s inputs=%q\n", n.name, n.op, n.inputs)
		if !slices.IsSorted(n.keys) {
			return "", fmt.Errorf("node %q: attributes not sorted: %q", n.name, n.keys)
		}
		for _, k := range n.keys {
			d, err := describeAttr(n.attrs[k])
			if err != nil {
				return "", fmt.Errorf("node %q: attr %q: %w", n.name, k, err)
			}
			fmt.Fprintf(&sb, "  %s: %s\n", k, d)
		}
	}
	return sb.String(), nil
}
