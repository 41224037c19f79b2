package cv

import (
	"image"
	"math"
	"testing"
)

func TestIoU(t *testing.T) {
	tests := []struct {
		name string
		a, b Box
		want float64
	}{
		{"same", Box{0, 0, 10, 10, 1}, Box{0, 0, 10, 10, 1}, 1},
		{"disjoint", Box{0, 0, 10, 10, 1}, Box{20, 20, 30, 30, 1}, 0},
		{"touching", Box{0, 0, 10, 10, 1}, Box{10, 0, 20, 10, 1}, 0},
		{"half", Box{0, 0, 10, 10, 1}, Box{5, 0, 15, 10, 1}, 50.0 / 150},
		{"inside", Box{0, 0, 10, 10, 1}, Box{0, 0, 5, 5, 1}, 0.25},
		{"empty", Box{0, 0, 0, 0, 1}, Box{0, 0, 5, 5, 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.IoU(tt.b); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("IoU = %v, want %v", got, tt.want)
			}
			if got := tt.b.IoU(tt.a); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("IoU reversed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGrowAndRect(t *testing.T) {
	b := Box{10, 20, 30, 60, 0.9}.Grow(0.5)
	if b != (Box{5, 10, 35, 70, 0.9}) {
		t.Errorf("Grow = %+v", b)
	}
	if r := (Box{1.5, 2.2, 3.1, 4, 1}).Rect(); r != image.Rect(1, 2, 4, 4) {
		t.Errorf("Rect = %v", r)
	}
}

func TestNMS(t *testing.T) {
	tests := []struct {
		name string
		in   []Box
		want []Box
	}{
		{"empty", nil, nil},
		{"one", []Box{{0, 0, 10, 10, 0.5}}, []Box{{0, 0, 10, 10, 0.5}}},
		{"overlap keeps best", []Box{{0, 0, 10, 10, 0.5}, {1, 1, 11, 11, 0.9}}, []Box{{1, 1, 11, 11, 0.9}}},
		{"apart keeps both sorted", []Box{{0, 0, 10, 10, 0.5}, {50, 50, 60, 60, 0.9}}, []Box{{50, 50, 60, 60, 0.9}, {0, 0, 10, 10, 0.5}}},
		{"iou 0.25 below 0.3 keeps", []Box{{0, 0, 10, 10, 0.9}, {0, 0, 5, 5, 0.8}}, []Box{{0, 0, 10, 10, 0.9}, {0, 0, 5, 5, 0.8}}},
		{"equal scores stable", []Box{{0, 0, 10, 10, 0.5}, {0, 0, 10, 10.5, 0.5}}, []Box{{0, 0, 10, 10, 0.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NMS(tt.in, 0.3)
			if len(got) != len(tt.want) {
				t.Fatalf("NMS = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("NMS[%d] = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestPadTo32(t *testing.T) {
	for _, c := range []struct{ in, want int }{{0, 32}, {1, 32}, {31, 32}, {32, 32}, {33, 64}, {1080, 1088}, {1920, 1920}} {
		if got := padTo32(c.in); got != c.want {
			t.Errorf("padTo32(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestFillI420(t *testing.T) {
	// Odd sizes and a sub-image: the copy must respect strides and origin.
	for _, sz := range []image.Point{{1, 1}, {3, 5}, {32, 32}, {33, 31}} {
		full := image.NewYCbCr(image.Rect(0, 0, sz.X+4, sz.Y+4), image.YCbCrSubsampleRatio420)
		for i := range full.Y {
			full.Y[i] = byte(i)
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = byte(i), byte(255-i)
		}
		img := full.SubImage(image.Rect(2, 2, 2+sz.X, 2+sz.Y)).(*image.YCbCr)
		pw, ph := padTo32(sz.X), padTo32(sz.Y)
		buf := make([]byte, pw*ph*3/2)
		fillI420(buf, img, pw, ph)
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				want := byte(16)
				if x < sz.X && y < sz.Y {
					want = img.Y[img.YOffset(2+x, 2+y)]
				}
				if got := buf[y*pw+x]; got != want {
					t.Fatalf("%v: Y(%d,%d) = %d, want %d", sz, x, y, got, want)
				}
			}
		}
		cb := buf[pw*ph:]
		for y := 0; y < ph/2; y++ {
			for x := 0; x < pw/2; x++ {
				want := byte(128)
				if x < (sz.X+1)/2 && y < (sz.Y+1)/2 {
					want = img.Cb[img.COffset(2+2*x, 2+2*y)]
				}
				if got := cb[y*pw/2+x]; got != want {
					t.Fatalf("%v: Cb(%d,%d) = %d, want %d", sz, x, y, got, want)
				}
			}
		}
	}
}
