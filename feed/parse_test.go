package feed

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/charmbracelet/glamour"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestParseGolden")

// testNow is the time the golden files were made at: dates more than a day
// after it count as "in the future".
var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// fixtureContentType is the Content-Type a fixture is served with; none
// unless listed.
var fixtureContentType = map[string]string{
	"koi8r_http_charset.xml":            "application/rss+xml; charset=KOI8-R",
	"gb2312_http_overrides_prolog.xml":  "text/xml; charset='gb2312'",
	"hostile_jsonfeed.json":             "application/feed+json",
	"jsonfeed.json":                     "application/feed+json",
	"html_page.html":                    "text/html; charset=utf-8",
	"windows1251_wrong_utf8_header.xml": "application/rss+xml; charset=utf-8",
}

// goldenFeed is what a golden file records of Parse's result. Body.Markdown
// is left out: its formatting belongs to ConvertHTML and has its own tests.
type goldenFeed struct {
	Error       string       `json:"error,omitempty"`
	Alternates  []string     `json:"alternates,omitempty"`
	Title       string       `json:"title,omitempty"`
	SiteURL     string       `json:"siteURL,omitempty"`
	Description string       `json:"description,omitempty"`
	Warnings    []string     `json:"warnings,omitempty"`
	Items       []goldenItem `json:"items,omitempty"`
}

type goldenItem struct {
	Key       string `json:"key"`
	GUID      string `json:"guid,omitempty"`
	URL       string `json:"url,omitempty"`
	Title     string `json:"title"`
	Author    string `json:"author,omitempty"`
	Published string `json:"published,omitempty"`
	Updated   string `json:"updated,omitempty"`
	Text      string `json:"text,omitempty"`
	Links     []Link `json:"links,omitempty"`
}

// golden turns a Parse result into its golden form.
func golden(f *Feed, err error) goldenFeed {
	if err != nil {
		g := goldenFeed{Error: err.Error()}
		var nf *NotFeedError
		if errors.As(err, &nf) {
			g.Alternates = nf.Alternates
		}
		return g
	}
	g := goldenFeed{Title: f.Title, SiteURL: f.SiteURL, Description: f.Description, Warnings: f.Warnings}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	for _, it := range f.Items {
		g.Items = append(g.Items, goldenItem{
			Key: it.Key, GUID: it.GUID, URL: it.URL, Title: it.Title, Author: it.Author,
			Published: date(it.Published), Updated: date(it.Updated),
			Text: it.Body.Text, Links: it.Body.Links,
		})
	}
	return g
}

// TestParseGolden parses every fixture in testdata/parse and compares the
// result with its .golden.json file (rewrite them with -update).
func TestParseGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "parse", "*"))
	if err != nil {
		t.Fatal(err)
	}
	inputs = slices.DeleteFunc(inputs, func(p string) bool { return strings.HasSuffix(p, ".golden.json") })
	if len(inputs) == 0 {
		t.Fatal("no fixtures in testdata/parse")
	}
	for _, in := range inputs {
		name := filepath.Base(in)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f, perr := parseAt(body, fixtureContentType[name], "https://example.com/feeds/"+name, testNow)
			got, err := json.MarshalIndent(golden(f, perr), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := strings.TrimSuffix(in, filepath.Ext(in)) + ".golden.json"
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./feed -run TestParseGolden -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("Parse(%s) differs from %s:\ngot:\n%s\nwant:\n%s", name, path, got, want)
			}
			if perr == nil {
				checkFeedClean(t, f, false)
			}
		})
	}
}

