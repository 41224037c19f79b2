package tfjs

// halfToFloat32 returns the bits of the float32 equal to the IEEE 754 half
// float whose bits are h. Every half is exactly representable: subnormals
// become normal floats, infinities stay infinities, and NaNs keep their sign
// and payload (the quiet bit is not forced).
func halfToFloat32(h uint16) uint32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Infinity or NaN.
		return sign | 0x7f800000 | frac<<13
	case exp != 0: // Normal: rebias the exponent from 15 to 127.
		return sign | (exp+127-15)<<23 | frac<<13
	case frac == 0: // Signed zero.
		return sign
	}
	// Subnormal: frac * 2^-24. Shift the leading one into the implicit
	// bit, lowering the exponent of 2^-14 once per shift.
	e := uint32(127 - 14)
	for frac&0x400 == 0 {
		frac <<= 1
		e--
	}
	return sign | e<<23 | (frac&0x3ff)<<13
}
