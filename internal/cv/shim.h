#ifndef MILEO_CV_SHIM_H
#define MILEO_CV_SHIM_H
#ifdef __cplusplus
extern "C" {
#endif
void mileo_cv_set_num_threads(int n);
int mileo_cv_get_num_threads(void);
/* Returns 1 when OpenCV's DNN module parses the ONNX model, 0 when it throws. */
int mileo_cv_onnx_loads(const char *buf, unsigned long n);
/* Resizes the w×h 4:2:0 picture of planes y (stride ys), cb and cr (stride
   cs) to sw×sh (area interpolation to shrink, bilinear to enlarge) into the
   I420 picture dst of cw×ch (even) at x0, y0 (even). The destination must
   hold the resized picture, its chroma rounded up. Returns 0 when OpenCV
   throws. */
int mileo_cv_pack_i420(const unsigned char *y, int ys, const unsigned char *cb,
                       const unsigned char *cr, int cs, int w, int h,
                       unsigned char *dst, int cw, int ch, int x0, int y0,
                       int sw, int sh);
#ifdef __cplusplus
}
#endif
#endif
