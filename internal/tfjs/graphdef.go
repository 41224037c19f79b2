package tfjs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// GraphDef returns the binary GraphDef of the nodes that the named outputs
// depend on, in the order of model.json. An output may be written as an
// input is ("name:1", "^name"); naming a node that is not in the graph is
// an error wrapping [ErrUnknownNode].
func (m *Model) GraphDef(outputs ...string) ([]byte, error) {
	if len(outputs) == 0 {
		return nil, errors.New("tfjs: GraphDef needs at least one output")
	}
	keep := make([]bool, len(m.nodes))
	var stack []int
	for _, out := range outputs {
		i, ok := m.byName[nodeName(out)]
		if !ok {
			return nil, fmt.Errorf("tfjs: output %q: %w", out, ErrUnknownNode)
		}
		stack = append(stack, i)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if keep[i] {
			continue
		}
		keep[i] = true
		stack = append(stack, m.nodes[i].deps...)
	}
	size := 0
	for i, n := range m.nodes {
		if keep[i] {
			size += len(n.def)
		}
	}
	g := make([]byte, 0, size)
	for i, n := range m.nodes {
		if keep[i] {
			g = append(g, n.def...)
		}
	}
	return g, nil
}

// nodeName returns the node an input refers to: without the "^" of a
// control input and the ":N" of an output other than the first.
func nodeName(input string) string {
	if i := strings.IndexByte(input, ':'); i >= 0 {
		input = input[:i]
	}
	return strings.TrimLeft(input, "^")
}

// An attrEntry is one entry of the attr map of a NodeDef.
type attrEntry struct {
	key   string
	value []byte // An encoded AttrValue.
}

// appendNode appends to g the GraphDef field (node = 1) holding the NodeDef
// {name = 1, op = 2, input = 3, attr = 5}; each attr is a map entry {key =
// 1, value = 2}. The device (4) is never written.
func appendNode(g []byte, name, op string, inputs []string, attrs []attrEntry) []byte {
	n := appendStringField(nil, 1, name)
	n = appendStringField(n, 2, op)
	for _, in := range inputs {
		n = appendStringField(n, 3, in)
	}
	for _, a := range attrs {
		e := appendStringField(nil, 1, a.key)
		e = appendBytesField(e, 2, a.value)
		n = appendBytesField(n, 5, e)
	}
	return appendBytesField(g, 1, n)
}

// fusedBase maps the fused ops of TensorFlow.js to the op they start with.
var fusedBase = map[string]string{
	"_FusedConv2D":               "Conv2D",
	"FusedDepthwiseConv2dNative": "DepthwiseConv2dNative",
	"_FusedMatMul":               "MatMul",
}

// fusedOnly are the attributes of a fused op that describe the fusion and
// that the expanded nodes do not take.
var fusedOnly = map[string]bool{
	"fused_ops":       true,
	"num_args":        true,
	"epsilon":         true,
	"leakyrelu_alpha": true,
	"TArgs":           true,
}

// activations are the fused ops that become a node of the same op with
// one input.
var activations = map[string]bool{
	"Relu":      true,
	"Relu6":     true,
	"Elu":       true,
	"Sigmoid":   true,
	"Tanh":      true,
	"LeakyRelu": true,
}

// convertNode returns the GraphDef fields of the nodes that n becomes, and
// the names of the nodes it adds to the graph (those of an expanded fused
// op but the last).
func convertNode(n *nodeJSON, weights map[string]*tensor) (def []byte, added []string, err error) {
	if n.Op == "Const" {
		// The value comes from the weights; the attributes of model.json
		// describe an empty tensor and are not used.
		t, ok := weights[n.Name]
		if !ok {
			return nil, nil, fmt.Errorf("no weight of that name: %w", ErrFormat)
		}
		attrs := []attrEntry{
			{"dtype", appendVarintField(nil, attrType, t.dtype)},
			{"value", appendBytesField(nil, attrTensor, tensorProto(t.dtype, dimsProto(t.shape), t.content))},
		}
		return appendNode(nil, n.Name, "Const", nil, attrs), nil, nil
	}
	base, fused := fusedBase[n.Op]
	attrs, err := convertAttrs(n.Attr, fused)
	if err != nil {
		return nil, nil, err
	}
	if !fused {
		return appendNode(nil, n.Name, n.Op, n.Input, attrs), nil, nil
	}
	return expandFused(n, base, attrs)
}

