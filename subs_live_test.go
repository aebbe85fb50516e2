package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

func feedURLs(t *testing.T, st *store.Store) []string {
	t.Helper()
	fs, err := st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.URL)
	}
	slices.Sort(out)
	return out
}

// editorSave writes data the way editors do: a new file renamed over the old.
func editorSave(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".swp"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestLiveSubs(t *testing.T) {
	ctx := context.Background()
	srv := newsServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	start := "# mine\n\n[[feed]]\nurl = \"https://a.example/rss\"\ntitle = \"A\"\n"
	if err := os.WriteFile(path, []byte(start), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "brief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SyncFeeds(ctx, feedSpecs(cfg)); err != nil {
		t.Fatal(err)
	}
	l, err := newLiveSubs(path, st, feed.NewClient(feed.Options{}))
	if err != nil {
		t.Fatal(err)
	}

	if changed, err := l.Reload(ctx); changed || err != nil {
		t.Fatalf("untouched file: changed %v, %v", changed, err)
	}

	cands, err := l.Discover(ctx, srv.URL("/"))
	if err != nil || len(cands) != 2 {
		t.Fatalf("discover: %+v %v", cands, err)
	}
	title, items, err := l.Add(ctx, cands[1])
	if err != nil || title != "Loopback Comments" || items != 2 {
		t.Fatalf("add: %q %d %v", title, items, err)
	}
	if got := feedURLs(t, st); !slices.Contains(got, srv.URL("/comments.xml")) {
		t.Errorf("store feeds after add: %v", got)
	}
	if _, err := l.Discover(ctx, srv.URL("/comments.xml")); err == nil || !strings.Contains(err.Error(), "already subscribed") {
		t.Errorf("discovering a followed feed: %v", err)
	}

	// An editor rewrites the file: a feed added, one retitled.
	data := readString(t, path)
	data = strings.Replace(data, `title = "A"`, `title = "A, renamed"`, 1) + "\n[[feed]]\nurl = \"https://b.example/rss\"\n"
	editorSave(t, path, data)
	if changed, err := l.Reload(ctx); !changed || err != nil {
		t.Fatalf("editor save: changed %v, %v", changed, err)
	}
	fs, err := st.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range fs {
		titles = append(titles, f.Title)
	}
	if !slices.Contains(titles, "A, renamed") || len(fs) != 3 {
		t.Errorf("after the editor's save: %v", titles)
	}

	// A broken save leaves the feed list alone and names the line and column, once.
	before := feedURLs(t, st)
	editorSave(t, path, data+"\n[[feed]]\nurl = \"https://c.example/rss\ntitle = \"x\"\n")
	changed, err := l.Reload(ctx)
	if !changed || err == nil || !strings.HasPrefix(err.Error(), "config.toml:") || !strings.Contains(err.Error(), "not reloaded") {
		t.Fatalf("broken save: changed %v, %v", changed, err)
	}
	if got := feedURLs(t, st); !slices.Equal(got, before) {
		t.Errorf("broken save changed the feeds: %v, want %v", got, before)
	}
	if changed, err := l.Reload(ctx); changed || err != nil {
		t.Errorf("the same broken file again: changed %v, %v; want it reported once", changed, err)
	}
	if _, err := l.Remove(ctx, "https://b.example/rss"); err == nil {
		t.Error("removed from a broken dotfile")
	}

	editorSave(t, path, data)
	if changed, err := l.Reload(ctx); !changed || err != nil {
		t.Fatalf("fixed: changed %v, %v", changed, err)
	}
	title, err = l.Remove(ctx, srv.URL("/comments.xml"))
	if err != nil || title != "Loopback Comments" {
		t.Fatalf("remove: %q %v", title, err)
	}
	if got := feedURLs(t, st); slices.Contains(got, srv.URL("/comments.xml")) || len(got) != 2 {
		t.Errorf("store feeds after remove: %v", got)
	}
}
