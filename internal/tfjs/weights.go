package tfjs

import (
	"encoding/binary"
	"fmt"
	"math"
)

// maxElements bounds the number of elements of one weight, so that a
// hostile manifest cannot make the product of a shape overflow.
const maxElements = 1 << 28

// A tensor is the value of a Const node: float32 or int32 elements,
// little-endian, back to back.
type tensor struct {
	dtype   uint64 // dtFloat or dtInt32
	shape   []int64
	content []byte
}

// decodeWeights reads every weight of the manifest, in order, from bin and
// returns them by name. bin must hold exactly the bytes the manifest
// declares.
func decodeWeights(groups []manifestGroup, bin []byte) (map[string]*tensor, error) {
	weights := map[string]*tensor{}
	off := 0
	for _, g := range groups {
		for i := range g.Weights {
			w := &g.Weights[i]
			if w.Name == "" {
				return nil, fmt.Errorf("tfjs: weight %d has no name: %w", len(weights), ErrFormat)
			}
			if _, dup := weights[w.Name]; dup {
				return nil, fmt.Errorf("tfjs: weight %q is listed twice: %w", w.Name, ErrFormat)
			}
			t, n, err := decodeWeight(w, bin[off:])
			if err != nil {
				return nil, fmt.Errorf("tfjs: weight %q: %w", w.Name, err)
			}
			weights[w.Name] = t
			off += n
		}
	}
	if off != len(bin) {
		return nil, fmt.Errorf("tfjs: the manifest declares %d bytes of weights, the weights hold %d: %w", off, len(bin), ErrFormat)
	}
	return weights, nil
}

// elements returns the number of elements of a tensor of the given shape.
func elements(shape []int64) (int, error) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("shape %v has a negative dimension: %w", shape, ErrFormat)
		}
		if d > maxElements || n*d > maxElements {
			return 0, fmt.Errorf("shape %v has more than %d elements: %w", shape, maxElements, ErrFormat)
		}
		n *= d
	}
	return int(n), nil
}

// decodeWeight decodes w from the start of bin and returns it with the
// number of bytes it took.
func decodeWeight(w *weightJSON, bin []byte) (*tensor, int, error) {
	n, err := elements(w.Shape)
	if err != nil {
		return nil, 0, err
	}
	t := &tensor{shape: w.Shape}
	switch w.Dtype {
	case "float32":
		t.dtype = dtFloat
	case "int32":
		t.dtype = dtInt32
	default:
		return nil, 0, fmt.Errorf("data type %q: %w", w.Dtype, ErrUnsupported)
	}
	q := w.Quantization
	if q == nil || q.Dtype == "" {
		if 4*n > len(bin) {
			return nil, 0, short(4*n, len(bin))
		}
		t.content = append([]byte(nil), bin[:4*n]...)
		return t, 4 * n, nil
	}
	switch q.Dtype {
	case "float16":
		if t.dtype != dtFloat || (q.OriginalDtype != "" && q.OriginalDtype != "float32") {
			return nil, 0, fmt.Errorf("float16 quantization of %s: %w", w.Dtype, ErrUnsupported)
		}
		if 2*n > len(bin) {
			return nil, 0, short(2*n, len(bin))
		}
		t.content = make([]byte, 4*n)
		for i := range n {
			h := binary.LittleEndian.Uint16(bin[2*i:])
			binary.LittleEndian.PutUint32(t.content[4*i:], halfToFloat32(h))
		}
		return t, 2 * n, nil
	case "uint8", "uint16":
		size := 1
		if q.Dtype == "uint16" {
			size = 2
		}
		if q.Min == nil || q.Scale == nil || math.IsNaN(*q.Min+*q.Scale) || math.IsInf(*q.Min+*q.Scale, 0) {
			return nil, 0, fmt.Errorf("%s quantization needs a finite min and scale: %w", q.Dtype, ErrFormat)
		}
		if size*n > len(bin) {
			return nil, 0, short(size*n, len(bin))
		}
		t.content = make([]byte, 4*n)
		for i := range n {
			v := float64(bin[i])
			if size == 2 {
				v = float64(binary.LittleEndian.Uint16(bin[2*i:]))
			}
			// TensorFlow.js computes in float64, then stores into a
			// Float32Array or rounds with Math.round for int32.
			v = v*(*q.Scale) + *q.Min
			var bits uint32
			if t.dtype == dtFloat {
				if bits, err = float32Bits(v); err != nil {
					return nil, 0, err
				}
			} else {
				r := math.Floor(v + 0.5)
				if r < math.MinInt32 || r > math.MaxInt32 {
					return nil, 0, fmt.Errorf("dequantized value %g overflows an int32: %w", v, ErrFormat)
				}
				bits = uint32(int32(r))
			}
			binary.LittleEndian.PutUint32(t.content[4*i:], bits)
		}
		return t, size * n, nil
	}
	return nil, 0, fmt.Errorf("quantization %q: %w", q.Dtype, ErrUnsupported)
}

// short is the error for a weight that runs past the end of the weights.
func short(need, have int) error {
	return fmt.Errorf("needs %d bytes, only %d are left in the weights: %w", need, have, ErrFormat)
}