// TestParseNotFeed checks the errors for bodies that are no feed.
func TestParseNotFeed(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		want                    string   // in the error message
		alternates              []string // of the *NotFeedError
	}{
		{name: "empty", body: "", want: "feed: not a feed (the body is empty)"},
		{name: "white space", body: " \r\n\t ", want: "the body is empty"},
		{name: "plain text", body: "Service Unavailable", want: "neither XML nor JSON"},
		{name: "OPML", body: `<?xml version="1.0"?><opml version="2.0"><body/></opml>`, want: "OPML"},
		{name: "other XML", body: `<catalog><book/></catalog>`, want: "root element is <catalog>"},
		{name: "JSON array", body: `[1, 2]`, want: "not a JSON Feed"},
		{name: "JSON object", body: `{"error": "rate limited"}`, want: "not a JSON Feed"},
		{name: "HTML page", body: "<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
			want: "feed: not a feed (an HTML page)"},
		{name: "HTML fragment", body: `<p>Just a paragraph</p>`, want: "a fragment of HTML"},
		{
			name:       "HTML page with a feed",
			body:       `<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>`,
			want:       "feed: this is an HTML page, not a feed; it points to a feed at https://site.example/rss.xml — use that URL",
			alternates: []string{"https://site.example/rss.xml"},
		},
		{
			name: "HTML page with two feeds",
			body: `<html><head><link rel="alternate" type="application/atom+xml" href="https://a.example/atom">` +
				`<link rel="alternate feed" type="application/feed+json" href="feed.json"></head></html>`,
			want:       "it points to feeds at https://a.example/atom, https://site.example/blog/feed.json — use one of those URLs",
			alternates: []string{"https://a.example/atom", "https://site.example/blog/feed.json"},
		},
		{
			name:       "HTML page advertising javascript:",
			body:       `<html><head><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head></html>`,
			want:       "feed: not a feed (an HTML page)",
			alternates: nil,
		},
		{name: "garbage XML", body: "<rss><channel><title>x</title><item><title>&&&<<<", want: "feed: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseAt([]byte(tt.body), tt.contentType, "https://site.example/blog/index.html", testNow)
			if err == nil {
				if tt.name == "garbage XML" {
					return // salvaged: acceptable
				}
				t.Fatalf("Parse = %+v, want an error containing %q", f, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			var nf *NotFeedError
			if tt.name != "garbage XML" && !errors.As(err, &nf) {
				t.Fatalf("error %T is not a *NotFeedError", err)
			}
			if nf != nil && !slices.Equal(nf.Alternates, tt.alternates) {
				t.Errorf("Alternates = %q, want %q", nf.Alternates, tt.alternates)
			}
		})
	}
}

// TestParseDamaged checks that damaged feeds keep what can be read.
func TestParseDamaged(t *testing.T) {
	tests := []struct {
		name, body string
		titles     []string
		warning    string
	}{
		{
			name:    "XML cut in an item",
			body:    `<rss><channel><title>T</title><item><title>One</title></item><item><title>Tw`,
			titles:  []string{"One"},
			warning: "showing the 1 items before the damage",
		},
		{
			name:    "XML broken in the middle",
			body:    "<rss><channel><item><title>One</title></item>\n<item><title>Two</title></item>\n<item><title>Three</ti\xff\xfe\x00</rss>",
			titles:  []string{"One", "Two"},
			warning: "feed: the feed is damaged",
		},
		{
			name:    "Atom without its end tag",
			body:    `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title></entry><entry><title>B</title></entry>`,
			titles:  []string{"A", "B"},
			warning: "damaged",
		},
		{
			name:    "JSON cut in an item",
			body:    `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"Whole"},{"id":"2","title":"Ha`,
			titles:  []string{"Whole"},
			warning: "the JSON Feed is damaged",
		},
		{
			name:    "JSON with wrongly typed fields",
			body:    `{"version":"https://jsonfeed.org/version/1","title":7,"items":[{"id":true,"title":"T","tags":"a,b","authors":"x","url":5}]}`,
			titles:  []string{"T"},
			warning: "the JSON Feed is damaged",
		},
		{
			name:    "feed wrapped in HTML",
			body:    `<html><body><rss version="2.0"><channel><item><title>Inside</title></item></channel></rss></body></html>`,
			titles:  []string{"Inside"},
			warning: "wrapped in an HTML page",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseAt([]byte(tt.body), "", "https://d.example/", testNow)
			if err != nil {
				t.Fatalf("Parse error %v, want the items before the damage", err)
			}
			var titles []string
			for _, it := range f.Items {
				titles = append(titles, it.Title)
			}
			if !slices.Equal(titles, tt.titles) {
				t.Errorf("titles = %q, want %q", titles, tt.titles)
			}
			if !slices.ContainsFunc(f.Warnings, func(w string) bool { return strings.Contains(w, tt.warning) }) {
				t.Errorf("warnings = %q, want one containing %q", f.Warnings, tt.warning)
			}
		})
	}
}

