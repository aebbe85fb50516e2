package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkConvertHTML measures ConvertHTML on a short feed body (as the
// refresh benchmark's generated feeds have), a news article with "Read also"
// links, and plain text without markup.
func BenchmarkConvertHTML(b *testing.B) {
	article, err := os.ReadFile(filepath.Join("testdata", "html", "news-article.html"))
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct{ name, in string }{
		{"short", `<p>Article 7 of feed 3. <a href="https://news.example/articles/3/8">A link</a> and some <b>bold</b> text.</p>`},
		{"article", string(article)},
		{"plain", "Ministers met on Tuesday to discuss the budget, which is due in March; no decision was taken."},
		{"plain-lines", strings.Repeat("A line of plain text, without markup.\n", 10)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for b.Loop() {
				ConvertHTML(c.in, fixtureBase)
			}
		})
	}
}
