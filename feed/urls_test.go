package feed

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        string // substring of the error; "" means no error
	}{
		{name: "https", in: "https://example.com/a?b=c#d", want: "https://example.com/a?b=c#d"},
		{name: "http", in: "http://example.com", want: "http://example.com"},
		{name: "scheme and host lowered", in: "HTTPS://Example.COM/Path", want: "https://example.com/Path"},
		{name: "surrounding space trimmed", in: "\n  https://example.com/x \n", want: "https://example.com/x"},
		{name: "encoded CR LF stay encoded", in: "https://example.com/a%0D%0Ab", want: "https://example.com/a%0D%0Ab"},
		{name: "port kept", in: "http://example.com:8080/", want: "http://example.com:8080/"},
		{name: "IPv6", in: "http://[::1]:8080/x", want: "http://[::1]:8080/x"},
		{name: "backslash encoded", in: `https://evil.example\@good.example/`, want: "https://evil.example%5C@good.example/"},
		{name: "unicode path", in: "https://example.com/новини", want: "https://example.com/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8"},
		{name: "javascript", in: "javascript:alert(1)", wantErr: "feed: refusing javascript: URL"},
		{name: "javascript upper case", in: "JavaScript:alert(1)", wantErr: "feed: refusing javascript: URL"},
		{name: "file", in: "file:///etc/passwd", wantErr: "feed: refusing file: URL"},
		{name: "data", in: "data:text/html;base64,PHNjcmlwdD4=", wantErr: "feed: refusing data: URL"},
		{name: "mailto", in: "mailto:a@example.com", wantErr: "feed: refusing mailto: URL"},
		{name: "ftp", in: "ftp://example.com/x", wantErr: "feed: refusing ftp: URL"},
		{name: "relative", in: "/news/1", wantErr: "relative URL"},
		{name: "scheme-relative", in: "//example.com/x", wantErr: "relative URL"},
		{name: "no host", in: "https:///path", wantErr: "no host"},
		{name: "opaque", in: "http:example.com", wantErr: "no host"},
		{name: "empty", in: "  ", wantErr: "feed: empty URL"},
		{name: "raw newline", in: "https://example.com/a\nb", wantErr: "line break"},
		{name: "raw CR", in: "https://example.com/a\rb", wantErr: "line break"},
		{name: "inner space", in: "https://example.com/a b", wantErr: "white space"},
		{name: "tab", in: "https://example.com/a\tb", wantErr: "control character"},
		{name: "ESC", in: "https://example.com/\x1b[2J", wantErr: "control character"},
		{name: "NUL", in: "https://example.com/\x00", wantErr: "control character"},
		{name: "C1", in: "https://example.com/\u009b", wantErr: "control character"},
		{name: "bidi override", in: "https://example.com/\u202egnp.exe", wantErr: "invisible"},
		{name: "zero width", in: "https://exa\u200bmple.com/", wantErr: "invisible"},
		{name: "invalid UTF-8", in: "https://example.com/\xff", wantErr: "invalid UTF-8"},
		{name: "bad port", in: "http://example.com:port/", wantErr: "feed: refusing URL"},
		{name: "too long", in: "https://example.com/" + strings.Repeat("a", maxURLLength), wantErr: "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckURL(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckURL(%q) error %v, want %q", tt.in, err, tt.want)
				}
				if got != tt.want {
					t.Errorf("CheckURL(%q) = %q, want %q", tt.in, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckURL(%q) = %q, want an error containing %q", tt.in, got, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "feed: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CheckURL(%q) error %q, want one starting with \"feed: \" and containing %q", tt.in, err, tt.wantErr)
			}
			if !errors.Is(err, ErrUnsafeURL) {
				t.Errorf("CheckURL(%q) error %v does not wrap ErrUnsafeURL", tt.in, err)
			}
			checkTerminalSafe(t, "error message", err.Error(), "")
		})
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://example.com/news/1", "https://example.com/news/1"},
		{"http same as https", "http://example.com/news/1", "https://example.com/news/1"},
		{"host lowered, www dropped", "https://WWW.Example.COM/News/1", "https://example.com/News/1"},
		{"default ports", "http://example.com:80/a", "https://example.com/a"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"hashbang route kept", "https://example.com/#!/story/5", "https://example.com#!/story/5"},
		{"trailing slash", "https://example.com/a/", "https://example.com/a"},
		{"root", "https://example.com/", "https://example.com"},
		{"no path", "https://example.com", "https://example.com"},
		{"utm dropped", "https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://example.com/a"},
		{"tracking dropped, rest sorted", "https://example.com/a?z=1&fbclid=abc&a=2&gclid=x&ref=tw", "https://example.com/a?a=2&z=1"},
		{"more trackers", "https://example.com/a?mc_cid=1&mc_eid=2&yclid=3&igshid=4&ref_src=5&_ga=6&id=7", "https://example.com/a?id=7"},
		{"query encoding normalised", "https://example.com/s?q=a+b&x=%7e", "https://example.com/s?q=a+b&x=~"},
		{"space encodings equal", "https://example.com/s?q=a%20b", "https://example.com/s?q=a+b"},
		{"empty query", "https://example.com/a?", "https://example.com/a"},
		{"semicolon separators", "https://example.com/a?b=1;utm_source=x", "https://example.com/a?b=1"},
		{"dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"encoded dot segments", "https://example.com/a/%2e/b/%2E%2E/c", "https://example.com/a/c"},
		{"dot segments above the root", "https://example.com/../../a", "https://example.com/a"},
		{"trailing dot segment", "https://example.com/a/b/..", "https://example.com/a"},
		{"dots inside names kept", "https://example.com/a.b/..c/.d", "https://example.com/a.b/..c/.d"},
		{"percent case", "https://example.com/%7euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"},
		{"user info dropped", "https://user:pass@example.com/a", "https://example.com/a"},
		{"trailing dot in host", "https://example.com./a", "https://example.com/a"},
		{"IDN host", "https://Новини.укр/a", "https://xn--b1amarcd.xn--j1amh/a"},
		{"space trimmed", "  https://example.com/a\n", "https://example.com/a"},
		{"relative", "/news/1", ""},
		{"javascript", "javascript:alert(1)", ""},
		{"mailto", "mailto:x@example.com", ""},
		{"unparsable", "http://[::1/x", ""},
		{"control", "https://example.com/\x1b", ""},
		{"empty", "", ""},
		{"host only www", "https://www./a", "https://www/a"},
		{"www before a top-level domain kept", "https://www.com/a", "https://www.com/a"},
		{"dots only", "http://../", ""},
		{"empty label", "https://a..b/", ""},
		{"IPv6 canonical", "http://[0:0::1]:80/x", "https://[::1]/x"},
		{"IPv4", "http://127.0.0.1:8080/", "https://127.0.0.1:8080"},
		{"underscore in host", "https://my_host.example.com/", "https://my_host.example.com"},
		{"bad IDN", "https:// .example/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeURL(tt.in); got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeURLSameArticle(t *testing.T) {
	variants := []string{
		"https://www.example.com/politics/story-1/",
		"http://example.com/politics/story-1",
		"https://example.com/politics/story-1?utm_source=feed&utm_medium=rss",
		"https://EXAMPLE.com:443/politics/story-1#comments",
		"https://example.com/politics/./story-1?fbclid=IwAR0abc",
	}
	want := NormalizeURL(variants[0])
	for _, v := range variants[1:] {
		if got := NormalizeURL(v); got != want {
			t.Errorf("NormalizeURL(%q) = %q, want %q (same article as %q)", v, got, want, variants[0])
		}
	}
	different := []string{
		"https://example.com/politics/story-2",
		"https://example.com/politics/story-1?page=2",
		"https://other.example.com/politics/story-1",
	}
	for _, d := range different {
		if got := NormalizeURL(d); got == want {
			t.Errorf("NormalizeURL(%q) = %q, the same as for a different article", d, got)
		}
	}
}

func TestNormalizeURLIdempotent(t *testing.T) {
	for _, in := range []string{
		"https://www.example.com/a/?b=2&a=1&utm_x=1#f",
		"http://example.com:8080/%7e/x?q=a%20b",
		"https://Новини.укр/статті/1",
		"https://example.com/#!/x",
	} {
		once := NormalizeURL(in)
		if twice := NormalizeURL(once); twice != once {
			t.Errorf("NormalizeURL not idempotent on %q: %q then %q", in, once, twice)
		}
	}
}
