package connect

import (
	"context"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/frigate"
	"mileo.tech/extract/vms/mediamtx"
)

// The network connectors:
//
//	mediamtx:http://[USER:PASSWORD@]HOST:9996[?api=http://HOST:9997][&name=NAME][&timeout=30s]
//	frigate:http://HOST:5000[?name=NAME]
//	frigate:https://USER:PASSWORD@HOST:8971[?fingerprint=SHA256][&name=NAME]
func init() {
	openers["mediamtx"] = func(_ context.Context, rest string) (vms.Source, error) { return mediamtx.Open(rest) }
	openers["frigate"] = func(_ context.Context, rest string) (vms.Source, error) { return frigate.Open(rest) }
}
