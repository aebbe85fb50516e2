package feed

import (
	stdhtml "html"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/glamour"
)

// The fuzz targets below run their seeds (added here and checked in under
// testdata/fuzz) with plain `go test`; run one for longer with, e.g.,
// go test ./feed -run '^$' -fuzz '^FuzzConvertHTML$' -fuzztime 2m

func addAttackSeeds(f *testing.F) {
	for _, tc := range attackCases {
		f.Add("a" + tc.seq + "b")
	}
	f.Add("")
	f.Add("  plain   text  ")
	f.Add("\x1b")
	f.Add("\x1b[")
	f.Add("\x1b]8;;")
	f.Add("\u009b")
	f.Add("\xc2")
	f.Add("\xff\x1b[31m\xfe")
	f.Add("\x1b[1;31mred\x1b[0m\n\tnext")
	f.Add("\x1b[38:2::1:2:3m")
	f.Add("tab\there\r\nnew\u2028line")
}

func FuzzCleanText(f *testing.F) {
	addAttackSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanText(s)
		checkTerminalSafe(t, "CleanText", out, "")
		if out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Errorf("CleanText(%q) = %q: spaces not collapsed", s, out)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) {
			t.Errorf("CleanText(%q) = %q holds white space other than a space", s, out)
		}
		if again := CleanText(out); again != out {
			t.Errorf("CleanText not idempotent: %q → %q → %q", s, out, again)
		}
		if len(out) > len(s) {
			t.Errorf("CleanText(%q) = %q grew", s, out)
		}
		if isCleanLine(s) && collapseSpace(strip(s, modeLine)) != s {
			t.Errorf("isCleanLine(%q), but CleanText would change it", s)
		}
		if isCleanMultiline(s) && strip(s, modeMultiline) != s {
			t.Errorf("isCleanMultiline(%q), but CleanMultiline would change it", s)
		}
		multi := CleanMultiline(s)
		checkTerminalSafe(t, "CleanMultiline", multi, "\n\t")
		if again := CleanMultiline(multi); again != multi {
			t.Errorf("CleanMultiline not idempotent: %q → %q → %q", s, multi, again)
		}
	})
}

func FuzzSanitizeRendered(f *testing.F) {
	addAttackSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		out := SanitizeRendered(s)
		checkOnlySGR(t, "SanitizeRendered", out)
		if strings.ContainsRune(out, '\r') {
			t.Errorf("SanitizeRendered(%q) = %q holds CR", s, out)
		}
		if again := SanitizeRendered(out); again != out {
			t.Errorf("SanitizeRendered not idempotent: %q → %q → %q", s, out, again)
		}
	})
}

// fuzzRenderLimit is the largest Markdown FuzzConvertHTML also renders with
// glamour (rendering is slow, and large inputs add little).
const fuzzRenderLimit = 4 << 10