// TestParseRecoversFromPanics checks that runGofeed turns a panic into an
// error (gofeed has panicked on hostile input before).
func TestParseRecoversFromPanics(t *testing.T) {
	saved := rssTranslator
	t.Cleanup(func() { rssTranslator = saved })
	rssTranslator = nil // makes gofeed call a method on a nil translator
	f, err := parseAt([]byte(`<rss><channel><item><title>x</title></item></channel></rss>`), "", "", testNow)
	if err == nil {
		t.Fatalf("Parse = %+v, want an error", f)
	}
	if !strings.HasPrefix(err.Error(), "feed: ") {
		t.Errorf("error %q does not start with \"feed: \"", err)
	}
}

// fuzzParseRenderLimit is the largest body FuzzParse also renders an item
// of through glamour (rendering is slow; small inputs find the same bugs).
const fuzzParseRenderLimit = 4 << 10

// FuzzParse feeds Parse arbitrary bodies and content types: it must never
// panic, and everything it returns (items, warnings, error messages) must be
// valid UTF-8 without control, bidirectional or invisible characters. For
// small inputs, the first item's body is also rendered with glamour, which
// must emit no escape sequence but SGR. The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err != nil {
		f.Fatalf("glamour: %v", err)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := parseAt(body, contentType, "https://fuzz.example/feed", testNow)
		if err != nil {
			if msg := unclean(err.Error(), false, true); msg != "" {
				t.Errorf("error message %q: %s", err, msg)
			}
			if !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("error %q does not start with \"feed: \"", err)
			}
			return
		}
		checkFeedClean(t, feed, true)
		if len(body) > fuzzParseRenderLimit {
			return
		}
		for _, it := range feed.Items {
			if it.Body.Markdown == "" || len(it.Body.Markdown) > fuzzRenderLimit {
				continue
			}
			if out, err := r.Render(it.Body.Markdown); err == nil {
				checkOnlySGR(t, "glamour output", out)
			}
			break
		}
	})
}

