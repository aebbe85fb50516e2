package feed

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/internal/feedtest"
)

// checkShown fails when s holds a character DisplayURL must encode.
func checkShown(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != ' ' && hiddenInURL(r, size) {
			t.Errorf("%q shows %U", s, r)
		}
		i += size
	}
	if strings.ContainsAny(s, "\x1b\x07\n\r\t") {
		t.Errorf("%q has a control", s)
	}
}

func TestDisplayURLEncodesEveryHiddenCharacter(t *testing.T) {
	for class, raw := range feedtest.HostileURLs {
		t.Run(class, func(t *testing.T) {
			for _, got := range []string{DisplayURL(raw), DisplayHostPath(raw), DisplayURLWidth(raw, 20)} {
				checkShown(t, got)
			}
		})
	}
}

func TestDisplayURLBytes(t *testing.T) {
	cases := []struct{ raw, want string }{
		{"http://x%C2%9B31mREDPWN.invalid/", "http://x%C2%9B31mredpwn.invalid/"},
		{"http://a%E2%80%AEgnp.exe.invalid/", "http://a%E2%80%AEgnp.exe.invalid/"},
		{"http://news.example/a\u202egnp.exe", "http://news.example/a%E2%80%AEgnp.exe"},
		{"http://bаnk.example/login", "http://xn--bnk-6cd.example/login"},
		{"http://bücher.example/straße?q=ä#frag", "http://xn--bcher-kva.example/stra%C3%9Fe?q=ä#frag"},
		{"https://www.news.example/путь", "https://www.news.example/%D0%BF%D1%83%D1%82%D1%8C"},
		{"http://news.example/\U000E0001x", "http://news.example/%F3%A0%80%81x"},
		{"http://news.example/a\u2028b", "http://news.example/a%E2%80%A8b"},
	}
	for _, c := range cases {
		if got := DisplayURL(c.raw); got != c.want {
			t.Errorf("DisplayURL(%q) = %q, want %q", c.raw, got, c.want)
		}
	}
	if got, want := DisplayHostPath("https://www.news.example/a/b?x=1"), "news.example/a/b?x=1"; got != want {
		t.Errorf("DisplayHostPath = %q, want %q", got, want)
	}
	long := "https://news.example/" + strings.Repeat("segment/", 20) + "index.html"
	got := DisplayURLWidth(long, 40)
	if ansi.StringWidth(got) != 40 || !strings.HasPrefix(got, "https://news.example/") || !strings.HasSuffix(got, "index.html") || !strings.Contains(got, "…") {
		t.Errorf("DisplayURLWidth(long, 40) = %q: want the host and the end kept, the middle elided", got)
	}
}

func TestCheckURLRefusesHostsThatDecodeToControls(t *testing.T) {
	for _, raw := range []string{
		"http://x%C2%9B31mREDPWN.invalid/",
		"http://x%C2%9D0;PWNTITLE%C2%9C.invalid/",
		"http://a%E2%80%AEgnp.exe.invalid/",
		"http://x%F3%A0%80%81.invalid/",
		"http://x%1B.invalid/",
	} {
		if u, err := CheckURL(raw); err == nil {
			t.Errorf("CheckURL(%q) = %q, want an error", raw, u)
		}
	}
	if u, err := CheckURL("http://bücher.example/x"); err != nil || u != "http://xn--bcher-kva.example/x" {
		t.Errorf("CheckURL(IDN) = %q, %v; want the ASCII host", u, err)
	}
}