func FuzzConvertHTML(f *testing.F) {
	for _, tc := range attackCases {
		for _, in := range hostileBodies(tc.seq) {
			f.Add(in, testBase)
		}
	}
	for _, in := range []string{
		`<p>Read also: <a href="/a">Other story</a></p>`,
		`<p>Read also: title only</p><h3>Related</h3><ul><li><a href="/x">x</a></li><li>y</li></ul>`,
		`<p>x<br><b>Читайте також:</b> <a href="https://u.example/x">Новина</a></p>`,
		`<a href=/x>y<a href=/x>y<a href=/x>`,
		`<p><a href="/a">x</a>(http://evil.example)</p>`,
		"plain text\n\nRead also: plain title",
		`<table><tr><td><a href="/t">cell</a></td></tr></table>`,
		`<pre><code>&amp;#27; <a href="/c">code link</a></code></pre>`,
		`<p>&#2<b></b>7;[2J &amp;#x1b&amp;#155;</p>`,
		strings.Repeat("<blockquote>", 600) + `<a href="/d">deep</a>`,
		"<p>\uFDD01\uFDD1 forged placeholder</p>",
	} {
		f.Add(in, testBase)
	}
	f.Add(`<a href="relative">x</a>`, "")
	f.Add(`<a href="relative">x</a>`, "javascript:alert(1)")
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err != nil {
		f.Fatalf("glamour: %v", err)
	}
	f.Fuzz(func(t *testing.T, in, base string) {
		body := convertHTML(truncateUTF8(in, MaxHTMLSize), base) // without ConvertHTML's recover, so panics show
		checkBodySafe(t, body)
		if plain, ok := convertPlainText(in); ok && strings.TrimSpace(in) != "" && !looksLikeHTML(in) {
			if full := convertMarkup(plainTextToHTML(in), base); !reflect.DeepEqual(plain, full) {
				t.Errorf("convertPlainText(%q) = %#v, but the whole pipeline gives %#v", in, plain, full)
			}
		}
		checkBodySafe(t, plainBody(in))
		if !utf8.ValidString(body.Text) || body.Text != strings.TrimSpace(body.Text) {
			t.Errorf("Text %q is not trimmed valid UTF-8", body.Text)
		}
		if len(body.Markdown) > fuzzRenderLimit {
			return
		}
		out, err := r.Render(body.Markdown)
		if err != nil {
			return // glamour refusing some Markdown is not a safety problem
		}
		checkOnlySGR(t, "glamour output", out)
	})
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://www.example.com/a/?utm_source=x&b=2&a=1#frag",
		"http://Example.COM:80/%7euser/./x/../y",
		"https://example.com/#!/route",
		"https://Новини.укр/статті?q=а б",
		"http://[::1]:8080/x",
		"https://user:pass@example.com/?fbclid=1;x=2",
		"javascript:alert(1)",
		"https://example.com/\x1b[2J",
		"https://www./",
		"https://example.com/a%2Fb?%zz=1&=2&k",
		"HTTPS://EXAMPLE.COM.",
		" https://example.com/a\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeURL(s)
		if n == "" {
			return
		}
		if !strings.HasPrefix(n, "https://") {
			t.Errorf("NormalizeURL(%q) = %q, want an https:// form", s, n)
		}
		if again := NormalizeURL(n); again != n {
			t.Errorf("NormalizeURL not idempotent: %q → %q → %q", s, n, again)
		}
		if _, err := CheckURL(n); err != nil {
			t.Errorf("NormalizeURL(%q) = %q, which CheckURL refuses: %v", s, n, err)
		}
	})
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a?b#c", "javascript:alert(1)", "HTTP://X.Y", "//x.y/z", "http:x",
		"https://a.b/\x1b", "https://a.b/%0d%0a", `https://evil\@good/`, "https://[::1]/", "data:,x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := CheckURL(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("CheckURL(%q) error %q lacks the feed: prefix", s, err)
			}
			checkTerminalSafe(t, "CheckURL error", err.Error(), "")
			return
		}
		if !strings.HasPrefix(out, "http://") && !strings.HasPrefix(out, "https://") {
			t.Errorf("CheckURL(%q) = %q, not http(s)", s, out)
		}
		if badURLChar(out) != "" || strings.ContainsAny(out, " \\") {
			t.Errorf("CheckURL(%q) = %q holds a forbidden character", s, out)
		}
		if again, err := CheckURL(out); err != nil || again != out {
			t.Errorf("CheckURL not idempotent: %q → %q → %q, %v", s, out, again, err)
		}
	})
}

// linkLayouts are the HTML shapes FuzzLinks puts a "Read also" marker
// ({M}), a link target ({H}), a title ({T}) and extra HTML ({X}) into, so
// that the fuzzer spends its time on the link numbering and "Read also"
// detection rather than on finding a marker.
var linkLayouts = []string{
	`<p>{M}: <a href="{H}">{T}</a></p>{X}`,
	`<p><strong>{M}</strong> <a href="{H}">{T}</a></p>{X}`,
	`<p>{X}</p><p>{M}: {T}</p>`,
	`<h3>{M}</h3><ul><li><a href="{H}">{T}</a></li><li>{T}</li><li>{X}</li></ul>`,
	`<p>Text {X}<br>{M} — <a href="{H}">{T}</a><br>more <a href="/more">text</a></p>`,
	`<div><p>{X}</p><p>{M}</p><p><a href="{H}">{T}</a> · <a href="/b">{T}</a></p></div>`,
	`<blockquote>{M}: <a href="{H}"><img src="/i.png" alt="{T}"></a> <em>{T}</em></blockquote>{X}`,
	`<table><tr><td>{M}</td><td><a href="{H}">{T}</a></td></tr></table><pre>[1] {X}</pre>`,
	`{X}`,
}

