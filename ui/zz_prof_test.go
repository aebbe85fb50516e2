package ui

import (
	"os"
	"testing"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

func BenchmarkZZProf(b *testing.B) {
	f := os.Getenv("FAM")
	md := feed.ConvertHTML(feedtest.Hostile(f, 5000), "https://x.example/").Markdown
	for b.Loop() {
		renderBody(md, 80, "dark")
	}
}
