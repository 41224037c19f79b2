//go:build !amd64 || purego

package aeszip

// newBlocksEncrypter returns a function that encrypts whole blocks in
// place with AES-256 under key.
func newBlocksEncrypter(key []byte) (func(buf []byte), error) {
	return genericBlocksEncrypter(key)
}
