package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

// squeeze is the rendered text without white space or margins, to compare
// what was drawn with what was written whatever the wrapping.
func squeeze(lines []string) string {
	return strings.Join(strings.Fields(plain(strings.Join(lines, "\n"))), "")
}

// Issue 9 "Rendering": long unbreakable words and URLs wrap without losing
// characters, and no line is wider than the pane.
func TestLongWordsWrapWithoutLoss(t *testing.T) {
	cases := []string{
		"Read it at https://example.com/this/is/a/long/path/that/goes/on/and/wraps/nicely/in/the/terminal/index.html today.",
		"Die Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsdirektorin kam.",
		strings.Repeat("新闻报道中国经济增长速度放缓", 20),
		"`" + strings.Repeat("code", 60) + "`",
		"> > " + strings.Repeat("quoted", 40),
		"- " + strings.Repeat("item", 50),
		"```\n" + strings.Repeat("x", 300) + "\n```",
		strings.Repeat("a-", 200),
	}
	for _, md := range cases {
		for _, w := range []int{40, 80, 120} {
			for _, style := range []string{"dark", "notty"} {
				lines, err := renderBody(md, w, style)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lines {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("width %d: a line of %d cells: %q", w, lw, plain(l))
					}
				}
				want := strings.Join(strings.Fields(strings.NewReplacer("`", "", "> ", "", "- ", "", "```", "").Replace(md)), "")
				if got := squeeze(lines); !strings.Contains(strings.NewReplacer("│", "", "•", "", "|", "").Replace(got), want) {
					t.Errorf("width %d %s: characters lost:\n got %q\nwant %q", w, style, got, want)
				}
			}
		}
	}
}

// NO_COLOR still renders the Markdown: no raw "**" or "##".
func TestNoColorRendersMarkdown(t *testing.T) {
	lines, err := renderBody("## A heading\n\nSome **bold** and *slanted* and ~~struck~~ text with `code`.", 80, "notty")
	if err != nil {
		t.Fatal(err)
	}
	got := plain(strings.Join(lines, "\n"))
	for _, raw := range []string{"##", "**", "~~", "`", "*slanted*"} {
		if strings.Contains(got, raw) {
			t.Errorf("NO_COLOR render shows %q:\n%s", raw, got)
		}
	}
	for _, want := range []string{"A heading", "bold", "slanted", "struck", "code"} {
		if !strings.Contains(got, want) {
			t.Errorf("NO_COLOR render lacks %q:\n%s", want, got)
		}
	}
	for _, seq := range escapes(strings.Join(lines, "\n")) {
		if strings.Contains(seq, "38;") || strings.Contains(seq, "48;") {
			t.Errorf("NO_COLOR render sets a colour: %q", seq)
		}
	}
}

// Issue 12 item 8: "\~~~" shows no backslashes.
func TestEscapedTildesShowNoBackslash(t *testing.T) {
	for _, in := range []string{`<p>\~~~</p>`, `<p>~~~ and ~~not struck~~</p>`, `<p>a ~ b</p>`} {
		body := feed.ConvertHTML(in, "https://x.example/")
		lines, err := renderBody(body.Markdown, 60, "dark")
		if err != nil {
			t.Fatal(err)
		}
		got := plain(strings.Join(lines, "\n"))
		want := feed.CleanText(strings.NewReplacer("<p>", "", "</p>", "").Replace(in))
		if strings.TrimSpace(got) != want {
			t.Errorf("%s rendered as %q, want %q", in, strings.TrimSpace(got), want)
		}
	}
}

// The stand-ins cannot be forged by the Markdown: any already there is
// dropped, so a text cannot plant a marker.
func TestSentinelsCannotBeForged(t *testing.T) {
	md := "fake \uFDE1\uFDE5\uFDE2 marker and [1]"
	lines, markers, err := renderBodyMarked(context.Background(), md, 80, "dark", func(n int) bool { return n == 1 }, renderBudget)
	if err != nil {
		t.Fatal(err)
	}
	got := plain(strings.Join(lines, "\n"))
	if !strings.Contains(got, "fake  marker and [1]") {
		t.Errorf("rendered %q", got)
	}
	if p, ok := markers[1]; !ok || p.col != strings.Index(strings.TrimRight(ansi.Strip(lines[p.line]), " "), "[1]") {
		t.Errorf("marker 1 at %+v in %q", p, lines)
	}
}

// Quotes nested past maxQuoteDepth are drawn at that depth.
func TestDeepQuotesAreFlattened(t *testing.T) {
	md := strings.Repeat("> ", 50) + "deep"
	lines, err := renderBody(md, 80, "notty")
	if err != nil {
		t.Fatal(err)
	}
	got := plain(strings.Join(lines, "\n"))
	for _, l := range strings.Split(got, "\n") {
		if n := strings.Count(l, "|"); n > maxQuoteDepth || strings.Contains(l, "deep") && n != maxQuoteDepth {
			t.Errorf("%d levels drawn, want %d:\n%s", n, maxQuoteDepth, got)
		}
	}
}

// Every hostile family renders whole-ish and within the pane at 10 KB.
func TestHostileFamiliesRender(t *testing.T) {
	for _, f := range feedtest.HostileFamilies {
		body := feed.ConvertHTML(feedtest.Hostile(f, 10_000), "https://x.example/")
		lines, err := renderBody(body.Markdown, 80, "dark")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s: line wider than 80: %q", f, plain(l))
				break
			}
		}
	}
}

// FuzzRenderGuarded feeds Markdown (seeded with the hostile families) to
// the guarded render: no panic, no line wider than the pane, no stand-in
// left in what is drawn, and each link's marker found at most once.
func FuzzRenderGuarded(f *testing.F) {
	for _, fam := range feedtest.HostileFamilies {
		f.Add(feed.ConvertHTML(feedtest.Hostile(fam, 3000), "https://x.example/").Markdown, uint8(60))
	}
	f.Add("a [1] `[2]` \\[3] [4]\n\n> > q [5]\n\n```\n[6]\n```", uint8(30))
	f.Fuzz(func(t *testing.T, md string, width uint8) {
		w := 20 + int(width)%140
		lines, markers, err := renderBodyMarked(context.Background(), md, w, "dark", func(n int) bool { return n < 10 }, renderBudget)
		if err != nil {
			return
		}
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("line %d wider than %d: %q", i, w, l)
			}
			if strings.ContainsFunc(l, isSentinel) {
				t.Errorf("line %d keeps a stand-in: %q", i, l)
			}
		}
		for n, p := range markers {
			if p.line >= len(lines) || !strings.Contains(ansi.Strip(lines[p.line]), "["+strconv.Itoa(n)+"]") {
				t.Errorf("marker %d at %+v is not on its line", n, p)
			}
		}
	})
}
