package tfjs

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

var (
	// ErrFormat is wrapped by the errors about a malformed model.json,
	// manifest or weights file.
	ErrFormat = errors.New("malformed model")
	// ErrUnsupported is wrapped by the errors about a valid model that
	// uses something the conversion does not handle.
	ErrUnsupported = errors.New("not supported")
	// ErrUnknownNode is wrapped by the error of [Model.GraphDef] for an
	// output that is not a node of the graph.
	ErrUnknownNode = errors.New("no such node")
)

// A Model is a parsed TensorFlow.js graph model, its weights included.
type Model struct {
	nodes  []node
	byName map[string]int
	inputs []Input
}

// A node is a node of model.json, converted.
type node struct {
	name string
	deps []int  // The nodes its inputs refer to, by index.
	def  []byte // The GraphDef fields of the node or of its expansion.
}

// An Input is a Placeholder of the graph, a tensor to feed.
type Input struct {
	Name string
	// Shape is nil when the rank is unknown; a dimension of -1 is unknown.
	Shape []int64
}

// Parse parses model.json and the weights it describes (the shard files
// concatenated in manifest order). It checks the whole model: the sizes
// and data types of the weights, that every Const has a weight, that every
// input names a node, and that every node can be converted.
func Parse(modelJSON, weights []byte) (*Model, error) {
	var mj modelFile
	if err := json.Unmarshal(modelJSON, &mj); err != nil {
		return nil, fmt.Errorf("tfjs: model.json: %v: %w", err, ErrFormat)
	}
	if mj.Format != "" && mj.Format != "graph-model" {
		return nil, fmt.Errorf("tfjs: format %q, not a graph model: %w", mj.Format, ErrUnsupported)
	}
	if mj.ModelTopology == nil || len(mj.ModelTopology.Node) == 0 {
		return nil, fmt.Errorf("tfjs: model.json has no nodes: %w", ErrFormat)
	}
	tensors, err := decodeWeights(mj.WeightsManifest, weights)
	if err != nil {
		return nil, err
	}

	nodes := mj.ModelTopology.Node
	m := &Model{
		nodes:  make([]node, len(nodes)),
		byName: make(map[string]int, len(nodes)),
	}
	for i := range nodes {
		n := &nodes[i]
		if n.Name == "" || n.Op == "" {
			return nil, fmt.Errorf("tfjs: node %d has no name or no op: %w", i, ErrFormat)
		}
		if _, dup := m.byName[n.Name]; dup {
			return nil, fmt.Errorf("tfjs: node %q is defined twice: %w", n.Name, ErrFormat)
		}
		m.byName[n.Name] = i
	}
	added := map[string]bool{}
	for i := range nodes {
		n := &nodes[i]
		def, names, err := convertNode(n, tensors)
		if err != nil {
			return nil, fmt.Errorf("tfjs: node %q: %w", n.Name, err)
		}
		for _, name := range names {
			if _, taken := m.byName[name]; taken || added[name] {
				return nil, fmt.Errorf("tfjs: node %q: expanded node %q clashes with another node: %w", n.Name, name, ErrUnsupported)
			}
			added[name] = true
		}
		deps := make([]int, 0, len(n.Input))
		for _, in := range n.Input {
			j, ok := m.byName[nodeName(in)]
			if !ok {
				return nil, fmt.Errorf("tfjs: node %q: input %q names no node: %w", n.Name, in, ErrFormat)
			}
			deps = append(deps, j)
		}
		m.nodes[i] = node{name: n.Name, deps: deps, def: def}
		if n.Op == "Placeholder" {
			in, err := placeholder(n)
			if err != nil {
				return nil, fmt.Errorf("tfjs: node %q: %w", n.Name, err)
			}
			m.inputs = append(m.inputs, in)
		}
	}
	return m, nil
}

// placeholder returns the Input of a Placeholder node.
func placeholder(n *nodeJSON) (Input, error) {
	in := Input{Name: n.Name}
	a, ok := n.Attr["shape"]
	if !ok || a.Shape == nil || a.Shape.UnknownRank {
		return in, nil
	}
	dims, err := a.Shape.dims()
	if err != nil {
		return in, fmt.Errorf("attr \"shape\": %w", err)
	}
	in.Shape = dims
	return in, nil
}

// Inputs returns the Placeholders of the graph in the order of model.json.
func (m *Model) Inputs() []Input {
	ins := make([]Input, len(m.inputs))
	for i, in := range m.inputs {
		ins[i] = Input{Name: in.Name, Shape: slices.Clone(in.Shape)}
	}
	return ins
}
