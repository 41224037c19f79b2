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