// convertAttrs returns the encoded attributes in sorted key order, without
// the fusion attributes of a fused op and without an empty
// explicit_paddings list.
func convertAttrs(attr map[string]attrJSON, fused bool) ([]attrEntry, error) {
	keys := make([]string, 0, len(attr))
	for k := range attr {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]attrEntry, 0, len(keys))
	for _, k := range keys {
		a := attr[k]
		if fused && fusedOnly[k] {
			continue
		}
		if k == "explicit_paddings" && (a.List == nil || a.List.empty()) {
			continue
		}
		v, err := attrValue(&a)
		if err != nil {
			return nil, fmt.Errorf("attr %q: %w", k, err)
		}
		attrs = append(attrs, attrEntry{k, v})
	}
	return attrs, nil
}

// pick returns the attributes of attrs named by keys, in sorted order.
func pick(attrs []attrEntry, keys ...string) []attrEntry {
	var out []attrEntry
	for _, a := range attrs {
		if slices.Contains(keys, a.key) {
			out = append(out, a)
		}
	}
	return out
}

// expandFused returns the nodes of the fused op n: base on the first two
// inputs, BiasAdd on the third input if fused_ops starts with it, then one
// node per activation. The last node takes the name of n, so that it can
// still be asked for as an output (OpenCV fails on an Identity as output);
// the others are named "<name>/<Op>". Inputs after those the expansion
// uses (control inputs) are not written.
func expandFused(n *nodeJSON, base string, attrs []attrEntry) (def []byte, added []string, err error) {
	var ops []string
	if a, ok := n.Attr["fused_ops"]; ok {
		if a.List == nil {
			return nil, nil, fmt.Errorf("attr \"fused_ops\" is not a list: %w", ErrFormat)
		}
		for _, s := range a.List.S {
			ops = append(ops, string(s))
		}
	}
	if len(n.Input) < 2 {
		return nil, nil, fmt.Errorf("%s needs 2 inputs, has %d: %w", n.Op, len(n.Input), ErrFormat)
	}
	type step struct {
		op     string
		inputs []string
		attrs  []attrEntry
	}
	steps := []step{{base, n.Input[:2], attrs}}
	if len(ops) > 0 && ops[0] == "BiasAdd" {
		if len(n.Input) < 3 {
			return nil, nil, fmt.Errorf("%s with BiasAdd has no bias input: %w", n.Op, ErrFormat)
		}
		steps = append(steps, step{"BiasAdd", []string{"", n.Input[2]}, pick(attrs, "T", "data_format")})
		ops = ops[1:]
	}
	for _, op := range ops {
		if !activations[op] {
			return nil, nil, fmt.Errorf("fused op %q after %s: %w", op, steps[len(steps)-1].op, ErrUnsupported)
		}
		s := step{op, []string{""}, pick(attrs, "T")}
		if op == "LeakyRelu" {
			alpha := appendFixed32Field(nil, attrF, leakyReluAlpha)
			if a, ok := n.Attr["leakyrelu_alpha"]; ok {
				if alpha, err = attrValue(&a); err != nil || a.F == nil {
					return nil, nil, fmt.Errorf("attr \"leakyrelu_alpha\" is not a float: %w", ErrFormat)
				}
			}
			// "T" sorts before "alpha".
			s.attrs = append(s.attrs, attrEntry{"alpha", alpha})
		}
		steps = append(steps, s)
	}
	prev := ""
	for i, s := range steps {
		name := n.Name
		if i < len(steps)-1 {
			name = n.Name + "/" + s.op
			added = append(added, name)
		}
		if s.inputs[0] == "" {
			s.inputs = append([]string{prev}, s.inputs[1:]...)
		}
		def = appendNode(def, name, s.op, s.inputs, s.attrs)
		prev = name
	}
	return def, added, nil
}
