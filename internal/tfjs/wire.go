package tfjs

// The protobuf wire types used by GraphDef.
const (
	wireVarint  = 0
	wireBytes   = 2
	wireFixed32 = 5
)

// appendVarint appends v as a base-128 varint. Negative int32 and int64
// values are sign-extended to 64 bits by the caller, as protobuf requires.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// appendTag appends the key of field num with wire type wire.
func appendTag(b []byte, num, wire int) []byte {
	return appendVarint(b, uint64(num)<<3|uint64(wire))
}

// appendVarintField appends field num holding the varint v.
func appendVarintField(b []byte, num int, v uint64) []byte {
	return appendVarint(appendTag(b, num, wireVarint), v)
}

// appendBytesField appends field num holding p, length-delimited: a
// string, bytes, an embedded message or a packed repeated field.
func appendBytesField(b []byte, num int, p []byte) []byte {
	b = appendVarint(appendTag(b, num, wireBytes), uint64(len(p)))
	return append(b, p...)
}

// appendStringField is appendBytesField for a string.
func appendStringField(b []byte, num int, s string) []byte {
	b = appendVarint(appendTag(b, num, wireBytes), uint64(len(s)))
	return append(b, s...)
}

// appendFixed32Field appends field num holding the 32 bits v, little-endian.
func appendFixed32Field(b []byte, num int, v uint32) []byte {
	b = appendTag(b, num, wireFixed32)
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}
