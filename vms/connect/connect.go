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

// Redact removes credentials from an address for display and logs: the
// user information of the address and of any URL in its query (api=…).
func Redact(addr string) string {
	kind, rest, ok := strings.Cut(addr, ":")
	if !ok {
		return addr
	}
	return kind + ":" + redactURL(rest, 0)
}

func redactURL(s string, depth int) string {
	u, err := url.Parse(s)
	if err != nil {
		// Unparseable: hide everything between "://" and the last "@".
		if i, j := strings.Index(s, "://"), strings.LastIndex(s, "@"); i >= 0 && j > i {
			return s[:i+3] + "***@" + s[j+1:]
		}
		return s
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	if depth == 0 && u.RawQuery != "" {
		q := u.Query()
		for k, vs := range q {
			for i, v := range vs {
				if strings.Contains(v, "@") || strings.Contains(v, "://") {
					vs[i] = redactURL(v, 1)
				}
			}
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
