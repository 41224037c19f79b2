// Package aeszip writes and checks ZIP archives encrypted with WinZip AES-256
// (AE-2), the encrypted ZIP that 7-Zip, WinZip and libarchive (bsdtar) open
// with a password (R-ENC-1).
//
// # Format
//
// Each entry follows the WinZip "AES Encryption Information" (AE-1/AE-2)
// specification on top of PKWARE APPNOTE.TXT:
//
//   - compression method 99 in the headers, general purpose bit 0 set, and
//     an extra field 0x9901: vendor version 2 (AE-2), vendor "AE",
//     strength 3 (AES-256), real method (0 stored, 8 deflated);
//   - the entry's data is a 16-byte random salt, a 2-byte password
//     verifier, the encrypted payload, and a 10-byte authentication code;
//   - PBKDF2-HMAC-SHA1 with 1000 iterations turns password and salt into
//     66 bytes: the AES-256 key, the HMAC-SHA1 key, the verifier;
//   - the payload is encrypted with AES-256 in counter mode whose counter
//     block is a little-endian integer starting at 1 (not the big-endian
//     counter of crypto/cipher);
//   - the authentication code is HMAC-SHA1 of the ciphertext truncated to
//     10 bytes; AE-2 stores no CRC (CRC field 0).
//
// The format authenticates the content of each entry, not the headers:
// names, sizes and times can be changed without the key. Keep the SHA-256
// that [Writer.Entries] and [Verify] return in a signed manifest.
//
// # Writer
//
// [Writer] streams entries to an io.WriteSeeker: it writes a local header
// with zero sizes, the data, then seeks back to fill the sizes in, so no
// data descriptor is used. Every local header reserves 20 bytes for ZIP64
// sizes; when they are not needed the bytes become a padding extra field
// (ID 0xD935). ZIP64 extra fields and the ZIP64 end of central directory
// are written only when a size, an offset or the entry count needs them.
// Names with non-ASCII characters get the UTF-8 flag (bit 11). Modification
// times are stored as MS-DOS time and as an extended timestamp (0x5455).
//
// Data is processed in 1 MiB buffers by three goroutines: the caller's
// (copy and SHA-256 of the clear data, deflate if asked), one for AES-CTR,
// one for HMAC-SHA1 and writing. Memory use is about 4 MiB per Writer,
// whatever the size of the entries. The counter blocks are encrypted one
// at a time with crypto/aes, which uses AES-NI where the processor has it.
//
// An AES-NI assembly routine that encrypted eight counter blocks at a time
// was removed on 2026-12-07 because no measurement needs it: on this
// project's 2-core machine (AMD EPYC, AES-NI and SHA-NI), BenchmarkWrite
// (256 MiB stored entry, output discarded) runs at 1.07–1.11 GB/s without
// it and 0.99–1.12 GB/s with it (SHA-256 and HMAC-SHA1, on the other
// goroutines, set the pace), and BenchmarkZip2GB (export) took 3.96–6.59 s
// without it against 12.26–12.92 s for sha256sum + 7z in the same runs
// (3.07–6.60 s with it). With the purego build tag, which also turns off
// the assembly of crypto/aes, crypto/sha256 and crypto/sha1, the writer
// is 6× slower (0.13–0.17 GB/s; 14.6–15.9 s for 2 GB, slower than 7z).
//
// # Checker
//
// [Verify] and [NewReader] parse the central directory (ZIP64 included),
// treat the archive as hostile input (every length is bounds-checked,
// overlapping entries are refused, inflated data cannot exceed the declared
// size), and for each entry check the password verifier
// ([ErrWrongPassword]), the authentication code ([ErrCorrupt]) and the
// clear size; they return the SHA-256 of the clear data. A goroutine reads
// ahead and authenticates the ciphertext while the caller's decrypts and
// hashes. [File.Extract] decrypts one entry to an io.Writer, for previews.
//
// A wrong password passes the 2-byte verifier once in 65536 tries; it is
// then reported as [ErrCorrupt] by the authentication code.
package aeszip
