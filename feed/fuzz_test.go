package feed

import (
	"reflect"
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
