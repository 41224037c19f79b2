// Package connect opens a [vms.Source] from its address, the way sources are
// configured in settings and on the command line:
//
//	folder:/path/to/recordings[?layout=mediamtx|frigate&tz=Europe/Paris]
//	mediamtx:http://host:9996?api=http://host:9997
//	frigate:http://host:5000
//
// Credentials in an address (user:password@) are never logged: use
// [Redact] before printing one.
package connect

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/folder"
)

// openers maps an address scheme to its connector. Connectors in other files
// add themselves here.
var openers = map[string]func(ctx context.Context, rest string) (vms.Source, error){
	"folder": func(ctx context.Context, rest string) (vms.Source, error) { return folder.Open(rest) },
}

// Open returns the source at addr ("kind:rest").
func Open(ctx context.Context, addr string) (vms.Source, error) {
	kind, rest, ok := strings.Cut(addr, ":")
	if !ok || rest == "" {
		return nil, fmt.Errorf("source address %q: want kind:address, e.g. folder:/srv/recordings", Redact(addr))
	}
	open, ok := openers[kind]
	if !ok {
		return nil, fmt.Errorf("source address %q: unknown kind %q (folder, mediamtx, frigate)", Redact(addr), kind)
	}
	src, err := open(ctx, rest)
	if err != nil {
		return nil, fmt.Errorf("open source %s: %w", Redact(addr), err)
	}
	return src, nil
}

// Redact removes credentials from an address for display and logs.
func Redact(addr string) string {
	kind, rest, ok := strings.Cut(addr, ":")
	if !ok {
		return addr
	}
	u, err := url.Parse(rest)
	if err != nil || u.User == nil {
		if i := strings.Index(rest, "@"); i >= 0 && strings.Contains(rest[:i], "://") {
			return kind + ":" + rest[:strings.Index(rest, "://")+3] + "***@" + rest[i+1:]
		}
		return addr
	}
	u.User = url.User("***")
	return kind + ":" + u.String()
}
