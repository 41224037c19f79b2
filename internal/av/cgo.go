package av

/*
#cgo pkg-config: libavutil libavformat
#include <string.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>

static void av_copy_plane_out(AVFrame *f, int p, unsigned char *dst, int dstStride, int w, int h) {
	for (int y = 0; y < h; y++) memcpy(dst + (size_t)y*dstStride, f->data[p] + (size_t)y*f->linesize[p], w);
}
static void av_copy_plane_in(AVFrame *f, int p, const unsigned char *src, int srcStride, int w, int h) {
	for (int y = 0; y < h; y++) memcpy(f->data[p] + (size_t)y*f->linesize[p], src + (size_t)y*srcStride, w);
}
static int av_make_writable(AVFrame *f) { return av_frame_make_writable(f); }
static void av_quiet(int level) { av_log_set_level(level); }
*/
import "C"

import (
	"image"
	"os"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// FFmpeg's own log is silenced: every failure reaches the caller as an
// error naming the file. MILEO_FFMPEG_LOG=1 shows it for debugging.
func init() {
	level := C.int(C.AV_LOG_QUIET)
	if os.Getenv("MILEO_FFMPEG_LOG") != "" {
		level = C.AV_LOG_WARNING
	}
	C.av_quiet(level)
}

// makeWritable ensures the frame's buffers are not shared with the encoder.
func makeWritable(f *astiav.Frame) error {
	if ret := C.av_make_writable((*C.AVFrame)(f.UnsafePointer())); ret < 0 {
		return astiav.Error(ret)
	}
	return nil
}

// frameToYCbCr copies a yuv420p AVFrame into img, a 4:2:0 picture of its
// size at (0, 0).
func frameToYCbCr(f *astiav.Frame, img *image.YCbCr) *image.YCbCr {
	w, h := f.Width(), f.Height()
	cf := (*C.AVFrame)(f.UnsafePointer())
	cw, ch := (w+1)/2, (h+1)/2
	C.av_copy_plane_out(cf, 0, (*C.uchar)(unsafe.Pointer(&img.Y[0])), C.int(img.YStride), C.int(w), C.int(h))
	C.av_copy_plane_out(cf, 1, (*C.uchar)(unsafe.Pointer(&img.Cb[0])), C.int(img.CStride), C.int(cw), C.int(ch))
	C.av_copy_plane_out(cf, 2, (*C.uchar)(unsafe.Pointer(&img.Cr[0])), C.int(img.CStride), C.int(cw), C.int(ch))
	return img
}

// ycbcrToFrame copies a 4:2:0 image into a writable yuv420p AVFrame of the
// same size.
func ycbcrToFrame(img *image.YCbCr, f *astiav.Frame) {
	w, h := f.Width(), f.Height()
	cw, ch := (w+1)/2, (h+1)/2
	cf := (*C.AVFrame)(f.UnsafePointer())
	y0 := img.YOffset(img.Rect.Min.X, img.Rect.Min.Y)
	c0 := img.COffset(img.Rect.Min.X, img.Rect.Min.Y)
	C.av_copy_plane_in(cf, 0, (*C.uchar)(unsafe.Pointer(&img.Y[y0])), C.int(img.YStride), C.int(w), C.int(h))
	C.av_copy_plane_in(cf, 1, (*C.uchar)(unsafe.Pointer(&img.Cb[c0])), C.int(img.CStride), C.int(cw), C.int(ch))
	C.av_copy_plane_in(cf, 2, (*C.uchar)(unsafe.Pointer(&img.Cr[c0])), C.int(img.CStride), C.int(cw), C.int(ch))
}
