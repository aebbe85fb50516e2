package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// openTest opens a new store in a temporary directory.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "brief.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// newClient is a real feed client for loopback servers.
func newClient() *feed.Client {
	return feed.NewClient(feed.Options{Timeout: 10 * time.Second, Concurrency: 8, PerHost: 2})
}

// syncURLs registers urls as the dotfile's feeds and returns their ids in order.
func syncURLs(t testing.TB, s *Store, urls ...string) []int64 {
	t.Helper()
	specs := make([]FeedSpec, len(urls))
	for i, u := range urls {
		specs[i] = FeedSpec{URL: u}
	}
	if err := s.SyncFeeds(context.Background(), specs); err != nil {
		t.Fatalf("SyncFeeds: %v", err)
	}
	feeds, err := s.Feeds(context.Background())
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	ids := make([]int64, 0, len(feeds))
	for _, f := range feeds {
		ids = append(ids, f.ID)
	}
	return ids
}

// refresh runs a refresh of every feed and fails the test on a store error.
func refresh(t testing.TB, s *Store, f Fetcher) Summary {
	t.Helper()
	sum, err := s.Refresh(context.Background(), f, nil, nil)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	return sum
}

// fakeFetcher answers every request from a map of URL → Result.
type fakeFetcher struct {
	mu      sync.Mutex
	results map[string]feedResult
	reqs    []feed.Request
	onFetch func() // called when FetchAll starts (e.g. to cancel the refresh)
}

func (f *fakeFetcher) FetchAll(_ context.Context, reqs []feed.Request) <-chan feed.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.onFetch != nil {
		f.onFetch()
	}
	f.reqs = append(f.reqs, reqs...)
	out := make(chan feed.Result, len(reqs))
	for _, r := range reqs {
		res, ok := f.results[r.URL]
		if !ok {
			res = feed.Result{Err: fmt.Errorf("fake: no result for %s", r.URL)}
		}
		res.URL = r.URL
		out <- res
	}
	close(out)
	return out
}

// writeCounter installs triggers counting every row written to articles and
// links, through the store's own writer connection.
func writeCounter(t testing.TB, s *Store) func() int {
	t.Helper()
	ctx := context.Background()
	_, err := s.w.ExecContext(ctx, `
CREATE TABLE IF NOT EXISTS test_writes (n INTEGER NOT NULL);
DELETE FROM test_writes; INSERT INTO test_writes VALUES (0);
CREATE TRIGGER IF NOT EXISTS test_ai AFTER INSERT ON articles BEGIN UPDATE test_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS test_au AFTER UPDATE ON articles BEGIN UPDATE test_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS test_ad AFTER DELETE ON articles BEGIN UPDATE test_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS test_li AFTER INSERT ON links BEGIN UPDATE test_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS test_ld AFTER DELETE ON links BEGIN UPDATE test_writes SET n = n + 1; END;`)
	if err != nil {
		t.Fatalf("install write counter: %v", err)
	}
	return func() int {
		t.Helper()
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT n FROM test_writes`).Scan(&n); err != nil {
			t.Fatalf("read write counter: %v", err)
		}
		return n
	}
}

// fakeItems makes n items for a fake feed: keys k0…, titles "<prefix> title i",
// dates one minute apart (newest first), a body with one link to
// https://example.org/<prefix>/<i+1>.
func fakeItems(prefix string, n int) []feed.Item {
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]feed.Item, n)
	for i := range items {
		link := fmt.Sprintf("https://example.org/%s/%d", prefix, i+1)
		items[i] = feed.Item{
			Key:       fmt.Sprintf("k%d", i),
			GUID:      fmt.Sprintf("%s-%d", prefix, i),
			URL:       fmt.Sprintf("https://example.org/%s/%d", prefix, i),
			Title:     fmt.Sprintf("%s title %d", prefix, i),
			Author:    "Author",
			Published: epoch.Add(-time.Duration(i) * time.Minute),
			Body: feed.Body{
				Markdown: fmt.Sprintf("Body of %s %d with a link [1].", prefix, i),
				Text:     fmt.Sprintf("Body of %s %d with a link.", prefix, i),
				Links:    []feed.Link{{N: 1, Text: "a link", URL: link}},
			},
		}
	}
	return items
}

// fakeResult is a successful fetch of items.
func fakeResult(title string, items []feed.Item) feed.Result {
	return feed.Result{ETag: `"v1"`, Feed: &feed.Feed{Title: title, SiteURL: "https://example.org/", Items: items}}
}

// feedResult is what fakeFetcher answers for one URL.
type feedResult = feed.Result
