package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

func TestKeepPolicy(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "": 0, "90d": 90 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, " 1d ": 24 * time.Hour} {
		var k keepPolicy
		if err := k.UnmarshalText([]byte(in)); err != nil || k.Duration != want {
			t.Errorf("keep %q: got %v, %v; want %v", in, k.Duration, err, want)
		}
	}
	for _, in := range []string{"90", "90h", "d", "-3d", "0d", "1.5d", "99999999d"} {
		var k keepPolicy
		if err := k.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("keep %q: got %v, want an error", in, k.Duration)
		}
	}
	_, err := parseConfig("cfg.toml", []byte("keep = \"90\"\n"))
	if want := `cfg.toml:1:9: keep: "90" is not a number of days or weeks (write it like "90d" or "12w", or "0" to keep everything)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	_, err = parseConfig("cfg.toml", []byte("keep = 90\n"))
	if want := `cfg.toml:1:8: keep: "90" is not a number of days or weeks (write it like "90d" or "12w", or "0" to keep everything)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestRefreshKeep runs `brief refresh` with keep = "90d" against a feed whose
// old articles are read: they go, the starred and unread ones stay, and the
// next refresh does not bring them back; the log says so.
func TestRefreshKeep(t *testing.T) {
	ctx := context.Background()
	srv := feedtest.New(t)
	items := feedtest.Generate(srv.URL(""), 0, 4)
	now := time.Now()
	for i := range items {
		items[i].Published = now.Add(-time.Duration(i) * 100 * 24 * time.Hour) // 0, 100, 200, 300 days ago
	}
	srv.Set("/feed.xml", feedtest.RSS("Feed", srv.URL("/"), items), "application/rss+xml")

	dir := t.TempDir()
	cfg := writeDotfile(t, dir, `keep = "90d"`, srv.URL("/feed.xml"), srv.URL("/missing.xml"))
	db := filepath.Join(dir, "b.db")
	logPath := filepath.Join(dir, "brief.log")
	brief := func(want string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run([]string{"refresh", "--config", cfg, "--db", db, "--log", logPath}, &out, &errb); code != exitOK {
			t.Fatalf("exit %d, stderr %q", code, errb.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout: got %q, want it to contain %q", out.String(), want)
		}
	}
	brief("2 feeds, 4 new articles, 1 failed\n") // nothing read: nothing deleted

	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.Articles(ctx, store.Filter{}, 0, 10)
	if err != nil || len(rows) != 4 {
		t.Fatalf("articles: got %d, %v", len(rows), err)
	}
	byTitle := map[string]int64{}
	for _, r := range rows {
		byTitle[r.Title] = r.ID
	}
	// Read: 0 (new), 1 and 2 (old); 2 also starred. 3 (old) stays unread.
	for _, i := range []int{0, 1, 2} {
		if err := st.SetRead(ctx, byTitle[items[i].Title], true); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetStarred(ctx, byTitle[items[2].Title], true); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	srv.Set("/feed.xml", feedtest.RSS("Feed", srv.URL("/"), items), "application/rss+xml") // a new ETag
	brief("1 old article deleted")
	brief("2 feeds, 0 new articles, 1 failed\n") // the deleted article, still listed, does not come back

	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err = st.Articles(ctx, store.Filter{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Title)
	}
	if want := []string{items[0].Title, items[2].Title, items[3].Title}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("articles left: got %q, want %q", got, want)
	}

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`msg=refresh feeds=2 new=4 failed=1`,
		`deleted_old=1`,
		`msg="feed failed" url=` + srv.URL("/missing.xml"),
		`level=INFO msg="brief started"`,
	} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log does not contain %q:\n%s", want, log)
		}
	}
}

// TestReaderRefreshKeeps checks the reader's path: the store main hands to
// the ui deletes old read articles after its refresh too.
func TestReaderRefreshKeeps(t *testing.T) {
	ctx := context.Background()
	srv := feedtest.New(t)
	items := feedtest.Generate(srv.URL(""), 0, 2)
	items[0].Published, items[1].Published = time.Now(), time.Now().Add(-100*24*time.Hour)
	srv.Set("/feed.xml", feedtest.RSS("Feed", srv.URL("/"), items), "application/rss+xml")
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SyncFeeds(ctx, []store.FeedSpec{{URL: srv.URL("/feed.xml")}}); err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	rs := refreshingStore{Store: st, log: slog.New(slog.NewTextHandler(&logBuf, nil)), keep: keepPolicy{90 * 24 * time.Hour}}
	client := newClient(defaultConfig())
	if sum, err := rs.Refresh(ctx, client, nil, nil); err != nil || sum.New != 2 {
		t.Fatalf("first refresh: got %+v, %v; want 2 new", sum, err)
	}
	if _, err := st.MarkRead(ctx, store.Filter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Refresh(ctx, client, nil, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := st.Articles(ctx, store.Filter{}, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Title != items[0].Title {
		t.Errorf("after the reader's refresh: got %d articles (%v), want only %q", len(rows), err, items[0].Title)
	}
	if !strings.Contains(logBuf.String(), "deleted_old=1") {
		t.Errorf("log: got %q, want the deletion counted", logBuf.String())
	}
}
