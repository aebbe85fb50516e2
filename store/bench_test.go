package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

// benchFeeds starts servers × perServer loopback feeds of items each and
// returns their URLs. Several servers make the per-host limit of the
// client apply as it would on the real network.
func benchFeeds(b *testing.B, servers, perServer, items int) []string {
	b.Helper()
	var urls []string
	for sv := range servers {
		srv := feedtest.New(b)
		for i := range perServer {
			f := sv*perServer + i
			path := fmt.Sprintf("/feed/%d.xml", f)
			srv.Set(path, feedtest.RSS(fmt.Sprintf("Feed %d", f), srv.URL("/"), feedtest.GenerateNews(srv.Server.URL, f, items)), "")
			urls = append(urls, srv.URL(path))
		}
	}
	return urls
}

// BenchmarkRefreshCold200x50 refreshes 200 feeds × 50 items from 20
// loopback servers (10 feeds each) into an empty database: download, parse,
// convert and store.
func BenchmarkRefreshCold200x50(b *testing.B) {
	urls := benchFeeds(b, 20, 10, 50)
	client := feed.NewClient(feed.Options{Concurrency: 8, PerHost: 2})
	ctx := context.Background()
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(dir, fmt.Sprintf("cold%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		syncURLs(b, s, urls...)
		b.StartTimer()
		sum, err := s.Refresh(ctx, client, nil, nil)
		b.StopTimer()
		if err != nil || sum.Failed > 0 || sum.New != 200*50 {
			b.Fatalf("Refresh: %v, %d failed, %d new (want %d)", err, sum.Failed, sum.New, 200*50)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkRefreshUnchanged refreshes the same 200 × 50 feeds again when
// nothing changed: every request must be conditional and answered 304, and
// no article or link row may be written (checked after every op).
func BenchmarkRefreshUnchanged(b *testing.B) {
	var servers []*feedtest.Server
	var urls []string
	for sv := range 20 {
		srv := feedtest.New(b)
		servers = append(servers, srv)
		for i := range 10 {
			f := sv*10 + i
			path := fmt.Sprintf("/feed/%d.xml", f)
			srv.Set(path, feedtest.RSS(fmt.Sprintf("Feed %d", f), srv.URL("/"), feedtest.GenerateNews(srv.Server.URL, f, 50)), "")
			urls = append(urls, srv.URL(path))
		}
	}
	client := feed.NewClient(feed.Options{Concurrency: 8, PerHost: 2})
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "unchanged.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	syncURLs(b, s, urls...)
	if sum, err := s.Refresh(ctx, client, nil, nil); err != nil || sum.New != 200*50 {
		b.Fatalf("cold refresh: %+v, %v", sum, err)
	}
	writes := writeCounter(b, s)
	total := func() feedtest.Stats {
		var t feedtest.Stats
		for _, srv := range servers {
			st := srv.Total()
			t.Requests += st.Requests
			t.Conditional += st.Conditional
			t.NotModified += st.NotModified
		}
		return t
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		before := total()
		sum, err := s.Refresh(ctx, client, nil, nil)
		if err != nil || sum.New != 0 || sum.Failed != 0 {
			b.Fatalf("Refresh: %+v, %v", sum, err)
		}
		b.StopTimer()
		after := total()
		if req, cond, nm := after.Requests-before.Requests, after.Conditional-before.Conditional, after.NotModified-before.NotModified; req != 200 || cond != 200 || nm != 200 {
			b.Fatalf("requests %d, conditional %d, 304 %d; want 200 each", req, cond, nm)
		}
		if n := writes(); n != 0 {
			b.Fatalf("%d article/link rows written, want 0", n)
		}
		b.StartTimer()
	}
}
