package aeszip

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// Errors returned by the package, wrapped with context; test them with
// errors.Is.
var (
	// ErrWrongPassword: the password verifier of an entry does not match.
	ErrWrongPassword = errors.New("aeszip: wrong password")
	// ErrCorrupt: an entry fails its HMAC, or its clear data disagrees with
	// its header (size, CRC for AE-1, deflate stream).
	ErrCorrupt = errors.New("aeszip: archive is corrupt or was modified")
	// ErrFormat: the bytes are not a well-formed ZIP archive.
	ErrFormat = errors.New("aeszip: not a valid zip archive")
	// ErrUnsupported: a valid ZIP this package does not handle (an entry
	// that is not WinZip AES-256, multi-disk archives, other compression
	// methods).
	ErrUnsupported = errors.New("aeszip: unsupported zip feature")
	// ErrInvalidName: an entry name that is empty, not UTF-8, absolute,
	// holds "." or ".." elements, a backslash, a control character or a
	// character Windows refuses in file names.
	ErrInvalidName = errors.New("aeszip: invalid entry name")
	// ErrDuplicateName: two entries with the same name.
	ErrDuplicateName = errors.New("aeszip: duplicate entry name")
	// ErrEmptyPassword: the writer was given an empty password.
	ErrEmptyPassword = errors.New("aeszip: empty password")
	// ErrClosed: the Writer is closed, or an entry writer is used after
	// the next Create.
	ErrClosed = errors.New("aeszip: write after close")
)

// Record signatures and fixed lengths (APPNOTE.TXT 4.3).
const (
	sigLocal        = 0x04034b50
	sigCentral      = 0x02014b50
	sigEOCD         = 0x06054b50
	sigZip64EOCD    = 0x06064b50
	sigZip64Locator = 0x07064b50

	localLen        = 30
	centralLen      = 46
	eocdLen         = 22
	zip64EOCDLen    = 56
	zip64LocatorLen = 20
)

// Header field values.
const (
	methodStore   = 0
	methodDeflate = 8
	methodAES     = 99 // WinZip AES; the real method is in the 0x9901 extra

	flagEncrypted       = 1 << 0
	flagDataDescriptor  = 1 << 3
	flagStrongEncrypted = 1 << 6
	flagUTF8            = 1 << 11

	versionNeeded = 51                   // 5.1: AES encryption (also ≥ 4.5 for ZIP64)
	versionMadeBy = 3<<8 | versionNeeded // Unix, so modes come from externalAttrs
	externalAttrs = 0o100600 << 16       // regular file, rw-------: the recipient's unzip keeps the footage private

	extraZip64 = 0x0001
	extraUT    = 0x5455 // Info-ZIP extended timestamp
	extraAES   = 0x9901 // WinZip AES
	// extraPad marks the local-header bytes reserved for a ZIP64 field that
	// turned out not to be needed. 0xD935 is the ID Android's zipalign uses
	// for padding; readers skip unknown IDs.
	extraPad = 0xd935

	aesVendorAE1   = 1
	aesVendorAE2   = 2
	aesStrength256 = 3

	aesExtraLen        = 4 + 7
	utExtraLen         = 4 + 5
	zip64LocalExtraLen = 4 + 16 // both sizes, reserved in every local header
	zip64CentralLen    = 4 + 24 // both sizes and the offset

	uint16max = math.MaxUint16
	uint32max = math.MaxUint32
)

// ZIP64 thresholds: a size or offset at or above zip64Threshold, or an
// entry count at or above zip64Entries, is written in ZIP64 form. Tests
// lower them to exercise the ZIP64 paths on small archives.
var (
	zip64Threshold uint64 = uint32max
	zip64Entries   uint64 = uint16max
)

// le appends little-endian integers.
type le []byte

func (b le) u16(v uint16) le { return binary.LittleEndian.AppendUint16(b, v) }
func (b le) u32(v uint32) le { return binary.LittleEndian.AppendUint32(b, v) }
func (b le) u64(v uint64) le { return binary.LittleEndian.AppendUint64(b, v) }

// dosTime converts t (its own wall clock, as archive/zip does) to MS-DOS
// date and time, clamped to the 1980–2107 range the format can hold.
func dosTime(t time.Time) (date, tm uint16) {
	switch {
	case t.Year() < 1980:
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, t.Location())
	case t.Year() > 2107:
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, t.Location())
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}

// fromDOSTime is the inverse of dosTime, in UTC for want of a zone.
func fromDOSTime(date, tm uint16) time.Time {
	return time.Date(1980+int(date>>9), time.Month(date>>5&0xf), int(date&0x1f),
		int(tm>>11), int(tm>>5&0x3f), int(tm&0x1f)*2, 0, time.UTC)
}

// unixTime returns t as the 32-bit signed Unix time of the extended
// timestamp field, and whether it fits.
func unixTime(t time.Time) (uint32, bool) {
	u := t.Unix()
	if u < 0 || u > math.MaxInt32 {
		return 0, false
	}
	return uint32(u), true
}
