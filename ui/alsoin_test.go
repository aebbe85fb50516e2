package ui

import (
	"strings"
	"testing"

	"github.com/brief-reader/brief/store"
)

// The reader header names the other feeds a story is in (issue 10 "one
// story once"), cleaned of control characters and cut to the width; an
// article in one feed has no such line.
func TestReaderHeaderAlsoIn(t *testing.T) {
	in := renderInput{
		article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: "T", FeedTitle: "Feed A", URL: "https://example.org/a"},
			Markdown: "Body.", AlsoIn: []string{"Feed B", "Feed\x1b[31m C"}},
		width: 80, style: "dark", styles: NewStyles(true, false),
	}
	text := plain(strings.Join(renderHeader(in), "\n"))
	if !strings.Contains(text, "also in: Feed B, Feed C") {
		t.Errorf("header lacks the also-in line:\n%s", text)
	}
	if strings.Contains(strings.Join(renderHeader(in), ""), "\x1b[31m C") {
		t.Errorf("a feed title's escape sequence reached the screen")
	}
	in.width = 20
	for _, l := range renderHeader(in) {
		if w := len([]rune(plain(l))); w > 20 {
			t.Errorf("line %q is %d wide, want ≤ 20", plain(l), w)
		}
	}
	in.article.AlsoIn = nil
	if text := plain(strings.Join(renderHeader(in), "\n")); strings.Contains(text, "also in") {
		t.Errorf("an article in one feed shows an also-in line:\n%s", text)
	}
}
