package frigate

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/vms"
)

// testdata/*.json follow the answers documented by Frigate's source
// (frigate/api/record.py, app.py): Frigate cannot run here.
func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRecordings(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []segment
		wantErr bool
	}{
		{name: "documented answer", in: string(mustRead(t, "recordings.json")), want: []segment{
			{1767268800, 1767268810}, {1767268810, 1767268820.04}, {1767268850, 1767268859.96}}},
		{name: "empty", in: `[]`, want: []segment{}},
		{name: "integers, unsorted", in: `[{"start_time":20,"end_time":30},{"start_time":10,"end_time":20}]`,
			want: []segment{{10, 20}, {20, 30}}},
		{name: "zero length dropped", in: `[{"start_time":10,"end_time":10}]`, want: []segment{}},
		{name: "overlap kept", in: `[{"start_time":10,"end_time":21},{"start_time":20,"end_time":30}]`,
			want: []segment{{10, 21}, {20, 30}}},
		{name: "ends before start", in: `[{"start_time":20,"end_time":10}]`, wantErr: true},
		{name: "negative", in: `[{"start_time":-5,"end_time":10}]`, wantErr: true},
		{name: "far future", in: `[{"start_time":1e15,"end_time":1e15}]`, wantErr: true},
		{name: "two-day segment", in: `[{"start_time":1000,"end_time":200000}]`, wantErr: true},
		{name: "missing end", in: `[{"start_time":10}]`, wantErr: true},
		{name: "string time", in: `[{"start_time":"10","end_time":20}]`, wantErr: true},
		{name: "null time", in: `[{"start_time":null,"end_time":20}]`, wantErr: true},
		{name: "object", in: `{"detail":"Not Found"}`, wantErr: true},
		{name: "truncated", in: `[{"start_time":10,"end_`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRecordings([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrBadResponse) {
					t.Fatalf("err = %v, want ErrBadResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("segment %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	cams, err := parseConfig(mustRead(t, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []vms.Camera{{ID: "backyard", Name: "backyard"}, {ID: "front_door", Name: "Front door", Online: true}}
	if len(cams) != 2 || cams[0] != want[0] || cams[1] != want[1] {
		t.Errorf("got %+v, want %+v", cams, want)
	}
	for _, bad := range []string{
		`{"cameras":{"a b":{}}}`,
		`{"cameras":{"a":{"enabled":"yes"}}}`,
		`{"cameras":["a"]}`,
		`{"cameras":{"a":{"friendly_name":5}}}`,
		`not json`,
	} {
		if _, err := parseConfig([]byte(bad)); !errors.Is(err, ErrBadResponse) {
			t.Errorf("%s: err = %v, want ErrBadResponse", bad, err)
		}
	}
	if cams, err := parseConfig([]byte(`{}`)); err != nil || len(cams) != 0 {
		t.Errorf("empty config: %v %v", cams, err)
	}
	if strings.Contains(strings.Join([]string{cams[0].Name, cams[1].Name}, ","), "camsecret") {
		t.Error("a camera password leaked")
	}
}

func TestParseStats(t *testing.T) {
	on, err := parseStats(mustRead(t, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !on["front_door"] || on["backyard"] || len(on) != 2 {
		t.Errorf("got %v", on)
	}
	if _, err := parseStats([]byte(`{"cameras":{"a":{"camera_fps":"fast"}}}`)); !errors.Is(err, ErrBadResponse) {
		t.Errorf("err = %v, want ErrBadResponse", err)
	}
}

func TestParseAPIError(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"success":false,"message":"No recordings found for the specified time range"}`, "No recordings found for the specified time range"},
		{`{"detail":"Not Found"}`, "Not Found"},
		{`{"detail":[{"loc":["path","start_ts"],"msg":"Input should be a valid number","type":"float_parsing"}]}`,
			`[{"loc":["path","start_ts"],"msg":"Input should be a valid number","type":"float_parsing"}]`},
		{"<html>502 Bad Gateway</html>", "<html>502 Bad Gateway</html>"},
	}
	for _, tt := range tests {
		if got := parseAPIError([]byte(tt.in)); got != tt.want {
			t.Errorf("parseAPIError(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseAddress(t *testing.T) {
	fp := strings.Repeat("0a", 32)
	tests := []struct {
		name, addr string
		want       Config
		info       string
		wantErr    bool
	}{
		{name: "port 5000", addr: "http://nvr:5000", want: Config{URL: "http://nvr:5000"}, info: "frigate:http://nvr:5000"},
		{name: "login", addr: "https://op:p%40ss-word@nvr:8971?fingerprint=" + fp + "&name=Site",
			want: Config{URL: "https://nvr:8971", User: "op", Password: "p@ss-word", Fingerprint: fp, Name: "Site"},
			info: "frigate:https://nvr:8971?fingerprint=" + fp + "&name=Site"},
		{name: "bearer", addr: "https://bearer:eyJ.tok@nvr:8971", want: Config{URL: "https://nvr:8971", Token: "eyJ.tok"}},
		{name: "tolerance", addr: "http://nvr:5000?tolerance=3s&timeout=1m",
			want: Config{URL: "http://nvr:5000", Tolerance: 3 * time.Second, Timeout: time.Minute}},
		{name: "prefix", addr: "https://proxy/frigate", want: Config{URL: "https://proxy/frigate"}},
		{name: "unknown parameter", addr: "http://nvr:5000?user=x", wantErr: true},
		{name: "bad tolerance", addr: "http://nvr:5000?tolerance=-1s", wantErr: true},
		{name: "rtsp", addr: "rtsp://nvr:554", wantErr: true},
		{name: "bad fingerprint", addr: "https://nvr:8971?fingerprint=zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseAddress(tt.addr)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %+v, want an error", cfg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			src, err := New(cfg)
			if tt.name == "bad fingerprint" {
				if err == nil {
					t.Error("New accepted a bad fingerprint")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg != tt.want {
				t.Errorf("got %+v, want %+v", cfg, tt.want)
			}
			in := src.Info()
			if tt.info != "" && in.Address != tt.info {
				t.Errorf("Info().Address = %q, want %q", in.Address, tt.info)
			}
			for _, sec := range []string{cfg.Password, cfg.Token} {
				if sec != "" && strings.Contains(in.Address+in.Name, sec) {
					t.Errorf("Info %+v reveals %q", in, sec)
				}
			}
		})
	}
}

func TestPlan(t *testing.T) {
	const t0 = 1767268800
	// Three touching segments, a gap, two overlapping ones.
	segs := []segment{{t0, t0 + 10}, {t0 + 10, t0 + 20}, {t0 + 20, t0 + 30}, {t0 + 50, t0 + 60.5}, {t0 + 60, t0 + 70}}
	at := func(s float64) time.Time { return epoch(t0 + s) }
	tests := []struct {
		name       string
		from, to   float64
		start, end float64 // want start_ts, end_ts - t0
		zero       float64
		wantErr    error
	}{
		{name: "inside", from: 13, to: 15, start: 10.001, end: 20.001, zero: 10},
		{name: "first segment", from: 0, to: 5, start: 0.001, end: 10.001, zero: 0},
		{name: "across", from: 5, to: 25, start: 0.001, end: 30.001, zero: 0},
		{name: "after overlap", from: 61, to: 65, start: 60.501, end: 70.001, zero: 60},
		{name: "overlap region", from: 60.2, to: 61, start: 50.001, end: 70.001, zero: 50},
		{name: "in the gap", from: 35, to: 40, wantErr: vms.ErrNoFootage},
		{name: "before", from: -100, to: -90, wantErr: vms.ErrNoFootage},
		{name: "after", from: 100, to: 110, wantErr: vms.ErrNoFootage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := plan(segs, vms.Range{Start: at(tt.from), End: at(tt.to)}, 1500*time.Millisecond)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := p.start - (t0 + tt.start); d > 1e-6 || d < -1e-6 {
				t.Errorf("start_ts = %.4f, want t0+%.4f", p.start, tt.start)
			}
			if d := p.end - (t0 + tt.end); d > 1e-6 || d < -1e-6 {
				t.Errorf("end_ts = %.4f, want t0+%.4f", p.end, tt.end)
			}
			if !p.zero.Equal(at(tt.zero)) {
				t.Errorf("zero = %s, want %s", p.zero, at(tt.zero))
			}
		})
	}
}

func FuzzParseRecordings(f *testing.F) {
	f.Add(mustRead(f, "recordings.json"))
	f.Add([]byte(`[{"start_time":1e308,"end_time":-1e308}]`))
	f.Add([]byte(`[{"start_time":10,"end_time":20},{"start_time":5,"end_time":25}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		segs, err := parseRecordings(data)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error not wrapping ErrBadResponse: %v", err)
			}
			return
		}
		for i, s := range segs {
			if !(s.end > s.start) || i > 0 && s.start < segs[i-1].start || !s.span().Valid() {
				t.Fatalf("bad segments %v", segs)
			}
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add(mustRead(f, "config.json"))
	f.Add([]byte(`{"cameras":{"x":{"friendly_name":"\u0000\u0007"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cams, err := parseConfig(data)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error not wrapping ErrBadResponse: %v", err)
			}
			return
		}
		for _, c := range cams {
			if checkName(c.ID) != nil || c.Name == "" {
				t.Fatalf("bad camera %+v", c)
			}
		}
	})
}

func FuzzParseStats(f *testing.F) {
	f.Add(mustRead(f, "stats.json"))
	f.Add([]byte(`{"cameras":{"a":{"camera_fps":null}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := parseStats(data); err != nil && !errors.Is(err, ErrBadResponse) {
			t.Fatalf("error not wrapping ErrBadResponse: %v", err)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	f.Add("https://op:secret@nvr:8971?fingerprint=" + strings.Repeat("ab", 32) + "&name=Site")
	f.Add("http://nvr:5000?tolerance=2s")
	f.Add("https://bearer:tok@[::1]:8971/x")
	f.Fuzz(func(t *testing.T, addr string) {
		cfg, err := ParseAddress(addr)
		if err != nil {
			return
		}
		src, err := New(cfg)
		if err != nil {
			return
		}
		in := src.Info()
		for _, s := range []string{cfg.Password, cfg.Token} {
			if len(s) >= 4 && strings.Contains(in.Address, s) && !strings.Contains(addr, "name=") && !strings.Contains(addr, "fingerprint=") {
				t.Fatalf("Info().Address %q reveals %q", in.Address, s)
			}
		}
	})
}

// FuzzPlan feeds arbitrary segments and ranges to the clip planner.
func FuzzPlan(f *testing.F) {
	f.Add(mustRead(f, "recordings.json"), int64(1767268805), int64(3))
	f.Add([]byte(`[{"start_time":10,"end_time":20},{"start_time":19.5,"end_time":30}]`), int64(15), int64(10))
	f.Fuzz(func(t *testing.T, data []byte, from, secs int64) {
		segs, err := parseRecordings(data)
		if err != nil || secs <= 0 || secs > 1e6 || from < 0 || from > maxEpoch {
			return
		}
		r := vms.Range{Start: time.Unix(from, 0), End: time.Unix(from+secs, 0)}
		p, err := plan(segs, r, 1500*time.Millisecond)
		if err != nil {
			if !errors.Is(err, vms.ErrNoFootage) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !(p.end > p.start) || p.zero.After(r.Start.Add(1500*time.Millisecond)) {
			t.Fatalf("bad plan %+v for %s", p, r)
		}
	})
}
