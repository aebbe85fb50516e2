package seed

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/brief-reader/brief/store"
)

func TestFill(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts := Options{Feeds: 4, Articles: 90, Words: 20, StarEvery: 10}
	st, err := Fill(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Feeds != 4 || st.Articles != 90 || st.Read != 45 || st.Starred != 9 {
		t.Errorf("got %+v, want 4 feeds, 90 articles, 45 read, 9 starred", st)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[0].Total != 23 || feeds[3].Total != 22 || feeds[0].Tags[0] != "world" {
		t.Errorf("feeds: %+v", feeds)
	}
	rows, err := s.Articles(ctx, store.Filter{}, 0, 1)
	if err != nil || len(rows) != 1 {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, rows[0].ID)
	if err != nil || len(a.Links) != 3 || !a.Links[1].ReadAlso {
		t.Fatalf("article: %+v, %v", a, err)
	}
	// The "Read also" link points at an article of the next feed, cached.
	targets, err := s.LinkTargets(ctx, a.Links)
	if err != nil || len(targets) != 2 {
		t.Errorf("link targets: %+v, %v", targets, err)
	}

	// Filling again changes nothing.
	again, err := Fill(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Articles != 90 || again.Starred != 9 {
		t.Errorf("second fill: %+v", again)
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	a, b := Generate(Options{Articles: 1000, Feeds: 10}, 3), Generate(Options{Articles: 1000, Feeds: 10}, 3)
	if len(a.Items) != 100 || a.Items[42].Title != b.Items[42].Title || a.Items[42].Body.Text != b.Items[42].Body.Text {
		t.Errorf("Generate differs between runs")
	}
}
