package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestTwoStoresOnOneFile is a reader UI and a cron "brief refresh" on the
// same database at once: refreshes write while both processes flip read and
// starred; nothing fails and no flag is lost.
func TestTwoStoresOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "brief.db")
	ui, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ui.Close()
	cron, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cron.Close()

	urls := []string{"https://a.example/feed", "https://b.example/feed", "https://c.example/feed"}
	syncURLs(t, ui, urls...)
	fetcher := func(round int) *fakeFetcher {
		f := &fakeFetcher{results: map[string]feedResult{}}
		for i, u := range urls {
			items := fakeItems(fmt.Sprintf("f%d", i), 40+round*5)
			for j := range items {
				items[j].Body.Text += fmt.Sprintf(" round %d", round) // every refresh rewrites every article
			}
			f.results[u] = fakeResult("F", items)
		}
		return f
	}
	refresh(t, cron, fetcher(0))
	rows := allRows(t, ui, Filter{})
	if len(rows) != 120 {
		t.Fatalf("got %d articles, want 120", len(rows))
	}

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	wg.Add(1)
	go func() { // cron: refreshes
		defer wg.Done()
		for round := 1; round <= 8; round++ {
			if _, err := cron.Refresh(ctx, fetcher(round), nil, nil); err != nil {
				errs <- fmt.Errorf("refresh %d: %w", round, err)
				return
			}
		}
	}()
	// Four flippers, two per process, each owning every fourth article.
	want := make([]map[int64][2]bool, 4)
	for w := range 4 {
		want[w] = map[int64][2]bool{}
		s := ui
		if w%2 == 1 {
			s = cron
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pass := range 5 {
				for i := w; i < len(rows); i += 4 {
					id := rows[i].ID
					read, starred := (i+pass)%2 == 0, (i+pass)%3 == 0
					if err := s.SetRead(ctx, id, read); err != nil {
						errs <- fmt.Errorf("SetRead: %w", err)
						return
					}
					if err := s.SetStarred(ctx, id, starred); err != nil {
						errs <- fmt.Errorf("SetStarred: %w", err)
						return
					}
					want[w][id] = [2]bool{read, starred}
				}
				if _, err := s.Articles(ctx, Filter{Unread: true}, 0, 50); err != nil {
					errs <- fmt.Errorf("Articles: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	check, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	for w := range want {
		for id, rs := range want[w] {
			a, err := check.Article(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Read != rs[0] || a.Starred != rs[1] {
				t.Errorf("article %d: read %v starred %v, want %v %v", id, a.Read, a.Starred, rs[0], rs[1])
			}
		}
	}
	var result string
	if err := check.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Errorf("integrity_check: %q, %v", result, err)
	}
	checkCounts(t, check)
	if n, err := check.CountArticles(ctx, Filter{}); err != nil || n != 3*(40+8*5) {
		t.Errorf("articles after the refreshes: %d, %v", n, err)
	}
}

// TestReadStateCommittedAtOnce: a flag set by one process is on disk for
// another before the first closes (as after a kill -9).
func TestReadStateCommittedAtOnce(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	syncURLs(t, s, "https://a.example/feed")
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": fakeResult("A", fakeItems("a", 2))}})
	rows := allRows(t, s, Filter{})
	if err := s.SetStarred(ctx, rows[1].ID, true); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	a, err := other.Article(ctx, rows[1].ID)
	if err != nil || !a.Starred {
		t.Errorf("other process sees %+v, %v; want starred", a, err)
	}
}
