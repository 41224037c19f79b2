package tfjs

import (
	"errors"
	"testing"
)

// FuzzParse parses mutated models; whatever Parse accepts must convert for
// any of its nodes as output, to a GraphDef the test reader decodes.
func FuzzParse(f *testing.F) {
	modelJSON, weights := readTestModel(f)
	f.Add(modelJSON, weights)
	f.Add([]byte(matMulModel), []byte{1, 0})
	f.Fuzz(func(t *testing.T, modelJSON, weights []byte) {
		m, err := Parse(modelJSON, weights)
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Parse error wraps no sentinel: %v", err)
			}
			return
		}
		m.Inputs()
		for i, n := range m.nodes {
			if i == 32 {
				break
			}
			g, err := m.GraphDef(n.name)
			if err != nil {
				t.Fatalf("GraphDef(%q): %v", n.name, err)
			}
			if _, err := decodeGraph(g); err != nil {
				t.Fatalf("GraphDef(%q) does not decode: %v", n.name, err)
			}
		}
	})
}
