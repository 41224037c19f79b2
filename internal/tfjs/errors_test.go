package tfjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// editModel returns testdata/model.json changed by edit, which gets it
// decoded as maps and slices.
func editModel(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	modelJSON, _ := readTestModel(t)
	dec := json.NewDecoder(bytes.NewReader(modelJSON))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nodeJSONOf returns the node of a decoded model.json by name.
func nodeJSONOf(m map[string]any, name string) map[string]any {
	for _, n := range m["modelTopology"].(map[string]any)["node"].([]any) {
		if n := n.(map[string]any); n["name"] == name {
			return n
		}
	}
	panic("no node " + name)
}

// weightJSONOf returns the manifest entry of a decoded model.json by name.
func weightJSONOf(m map[string]any, name string) map[string]any {
	for _, w := range m["weightsManifest"].([]any)[0].(map[string]any)["weights"].([]any) {
		if w := w.(map[string]any); w["name"] == name {
			return w
		}
	}
	panic("no weight " + name)
}

// setAttr sets an attribute of a node of a decoded model.json from JSON.
func setAttr(m map[string]any, node, key, value string) {
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		panic(err)
	}
	nodeJSONOf(m, node)["attr"].(map[string]any)[key] = v
}

func TestParseErrors(t *testing.T) {
	modelJSON, weights := readTestModel(t)
	edit := func(f func(m map[string]any)) []byte { return editModel(t, f) }
	tests := []struct {
		name      string
		modelJSON []byte
		weights   []byte
		want      error
	}{
		{"weights one byte short", modelJSON, weights[:len(weights)-1], ErrFormat},
		{"weights one byte long", modelJSON, append(bytes.Clone(weights), 0), ErrFormat},
		{"no weights", modelJSON, nil, ErrFormat},
		{"empty JSON", nil, weights, ErrFormat},
		{"truncated JSON", modelJSON[:len(modelJSON)/2], weights, ErrFormat},
		{"JSON array", []byte(`[]`), weights, ErrFormat},
		{"no nodes", []byte(`{"format":"graph-model","modelTopology":{"node":[]}}`), nil, ErrFormat},
		{"layers model", []byte(`{"format":"layers-model","modelTopology":{}}`), nil, ErrUnsupported},
		{"node name not a string", []byte(`{"modelTopology":{"node":[{"name":1,"op":"X"}]}}`), nil, ErrFormat},
		{"node without op", []byte(`{"modelTopology":{"node":[{"name":"a"}]}}`), nil, ErrFormat},
		{"unknown quantization", edit(func(m map[string]any) {
			weightJSONOf(m, "conv/bias")["quantization"].(map[string]any)["dtype"] = "int4"
		}), weights, ErrUnsupported},
		{"uint8 quantization without scale", edit(func(m map[string]any) {
			delete(weightJSONOf(m, "conv/bias")["quantization"].(map[string]any), "scale")
		}), weights, ErrFormat},
		{"float16 quantization of int32", edit(func(m map[string]any) {
			weightJSONOf(m, "conv/weights")["dtype"] = "int32"
		}), weights, ErrUnsupported},
		{"bool weight", edit(func(m map[string]any) {
			weightJSONOf(m, "scale")["dtype"] = "bool"
		}), weights, ErrUnsupported},
		{"missing weight for a Const", edit(func(m map[string]any) {
			weightJSONOf(m, "scale")["name"] = "scale2"
		}), weights, ErrFormat},
		{"weight listed twice", edit(func(m map[string]any) {
			weightJSONOf(m, "dw/weights")["name"] = "scale"
		}), weights, ErrFormat},
		{"weight without name", edit(func(m map[string]any) {
			delete(weightJSONOf(m, "scale"), "name")
		}), weights, ErrFormat},
		{"negative dimension", edit(func(m map[string]any) {
			weightJSONOf(m, "dw/weights")["shape"] = []any{-1, -2}
		}), weights, ErrFormat},
		{"huge shape", edit(func(m map[string]any) {
			weightJSONOf(m, "dw/weights")["shape"] = []any{1 << 20, 1 << 20}
		}), weights, ErrFormat},
		{"shape whose product overflows", edit(func(m map[string]any) {
			weightJSONOf(m, "dw/weights")["shape"] = []any{1 << 32, 1 << 32, 1 << 32, 0}
		}), weights, ErrFormat},
		{"shape larger than int64", edit(func(m map[string]any) {
			weightJSONOf(m, "dw/weights")["shape"] = []any{json.Number("1e30")}
		}), weights, ErrFormat},
		{"dequantized int32 overflow", edit(func(m map[string]any) {
			weightJSONOf(m, "side/shape")["quantization"].(map[string]any)["scale"] = 1e10
		}), weights, ErrFormat},
		{"unknown input", edit(func(m map[string]any) {
			nodeJSONOf(m, "mul")["input"] = []any{"concat", "nowhere:1"}
		}), weights, ErrFormat},
		{"node defined twice", edit(func(m map[string]any) {
			nodeJSONOf(m, "mul")["name"] = "output"
		}), weights, ErrFormat},
		{"fused Prelu", edit(func(m map[string]any) {
			setAttr(m, "conv", "fused_ops", `{"list":{"s":["Qmlhc0FkZA==","UHJlbHU="]}}`)
		}), weights, ErrUnsupported},
		{"fused BiasAdd not first", edit(func(m map[string]any) {
			setAttr(m, "conv", "fused_ops", `{"list":{"s":["UmVsdTY=","Qmlhc0FkZA=="]}}`)
		}), weights, ErrUnsupported},
		{"fused_ops not a list", edit(func(m map[string]any) {
			setAttr(m, "conv", "fused_ops", `{"s":"Qmlhc0FkZA=="}`)
		}), weights, ErrFormat},
		{"fused BiasAdd without bias", edit(func(m map[string]any) {
			nodeJSONOf(m, "conv")["input"] = []any{"input", "conv/weights"}
		}), weights, ErrFormat},
		{"fused conv with one input", edit(func(m map[string]any) {
			nodeJSONOf(m, "conv")["input"] = []any{"input"}
		}), weights, ErrFormat},
		{"leakyrelu_alpha not a float", edit(func(m map[string]any) {
			setAttr(m, "dw", "leakyrelu_alpha", `{"i":"1"}`)
		}), weights, ErrFormat},
		{"expanded name taken", edit(func(m map[string]any) {
			nodeJSONOf(m, "mul")["name"] = "conv/BiasAdd"
			nodeJSONOf(m, "output")["input"] = []any{"conv/BiasAdd"}
		}), weights, ErrUnsupported},
		{"function attribute", edit(func(m map[string]any) {
			setAttr(m, "mul", "body", `{"func":{"name":"f"}}`)
		}), weights, ErrUnsupported},
		{"list of functions", edit(func(m map[string]any) {
			setAttr(m, "mul", "branches", `{"list":{"func":[{"name":"f"}]}}`)
		}), weights, ErrUnsupported},
		{"unknown data type", edit(func(m map[string]any) {
			setAttr(m, "mul", "T", `{"type":"DT_FLOAT8"}`)
		}), weights, ErrUnsupported},
		{"integer not decimal", edit(func(m map[string]any) {
			setAttr(m, "concat", "N", `{"i":"two"}`)
		}), weights, ErrFormat},
		{"float out of float32 range", edit(func(m map[string]any) {
			setAttr(m, "mul", "x", `{"f":1e39}`)
		}), weights, ErrFormat},
		{"float not a number", edit(func(m map[string]any) {
			setAttr(m, "mul", "x", `{"f":"many"}`)
		}), weights, ErrFormat},
		{"bytes not base64", edit(func(m map[string]any) {
			setAttr(m, "mul", "x", `{"s":"%%%"}`)
		}), weights, ErrFormat},
		{"tensor given by values", edit(func(m map[string]any) {
			setAttr(m, "mul", "x", `{"tensor":{"dtype":"DT_FLOAT","floatVal":[1]}}`)
		}), weights, ErrUnsupported},
		{"tensor without dtype", edit(func(m map[string]any) {
			setAttr(m, "mul", "x", `{"tensor":{"tensorContent":"AAAAAA=="}}`)
		}), weights, ErrFormat},
		{"dimension below -1", edit(func(m map[string]any) {
			setAttr(m, "input", "shape", `{"shape":{"dim":[{"size":"-2"}]}}`)
		}), weights, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.modelJSON, tt.weights)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %v, want an error wrapping %q", err, tt.want)
			}
			if m != nil {
				t.Error("Parse returned a model with an error")
			}
			t.Log(err)
		})
	}
}

