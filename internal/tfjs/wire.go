package tfjs

import "google.golang.org/protobuf/encoding/protowire"

// Fields of the protobuf wire format, encoded by protowire. Negative int32
// and int64 values are sign-extended to 64 bits by the caller, as protobuf
// requires.

// appendVarintField appends field num holding the varint v.
func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

// appendBytesField appends field num holding p, length-delimited: a
// string, bytes, an embedded message or a packed repeated field.
func appendBytesField(b []byte, num protowire.Number, p []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), p)
}

// appendStringField is appendBytesField for a string.
func appendStringField(b []byte, num protowire.Number, s string) []byte {
	return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
}

// appendFixed32Field appends field num holding the 32 bits v, little-endian.
func appendFixed32Field(b []byte, num protowire.Number, v uint32) []byte {
	return protowire.AppendFixed32(protowire.AppendTag(b, num, protowire.Fixed32Type), v)
}
