package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// BenchmarkRenderHostile measures opening a hostile article (the whole
// render: header, guarded glamour body, markers, decoration) for each family
// and size of feedtest.Hostile, at 80 columns: the CPU time at 1M must stay
// within 15 times the time at 100K (issue 12). It reports cpu-ms/op, which
// other programs on the machine barely change.
//
//	go test ./ui -run XX -bench RenderHostile -benchtime 1x
func BenchmarkRenderHostile(b *testing.B) {
	for _, f := range feedtest.HostileFamilies {
		for _, n := range feedtest.HostileSizes {
			body := feed.ConvertHTML(feedtest.Hostile(f, n), "https://hostile.example/")
			in := renderInput{
				article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: f, URL: "https://hostile.example/" + f},
					Markdown: body.Markdown, Links: body.Links},
				width: 80, style: "dark", styles: NewStyles(true, false), hyperlinks: true,
				budget: time.Hour, // measure glamour, not the plain-text fallback
			}
			b.Run(fmt.Sprintf("%s/%d", f, n), func(b *testing.B) {
				b.SetBytes(int64(len(body.Markdown)))
				b.ReportAllocs()
				cpu := feedtest.ProcessCPU()
				for b.Loop() {
					renderArticle(in)
				}
				if cpu > 0 {
					b.ReportMetric(float64(feedtest.ProcessCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
				}
			})
		}
	}
}
