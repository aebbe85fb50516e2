package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesAndMigrates(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "new", "dir")
	path := filepath.Join(dir, "brief.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("parent dir: %v, mode %v, want 0700", err, fi.Mode().Perm())
	}
	checks := []struct {
		pragma string
		want   string
	}{
		{"user_version", fmt.Sprint(len(migrations))},
		{"application_id", fmt.Sprint(applicationID)},
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"},
		{"busy_timeout", fmt.Sprint(busyTimeout.Milliseconds())},
		{"page_size", "8192"},
	}
	for _, c := range checks {
		for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", c.pragma, err)
			}
			if got != c.want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", name, c.pragma, got, c.want)
			}
		}
	}
	syncURLs(t, s, "https://example.org/feed.xml")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("after reopen: got %d feeds (%v), want 1", len(feeds), err)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%d e", "brief.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %s: %v", path, err)
	}
}

// fileSize returns the size of a file.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// fileSum returns the SHA-256 of a file.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// filledDB makes a closed brief database with a few hundred articles.
func filledDB(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	syncURLs(t, s, "https://a.example/feed", "https://b.example/feed")
	items := fakeItems("a", 300)
	for i := range items {
		items[i].Body.Text += " " + strings.Repeat("filler words to grow the body ", 40)
		// Bodies are stored deflated: varied words keep them large, so that
		// most of the file is body pages.
		var filler strings.Builder
		for j := range 300 {
			fmt.Fprintf(&filler, " w%x", (i*7919+j*104729)%1000003)
		}
		items[i].Body.Markdown += filler.String()
	}
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", items),
		"https://b.example/feed": fakeResult("B", fakeItems("b", 50)),
	}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesUnusableFiles(t *testing.T) {
	wantNotBrief := "is not a brief database (file is not SQLite or is corrupt); move it aside and brief will create a new one"
	wantDamaged := "the cache is damaged and brief will not write to it (PATH: SQLite reports corruption); to keep your read and starred articles, " +
		"run: sqlite3 PATH .recover | sqlite3 recovered.db, then put recovered.db in its place"
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string)
		kind    error
		msg     string
	}{
		{"not SQLite", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("this is my diary, not a database\n"), 200), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, wantNotBrief},
		{"truncated header", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("SQLite format 3\x00garbage"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, wantNotBrief},
		{"corrupt", func(t *testing.T, path string) {
			filledDB(t, path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			mid := len(b) / 2
			copy(b[mid-16<<10:mid+16<<10], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x17}, 8<<10))
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, wantDamaged},
		{"cut short", func(t *testing.T, path string) {
			filledDB(t, path)
			if err := os.Truncate(path, fileSize(t, path)-4096); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, wantDamaged},
		{"cut at a page boundary", func(t *testing.T, path string) {
			filledDB(t, path)
			if err := os.Truncate(path, fileSize(t, path)-8192); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, wantDamaged},
		{"an old schema at the current version", func(t *testing.T, path string) {
			// Like internal/seed/x.db was: brief's header and version, the
			// tables of another schema.
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(fmt.Sprintf(`CREATE TABLE feeds (id INTEGER PRIMARY KEY, url TEXT);
CREATE TABLE articles (id INTEGER PRIMARY KEY, feed_id INTEGER, title TEXT, body TEXT, read INTEGER);
INSERT INTO feeds VALUES (1, 'https://example.org/feed');
INSERT INTO articles VALUES (1, 1, 'Kept', 'text', 1);
PRAGMA application_id = %d; PRAGMA user_version = %d`, applicationID, len(migrations))); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, fmt.Sprintf("does not have the tables of a brief database at schema version %d (missing column articles.author (TEXT 1 '' 0), "+
			"missing column articles.first_seen (INTEGER 1 NULL 0), missing column articles.guid (TEXT 1 '' 0), ", len(migrations))},
		{"an old schema at an old version", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(fmt.Sprintf(`CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT);
PRAGMA application_id = %d; PRAGMA user_version = 2`, applicationID)); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, "does not have the tables of a brief database at schema version 2 ("},
		{"another program's database", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')`); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}, ErrNotDatabase, "is an SQLite database of another program, not a brief database; pass --db with another file"},
		{"newer brief", func(t *testing.T, path string) {
			filledDB(t, path)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}, ErrNewerSchema, fmt.Sprintf("was written by a newer brief (schema version %d, this brief knows up to %d); update brief or pass --db with another file",
			len(migrations)+1, len(migrations))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "brief.db")
			c.prepare(t, path)
			before := fileSum(t, path)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open: no error")
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q is not %v", err, c.kind)
			}
			want := "store: " + path + " " + c.msg
			if strings.Contains(c.msg, "PATH") { // names the path itself
				want = "store: " + strings.ReplaceAll(c.msg, "PATH", path)
			}
			ok := err.Error() == want
			if strings.HasSuffix(want, "(") || strings.HasSuffix(want, ", ") { // the start of a longer message
				ok = strings.HasPrefix(err.Error(), want)
			}
			if !ok {
				t.Errorf("got message\n%s\nwant\n%s", err, want)
			}
			if fileSum(t, path) != before {
				t.Error("the file was changed")
			}
		})
	}
}

func TestOpenReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not bind")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	path := filepath.Join(dir, "brief.db")
	filledDB(t, path)
	before := fileSum(t, path)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open: no error")
	}
	if !errors.Is(err, ErrReadOnly) || !strings.HasPrefix(err.Error(), "store: cannot write "+path+": read-only") {
		t.Errorf("got %q, want a read-only error", err)
	}
	if fileSum(t, path) != before {
		t.Error("the file was changed")
	}
}

func TestReadOnlyMessage(t *testing.T) {
	// The SQLite error of a write to a read-only database, produced for real
	// (mode=ro), classified the way Open and every method do.
	path := filepath.Join(t.TempDir(), "brief.db")
	filledDB(t, path)
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, werr := db.Exec(`UPDATE articles SET read = 1`)
	if werr == nil {
		t.Fatal("write to a read-only database succeeded")
	}
	err = classify(path, werr)
	if !errors.Is(err, ErrReadOnly) || !strings.HasPrefix(err.Error(), "store: cannot write "+path+": read-only file or directory") {
		t.Errorf("got %q, want a read-only error", err)
	}
}

func TestDiskFull(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	syncURLs(t, s, "https://a.example/feed")
	var pages int
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The writer's only connection may not grow the file any more: SQLite
	// answers SQLITE_FULL exactly as on a full disk.
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+1)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Refresh(ctx, &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", fakeItems("a", 500)),
	}}, nil, nil)
	if !errors.Is(err, ErrDiskFull) || !strings.HasPrefix(err.Error(), "store: cannot write "+s.Path()+": the disk is full") {
		t.Fatalf("got %v, want a disk-full error", err)
	}
	if n, err := s.CountArticles(ctx, Filter{}); err != nil || n != 0 {
		t.Errorf("after the failed refresh: %d articles (%v), want 0 (rolled back)", n, err)
	}
}

func TestLockedByAnotherWriter(t *testing.T) {
	old := busyTimeout
	busyTimeout = 300 * time.Millisecond
	t.Cleanup(func() { busyTimeout = old })
	s := openTest(t)
	ctx := context.Background()
	syncURLs(t, s, "https://a.example/feed")
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": fakeResult("A", fakeItems("a", 3))}})
	rows, err := s.Articles(ctx, Filter{}, 0, 1)
	if err != nil || len(rows) != 1 {
		t.Fatal(err)
	}

	// Another process holds the write lock.
	other, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	err = s.SetRead(ctx, rows[0].ID, true)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another brief may be refreshing it") {
		t.Errorf("got %v, want a locked error", err)
	}
	// Reading still works while the other writer holds its lock (WAL).
	if _, err := s.Articles(ctx, Filter{}, 0, 10); err != nil {
		t.Errorf("read while locked: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, rows[0].ID, true); err != nil {
		t.Errorf("after the lock is released: %v", err)
	}
}

