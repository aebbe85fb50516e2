package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// itemTitles returns the titles of f's items.
func itemTitles(f *Feed) []string {
	var titles []string
	for _, it := range f.Items {
		titles = append(titles, it.Title)
	}
	return titles
}

// TestParseSalvagesItems checks that one broken item costs only itself: the
// items around it are kept, with a warning that names it.
func TestParseSalvagesItems(t *testing.T) {
	const atom = `<feed xmlns="http://www.w3.org/2005/Atom">`
	tests := []struct {
		name     string
		body     string
		title    string   // of the feed
		titles   []string // of the items
		warnings []string // each must be one of the warnings, in order
	}{
		{
			name:   "bad tag in an item",
			body:   `<rss><channel><title>T</title><item><guid>a</guid><title>Good A</title></item><item><guid>b</guid><title>Bad <x</title></item><item><guid>c</guid><title>Good C</title></item></channel></rss>`,
			title:  "T",
			titles: []string{"Good A", "Good C"},
			warnings: []string{
				"feed: the feed is damaged (XML syntax error on line 1: expected attribute name in element); showing the 2 items that could be read",
				"feed: item 2 skipped: XML syntax error on line 1: expected attribute name in element",
			},
		},
		{
			name:   "bad tag in an item, over lines",
			body:   "<rss>\n<channel>\n<title>T</title>\n<item><guid>a</guid><title>Good A</title></item>\n<item>\n<guid>b</guid>\n<title>Bad <x</title>\n</item>\n<item><guid>c</guid><title>Good C</title></item>\n</channel>\n</rss>\n",
			title:  "T",
			titles: []string{"Good A", "Good C"},
			warnings: []string{
				"feed: the feed is damaged (XML syntax error on line 7: expected attribute name in element); showing the 2 items that could be read",
				"feed: item 2 skipped: XML syntax error on line 7: expected attribute name in element",
			},
		},
		{
			name:   "mismatched end tag",
			body:   `<rss><channel><title>T</title><item><guid>a</guid><title>Good A</title></item><item><guid>b</guid><title>Typo</titel></item><item><guid>c</guid><title>Good C</title></item></channel></rss>`,
			title:  "T",
			titles: []string{"Good A", "Typo", "Good C"},
			warnings: []string{
				"feed: the feed is damaged (XML syntax error on line 1: element <title> closed by </titel>); showing the 3 items that could be read",
			},
		},
		{
			name:   "bad first and last items",
			body:   `<rss><channel><item><title>1 & 2 <</title></item><item><title>Middle</title></item><item><title>x</title><link>a</link <b></item></channel></rss>`,
			titles: []string{"Middle"},
			warnings: []string{
				"feed: item 1 skipped: XML syntax error on line 1: expected element name after <",
				"feed: item 3 skipped: XML syntax error on line 1: invalid characters between </link and >",
			},
		},
		{
			name:   "item without its end tag",
			body:   `<rss><channel><item><title>Open</title><item><title>Closed</title></item></channel></rss>`,
			titles: []string{"Open", "Closed"},
			warnings: []string{
				"feed: the feed is damaged (XML syntax error on line 1: element <item> closed by </channel>); showing the 2 items that could be read",
			},
		},
		{
			name:   "damage in the channel header",
			body:   `<rss><channel><title>Feed <x</title><item><title>One</title></item><item><title>Two</title></item></channel></rss>`,
			titles: []string{"One", "Two"},
			warnings: []string{
				"feed: the feed is damaged (XML syntax error on line 1: expected attribute name in element); showing the 2 items that could be read",
			},
		},
		{
			name:   "items in comments and CDATA are no items",
			body:   `<rss><channel><!-- <item><title>Old</title></item> --><item><title>A</title><description><![CDATA[<item>not one</item>]]></description></item><item><title>B <x</title></item></channel></rss>`,
			titles: []string{"A"},
			warnings: []string{
				"feed: item 2 skipped: XML syntax error on line 1: expected attribute name in element",
			},
		},
		{
			name: "RDF",
			body: `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
				`<channel rdf:about="https://r.example/"><title>R</title><items><rdf:Seq><rdf:li resource="https://r.example/1"/></rdf:Seq></items></channel>` +
				`<item rdf:about="https://r.example/1"><title>One</title><link>https://r.example/1</link><dc:creator>Ann</dc:creator></item>` +
				`<item rdf:about="https://r.example/2"><title>Two <</title></item>` +
				`<item rdf:about="https://r.example/3"><title>Three</title><link>https://r.example/3</link></item></rdf:RDF>`,
			title:  "R",
			titles: []string{"One", "Three"},
			warnings: []string{
				"feed: item 2 skipped: XML syntax error on line 1: expected element name after <",
			},
		},
		{
			name: "Atom",
			body: atom + `<title>A</title><author><name>Feed Author</name></author>` +
				`<entry><id>1</id><title>First</title></entry><entry><id>2</id><title>Broken</title><link href="x" <y/></entry>` +
				`<entry><id>3</id><title>Third</title></entry></feed>`,
			title:  "A",
			titles: []string{"First", "Third"},
			warnings: []string{
				"feed: item 2 skipped: XML syntax error on line 1: expected attribute name in element",
			},
		},
		{
			name:   "Atom with a mismatched end tag",
			body:   atom + `<title>A</title><entry><id>1</id><title>First</titel></entry><entry><id>2</id><title>Second</title></entry></feed>`,
			title:  "A",
			titles: []string{"First", "Second"},
		},
		{
			name:   "truncated",
			body:   `<rss><channel><title>T</title><item><title>One</title></item><item><title>Two <x</title></item><item><title>Thr`,
			title:  "T",
			titles: []string{"One"},
			warnings: []string{
				"feed: item 2 skipped: XML syntax error on line 1: expected attribute name in element",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseAt([]byte(tt.body), "", "https://s.example/feed", testNow)
			if err != nil {
				t.Fatalf("Parse error %v, want the readable items", err)
			}
			if f.Title != tt.title {
				t.Errorf("feed title = %q, want %q", f.Title, tt.title)
			}
			if got := itemTitles(f); !slices.Equal(got, tt.titles) {
				t.Errorf("titles = %q, want %q", got, tt.titles)
			}
			if len(f.Warnings) == 0 || !strings.HasPrefix(f.Warnings[0], "feed: the feed is damaged (") {
				t.Errorf("warnings = %q, want the first to say the feed is damaged", f.Warnings)
			}
			rest := f.Warnings
			for _, w := range tt.warnings {
				i := slices.Index(rest, w)
				if i < 0 {
					t.Errorf("warnings = %q, want %q (in this order)", f.Warnings, w)
					break
				}
				rest = rest[i+1:]
			}
			checkFeedClean(t, f, false)
		})
	}
}

