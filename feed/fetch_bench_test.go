package feed

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// benchFeeds serves servers×perServer generated feeds of items items each, one
// fixture server per "host" (host:port) so the per-host limit applies as it
// would against real sites, and returns a Request for each.
func benchFeeds(b *testing.B, servers, perServer, items int) ([]Request, []*feedtest.Server) {
	b.Helper()
	var reqs []Request
	srvs := make([]*feedtest.Server, servers)
	for s := range servers {
		srv := feedtest.New(b)
		srvs[s] = srv
		base := srv.URL("")
		for f := range perServer {
			n := s*perServer + f
			path := fmt.Sprintf("/feeds/%d.xml", n)
			srv.Set(path, feedtest.RSS(fmt.Sprintf("Feed %d", n), base, feedtest.Generate(base, n, items)), "")
			reqs = append(reqs, Request{URL: srv.URL(path)})
		}
	}
	return reqs, srvs
}

// reportCPU reports the CPU time the process used per iteration since
// start (a processCPU reading), in milliseconds: unlike the wall time, it
// barely changes when other programs load the machine.
func reportCPU(b *testing.B, start time.Duration) {
	b.Helper()
	if start == 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func totalStats(srvs []*feedtest.Server) feedtest.Stats {
	var t feedtest.Stats
	for _, s := range srvs {
		st := s.Total()
		t.Requests += st.Requests
		t.Conditional += st.Conditional
		t.NotModified += st.NotModified
	}
	return t
}

// BenchmarkFetchAll200x50 fetches 200 feeds of 50 items (20 loopback servers ×
// 10 feeds) with the default options (8 in total, 2 per host): "cold" with no
// validators (download + parse, new connections every time), "warm" with the
// validators of a previous fetch (every request conditional, all 304). The
// cold case also reports the CPU time of the whole process (client, loopback
// servers and parsing) as cpu-ms/op, which a busy machine distorts far less
// than the wall time: compare runs with -count and -cpu 1,2.
func BenchmarkFetchAll200x50(b *testing.B) {
	const servers, perServer, items = 20, 10, 50
	reqs, srvs := benchFeeds(b, servers, perServer, items)
	c := NewClient(Options{})
	c.transport.Proxy = nil
	b.Cleanup(c.transport.CloseIdleConnections)
	ctx := context.Background()

	b.Run("cold", func(b *testing.B) {
		cpu := processCPU()
		for b.Loop() {
			c.transport.CloseIdleConnections()
			n := 0
			for r := range c.FetchAll(ctx, reqs) {
				if r.Err != nil || r.Feed == nil || len(r.Feed.Items) != items {
					b.Fatalf("%s: Err=%v Feed=%v, want %d items", r.URL, r.Err, r.Feed, items)
				}
				n++
			}
			if n != len(reqs) {
				b.Fatalf("got %d results, want %d", n, len(reqs))
			}
		}
		reportCPU(b, cpu)
	})

	b.Run("warm", func(b *testing.B) {
		warm := make([]Request, 0, len(reqs))
		for r := range c.FetchAll(ctx, reqs) {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.URL, r.Err)
			}
			warm = append(warm, Request{URL: r.URL, ETag: r.ETag, LastModified: r.LastModified})
		}
		before := totalStats(srvs)
		for b.Loop() {
			for r := range c.FetchAll(ctx, warm) {
				if r.Err != nil || !r.NotModified || r.Feed != nil {
					b.Fatalf("%s: Err=%v NotModified=%v, want a 304", r.URL, r.Err, r.NotModified)
				}
			}
		}
		after := totalStats(srvs)
		req, cond, nm := after.Requests-before.Requests, after.Conditional-before.Conditional, after.NotModified-before.NotModified
		if req == 0 || cond != req || nm != req {
			b.Fatalf("warm: %d requests, %d conditional, %d answered 304; want all conditional and 304", req, cond, nm)
		}
	})
}
