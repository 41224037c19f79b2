//go:build !linux

package av

import "github.com/asticode/go-astiav"

// inBackground opens the encoder at the process's priority: thread
// priorities are set per thread only on Linux.
func inBackground(open func(*astiav.Codec, *astiav.Dictionary) error, c *astiav.Codec, d *astiav.Dictionary) error {
	return open(c, d)
}
