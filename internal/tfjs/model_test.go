package tfjs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/model.bin and the golden files")

// testWeights returns the content of testdata/model.bin, the weights of
// testdata/model.json in manifest order.
func testWeights() []byte {
	var b []byte
	// conv/weights, float16: 1, -2.5, 65504 (the largest half), 2^-24 (the
	// smallest subnormal), +Inf, 0.5.
	for _, h := range []uint16{0x3c00, 0xc100, 0x7bff, 0x0001, 0x7c00, 0x3800} {
		b = binary.LittleEndian.AppendUint16(b, h)
	}
	// conv/bias, uint8 with min -1 and scale 0.5: -1, 0.5, 126.5.
	b = append(b, 0, 3, 255)
	// concat/axis, int32: 3.
	b = binary.LittleEndian.AppendUint32(b, 3)
	// scale, float32: 0.25.
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(0.25))
	// dw/weights, float32: 0.5, -0.5.
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(0.5))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(-0.5))
	// dw/bias, uint16 with min 0 and scale 0.001: 1, 65.535.
	b = binary.LittleEndian.AppendUint16(b, 1000)
	b = binary.LittleEndian.AppendUint16(b, 65535)
	// side/shape, int32 as uint8 with min -1 and scale 1: -1, 8.
	b = append(b, 0, 9)
	return b
}

