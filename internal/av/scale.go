package av

import (
	"fmt"
	"image"

	"github.com/asticode/go-astiav"
)

// Scaler resizes 4:2:0 pictures with FFmpeg's swscale (bilinear).
type Scaler struct {
	sws      *astiav.SoftwareScaleContext
	src, dst *astiav.Frame
	dw, dh   int
}

// NewScaler returns a scaler from sw×sh to dw×dh.
func NewScaler(sw, sh, dw, dh int) (*Scaler, error) {
	sws, err := astiav.CreateSoftwareScaleContext(sw, sh, astiav.PixelFormatYuv420P, dw, dh, astiav.PixelFormatYuv420P,
		astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBilinear))
	if err != nil {
		return nil, fmt.Errorf("scaler %dx%d→%dx%d: %w", sw, sh, dw, dh, err)
	}
	s := &Scaler{sws: sws, src: astiav.AllocFrame(), dst: astiav.AllocFrame(), dw: dw, dh: dh}
	for _, f := range []struct {
		fr   *astiav.Frame
		w, h int
	}{{s.src, sw, sh}, {s.dst, dw, dh}} {
		f.fr.SetWidth(f.w)
		f.fr.SetHeight(f.h)
		f.fr.SetPixelFormat(astiav.PixelFormatYuv420P)
		if err := f.fr.AllocBuffer(0); err != nil {
			s.Close()
			return nil, fmt.Errorf("scaler: %w", err)
		}
	}
	return s, nil
}

// Scale returns a new picture of the scaler's output size.
func (s *Scaler) Scale(img *image.YCbCr) (*image.YCbCr, error) {
	if img.Rect.Dx() != s.src.Width() || img.Rect.Dy() != s.src.Height() {
		return nil, fmt.Errorf("scaler: picture is %dx%d, want %dx%d", img.Rect.Dx(), img.Rect.Dy(), s.src.Width(), s.src.Height())
	}
	ycbcrToFrame(img, s.src)
	if err := s.sws.ScaleFrame(s.src, s.dst); err != nil {
		return nil, fmt.Errorf("scale: %w", err)
	}
	return frameToYCbCr(s.dst, image.NewYCbCr(image.Rect(0, 0, s.dst.Width(), s.dst.Height()), image.YCbCrSubsampleRatio420)), nil
}

// Close frees the scaler.
func (s *Scaler) Close() {
	if s.sws != nil {
		s.sws.Free()
	}
	s.src.Free()
	s.dst.Free()
}