// TestAttrValue checks the encoding of every kind of attribute value
// against bytes written out by hand.
func TestAttrValue(t *testing.T) {
	tests := []struct {
		json string
		want []byte
	}{
		{`{}`, nil},
		{`{"s":""}`, []byte{0x12, 0}},
		{`{"s":"TkhXQw=="}`, []byte{0x12, 4, 'N', 'H', 'W', 'C'}},
		{`{"s":"TkhXQw"}`, []byte{0x12, 4, 'N', 'H', 'W', 'C'}},
		{`{"i":"300"}`, []byte{0x18, 0xac, 0x02}},
		{`{"i":-1}`, []byte{0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{`{"f":1}`, []byte{0x25, 0, 0, 0x80, 0x3f}},
		{`{"f":"1.5"}`, []byte{0x25, 0, 0, 0xc0, 0x3f}},
		{`{"f":"NaN"}`, []byte{0x25, 0, 0, 0xc0, 0x7f}},
		{`{"f":"-Infinity"}`, []byte{0x25, 0, 0, 0x80, 0xff}},
		{`{"b":false}`, []byte{0x28, 0}},
		{`{"b":true}`, []byte{0x28, 1}},
		{`{"type":"DT_INT32"}`, []byte{0x30, 3}},
		{`{"type":"DT_BOOL"}`, []byte{0x30, 10}},
		{`{"type":19}`, []byte{0x30, 19}},
		{`{"shape":{}}`, []byte{0x3a, 0}},
		{`{"shape":{"unknownRank":true}}`, []byte{0x3a, 2, 0x18, 1}},
		{`{"shape":{"dim":[{"size":"-1"},{},{"size":"3","name":"c"}]}}`, []byte{
			0x3a, 24,
			0x12, 11, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
			0x12, 2, 0x08, 0,
			0x12, 5, 0x08, 3, 0x12, 1, 'c',
		}},
		{`{"list":{}}`, []byte{0x0a, 0}},
		{`{"list":{"s":["YQ==","Yg=="],"i":["1","-2"],"f":[0.5],"b":[true,false],"type":["DT_FLOAT","DT_INT64"],"shape":[{}]}}`, []byte{
			0x0a, 35,
			0x12, 1, 'a', 0x12, 1, 'b',
			0x1a, 11, 0x01, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
			0x22, 4, 0, 0, 0, 0x3f,
			0x2a, 2, 1, 0,
			0x30, 1, 0x30, 9,
			0x3a, 0,
		}},
		// One-element float and int32 tensors use float_val and int_val.
		{`{"tensor":{"dtype":"DT_FLOAT","tensorShape":{},"tensorContent":"AACAPw=="}}`, []byte{
			0x42, 10, 0x08, 1, 0x12, 0, 0x2a, 4, 0, 0, 0x80, 0x3f,
		}},
		{`{"tensor":{"dtype":"DT_INT32","tensorShape":{"dim":[{"size":"1"}]},"tensorContent":"/////w=="}}`, []byte{
			0x42, 20, 0x08, 3, 0x12, 4, 0x12, 2, 0x08, 1, 0x3a, 10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
		}},
		{`{"tensor":{"dtype":"DT_INT64","tensorShape":{},"tensorContent":"AQAAAAAAAAA="}}`, []byte{
			0x42, 14, 0x08, 9, 0x12, 0, 0x22, 8, 1, 0, 0, 0, 0, 0, 0, 0,
		}},
		{`{"tensor":{"dtype":"DT_FLOAT","tensorShape":{"dim":[{}]}}}`, []byte{
			0x42, 10, 0x08, 1, 0x12, 4, 0x12, 2, 0x08, 0, 0x22, 0,
		}},
	}
	for _, tt := range tests {
		var a attrJSON
		if err := json.Unmarshal([]byte(tt.json), &a); err != nil {
			t.Errorf("%s: %v", tt.json, err)
			continue
		}
		got, err := attrValue(&a)
		if err != nil {
			t.Errorf("%s: %v", tt.json, err)
			continue
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s:\n got % x\nwant % x", tt.json, got, tt.want)
		}
	}
}

// TestExplicitPaddings checks that only an empty explicit_paddings list is
// dropped: with padding "EXPLICIT" OpenCV needs the list.
func TestExplicitPaddings(t *testing.T) {
	modelJSON := editModel(t, func(m map[string]any) {
		setAttr(m, "conv", "padding", `{"s":"RVhQTElDSVQ="}`)
		setAttr(m, "conv", "explicit_paddings", `{"list":{"i":["0","0","1","1","1","1","0","0"]}}`)
		setAttr(m, "mul", "explicit_paddings", `{"list":{"i":[]}}`)
	})
	_, weights := readTestModel(t)
	m, err := Parse(modelJSON, weights)
	if err != nil {
		t.Fatal(err)
	}
	nodes := graphNodes(t, m, "output")
	if _, ok := nodes["conv/Conv2D"].attrs["explicit_paddings"]; !ok {
		t.Error("conv/Conv2D lost its explicit_paddings")
	}
	if _, ok := nodes["mul"].attrs["explicit_paddings"]; ok {
		t.Error("mul kept an empty explicit_paddings")
	}
}