// TestParseSalvageKeepsFields checks that an item read on its own keeps
// what depends on the rest of the document: extension namespaces declared
// on the root, and the feed's author for Atom entries without one.
func TestParseSalvageKeepsFields(t *testing.T) {
	rss := `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://s.example/</link>` +
		`<item><title>Bad <x</title></item>` +
		`<item><guid>g</guid><title>Good</title><link>/good</link><dc:creator>Dana</dc:creator><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded><pubDate>Mon, 27 May 2024 08:00:00 GMT</pubDate></item></channel></rss>`
	f, err := parseAt([]byte(rss), "", "https://s.example/feed", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 1 {
		t.Fatalf("got %d items, want 1", len(f.Items))
	}
	it := f.Items[0]
	if it.Key != "guid:g" || it.URL != "https://s.example/good" || it.Author != "Dana" || it.Body.Text != "Full text" ||
		it.Published.IsZero() || f.SiteURL != "https://s.example/" {
		t.Errorf("item = %+v (site %q): fields lost", it, f.SiteURL)
	}

	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><author><name>Feed Author</name></author>` +
		`<entry><id>1</id><title>One</title></entry><entry><id>2</id><title>Two <</title></entry></feed>`
	f, err = parseAt([]byte(atom), "", "https://s.example/feed", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 1 || f.Items[0].Author != "Feed Author" {
		t.Errorf("items = %+v, want One by Feed Author", f.Items)
	}
}

// TestParseSalvageCapsWarnings checks that a feed with many broken items
// names only the first few.
func TestParseSalvageCapsWarnings(t *testing.T) {
	var b strings.Builder
	b.WriteString("<rss><channel><title>T</title>")
	for i := range 40 {
		if i%2 == 1 {
			fmt.Fprintf(&b, "<item><title>Bad %d <x</title></item>", i)
		} else {
			fmt.Fprintf(&b, "<item><title>Good %d</title></item>", i)
		}
	}
	b.WriteString("</channel></rss>")
	f, err := parseAt([]byte(b.String()), "", "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 20 {
		t.Errorf("got %d items, want 20", len(f.Items))
	}
	skipped := 0
	for _, w := range f.Warnings {
		if strings.Contains(w, " skipped: ") {
			skipped++
		}
	}
	if skipped != maxSkipWarnings || !slices.Contains(f.Warnings, "feed: 10 more items skipped") {
		t.Errorf("warnings = %q, want %d naming an item and one counting 10 more", f.Warnings, maxSkipWarnings)
	}
}

// TestParseSalvageHuge checks that a 10,000-item feed with one broken item
// in the middle keeps the other 9,999 items, quickly.
func TestParseSalvageHuge(t *testing.T) {
	for _, kind := range []string{"rss", "atom"} {
		t.Run(kind, func(t *testing.T) {
			const n = 10_000
			var b strings.Builder
			item := "<item><guid>%d</guid><title>Item %d</title><link>https://h.example/%d</link><description>Text of item %d.</description></item>\n"
			open, end := "<rss><channel><title>Huge</title>\n", "</channel></rss>"
			if kind == "atom" {
				item = "<entry><id>%d</id><title>Item %d</title><link href=\"https://h.example/%d\"/><summary>Text of item %d.</summary></entry>\n"
				open, end = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Huge</title>`+"\n", "</feed>"
			}
			b.WriteString(open)
			for i := range n {
				if i == n/2 {
					b.WriteString(strings.Replace(fmt.Sprintf(item, i, i, i, i), "Text", "Bad <x", 1))
					continue
				}
				fmt.Fprintf(&b, item, i, i, i, i)
			}
			b.WriteString(end)
			start := time.Now()
			r := parseWithin(t, []byte(b.String()), "", "", 20*time.Second)
			t.Logf("%d items parsed in %v", n, time.Since(start))
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.feed.Items) != n-1 {
				t.Errorf("got %d items, want %d", len(r.feed.Items), n-1)
			}
			want := fmt.Sprintf("feed: item %d skipped: XML syntax error on line %d: ", n/2+1, n/2+2)
			if !slices.ContainsFunc(r.feed.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
				t.Errorf("warnings = %q, want %q", r.feed.Warnings, want)
			}
		})
	}
}

