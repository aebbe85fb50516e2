package subs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func mustRead(t *testing.T, data []byte) *List {
	t.Helper()
	l, err := Read(data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return l
}

type want struct {
	url, title string
	tags       []string
	line       int
}

func checkEntries(t *testing.T, got []Entry, w []want) {
	t.Helper()
	if len(got) != len(w) {
		t.Fatalf("got %d entries %+v, want %d", len(got), got, len(w))
	}
	for i := range w {
		g := got[i]
		if g.URL != w[i].url || g.Title != w[i].title || !slices.Equal(g.Tags, w[i].tags) || (w[i].line > 0 && g.Line != w[i].line) {
			t.Errorf("entry %d: got %+v, want %+v", i, g, w[i])
		}
	}
}

func TestOPMLShapes(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []want
		skip int
	}{
		{"flat OPML 1.0 with type and text", `<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
<outline text="A" title="A title" type="rss" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
</body></opml>`, []want{{"https://a.example/feed", "A", nil, 3}}, 0},
		{"xmlUrl in any letter case, no type, no text", `<opml version="2.0"><body>
<outline xmlurl="https://a.example/1"/>
<outline XMLURL="https://a.example/2" title="Only title"/>
<outline xmlURL="https://a.example/3" text=""/>
</body></opml>`, []want{{"https://a.example/1", "", nil, 2}, {"https://a.example/2", "Only title", nil, 3}, {"https://a.example/3", "", nil, 4}}, 0},
		{"nested folders become tags, doubled nesting collapses", `<opml version="2.0"><body>
<outline text="Tech"><outline text="Tech">
  <outline text="Go" xmlUrl="https://go.dev/blog/feed.atom"/>
</outline></outline>
<outline title="News" type="rss"><outline text="World">
  <outline text="BBC" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
</outline></outline>
</body></opml>`, []want{{"https://go.dev/blog/feed.atom", "Go", []string{"Tech"}, 3}, {"https://feeds.bbci.co.uk/news/world/rss.xml", "BBC", []string{"News", "World"}, 6}}, 0},
		{"duplicates merge their folders", `<opml><body>
<outline text="a"><outline text="X" xmlUrl="https://x.example/feed"/></outline>
<outline text="b"><outline text="X again" xmlUrl="http://www.x.example/feed/"/></outline>
</body></opml>`, []want{{"https://x.example/feed", "X", []string{"a", "b"}, 2}}, 1},
		{"empty folder typed rss is reported", `<opml><body><outline type="rss" text="lost"/></body></opml>`, nil, 1},
		{"title equal to the URL is no title", `<opml><body><outline text="https://a.example/f" xmlUrl="https://a.example/f"/></body></opml>`,
			[]want{{"https://a.example/f", "", nil, 1}}, 0},
		{"bare ampersands and HTML entities", `<opml><body><outline text="A&nbsp;&amp; B" xmlUrl="https://a.example/f?x=1&y=2&amp;z=3"/></body></opml>`,
			[]want{{"https://a.example/f?x=1&y=2&z=3", "A & B", nil, 1}}, 0},
		// Shaped after Thunderbird's exporter (feed-subscriptions.js): folders
		// by title only, fz: attributes with JSON inside.
		{"Thunderbird's format", `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0" xmlns:fz="urn:forumzilla:">
  <head><title>Thunderbird OPML Export - Blogs &amp; News Feeds</title><dateCreated>Wed, 22 Feb 2023 08:19:27 GMT</dateCreated></head>
  <body>
    <outline title="Programming">
      <outline type="rss" title="Slashdot" text="Slashdot" version="RSS" fz:quickMode="false" fz:options="{&quot;version&quot;:2,&quot;updates&quot;:{&quot;enabled&quot;:true}}" xmlUrl="http://rss.slashdot.org/Slashdot/slashdot" htmlUrl="http://slashdot.org/"/>
    </outline>
  </body>
</opml>`, []want{{"http://rss.slashdot.org/Slashdot/slashdot", "Slashdot", []string{"Programming"}, 6}}, 0},
		// Shaped after FreshRSS's export: the frss namespace, an
		// "Uncategorized" folder, and a web-page scraper that is no feed.
		{"FreshRSS's format", `<?xml version="1.0" encoding="UTF-8"?>
<opml xmlns:frss="https://freshrss.org/opml" version="2.0">
  <head><title>FreshRSS</title></head>
  <body>
    <outline text="Uncategorized">
      <outline text="FreshRSS releases" type="rss" xmlUrl="https://github.com/FreshRSS/FreshRSS/releases.atom" htmlUrl="https://github.com/FreshRSS/FreshRSS/" description="FreshRSS releases @ GitHub"/>
      <outline text="Example" type="HTML+XPath" xmlUrl="https://www.example.net/page.html" htmlUrl="https://www.example.net/" frss:xPathItem="//div[@class=&quot;news-item&quot;]"/>
    </outline>
  </body>
</opml>`, []want{{"https://github.com/FreshRSS/FreshRSS/releases.atom", "FreshRSS releases", []string{"Uncategorized"}, 6}}, 1},
		{"newsboat's export: tags in category, command feeds skipped", `<opml version="2.0"><head><title>Newsboat - Exported Feeds</title></head><body>
<outline type="rss" xmlUrl="https://a.example/rss" title="" category="tag one,tag_two,/a/b"/>
<outline type="rss" xmlUrl="|~/bin/feed.sh" title="cmd"/>
<outline type="rss" xmlUrl="exec:~/bin/feed.sh" title="exec"/>
</body></opml>`, []want{{"https://a.example/rss", "", []string{"tag one", "tag_two", "a/b"}, 2}}, 2},
		{"control characters in titles are removed", "<opml><body><outline text=\"A\x1b[31m B\" xmlUrl=\"https://a.example/f\"/></body></opml>",
			[]want{{"https://a.example/f", "A[31m B", nil, 1}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustRead(t, []byte(c.doc))
			if l.Format != "OPML" {
				t.Errorf("format %q", l.Format)
			}
			checkEntries(t, l.Entries, c.want)
			if len(l.Skipped) != c.skip || len(l.Problems) != 0 {
				t.Errorf("skipped %v, problems %v; want %d skipped, no problems", l.Skipped, l.Problems, c.skip)
			}
		})
	}
}

func TestOPMLEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="%s"?>
<opml version="2.0"><body><outline text="Новости" xmlUrl="https://lenta.example/rss"/></body></opml>`
	cp1251, err := charmap.Windows1251.NewEncoder().String(fmt.Sprintf(doc, "windows-1251"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(fmt.Sprintf(doc, "UTF-16"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"utf-8 with BOM":   "\xef\xbb\xbf" + fmt.Sprintf(doc, "UTF-8"),
		"windows-1251":     cp1251,
		"utf-16 with BOM":  utf16,
		"leading newlines": "\n\n  " + fmt.Sprintf(doc, "utf-8"),
	} {
		t.Run(name, func(t *testing.T) {
			checkEntries(t, mustRead(t, []byte(data)).Entries, []want{{"https://lenta.example/rss", "Новости", nil, 0}})
		})
	}
}

func TestOPMLUnsafeURLsAreProblems(t *testing.T) {
	l := mustRead(t, []byte(`<opml><body>
<outline text="ok" xmlUrl="https://ok.example/f"/>
<outline text="js" xmlUrl="javascript:alert(1)"/>
<outline text="file" xmlUrl="file:///etc/passwd"/>
<outline text="rel" xmlUrl="/feed.xml"/>
</body></opml>`))
	if len(l.Problems) != 3 {
		t.Fatalf("problems %v, want 3", l.Problems)
	}
	for i, w := range []string{"line 3: refusing javascript: URL", "line 4: refusing file: URL", "line 5: refusing relative URL"} {
		if got := l.Problems[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d: got %q, want %q…", i, got, w)
		}
	}
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat(`<outline text="d">`, 1000) + `<outline xmlUrl="https://a.example/f"/>` + strings.Repeat(`</outline>`, 1000)
	var many strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&many, "<outline xmlUrl=\"https://a.example/%d\"/>\n", i)
	}
	cases := map[string]struct{ doc, want string }{
		"HTML error page": {"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "HTML page, not an OPML file"},
		"a feed":          {`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, "this is a feed"},
		"other XML":       {`<?xml version="1.0"?><plist></plist>`, "root element is <plist>"},
		"truncated":       {"<opml version=\"2.0\"><body>\n<outline text=\"a\" xmlUrl=\"https://a.example/f\"/>\n<outline text=\"b\"", "line 3: the OPML file is truncated"},
		"malformed":       {"<opml><body>\n<outline text=\"a\"></wrong></body></opml>", "line 2: the OPML file is malformed"},
		"entity bomb": {`<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opml><body><outline text="&lol2;" xmlUrl="https://a.example/f"/></body></opml>`, "declares XML entities"},
		"1,000 levels deep":    {"<opml><body>" + deep + "</body></opml>", "nested more than 64 deep"},
		"100,000 outlines":     {"<opml><body>\n" + many.String() + "</body></opml>", "more than 20000 outlines"},
		"empty":                {" \n\t", "the file is empty"},
		"binary":               {"\x00\x01\x02garbage\xff", "binary file"},
		"prose":                {"Dear reader,\nthese are my feeds.\n", "neither OPML nor a newsboat urls file (line 1"},
		"undefined entity":     {`<opml><body><outline text="&bogus;" xmlUrl="https://a.example/f"/></body></opml>`, "malformed"},
		"nothing but a prolog": {`<?xml version="1.0"?>`, "no element found"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			l, err := Read([]byte(c.doc))
			if err == nil {
				t.Fatalf("no error; got %+v", l)
			}
			if !errors.Is(err, ErrNotList) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want ErrNotList containing %q", err, c.want)
			}
		})
	}
}

