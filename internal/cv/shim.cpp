#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include "shim.h"

void mileo_cv_set_num_threads(int n) { cv::setNumThreads(n); }
int mileo_cv_get_num_threads(void) { return cv::getNumThreads(); }

int mileo_cv_onnx_loads(const char *buf, unsigned long n) {
	try {
		cv::dnn::Net net = cv::dnn::readNetFromONNX(buf, (size_t)n);
		return net.empty() ? 0 : 1;
	} catch (...) {
		return 0;
	}
}

// shrink resizes src into dst (of its final size). OpenCV's area
// interpolation is fast for whole factors only: a large shrink is done as
// a whole factor first (the source cropped by less than that factor at the
// right and bottom), then the rest.
static void shrink(const cv::Mat &src, cv::Mat &dst, int interp) {
	int k = std::min(src.cols / dst.cols, src.rows / dst.rows);
	if (interp != cv::INTER_AREA || k < 2) {
		cv::resize(src, dst, dst.size(), 0, 0, interp);
		return;
	}
	int iw = src.cols / k, ih = src.rows / k;
	cv::Mat mid;
	cv::resize(src(cv::Rect(0, 0, iw * k, ih * k)), mid, cv::Size(iw, ih), 0, 0, cv::INTER_AREA);
	cv::resize(mid, dst, dst.size(), 0, 0, cv::INTER_AREA);
}

int mileo_cv_pack_i420(const unsigned char *y, int ys, const unsigned char *cb,
                       const unsigned char *cr, int cs, int w, int h,
                       unsigned char *dst, int cw, int ch, int x0, int y0,
                       int sw, int sh) {
	try {
		int interp = (sw < w || sh < h) ? cv::INTER_AREA : cv::INTER_LINEAR;
		cv::Mat sy(h, w, CV_8UC1, (void *)y, (size_t)ys);
		cv::Mat dy(ch, cw, CV_8UC1, dst, (size_t)cw);
		cv::Mat ry = dy(cv::Rect(x0, y0, sw, sh));
		shrink(sy, ry, interp);
		int w2 = (w + 1) / 2, h2 = (h + 1) / 2, sw2 = (sw + 1) / 2, sh2 = (sh + 1) / 2;
		int cw2 = cw / 2, ch2 = ch / 2;
		const unsigned char *src[2] = {cb, cr};
		for (int p = 0; p < 2; p++) {
			cv::Mat sc(h2, w2, CV_8UC1, (void *)src[p], (size_t)cs);
			cv::Mat dc(ch2, cw2, CV_8UC1, dst + cw * ch + p * cw2 * ch2, (size_t)cw2);
			cv::Mat rc = dc(cv::Rect(x0 / 2, y0 / 2, sw2, sh2));
			shrink(sc, rc, interp);
		}
		return 1;
	} catch (...) {
		return 0;
	}
}
