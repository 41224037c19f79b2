#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
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
