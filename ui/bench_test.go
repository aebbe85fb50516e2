package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/seed"
	"github.com/brief-reader/brief/store"
)

var (
	seedOnce sync.Once
	seedPath string
	seedErr  error
)

// seeded returns a database with 100,000 articles, built once per run, or
// the one BRIEF_BENCH_DB names (made by go run ./internal/seed/cmd/seed).
func seeded(b *testing.B) string {
	b.Helper()
	if p := os.Getenv("BRIEF_BENCH_DB"); p != "" {
		return p
	}
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "brief-ui-bench")
		if err != nil {
			seedErr = err
			return
		}
		seedPath = filepath.Join(dir, "brief.db")
		_, seedErr = seed.FillFile(context.Background(), seedPath, seed.Options{Articles: 100_000})
	})
	if seedErr != nil {
		b.Fatalf("seeding: %v", seedErr)
	}
	return seedPath
}

// BenchmarkStartup100k measures start-up to the first drawn list on a cache
// of 100,000 articles: open the store, build the model, run Init's commands
// (feeds, counts, the first window) and draw the first View.
func BenchmarkStartup100k(b *testing.B) {
	path := seeded(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		st, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		m := New(Options{Store: st, Dark: true})
		m = send(b, m, tea.WindowSizeMsg{Width: 120, Height: 40})
		m = initConcurrently(b, m)
		v := m.View()
		if m.list.total != 100_000 || !strings.Contains(v, "100,000") {
			b.Fatalf("first view without the list: total %d\n%s", m.list.total, plain(v))
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScroll100k moves the cursor from the top to the bottom of a
// 100,000-article list a page at a time, then jumps back: every window the
// cursor enters is loaded on the way.
func BenchmarkScroll100k(b *testing.B) {
	st, err := store.Open(context.Background(), seeded(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	m := New(Options{Store: st, Dark: true})
	m = send(b, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = run(b, m, m.Init())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m = press(b, m, "G")
		_ = m.View()
		m = press(b, m, "g", " ", " ", " ")
		_ = m.View()
	}
}

// typicalArticle is a news article of about 900 words with a dozen links,
// two of them "Read also".
func typicalArticle(base string) string {
	var b strings.Builder
	sentence := "The delegations met again on Thursday to discuss the terms of the agreement, which officials " +
		"on both sides described as difficult but necessary for the stability of the region. "
	for p := range 14 {
		b.WriteString("<p>")
		for s := range 4 {
			b.WriteString(sentence)
			if s == 1 {
				fmt.Fprintf(&b, `According to <a href="%s/source/%d">a report</a>, talks continue. `, base, p)
			}
		}
		b.WriteString("</p>\n")
		if p == 4 || p == 9 {
			fmt.Fprintf(&b, `<p>Read also: <a href="%s/related/%d">Related developments in the negotiations, part %d</a></p>`+"\n", base, p, p)
		}
		if p == 6 {
			b.WriteString("<h2>What comes next</h2><ul><li>More talks</li><li>A vote in parliament</li></ul>\n")
		}
	}
	return b.String()
}

// BenchmarkOpenArticle measures opening an article: reading it (with its
// link targets and backlinks) and rendering it with glamour at 100 columns.
func BenchmarkOpenArticle(b *testing.B) {
	srv := feedtest.New(b)
	base := strings.TrimSuffix(srv.URL(""), "/")
	srv.Set("/f.xml", feedtest.RSS("Typical", base, []feedtest.Item{{
		GUID: "a", Title: "Talks continue", Link: base + "/a", Description: typicalArticle(base), Published: testNow,
	}}), "")
	st := openStore(b, filepath.Join(b.TempDir(), "brief.db"))
	ctx := context.Background()
	if err := st.SyncFeeds(ctx, []store.FeedSpec{{URL: srv.URL("/f.xml")}}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Refresh(ctx, newClient(), nil, nil); err != nil {
		b.Fatal(err)
	}
	rows, err := st.Articles(ctx, store.Filter{}, 0, 1)
	if err != nil || len(rows) != 1 {
		b.Fatalf("article: %v", err)
	}
	m := New(Options{Store: st, Dark: true, Now: func() time.Time { return testNow }})
	m = send(b, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.reader.cache = newDocCache(renderCache)      // no cache hit: a real render every time
		m = send(b, m, openArticleMsg{id: rows[0].ID}) // as the list or a picker asks
		if m.reader.doc == nil || len(m.reader.doc.markers) < 10 {
			b.Fatalf("not rendered: %s", describe(m))
		}
	}
}

// initConcurrently runs Init's commands at the same time, as bubbletea does
// with a batch, then feeds their messages to Update.
func initConcurrently(b *testing.B, m Model) Model {
	b.Helper()
	batch, ok := m.Init()().(tea.BatchMsg)
	if !ok {
		b.Fatal("Init did not return a batch")
	}
	msgs := make([]tea.Msg, len(batch))
	var wg sync.WaitGroup
	for i, c := range batch {
		wg.Go(func() { msgs[i] = c() })
	}
	wg.Wait()
	for _, msg := range msgs {
		m = send(b, m, msg)
	}
	return m
}
