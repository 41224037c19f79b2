package cv

import (
	"image"
	"image/color"
)

// padTo32 rounds n up to a multiple of 32 (at least 32).
func padTo32(n int) int {
	if n <= 0 {
		return 32
	}
	return (n-1)/32*32 + 32
}

// isI420 reports whether img is a 4:2:0 picture the fast path can take.
func isI420(img image.Image) (*image.YCbCr, bool) {
	y, ok := img.(*image.YCbCr)
	if !ok || y.SubsampleRatio != image.YCbCrSubsampleRatio420 || y.Rect.Empty() {
		return nil, false
	}
	return y, true
}

// fillI420 writes img into dst, an I420 picture of pw×ph (pw, ph even and
// at least the picture's size), padded right and below with black (Y 16,
// Cb Cr 128, which OpenCV's studio-range conversion maps to 0,0,0).
func fillI420(dst []byte, img *image.YCbCr, pw, ph int) {
	r := img.Rect
	w, h := r.Dx(), r.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	y := dst[:pw*ph]
	for row := 0; row < ph; row++ {
		line := y[row*pw : (row+1)*pw]
		n := 0
		if row < h {
			o := img.YOffset(r.Min.X, r.Min.Y+row)
			n = copy(line[:w], img.Y[o:o+w])
		}
		fill(line[n:], 16)
	}
	cpw, cph := pw/2, ph/2
	for p, plane := range [][]byte{img.Cb, img.Cr} {
		c := dst[pw*ph+p*cpw*cph : pw*ph+(p+1)*cpw*cph]
		for row := 0; row < cph; row++ {
			line := c[row*cpw : (row+1)*cpw]
			n := 0
			if row < ch {
				o := img.COffset(r.Min.X, r.Min.Y+2*row)
				n = copy(line[:cw], plane[o:o+cw])
			}
			fill(line[n:], 128)
		}
	}
}

// fillBGR writes img into dst, a packed BGR picture of pw×ph, padded with
// black right and below.
func fillBGR(dst []byte, img image.Image, pw, ph int) {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	clear(dst)
	switch m := img.(type) {
	case *image.RGBA:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			d := dst[y*pw*3:]
			for x := 0; x < w; x++ {
				d[3*x], d[3*x+1], d[3*x+2] = src[4*x+2], src[4*x+1], src[4*x]
			}
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			src := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):]
			d := dst[y*pw*3:]
			for x := 0; x < w; x++ {
				d[3*x], d[3*x+1], d[3*x+2] = src[x], src[x], src[x]
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			d := dst[y*pw*3:]
			for x := 0; x < w; x++ {
				yi := m.YOffset(r.Min.X+x, r.Min.Y+y)
				ci := m.COffset(r.Min.X+x, r.Min.Y+y)
				R, G, B := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				d[3*x], d[3*x+1], d[3*x+2] = B, G, R
			}
		}
	default:
		for y := 0; y < h; y++ {
			d := dst[y*pw*3:]
			for x := 0; x < w; x++ {
				c := color.NRGBAModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.NRGBA)
				d[3*x], d[3*x+1], d[3*x+2] = c.B, c.G, c.R
			}
		}
	}
}

func fill(b []byte, v byte) {
	for i := range b {
		b[i] = v
	}
}