// FuzzLinks checks the numbering of links and the "Read also" detection on
// fuzzed HTML built around a marker: every "[N]" in the Markdown's prose is
// a link, the numbers rise strictly, each link's "[N]" appears in order, and
// every link has text and either a URL that CheckURL accepts as it is, or
// (a title-only "Read also" link) none. The seed corpus is in
// testdata/fuzz/FuzzLinks.
func FuzzLinks(f *testing.F) {
	for layout := range linkLayouts {
		f.Add("plain text", uint8(layout), "Another story", "/story", uint8(layout))
	}
	f.Add(`<a href="https://a.example/x">x</a> [2] \[3]`, uint8(0), "[1]", "https://b.example/", uint8(0))
	f.Add("`[1]` <code>[2]</code>", uint8(7), "Title [3](http://e.example/)", "javascript:alert(1)", uint8(2))
	f.Add("<a>no href</a><a href=''>empty</a>", uint8(40), "\x1b[2J", "https://a.example/\x1b", uint8(3))
	f.Add(strings.Repeat("<li>", 50), uint8(99), "", "#frag", uint8(5))
	f.Fuzz(func(t *testing.T, extra string, marker uint8, title, href string, layout uint8) {
		if len(extra)+len(title)+len(href) > 8<<10 {
			return // big inputs are FuzzConvertHTML's job
		}
		doc := strings.NewReplacer(
			"{M}", ReadAlsoMarkers[int(marker)%len(ReadAlsoMarkers)],
			"{H}", stdhtml.EscapeString(href),
			"{T}", title,
			"{X}", extra,
		).Replace(linkLayouts[int(layout)%len(linkLayouts)])
		body := convertHTML(doc, testBase) // without ConvertHTML's recover, so panics show
		checkBodySafe(t, body)
		prose := fencePattern.ReplaceAllString(body.Markdown, "")
		prose = codeSpanPattern.ReplaceAllString(prose, "")
		last := 0
		for _, m := range numberPattern.FindAllStringSubmatch(prose, -1) {
			n, _ := strconv.Atoi(m[1])
			if n <= last {
				t.Errorf("link numbers do not rise: [%d] after [%d] in\n%s", n, last, body.Markdown)
				break
			}
			last = n
		}
		for _, l := range body.Links {
			if l.URL == "" && !l.ReadAlso {
				t.Errorf("link %d has no URL and is no title-only Read also link", l.N)
			}
		}
	})
}

// FuzzExtractPage runs reader mode on fuzzed pages: it must never panic; an
// error must start with "feed: " and be clean; a page must have a title, a
// clean title, byline and site name, a safe body and enough text. The seed
// corpus is in testdata/fuzz/FuzzExtractPage.
func FuzzExtractPage(f *testing.F) {
	for _, name := range []string{"article.html", "article-windows-1251.html", "article-windows-1251-nometa.html",
		"hostile.html", "not-article.html"} {
		body, err := os.ReadFile(filepath.Join("testdata", "reader", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "text/html; charset=utf-8")
	}
	f.Add([]byte(""), "")
	f.Add([]byte("<html><head><title>T\x1b]0;x\x07</title></head><body><article><p>"+strings.Repeat("Words of text. ", 20)+
		"</p></article></body></html>"), "text/html; charset=bogus")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		if len(body) > 64<<10 {
			return
		}
		page, err := ExtractPage(body, contentType, "https://page.example/news/a.html")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("error %q does not start with \"feed: \"", err)
			}
			checkTerminalSafe(t, "error", err.Error(), "")
			return
		}
		for _, s := range []struct{ what, v string }{{"Title", page.Title}, {"Author", page.Author}, {"SiteName", page.SiteName}} {
			checkTerminalSafe(t, s.what, s.v, "")
			if s.v != CleanText(s.v) {
				t.Errorf("%s %q is not clean", s.what, s.v)
			}
		}
		if page.Title == "" {
			t.Error("page without a title")
		}
		if utf8.RuneCountInString(page.Body.Text) < minArticleText {
			t.Errorf("article of %d characters, want at least %d", utf8.RuneCountInString(page.Body.Text), minArticleText)
		}
		checkBodySafe(t, page.Body)
	})
}
