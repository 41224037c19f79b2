#ifndef MILEO_CV_SHIM_H
#define MILEO_CV_SHIM_H
#ifdef __cplusplus
extern "C" {
#endif
void mileo_cv_set_num_threads(int n);
int mileo_cv_get_num_threads(void);
/* Returns 1 when OpenCV's DNN module parses the ONNX model, 0 when it throws. */
int mileo_cv_onnx_loads(const char *buf, unsigned long n);
#ifdef __cplusplus
}
#endif
#endif