func TestCorruptLargeDatabase(t *testing.T) {
	// Above quickCheckMaxBytes Open reads the header and the schema, and
	// checks every page in the background: reads go on, but no write
	// reaches the file before the check has passed, and on a damaged file
	// every write fails with the message of the check.
	path := largeDB(t)
	ctx := context.Background()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mid := len(b) / 2
	copy(b[mid-16<<10:mid+16<<10], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x17}, 8<<10))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	want := "store: the cache is damaged and brief will not write to it (" + path + ": SQLite reports corruption); to keep your read and starred articles, " +
		"run: sqlite3 " + path + " .recover | sqlite3 recovered.db, then put recovered.db in its place"
	if err := s.Check(ctx); !errors.Is(err, ErrNotDatabase) || err.Error() != want {
		t.Errorf("Check: got %v, want %q", err, want)
	}
	if err := s.SetRead(ctx, 1, true); !errors.Is(err, ErrNotDatabase) || err.Error() != want {
		t.Errorf("SetRead: got %v, want %q", err, want)
	}
	if err := s.SetStarred(ctx, 2, true); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("SetStarred: got %v", err)
	}
	// The reader syncs the dotfile at every start: unchanged, that writes
	// nothing (and needs no check); changed, it is refused.
	same := []FeedSpec{{URL: "https://a.example/feed"}, {URL: "https://b.example/feed"}}
	if err := s.SyncFeeds(ctx, same); err != nil {
		t.Errorf("SyncFeeds of the same feeds: %v", err)
	}
	// Nor does the rest of every start: the same accounts (none) and the same
	// kill rules (none). Before they checked first, each began a write and
	// so waited for the whole-file check: seconds on a 100,000-article cache.
	if err := s.SyncAccounts(ctx, nil); err != nil {
		t.Errorf("SyncAccounts of the same accounts: %v", err)
	}
	if _, err := s.ApplyIgnore(ctx, nil, 0); err != nil {
		t.Errorf("ApplyIgnore of the same rules: %v", err)
	}
	if err := s.SyncFeeds(ctx, same[:1]); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("SyncFeeds of other feeds: got %v", err)
	}
	_, err = s.Refresh(ctx, &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", fakeItems("new", 5)),
		"https://b.example/feed": fakeResult("B", fakeItems("b2", 5)),
	}}, nil, nil)
	if !errors.Is(err, ErrNotDatabase) || err.Error() != want {
		t.Errorf("Refresh: got %v, want %q", err, want)
	}
	var hit error
	for id := int64(1); id <= 350 && hit == nil; id++ {
		if _, err := s.Article(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
			hit = err
		}
	}
	if hit != nil && (!errors.Is(hit, ErrNotDatabase) || hit.Error() != want) {
		t.Errorf("Article: got %v, want %q", hit, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileSum(t, path) != before {
		t.Error("the file was changed")
	}
}

// largeDB makes a filled database that Open treats as large (checked in
// the background) for the rest of the test.
func largeDB(t *testing.T) string {
	t.Helper()
	old := quickCheckMaxBytes
	quickCheckMaxBytes = 0
	t.Cleanup(func() { quickCheckMaxBytes = old })
	path := filepath.Join(t.TempDir(), "brief.db")
	filledDB(t, path)
	return path
}

// TestLargeDatabaseWritesAfterCheck: on a sound large file the background
// check passes and writes go through.
func TestLargeDatabaseWritesAfterCheck(t *testing.T) {
	path := largeDB(t)
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetRead(ctx, 1, true); err != nil {
		t.Fatalf("SetRead: %v", err)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("Check: %v", err)
	}
}
