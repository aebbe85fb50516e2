package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrationPacksBodies builds a cache as brief wrote it before bodies
// were packed (schema 4: Markdown and text side by side, 2,500 articles so
// the copy takes more than one chunk, some read or starred) and checks that
// opening it keeps every body, the search, the counts and the read and
// starred state.
func TestMigrationPacksBodies(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old := openAtVersion(t, path, 4)
	if _, err := old.w.ExecContext(ctx, `INSERT INTO feeds (id, url) VALUES (1, 'https://old.example/feed')`); err != nil {
		t.Fatal(err)
	}
	const n = 2500
	long := strings.Repeat("Delegations met again in Istanbul on Friday. ", 20)
	tx, err := old.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		md := fmt.Sprintf("Body %d. %s", i, long)
		if i%10 == 0 {
			md = fmt.Sprintf("Short %d", i)
		}
		word := "common"
		if i == 1234 {
			word = "zanzibar"
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO articles (id, feed_id, read, starred, sort_date, first_seen, key, title, url, url_norm)
VALUES (?1, 1, ?1 % 3 = 0, ?1 % 7 = 0, 1767225600 + ?1, 1767225600, 'k' || ?1, 'Title ' || ?1, '', '');
INSERT INTO bodies (id, markdown, text) VALUES (?1, ?2, ?3);
INSERT INTO articles_fts (rowid, title, text) VALUES (?1, 'Title ' || ?1, ?3);`, i, md, md+" "+word); err != nil {
			t.Fatal(err)
		}
	}
	if err := recount(ctx, tx, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after packing bodies: %v", err)
	}
	defer s.Close()
	for _, i := range []int{1, 10, 1234, n} {
		a, err := s.Article(ctx, int64(i))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("Body %d. %s", i, long)
		if i%10 == 0 {
			want = fmt.Sprintf("Short %d", i)
		}
		if a.Markdown != want || a.Read != (i%3 == 0) || a.Starred != (i%7 == 0) {
			t.Errorf("article %d: %d bytes of Markdown (want %d), read %v, starred %v", i, len(a.Markdown), len(want), a.Read, a.Starred)
		}
	}
	if rows, err := s.Articles(ctx, Filter{Query: "zanzibar"}, 0, 10); err != nil || len(rows) != 1 || rows[0].ID != 1234 {
		t.Errorf("search after packing: %+v, %v", rows, err)
	}
	c, err := s.Counts(ctx)
	if err != nil || c.All != n || c.Unread != n-n/3 || c.Starred != n/7 {
		t.Errorf("counts after packing: %+v, %v", c, err)
	}
	var cols int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('bodies') WHERE name = 'text'`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("bodies still has a text column (%d), %v", cols, err)
	}
}