func TestNewsboatURLs(t *testing.T) {
	l := mustRead(t, []byte(`# my feeds
https://a.example/feed.xml tech "~A's blog"  "two words"
http://b.example/rss	news # a comment
"query:Unread Articles:unread = \"yes\""
exec:~/bin/make-feed.sh
filter:~/bin/f.sh:https://c.example/rss
https://hidden.example/x "!" tag

https://a.example/feed.xml more
javascript:alert(1)
`))
	if l.Format != "newsboat urls" {
		t.Errorf("format %q", l.Format)
	}
	checkEntries(t, l.Entries, []want{
		{"https://a.example/feed.xml", "A's blog", []string{"tech", "two words", "more"}, 2},
		{"http://b.example/rss", "", []string{"news"}, 3},
		{"https://hidden.example/x", "", []string{"tag"}, 7},
	})
	var skipped []string
	for _, s := range l.Skipped {
		skipped = append(skipped, s.String())
	}
	for i, w := range []string{"line 4: a newsboat query feed", "line 5: an exec: feed", "line 6: a filter: feed", "line 9: https://a.example/feed.xml is listed again (first at line 2)"} {
		if i >= len(skipped) || !strings.HasPrefix(skipped[i], w) {
			t.Errorf("skipped %q, want %d to start %q", skipped, i, w)
		}
	}
	if len(l.Problems) != 1 || l.Problems[0].Line != 10 {
		t.Errorf("problems %v, want line 10", l.Problems)
	}
}

func TestExportReadsBack(t *testing.T) {
	in := []Entry{
		{URL: "https://a.example/f", Title: `A <&> "B"`},
		{URL: "https://b.example/f", Tags: []string{"x", "y"}},
		{URL: "https://c.example/f?a=1&b=2", Title: "C", Tags: []string{"y"}},
	}
	out := Export(in, "brief", testTime)
	l := mustRead(t, out)
	checkEntries(t, l.Entries, []want{
		{"https://a.example/f", `A <&> "B"`, nil, 0},
		{"https://b.example/f", "", []string{"x", "y"}, 0},
		{"https://c.example/f?a=1&b=2", "C", []string{"y"}, 0},
	})
	if !strings.Contains(string(out), `<opml version="2.0">`) || !strings.Contains(string(out), "<dateCreated>Mon, 02 Jan 2006 15:04:05 +0000</dateCreated>") {
		t.Errorf("not OPML 2.0 with a date:\n%s", out)
	}
}
