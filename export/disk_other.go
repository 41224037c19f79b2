//go:build !linux

package export

// freeSpace returns -1: the free space is not measured on this system.
func freeSpace(string) int64 { return -1 }
