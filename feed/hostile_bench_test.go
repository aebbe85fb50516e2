package feed

import (
	"fmt"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// BenchmarkIngestHostile measures the whole ingest of a feed holding one
// hostile article (parse, sanitise, HTML to Markdown, links) for each family
// and size of feedtest.Hostile: the time at 1M must stay within 15 times the
// time at 100K (issue 12).
//
//	go test ./feed -run XX -bench IngestHostile -benchtime 1x
func BenchmarkIngestHostile(b *testing.B) {
	for _, f := range feedtest.HostileFamilies {
		for _, n := range feedtest.HostileSizes {
			doc := feedtest.HostileFeed("https://hostile.example", f, n)
			b.Run(fmt.Sprintf("%s/%d", f, n), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					if _, err := Parse(doc, "application/rss+xml", "https://hostile.example/feed.xml"); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// FuzzHostilePath feeds the hostile families, at a size and with a prefix
// the fuzzer picks, to the whole ingest path: it must not panic and its
// Markdown stays within MaxMarkdownSize and free of controls.
func FuzzHostilePath(f *testing.F) {
	for i := range feedtest.HostileFamilies {
		f.Add(uint8(i), uint16(2000), "")
		f.Add(uint8(i), uint16(300), "<blockquote><ul><li>[`*_")
	}
	f.Fuzz(func(t *testing.T, family uint8, size uint16, prefix string) {
		name := feedtest.HostileFamilies[int(family)%len(feedtest.HostileFamilies)]
		body := prefix + feedtest.Hostile(name, int(size)%20000)
		b := ConvertHTML(body, "https://hostile.example/")
		if len(b.Markdown) > MaxMarkdownSize+200 {
			t.Errorf("Markdown of %d bytes", len(b.Markdown))
		}
		if CleanMultiline(b.Markdown) != b.Markdown {
			t.Errorf("Markdown has controls: %q", b.Markdown)
		}
		if len(b.Links) > MaxLinks {
			t.Errorf("%d links", len(b.Links))
		}
	})
}
