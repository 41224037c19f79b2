package register

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"mileo.tech/extract/internal/pgserver"
)

// durablePG is a server with fsync and synchronous commits on, as in
// production, for the benchmarks (the tests' server has them off).
var durablePG struct {
	once sync.Once
	srv  *pgserver.Server
	err  error
}

func benchDatabase(b *testing.B) *pgserver.Database {
	b.Helper()
	PGServer(b) // skips where PostgreSQL is not installed
	durablePG.once.Do(func() {
		durablePG.srv, durablePG.err = pgserver.Start(context.Background(), pgserver.Options{Durable: true})
	})
	if durablePG.err != nil {
		b.Fatal(durablePG.err)
	}
	ctx := context.Background()
	d, err := durablePG.srv.NewDatabase(ctx)
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, b.TempDir(), Options{URL: d.OwnerURL})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	return d
}

// BenchmarkAppendLatency appends 300 entries one transaction each, on
// SQLite and on the local PostgreSQL server (unix socket, fsync on), and
// reports the median and 99th percentile of one append.
func BenchmarkAppendLatency(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			url := ""
			if store == "postgres" {
				url = benchDatabase(b).AppURL
			}
			f := newFixtureURL(b, url)
			var lat []time.Duration
			b.ResetTimer()
			for b.Loop() {
				for i := 0; i < 300; i++ {
					t := time.Now()
					if err := appendIncident(f.ctx, f.s, f.op, "entrée de charge pour le banc d'essai"); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t))
				}
			}
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
			b.ReportMetric(ms(lat[len(lat)/2]), "median-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		})
	}
}

// BenchmarkConcurrentAppend: 8 processes append 500 entries each at once
// (eight workstations); then none is lost, the chain is one and verifies.
func BenchmarkConcurrentAppend(b *testing.B) {
	const procs, each = 8, 500
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				url := ""
				if store == "postgres" {
					url = benchDatabase(b).AppURL
				}
				f := newFixtureURL(b, url)
				var before int64
				f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&before)
				users := []*testUser{f.admin, f.op, f.rs, f.del, f.dpo}
				b.StartTimer()
				start := time.Now()
				var wg sync.WaitGroup
				errs := make([]error, procs)
				for i := 0; i < procs; i++ {
					u := users[i%len(users)]
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
						cmd.Env = append(os.Environ(), appendChildEnv+"="+f.dir, appendUserEnv+"="+u.name,
							appendRoleEnv+"="+string(u.role), appendCountEnv+"="+strconv.Itoa(each), appendURLEnv+"="+url)
						if out, err := cmd.CombinedOutput(); err != nil {
							errs[i] = fmt.Errorf("%v\n%s", err, out)
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				for _, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
				rep, err := f.s.Verify(f.ctx, VerifyOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Entries != before+procs*each {
					b.Fatalf("%d entries, want %d", rep.Entries, before+procs*each)
				}
				b.ReportMetric(procs*each/elapsed.Seconds(), "appends/s")
				b.ReportMetric(float64(procs*each), "entries")
				b.StartTimer()
			}
		})
	}
}

// BenchmarkVerify100kPostgres verifies the register of BenchmarkVerify100k
// copied into PostgreSQL. Goal: < 2 s.
func BenchmarkVerify100kPostgres(b *testing.B) {
	ctx := context.Background()
	d := benchDatabase(b)
	src, err := Open(ctx, bigRegister(b), Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	s, err := Open(ctx, bigDir, Options{URL: d.AppURL})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := src.CopyTo(ctx, s); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := processCPU()
	defer func() {
		b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	}()
	for b.Loop() {
		rep, err := s.Verify(ctx, VerifyOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Entries != int64(bigSize) {
			b.Fatalf("%d entries", rep.Entries)
		}
	}
}