// readTestModel returns testdata/model.json and testdata/model.bin.
func readTestModel(t testing.TB) (modelJSON, weights []byte) {
	t.Helper()
	modelJSON, err := os.ReadFile(filepath.Join("testdata", "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	weights, err = os.ReadFile(filepath.Join("testdata", "model.bin"))
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	return modelJSON, weights
}

func parseTestModel(t *testing.T) *Model {
	t.Helper()
	m, err := Parse(readTestModel(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTestdataWeights keeps testdata/model.bin equal to testWeights.
func TestTestdataWeights(t *testing.T) {
	path := filepath.Join("testdata", "model.bin")
	if *update {
		if err := os.WriteFile(path, testWeights(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, testWeights()) {
		t.Errorf("%s differs from testWeights (run go test -update)", path)
	}
}

// graphNodes converts the test model for outputs and decodes the result.
func graphNodes(t *testing.T, m *Model, outputs ...string) map[string]pbNode {
	t.Helper()
	g, err := m.GraphDef(outputs...)
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := decodeGraph(g)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]pbNode{}
	for _, n := range nodes {
		if _, dup := byName[n.name]; dup {
			t.Errorf("node %q written twice", n.name)
		}
		byName[n.name] = n
	}
	return byName
}

func TestGraphDefNodes(t *testing.T) {
	m := parseTestModel(t)
	tests := []struct {
		outputs []string
		// order lists the nodes written, in order: name op inputs... .
		order []string
	}{
		{[]string{"output"}, []string{
			"input Placeholder",
			"conv/weights Const",
			"conv/bias Const",
			"conv/Conv2D Conv2D input conv/weights",
			"conv/BiasAdd BiasAdd conv/Conv2D conv/bias",
			"conv Relu6 conv/BiasAdd",
			"concat/axis Const",
			"concat ConcatV2 conv conv:0 concat/axis",
			"scale Const",
			"mul Mul concat scale",
			"output Sigmoid mul ^concat/axis",
		}},
		{[]string{"^concat:1"}, []string{
			"input Placeholder",
			"conv/weights Const",
			"conv/bias Const",
			"conv/Conv2D Conv2D input conv/weights",
			"conv/BiasAdd BiasAdd conv/Conv2D conv/bias",
			"conv Relu6 conv/BiasAdd",
			"concat/axis Const",
			"concat ConcatV2 conv conv:0 concat/axis",
		}},
		{[]string{"side"}, []string{
			"input Placeholder",
			"dw/weights Const",
			"dw/bias Const",
			"dw/DepthwiseConv2dNative DepthwiseConv2dNative input dw/weights",
			"dw/BiasAdd BiasAdd dw/DepthwiseConv2dNative dw/bias",
			"dw LeakyRelu dw/BiasAdd",
			"side/shape Const",
			"side Reshape dw side/shape",
		}},
		{[]string{"scale"}, []string{"scale Const"}},
		{[]string{"input", "input:0"}, []string{"input Placeholder"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.outputs, ","), func(t *testing.T) {
			g, err := m.GraphDef(tt.outputs...)
			if err != nil {
				t.Fatal(err)
			}
			nodes, err := decodeGraph(g)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range nodes {
				got = append(got, strings.Join(append([]string{n.name, n.op}, n.inputs...), " "))
			}
			if !slices.Equal(got, tt.order) {
				t.Errorf("nodes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.order, "\n"))
			}
			again, _ := m.GraphDef(tt.outputs...)
			if !bytes.Equal(g, again) {
				t.Error("two conversions differ")
			}
		})
	}
}

func TestGraphDefAttrs(t *testing.T) {
	m := parseTestModel(t)
	nodes := graphNodes(t, m, "output", "side")
	tests := []struct {
		node string
		keys []string
	}{
		// The fusion attributes, the device and the empty
		// explicit_paddings are gone.
		{"conv/Conv2D", []string{"T", "data_format", "dilations", "padding", "strides", "use_cudnn_on_gpu"}},
		{"conv/BiasAdd", []string{"T", "data_format"}},
		{"conv", []string{"T"}},
		{"dw/DepthwiseConv2dNative", []string{"T", "data_format", "dilations", "padding", "strides"}},
		{"dw", []string{"T", "alpha"}},
		{"concat", []string{"N", "T", "Tidx"}},
		{"input", []string{"dtype", "shape"}},
		{"concat/axis", []string{"dtype", "value"}},
	}
	for _, tt := range tests {
		if got := nodes[tt.node].keys; !slices.Equal(got, tt.keys) {
			t.Errorf("node %q: attributes %q, want %q", tt.node, got, tt.keys)
		}
	}
	if d, _ := describeAttr(nodes["dw"].attrs["alpha"]); d != "f=0.1" {
		t.Errorf("dw alpha: %s, want f=0.1", d)
	}
	if d, _ := describeAttr(nodes["conv/Conv2D"].attrs["padding"]); d != `s="SAME"` {
		t.Errorf("conv/Conv2D padding: %s", d)
	}
}

func TestGraphDefWeights(t *testing.T) {
	m := parseTestModel(t)
	nodes := graphNodes(t, m, "output", "side")
	floats := []struct {
		node  string
		field int
		shape []int64
		want  []float32
	}{
		{"conv/weights", 4, []int64{1, 1, 2, 3}, []float32{1, -2.5, 65504, 0x1p-24, float32(math.Inf(1)), 0.5}},
		{"conv/bias", 4, []int64{3}, []float32{-1, 0.5, 126.5}},
		{"scale", 5, []int64{}, []float32{0.25}},
		{"dw/weights", 4, []int64{1, 1, 2, 1}, []float32{0.5, -0.5}},
		{"dw/bias", 4, []int64{2}, []float32{1, float32(65535 * 0.001)}},
	}
	for _, tt := range floats {
		tensor, err := decodeTensorAttr(nodes[tt.node].attrs["value"])
		if err != nil {
			t.Fatalf("%s: %v", tt.node, err)
		}
		if tensor.dtype != dtFloat || tensor.value != tt.field || !slices.Equal(tensor.shape, tt.shape) || !slices.Equal(tensor.floats(), tt.want) {
			t.Errorf("%s = %v, want dtype 1, field %d, shape %v, values %v", tt.node, tensor, tt.field, tt.shape, tt.want)
		}
	}
	ints := []struct {
		node  string
		field int
		shape []int64
		want  []int64
	}{
		// A scalar int32 goes in int_val: OpenCV reads ConcatV2's axis
		// with int_val().Get(0).
		{"concat/axis", 7, []int64{}, []int64{3}},
		{"side/shape", 4, []int64{2}, []int64{-1, 8}},
	}
	for _, tt := range ints {
		tensor, err := decodeTensorAttr(nodes[tt.node].attrs["value"])
		if err != nil {
			t.Fatalf("%s: %v", tt.node, err)
		}
		if tensor.dtype != dtInt32 || tensor.value != tt.field || !slices.Equal(tensor.shape, tt.shape) || !slices.Equal(tensor.ints(), tt.want) {
			t.Errorf("%s = %v, want dtype 3, field %d, shape %v, values %v", tt.node, tensor, tt.field, tt.shape, tt.want)
		}
	}
}

// TestGraphDefGolden compares the decoded GraphDefs of the test model with
// testdata/graphdef.golden (rewrite with -update).
func TestGraphDefGolden(t *testing.T) {
	m := parseTestModel(t)
	var sb strings.Builder
	for _, outputs := range [][]string{{"output"}, {"side"}} {
		g, err := m.GraphDef(outputs...)
		if err != nil {
			t.Fatal(err)
		}
		dump, err := dumpGraph(g)
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteString("# GraphDef(" + strings.Join(outputs, ", ") + ")\n" + dump)
	}
	path := filepath.Join("testdata", "graphdef.golden")
	if *update {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := sb.String(); got != string(want) {
		t.Errorf("decoded GraphDef differs from %s (run go test -update if intended):\n%s", path, got)
	}
}

func TestInputs(t *testing.T) {
	m := parseTestModel(t)
	ins := m.Inputs()
	if len(ins) != 1 || ins[0].Name != "input" || !slices.Equal(ins[0].Shape, []int64{-1, 4, 4, 2}) {
		t.Fatalf("Inputs() = %v, want [{input [-1 4 4 2]}]", ins)
	}
	ins[0].Shape[0] = 7
	if m.Inputs()[0].Shape[0] != -1 {
		t.Error("Inputs returns the model's own slice")
	}
}

func TestGraphDefErrors(t *testing.T) {
	m := parseTestModel(t)
	if _, err := m.GraphDef(); err == nil {
		t.Error("GraphDef() with no output: no error")
	}
	for _, out := range []string{"nothing", "", "output/extra", "conv/Conv2D"} {
		if _, err := m.GraphDef("output", out); !errors.Is(err, ErrUnknownNode) {
			t.Errorf("GraphDef(%q) = %v, want ErrUnknownNode", out, err)
		}
	}
}

// matMulModel is a model with a _FusedMatMul, a LeakyRelu without
// leakyrelu_alpha, a control input and a Placeholder of unknown rank; its
// weights are the bytes 1, 0.
const matMulModel = `{"modelTopology":{"node":[
	{"name":"x","op":"Placeholder","attr":{"shape":{"shape":{"unknownRank":true}}}},
	{"name":"c","op":"Const"},
	{"name":"y","op":"_FusedMatMul","input":["x","c","c","^x"],
	 "attr":{"fused_ops":{"list":{"s":["Qmlhc0FkZA==","TGVha3lSZWx1"]}},"transpose_a":{"b":false},"T":{"type":1}}}]},
	"weightsManifest":[{"paths":["a.bin"],"weights":[
	{"name":"c","shape":[1],"dtype":"float32","quantization":{"dtype":"uint16","min":0,"scale":1}}]}]}`

func TestFusedMatMul(t *testing.T) {
	m, err := Parse([]byte(matMulModel), []byte{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if ins := m.Inputs(); len(ins) != 1 || ins[0].Name != "x" || ins[0].Shape != nil {
		t.Errorf("Inputs() = %v, want [{x []}] with a nil shape", ins)
	}
	g, err := m.GraphDef("y")
	if err != nil {
		t.Fatal(err)
	}
	got, err := dumpGraph(g)
	if err != nil {
		t.Fatal(err)
	}
	want := `node "x" op=Placeholder inputs=[]
  shape: shape=unknown-rank
node "c" op=Const inputs=[]
  dtype: type=1
  value: tensor{dtype=1 shape=[1] float_val=[1]}
node "y/MatMul" op=MatMul inputs=["x" "c"]
  T: type=1
  transpose_a: b=false
node "y/BiasAdd" op=BiasAdd inputs=["y/MatMul" "c"]
  T: type=1
node "y" op=LeakyRelu inputs=["y/BiasAdd"]
  T: type=1
  alpha: f=0.2
`
	if got != want {
		t.Errorf("GraphDef(y):\n%s\nwant:\n%s", got, want)
	}
}
