package tfjs

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the AttrValue message and of its ListValue.
const (
	attrList   = 1
	attrS      = 2
	attrI      = 3
	attrF      = 4
	attrB      = 5
	attrType   = 6
	attrShape  = 7
	attrTensor = 8
)

// attrValue returns the encoded AttrValue message of a. An AttrValue with
// no field set is encoded empty, as it is in protobuf.
func attrValue(a *attrJSON) ([]byte, error) {
	switch {
	case a.List != nil:
		list, err := listValue(a.List)
		if err != nil {
			return nil, err
		}
		return appendBytesField(nil, attrList, list), nil
	case a.S != nil:
		return appendBytesField(nil, attrS, *a.S), nil
	case a.I != nil:
		v, err := parseInt(*a.I)
		if err != nil {
			return nil, err
		}
		return appendVarintField(nil, attrI, uint64(v)), nil
	case a.F != nil:
		bits, err := float32Bits(float64(*a.F))
		if err != nil {
			return nil, err
		}
		return appendFixed32Field(nil, attrF, bits), nil
	case a.B != nil:
		return appendVarintField(nil, attrB, boolBit(*a.B)), nil
	case a.Type != nil:
		dt, err := a.Type.code()
		if err != nil {
			return nil, err
		}
		return appendVarintField(nil, attrType, dt), nil
	case a.Shape != nil:
		shape, err := shapeProto(a.Shape)
		if err != nil {
			return nil, err
		}
		return appendBytesField(nil, attrShape, shape), nil
	case a.Tensor != nil:
		t, err := attrTensorProto(a.Tensor)
		if err != nil {
			return nil, err
		}
		return appendBytesField(nil, attrTensor, t), nil
	case isSet(a.Func), isSet(a.Placeholder):
		return nil, fmt.Errorf("function or placeholder value: %w", ErrUnsupported)
	}
	return nil, nil
}

// listValue returns the encoded ListValue of l. Scalars are packed, as
// proto3 does, except the data types, written one field each as TensorFlow
// itself writes them.
func listValue(l *listJSON) ([]byte, error) {
	if len(l.Func) > 0 {
		return nil, fmt.Errorf("list of functions: %w", ErrUnsupported)
	}
	var b []byte
	for _, s := range l.S {
		b = appendBytesField(b, attrS, s)
	}
	if len(l.I) > 0 {
		var packed []byte
		for _, n := range l.I {
			v, err := parseInt(n)
			if err != nil {
				return nil, err
			}
			packed = protowire.AppendVarint(packed, uint64(v))
		}
		b = appendBytesField(b, attrI, packed)
	}
	if len(l.F) > 0 {
		packed := make([]byte, 0, 4*len(l.F))
		for _, f := range l.F {
			bits, err := float32Bits(float64(f))
			if err != nil {
				return nil, err
			}
			packed = protowire.AppendFixed32(packed, bits)
		}
		b = appendBytesField(b, attrF, packed)
	}
	if len(l.B) > 0 {
		var packed []byte
		for _, v := range l.B {
			packed = protowire.AppendVarint(packed, boolBit(v))
		}
		b = appendBytesField(b, attrB, packed)
	}
	for _, t := range l.Type {
		dt, err := t.code()
		if err != nil {
			return nil, err
		}
		b = appendVarintField(b, attrType, dt)
	}
	for i := range l.Shape {
		shape, err := shapeProto(&l.Shape[i])
		if err != nil {
			return nil, err
		}
		b = appendBytesField(b, attrShape, shape)
	}
	for i := range l.Tensor {
		t, err := attrTensorProto(&l.Tensor[i])
		if err != nil {
			return nil, err
		}
		b = appendBytesField(b, attrTensor, t)
	}
	return b, nil
}

// dims returns the sizes of the dimensions of s: -1 for an unknown one.
func (s *shapeJSON) dims() ([]int64, error) {
	dims := make([]int64, len(s.Dim))
	for i, d := range s.Dim {
		if d.Size == "" { // Omitted, as the JSON mapping does for 0.
			continue
		}
		v, err := parseInt(d.Size)
		if err != nil {
			return nil, err
		}
		if v < -1 {
			return nil, fmt.Errorf("dimension %d: %w", v, ErrFormat)
		}
		dims[i] = v
	}
	return dims, nil
}

// shapeProto returns the encoded TensorShapeProto of s: dim = 2 {size = 1,
// name = 2}, unknown_rank = 3. The size is written even when 0.
func shapeProto(s *shapeJSON) ([]byte, error) {
	dims, err := s.dims()
	if err != nil {
		return nil, err
	}
	var b []byte
	for i, size := range dims {
		dim := appendVarintField(nil, 1, uint64(size))
		if s.Dim[i].Name != "" {
			dim = appendStringField(dim, 2, s.Dim[i].Name)
		}
		b = appendBytesField(b, 2, dim)
	}
	if s.UnknownRank {
		b = appendVarintField(b, 3, 1)
	}
	return b, nil
}

// dimsProto returns the encoded TensorShapeProto of a known shape.
func dimsProto(dims []int64) []byte {
	var b []byte
	for _, size := range dims {
		b = appendBytesField(b, 2, appendVarintField(nil, 1, uint64(size)))
	}
	return b
}

// attrTensorProto returns the encoded TensorProto of a tensor attribute.
func attrTensorProto(t *tensorJSON) ([]byte, error) {
	if t.hasValueLists() {
		return nil, fmt.Errorf("tensor given by a value list: %w", ErrUnsupported)
	}
	dt, err := t.Dtype.code()
	if err != nil {
		return nil, err
	}
	shape, err := shapeProto(&t.TensorShape)
	if err != nil {
		return nil, err
	}
	return tensorProto(dt, shape, t.TensorContent), nil
}

// tensorProto returns the encoded TensorProto {dtype = 1, tensor_shape = 2,
// tensor_content = 4} of content, little-endian elements. A one-element
// int32 or float32 tensor is written with int_val (7) or float_val (5)
// instead, both packed: OpenCV reads scalars such as ConcatV2's axis with
// int_val().Get(0), and crashes when they are in tensor_content.
func tensorProto(dtype uint64, shape, content []byte) []byte {
	b := appendVarintField(nil, 1, dtype)
	b = appendBytesField(b, 2, shape)
	switch {
	case len(content) == 4 && dtype == dtInt32:
		v := int32(binary.LittleEndian.Uint32(content))
		return appendBytesField(b, 7, protowire.AppendVarint(nil, uint64(int64(v))))
	case len(content) == 4 && dtype == dtFloat:
		return appendBytesField(b, 5, content)
	}
	return appendBytesField(b, 4, content)
}

// boolBit returns 1 for true and 0 for false.
func boolBit(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}

// isSet reports whether a raw JSON field is present and not null.
func isSet(raw []byte) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// leakyReluAlpha is TensorFlow's default for the leakyrelu_alpha attribute
// of fused ops and the alpha attribute of LeakyRelu.
var leakyReluAlpha = math.Float32bits(0.2)
