// Package cv is the only package that imports gocv (OpenCV). It finds faces
// in pictures and exposes only our own types: [Box], image.Image and Close
// methods.
//
// # Detectors
//
// [YuNet] runs the YuNet face detector (face_detection_yunet_2023mar.onnx or
// the stronger yunet_n_640_640.onnx) through OpenCV's DNN module. OpenCV 4.6
// has no FaceDetectorYN, so the decoding is done here: the picture is padded
// to a multiple of 32 and fed at full resolution (shrinking it loses faces
// under ~45 px at 1080p), the outputs cls/obj/bbox of strides 8, 16 and 32
// become boxes with score sqrt(cls·obj), and a non-maximum suppression at
// IoU 0.3 keeps the best of overlapping boxes. [YuNet.DetectRegion]
// searches one part of a picture at a fixed input size (following a face),
// with its own, lower, threshold. [YuNet.DetectAreas] searches parts of a
// video frame at full resolution without ever feeding the network more
// than [MaxTileArea] pixels: large parts are cut into tiles overlapping
// by [TileOverlap] and searched once more shrunk to one tile, so that the
// network's memory (about 80 bytes per input pixel) stays bounded.
//
// [Objects] runs a COCO object detector (CenterNet on MobileNetV3, a
// TensorFlow.js graph model that package tfjs converts for OpenCV's
// TensorFlow importer) to tell animals' faces from people's:
// [AnimalFaces] takes a face for an animal's only when an animal holds most
// of it and no person holds its centre. YuNet alone cannot: it scores
// dogs' faces like people's.
//
// [Haar] is the fallback when no model file is available: the frontal and
// profile Haar cascades of Debian's opencv-data. It finds about half of
// the faces YuNet finds (recall 0.44 vs 0.87 on the WIDER subset) and is
// ten times slower; callers must say so to the user.
//
// # Input
//
// A 4:2:0 *image.YCbCr is taken as a decoded video frame (BT.601 studio
// range) and converted with OpenCV's I420 conversion; any other image is
// converted in Go. [ReadImage] decodes a picture file the way OpenCV does.
//
// # Resources
//
// Every Mat is closed next to its creation; the test built with
// -tags matprofile checks that no Mat leaks. OpenCV's thread count is
// global: [SetNumThreads].
package cv
