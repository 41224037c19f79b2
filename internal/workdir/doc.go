// Package workdir keeps the working files of one job (export, anonymization)
// encrypted on disk, so that they can be destroyed by crypto-erase.
//
// # Crypto-erase
//
// [New] creates a folder and a fresh age X25519 key (filippo.io/age) that
// exists only in the memory of the process. Every file written with
// [Dir.Create] is encrypted under it; [Dir.OpenReaderAt] decrypts with random
// access (age.DecryptReaderAt), which the video demuxer needs for seeking.
// Nothing is ever written in clear.
//
// An MP4 muxer seeks back once, at the end, to patch the size of the media
// box near the start of the file. [Dir.CreateSeekable] keeps the first
// [HeadSize] bytes (box headers, no picture) in memory, where they can be
// rewritten until Close, and streams the rest through age.
//
// [Dir.Erase] drops the key, removes the files and the folder and checks
// they are gone. Once the key is gone the ciphertext that a file system may
// still hold (journal, SSD spare blocks, copy-on-write snapshots) cannot be
// read: this is a cryptographic erase, a "purge" in the sense of NIST SP
// 800-88 Rev. 1 — not an overwrite. The key is never written to disk (unless
// the system swaps the process out); Go cannot guarantee that no copy of
// its bytes lingers in freed memory until that memory is reused.
//
// # Crashed jobs
//
// A running job holds an advisory lock on a marker file in its folder. When
// a process dies its lock goes with it and its key with its memory: the
// folder is unreadable ciphertext. [Sweep], run at start-up, removes such
// leftovers and returns them so that the caller can record them in the
// register.
package workdir