// BenchmarkParse measures Parse on a generated 50-item feed and on the
// 1.6 MB podcast feed of the corpus.
func BenchmarkParse(b *testing.B) {
	var items []rssItem
	for i := range 50 {
		items = append(items, rssItem{
			guid:  fmt.Sprintf("https://bench.example/%d", i),
			link:  fmt.Sprintf("https://bench.example/%d?utm_source=rss", i),
			title: fmt.Sprintf("Article number %d about something", i),
			date:  "Mon, 27 May 2024 08:00:00 GMT",
			body: "&lt;p&gt;" + strings.Repeat("Some text of the article with a &lt;a href=\"/x\"&gt;link&lt;/a&gt;. ", 20) +
				"&lt;/p&gt;&lt;p&gt;Read also: &lt;a href=\"https://bench.example/other\"&gt;Another story&lt;/a&gt;&lt;/p&gt;",
		})
	}
	base := "https://bench.example"
	cases := []struct {
		name string
		body []byte
	}{
		{"rss-50-items", rssDoc(items...)},
		{"feedtest-50-items", feedtest.RSS("Bench", base, feedtest.Generate(base, 1, 50))},
	}
	podcast := filepath.Join("..", "..", "shared", "corpus", "rss-parser", "test", "input", "giantbomb-podcast.rss")
	if body, err := os.ReadFile(podcast); err != nil && inCI() {
		b.Fatalf("corpus not available in CI: %v", err)
	} else if err == nil {
		cases = append(cases, struct {
			name string
			body []byte
		}{"podcast-1.6MB", body})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.body, "application/rss+xml", "https://bench.example/feed"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestFlattenDeep(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"<a><b>x</b></a>", 2, "<a><b>x</b></a>"},
		{"<a><b><c>x</c></b></a>", 2, "<a><b>x</b></a>"},
		{"<a><b/><b/></a>", 1, "<a></a>"},
		{`<a><b t="1>2"><!-- <c> --><![CDATA[<c><c>]]><?pi <c>?></b></a>`, 2, `<a><b t="1>2"><!-- <c> --><![CDATA[<c><c>]]><?pi <c>?></b></a>`},
		{"<a><b><c>unclosed", 2, "<a><b>unclosed"},
		{"<a><b>1 < 2 <3 << 4</b><b>x</b></a>", 2, "<a><b>1 < 2 <3 << 4</b><b>x</b></a>"},
		// An end tag closes what was left open inside its element, so broken
		// tags in several items do not add up.
		{strings.Repeat("<i><t>a <b</t></i>", 3) + "<i><t>ok</t></i>", 3, strings.Repeat("<i><t>a <b</t></i>", 3) + "<i><t>ok</t></i>"},
	}
	for _, tt := range tests {
		if got := string(flattenDeep([]byte(tt.in), tt.limit)); got != tt.want {
			t.Errorf("flattenDeep(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

// TestParseDeepNesting checks that a feed nesting elements a million deep
// (which made gofeed build gigabytes) is parsed quickly, keeping its items.
func TestParseDeepNesting(t *testing.T) {
	const n = 1_000_000
	doc := `<rss xmlns:m="http://search.yahoo.com/mrss/"><channel><item><title>Deep</title>` +
		strings.Repeat("<m:g>", n) + "text" + strings.Repeat("</m:g>", n) +
		`</item><item><title>Shallow</title></item></channel></rss>`
	r := parseWithin(t, []byte(doc), "", "", 10*time.Second)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.feed.Items) != 2 {
		t.Errorf("got %d items, want 2", len(r.feed.Items))
	}
}

// TestParseCapsItems checks that a feed of a million tiny items is cut to
// maxItems quickly, with a warning.
func TestParseCapsItems(t *testing.T) {
	for _, item := range []string{"<item><title>x</title></item>", "<item/>", `<entry><title>x</title></entry>`} {
		root := "rss"
		if strings.HasPrefix(item, "<entry") {
			root = `feed xmlns="http://www.w3.org/2005/Atom"`
		}
		doc := "<" + root + "><channel>" + strings.Repeat(item, 300_000) + "</channel></" + strings.Fields(root)[0] + ">"
		r := parseWithin(t, []byte(doc), "", "", 10*time.Second)
		if r.err != nil {
			t.Fatalf("%s: %v", item, r.err)
		}
		if len(r.feed.Items) > maxItems {
			t.Errorf("%s: %d items, want at most %d", item, len(r.feed.Items), maxItems)
		}
		if len(r.feed.Warnings) == 0 || len(r.feed.Warnings) > maxSkipWarnings+2 {
			t.Errorf("%s: %d warnings, want a few", item, len(r.feed.Warnings))
		}
	}
}

// TestParseCapsJSONItems checks the same for a JSON Feed.
func TestParseCapsJSONItems(t *testing.T) {
	doc := `{"version":"https://jsonfeed.org/version/1.1","title":"Big","items":[` +
		strings.Repeat(`{"id":"1","title":"x"},`, 300_000) + `{"id":"2","title":"y"}]}`
	r := parseWithin(t, []byte(doc), "", "", 10*time.Second)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.feed.Title != "Big" || len(r.feed.Warnings) == 0 {
		t.Errorf("title %q, warnings %q; want Big and a warning", r.feed.Title, r.feed.Warnings)
	}
}
