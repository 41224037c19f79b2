package cv

/*
#include <malloc.h>
#include "shim.h"

static void mileo_cv_tune_malloc(void) {
	// OpenCV allocates blobs of several MB per search; glibc would give
	// each back to the OS and fault it in again (33 ms instead of 6 at
	// 1080p).
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

// Every thread that allocates (OpenCV's, the codecs', each Go thread
// calling C) would get an arena of its own, each keeping its freed blocks.
// One arena took the peak of anonymizing 30 s of 1080p from 835 to about
// 610 MB (two: 640), no slower measurably: small blocks come from each
// thread's cache without the arena's lock. It must be set before those
// threads start: at load time.
__attribute__((constructor)) static void mileo_cv_limit_arenas(void) {
	mallopt(M_ARENA_MAX, 1);
}
*/
import "C"

import (
	"image"
	"sync"
	"unsafe"
)

var tuneOnce sync.Once

// tuneMalloc keeps the large per-frame buffers inside the heap.
func tuneMalloc() { tuneOnce.Do(func() { C.mileo_cv_tune_malloc() }) }

// SetNumThreads sets the number of threads OpenCV uses for its parallel
// loops (the DNN layers among them), for the whole process. n <= 0 restores
// OpenCV's default (every core).
func SetNumThreads(n int) {
	if n <= 0 {
		n = -1
	}
	C.mileo_cv_set_num_threads(C.int(n))
}

// NumThreads returns the number of threads OpenCV uses.
func NumThreads() int { return int(C.mileo_cv_get_num_threads()) }

// onnxLoads reports whether OpenCV parses model without throwing (gocv
// would let the C++ exception abort the process).
func onnxLoads(model []byte) bool {
	if len(model) == 0 {
		return false
	}
	return C.mileo_cv_onnx_loads((*C.char)(unsafe.Pointer(&model[0])), C.ulong(len(model))) == 1
}

// packI420 resizes the part r of the 4:2:0 picture img (r inside it, its
// corner at an even offset) to sw×sh into dst, an I420 picture of cw×ch,
// at x0, y0 (even); see mileo_cv_pack_i420.
func packI420(img *image.YCbCr, r image.Rectangle, dst []byte, cw, ch, x0, y0, sw, sh int) bool {
	yo, co := img.YOffset(r.Min.X, r.Min.Y), img.COffset(r.Min.X, r.Min.Y)
	return C.mileo_cv_pack_i420(
		(*C.uchar)(unsafe.Pointer(&img.Y[yo])), C.int(img.YStride),
		(*C.uchar)(unsafe.Pointer(&img.Cb[co])), (*C.uchar)(unsafe.Pointer(&img.Cr[co])), C.int(img.CStride),
		C.int(r.Dx()), C.int(r.Dy()),
		(*C.uchar)(unsafe.Pointer(&dst[0])), C.int(cw), C.int(ch), C.int(x0), C.int(y0), C.int(sw), C.int(sh)) == 1
}
