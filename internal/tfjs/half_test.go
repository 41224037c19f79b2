package tfjs

import (
	"math"
	"testing"
)

// halfValue computes a half float from its definition: (-1)^sign ×
// 2^(exp-15) × 1.frac, or 2^-14 × 0.frac for subnormals.
func halfValue(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	case 0:
		return sign * math.Ldexp(frac/1024, -14)
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}

func TestHalfToFloat32(t *testing.T) {
	for h := range 1 << 16 {
		bits := halfToFloat32(uint16(h))
		got := math.Float32frombits(bits)
		want := halfValue(uint16(h))
		if math.IsNaN(want) {
			// NaNs keep their sign and payload.
			wantBits := uint32(h&0x8000)<<16 | 0x7f800000 | uint32(h&0x3ff)<<13
			if !math.IsNaN(float64(got)) || bits != wantBits {
				t.Errorf("half %#04x: %#08x, want NaN %#08x", h, bits, wantBits)
			}
			continue
		}
		if float64(got) != want || math.Signbit(float64(got)) != (h&0x8000 != 0) {
			t.Errorf("half %#04x: %v, want %v", h, got, want)
		}
	}
}

func TestHalfToFloat32Cases(t *testing.T) {
	tests := []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc100, -2.5},
		{0x7bff, 65504},
		{0x0001, 0x1p-24},
		{0x03ff, 0x3ffp-24},
		{0x0400, 0x1p-14},
		{0x7c00, float32(math.Inf(1))},
		{0xfc00, float32(math.Inf(-1))},
	}
	for _, tt := range tests {
		if got := math.Float32frombits(halfToFloat32(tt.h)); got != tt.want {
			t.Errorf("half %#04x = %v, want %v", tt.h, got, tt.want)
		}
	}
	if bits := halfToFloat32(0x8000); bits != 0x80000000 {
		t.Errorf("half -0 = %#08x, want 0x80000000", bits)
	}
}