func TestSplitItems(t *testing.T) {
	doc := "<rss><channel><title>T</title>\n<item>a</item><!-- <item> -->\n<ITEM x='1'>b</ITEM >" +
		"<items/><item/><item><![CDATA[</item>]]></item><item>open<item>c</item></channel></rss>"
	chunks, trailer := splitItems([]byte(doc), "item", "rss")
	var got []string
	for _, c := range chunks {
		got = append(got, fmt.Sprintf("%d:%s", c.line, doc[c.start:c.end]))
	}
	want := []string{"2:<item>a</item>", "3:<ITEM x='1'>b</ITEM >", "3:<item/>", "3:<item><![CDATA[</item>]]></item>",
		"3:<item>open", "3:<item>c</item>"}
	if !slices.Equal(got, want) {
		t.Errorf("chunks = %q, want %q", got, want)
	}
	if doc[trailer:] != "</channel></rss>" {
		t.Errorf("trailer = %q", doc[trailer:])
	}
	chunks, _ = splitItems([]byte("<rss><item>one</item><item>cut off"), "item", "rss")
	if len(chunks) != 2 || !chunks[1].cutOff || chunks[0].cutOff {
		t.Errorf("chunks = %+v, want the second cut off", chunks)
	}
}

// TestCutXMLAtTheError checks that a damaged document is cut before the
// damage, not after the line it is on.
func TestCutXMLAtTheError(t *testing.T) {
	doc := []byte(`<rss><channel><item><title>One</title></item><item><title>Bad <x</title></item><item><title>Three</title></item></channel></rss>`)
	_, err := runGofeed(doc)
	cut, ok := cutXML(doc, "rss", err)
	if want := `<rss><channel><item><title>One</title></item></rss>`; !ok || string(cut) != want {
		t.Errorf("cutXML = %q, %v, want %q", cut, ok, want)
	}
}

// TestParseSalvageHostile checks that documents built to make the item
// scanner or the salvage slow are read in bounded time.
func TestParseSalvageHostile(t *testing.T) {
	const n = 1 << 20
	bad := "<item><title>Bad <x</title></item>"
	tests := map[string]string{
		"unclosed comments":       "<rss><channel><item><title>A</title></item>" + bad + strings.Repeat("<!--", n) + "</channel></rss>",
		"unclosed CDATA sections": "<rss><channel><item><title>A</title></item>" + bad + strings.Repeat("<![CDATA[", n/2) + "</channel></rss>",
		"item tags without end":   "<rss><channel>" + bad + strings.Repeat("<item ", n) + "</channel></rss>",
		"every item broken":       "<rss><channel>" + strings.Repeat(bad, 20000) + "</channel></rss>",
		"huge root tag":           `<rss ` + strings.Repeat(`xmlns:a="b" `, n/8) + `><channel>` + strings.Repeat("<item><title>A</title></item>"+bad, 5000) + "</channel></rss>",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			r := parseWithin(t, []byte(doc), "", "", 10*time.Second)
			t.Logf("%d bytes in %v: %d items, err %v", len(doc), time.Since(start), itemCount(r.feed), r.err)
			if r.err == nil {
				checkFeedClean(t, r.feed, true)
			}
		})
	}
}

// itemCount returns the number of items of f, which may be nil.
func itemCount(f *Feed) int {
	if f == nil {
		return 0
	}
	return len(f.Items)
}
