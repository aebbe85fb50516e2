package feed

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// rssItem is one <item> of a test feed; empty fields are left out.
type rssItem struct{ guid, link, title, date, body string }

// rssDoc writes an RSS 2.0 document of items.
func rssDoc(items ...rssItem) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://site.example/</link>`)
	for _, it := range items {
		b.WriteString("<item>")
		for _, f := range []struct{ tag, v string }{{"guid", it.guid}, {"link", it.link}, {"title", it.title}, {"pubDate", it.date}, {"description", it.body}} {
			if f.v != "" {
				fmt.Fprintf(&b, "<%s>%s</%s>", f.tag, f.v, f.tag)
			}
		}
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// keysByTitle parses doc and maps each item's title to its key.
func keysByTitle(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	f, err := parseAt(doc, "", "https://site.example/feed.xml", testNow)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	keys := map[string]string{}
	seen := map[string]bool{}
	for _, it := range f.Items {
		if seen[it.Key] {
			t.Errorf("key %q used twice", it.Key)
		}
		seen[it.Key] = true
		keys[it.Title] = it.Key
	}
	return keys
}

// TestKeysStableAcrossRefreshes parses a feed, changes it the ways feeds
// change between refreshes, and checks every item keeps its key.
func TestKeysStableAcrossRefreshes(t *testing.T) {
	const d1, d2 = "Mon, 27 May 2024 08:00:00 GMT", "Tue, 28 May 2024 09:00:00 GMT"
	tests := []struct {
		name          string
		before, after []rssItem
	}{
		{
			name:   "pubDate changed",
			before: []rssItem{{guid: "g1", link: "https://site.example/1", title: "One", date: d1}},
			after:  []rssItem{{guid: "g1", link: "https://site.example/1", title: "One", date: d2}},
		},
		{
			name:   "items reordered",
			before: []rssItem{{guid: "g1", title: "One"}, {link: "https://site.example/2", title: "Two"}, {title: "Three", body: "x"}},
			after:  []rssItem{{title: "Three", body: "x"}, {link: "https://site.example/2", title: "Two"}, {guid: "g1", title: "One"}},
		},
		{
			name:   "tracking parameters added to links, GUID stable",
			before: []rssItem{{guid: "g1", link: "https://site.example/1", title: "One"}},
			after:  []rssItem{{guid: "g1", link: "https://site.example/1?utm_source=rss&amp;utm_medium=feed", title: "One"}},
		},
		{
			name:   "tracking parameters added to links, no GUID",
			before: []rssItem{{link: "https://site.example/1", title: "One"}},
			after:  []rssItem{{link: "https://www.site.example/1/?utm_campaign=x#top", title: "One"}},
		},
		{
			name: "same GUID on every item, reordered and redated",
			before: []rssItem{
				{guid: "same", link: "https://site.example/1", title: "One", date: d1},
				{guid: "same", link: "https://site.example/2", title: "Two", date: d1},
			},
			after: []rssItem{
				{guid: "same", link: "https://site.example/2", title: "Two", date: d2},
				{guid: "same", link: "https://site.example/1", title: "One", date: d2},
			},
		},
		{
			name: "same GUID and link on every item",
			before: []rssItem{
				{guid: "same", link: "https://site.example/", title: "One"},
				{guid: "same", link: "https://site.example/", title: "Two"},
			},
			after: []rssItem{
				{guid: "same", link: "https://site.example/", title: "Two", date: d2},
				{guid: "same", link: "https://site.example/", title: "One", date: d2},
			},
		},
		{
			name:   "neither GUID nor date",
			before: []rssItem{{title: "One", body: "first"}, {title: "Two", body: "second"}},
			after:  []rssItem{{title: "Two", body: "second"}, {title: "One", body: "first"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := keysByTitle(t, rssDoc(tt.before...))
			after := keysByTitle(t, rssDoc(tt.after...))
			if !maps.Equal(before, after) {
				t.Errorf("keys changed:\nbefore %v\nafter  %v", before, after)
			}
			if len(before) != len(tt.before) {
				t.Errorf("got %d items, want %d: %v", len(before), len(tt.before), before)
			}
		})
	}
}

func TestKeyKinds(t *testing.T) {
	keys := keysByTitle(t, rssDoc(
		rssItem{guid: "g1", link: "https://site.example/1", title: "guid"},
		rssItem{link: "/relative", title: "url"},
		rssItem{title: "hash", body: "text"},
		rssItem{guid: strings.Repeat("g", 2000), title: "long"},
	))
	want := map[string]string{"guid": "guid:g1", "url": "url:" + NormalizeURL("https://site.example/relative")}
	for title, key := range want {
		if keys[title] != key {
			t.Errorf("key of %q = %q, want %q", title, keys[title], key)
		}
	}
	if !strings.HasPrefix(keys["hash"], "hash:") {
		t.Errorf("key of an item without GUID or link = %q, want a hash: key", keys["hash"])
	}
	if k := keys["long"]; len(k) > maxKey || !strings.HasPrefix(k, "guid:sha256:") {
		t.Errorf("key of an enormous GUID = %q, want a short guid:sha256: key", k)
	}
}

func TestSaneDate(t *testing.T) {
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	tests := []struct {
		in   *time.Time
		want string // RFC 3339, "" for zero
	}{
		{nil, ""},
		{at("2024-05-01T10:00:00+02:00"), "2024-05-01T08:00:00Z"},
		{at("1970-01-01T00:00:00Z"), ""},
		{at("1989-12-31T23:59:59Z"), ""},
		{at("2024-06-02T11:00:00Z"), "2024-06-02T11:00:00Z"}, // under a day ahead of testNow
		{at("2024-06-02T13:00:00Z"), ""},
		{at("2999-01-01T00:00:00Z"), ""},
	}
	for _, tt := range tests {
		got := saneDate(tt.in, testNow)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("saneDate(%v) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestCutAtWord(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four five", 12, "one two…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"ééééééééé", 4, "ééé…"},
		{"word, another", 8, "word…"},
	}
	for _, tt := range tests {
		got := cutAtWord(tt.in, tt.limit)
		if got != tt.want {
			t.Errorf("cutAtWord(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > tt.limit {
			t.Errorf("cutAtWord(%q, %d) has %d characters", tt.in, tt.limit, n)
		}
	}
}

func TestCleanLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fish &amp; Chips", "Fish & Chips"},
		{"<b>Bold</b> move", "Bold move"},
		{"a<br>b", "a b"},
		{"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"  spaced \n\t out  ", "spaced out"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"&#27;[2Jcleared", "cleared"},
		{"CafÃ©", "Café"},
		// Text after a C1 control string stays (ST is not "œ"), its payload
		// goes, and so does an SOS, PM or APC string's.
		{"A \u009d0;T\u009c after ST", "A after ST"},
		{"A \u0090q\u009c after", "A after"},
		{"B \u0098sos\u009c after", "B after"},
		{"C \u009epm\u009c after", "C after"},
		{"D \u009fapc\x07 after", "D after"},
		{"E \u009dosc\x1b\\ after", "E after"},
		{"F \u009d8;;https://evil.example/\u009clink\u009d8;;\u009c", "F link"},
		{"\u009eaba in \u009aola", "žaba in šola"}, // windows-1252 read as ISO-8859-1
		{"c\u009cur", "cœur"},
	}
	for _, tt := range tests {
		if got := cleanLine(tt.in, maxTitle); got != tt.want {
			t.Errorf("cleanLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestItemURLs(t *testing.T) {
	doc := []byte(`<rss version="2.0"><channel><title>T</title><link>/blog/</link>
<item><title>relative</title><link>post/1</link></item>
<item><title>protocol-relative</title><link>//cdn.example.net/p</link></item>
<item><title>javascript</title><link>javascript:alert(1)</link></item>
<item><title>data</title><link>data:text/html,x</link></item>
<item><title>file</title><link>file:///etc/passwd</link></item>
<item><title>spaces</title><link>  https://site.example/a b  </link></item>
<item><title>guid permalink</title><guid>https://site.example/by-guid</guid></item>
<item><title>guid not a URL</title><guid>urn:x:1</guid></item>
</channel></rss>`)
	f, err := parseAt(doc, "", "https://site.example/feeds/main.xml", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if f.SiteURL != "https://site.example/blog/" {
		t.Errorf("SiteURL = %q, want https://site.example/blog/", f.SiteURL)
	}
	want := map[string]string{
		"relative":          "https://site.example/blog/post/1",
		"protocol-relative": "https://cdn.example.net/p",
		"javascript":        "",
		"data":              "",
		"file":              "",
		"spaces":            "https://site.example/a%20b",
		"guid permalink":    "https://site.example/by-guid",
		"guid not a URL":    "",
	}
	got := map[string]string{}
	for _, it := range f.Items {
		got[it.Title] = it.URL
	}
	if !maps.Equal(got, want) {
		for _, k := range slices.Sorted(maps.Keys(want)) {
			if got[k] != want[k] {
				t.Errorf("URL of %q = %q, want %q", k, got[k], want[k])
			}
		}
	}
}

// TestItemURLsHideNoControls checks that links hiding a control character
// are refused: the stand-in for ESC that gofeed percent-encodes when it
// resolves an Atom link, and percent-encoded C0 and C1 controls.
func TestItemURLsHideNoControls(t *testing.T) {
	doc := []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link href="https://a.example/&#27;[2J"/>
<entry><id>1</id><title>ESC reference</title><link href="http://x/at&#27;[2J"/></entry>
<entry><id>2</id><title>raw ESC</title><link href="http://x/at` + "\x1b" + `[2J"/></entry>
<entry><id>3</id><title>encoded ESC</title><link href="http://x/a%1b%5b2J"/></entry>
<entry><id>4</id><title>encoded stand-in</title><link href="http://x/a%EF%9C%9B"/></entry>
<entry><id>5</id><title>encoded CSI</title><link href="http://x/a%C2%9B31m"/></entry>
<entry><id>6</id><title>encoded newline</title><link href="http://x/a%0Ab"/></entry>
<entry><id>7</id><title>relative with ESC</title><link href="p&#27;]0;t&#7;"/></entry>
<entry><id>8</id><title>fine</title><link href="http://x/caf%C3%A9/%FF?q=%E2%82%AC"/></entry>
</feed>`)
	f, err := parseAt(doc, "", "https://a.example/feed", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if f.SiteURL != "" {
		t.Errorf("SiteURL = %q, want none", f.SiteURL)
	}
	for _, it := range f.Items {
		want := ""
		if it.Title == "fine" {
			want = "http://x/caf%C3%A9/%FF?q=%E2%82%AC"
		}
		if it.URL != want {
			t.Errorf("URL of %q = %q, want %q", it.Title, it.URL, want)
		}
	}
	if len(f.Items) != 8 {
		t.Errorf("got %d items, want 8", len(f.Items))
	}
}

func TestHidesControl(t *testing.T) {
	tests := map[string]bool{
		"https://x.example/a":                     false,
		"https://x.example/caf%C3%A9?q=%E2%82%AC": false,
		"https://x.example/%FF%FE":                false,
		"https://x.example/%zz%":                  false,
		"https://x.example/%1B":                   true,
		"https://x.example/%7f":                   true,
		"https://x.example/?q=%C2%9D":             true,
		"https://x.example/%EF%9C%80":             true,
		"https://x.example/%EF%9C%9F":             true,
		"https://x.example/%EF%9C%A0":             false, // past the stand-ins
		"https://x.example/\uf71b":                true,
	}
	for in, want := range tests {
		if got := hidesControl(in); got != want {
			t.Errorf("hidesControl(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestBadItemSkipped checks that an item that cannot be normalised is
// skipped with a warning while the rest of the feed is kept.
func TestBadItemSkipped(t *testing.T) {
	doc := rssDoc(rssItem{title: "Good"}, rssItem{}, rssItem{title: "Also good"})
	f, err := parseAt(doc, "", "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 2 || len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0], "item 2 skipped") {
		t.Errorf("items %d, warnings %q; want 2 items and a warning for item 2", len(f.Items), f.Warnings)
	}
}
