package subs

import (
	"testing"
	"time"
)

var testTime = time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)

// FuzzRead: any input gives a list or an error, never a panic, and every
// entry it returns is exported and read back unchanged.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`<opml><body><outline text="a"><outline xmlUrl="https://a.example/f" text="A"/></outline></body></opml>`,
		"https://a.example/f tag \"~Title\"\nquery:x:y\n",
		"\xef\xbb\xbf<opml><body><outline xmlurl=\"http://b.example/?a=1&b\"/></body></opml>",
		`<!DOCTYPE x [<!ENTITY a "b">]><opml/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Read(data)
		if err != nil {
			return
		}
		back, err := Read(Export(l.Entries, "x", testTime))
		if err != nil {
			t.Fatalf("export of %+v does not read back: %v", l.Entries, err)
		}
		if len(back.Entries) != len(l.Entries) || len(back.Problems) > 0 {
			t.Fatalf("round trip: %d entries → %d (problems %v)", len(l.Entries), len(back.Entries), back.Problems)
		}
	})
}
