package ui

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// goldenView strips ANSI and replaces the fixture server's address.
func goldenView(fx *fixture, v string) string {
	host := strings.TrimSuffix(strings.TrimPrefix(fx.srv.URL(""), "http://"), "/")
	return strings.ReplaceAll(plain(v), host, "feeds.test")
}

func TestGoldenViews(t *testing.T) {
	sizes := []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}, {"120x40", 120, 40}, {"135x40", 135, 40}}
	views := []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"detail", []string{"j", "enter"}},
		{"detail-link", []string{"j", "enter", "tab", "tab"}},
		{"detail-end", []string{"j", "enter", "G"}},
		{"feeds", []string{"h", "j"}},
		{"help", []string{"?"}},
		{"sorted", []string{"S", "S", "U"}},
		{"next", []string{"j", "enter", "n", "ctrl+d"}},
		{"markall", []string{"M"}},
	}
	for _, sz := range sizes {
		for _, v := range views {
			t.Run(v.name+"-"+sz.name, func(t *testing.T) {
				fx := newFixture(t) // each view starts from the same cache state
				out := press(t, fx.model(t, sz.w, sz.h), v.keys...).View()
				checkSize(t, out, sz.w, sz.h)
				golden(t, v.name+"-"+sz.name, goldenView(fx, out))
			})
		}
	}
}

// safeView fails when view holds anything a feed could use to drive the
// terminal: only SGR sequences and brief's own OSC 8 hyperlinks (to URLs
// feed.CheckURL accepts) may be there, besides printable text and newlines.
func safeView(t *testing.T, view string) {
	t.Helper()
	var state byte
	s := view
	for len(s) > 0 {
		seq, w, n, next := ansi.DecodeSequence(s, state, nil)
		state, s = next, s[n:]
		switch {
		case w > 0:
			for _, r := range seq {
				if r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\ufeff' {
					t.Errorf("unsafe character %U in the view", r)
				}
			}
		case seq == "\n":
		case isSGR(seq) && strings.Trim(seq[2:len(seq)-1], "0123456789;:") == "":
		case strings.HasPrefix(seq, "\x1b]8;;"):
			u := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]8;;"), "\a"), "\x1b\\")
			if u == "" {
				continue // the end of a hyperlink
			}
			if checked, err := feed.CheckURL(u); err != nil || checked != u {
				t.Errorf("hyperlink to an unchecked URL %q", u)
			}
		default:
			t.Errorf("unsafe sequence %q in the view", seq)
		}
	}
}

const hostileBody = `<p>Clear screen &#27;[2J and a title change &#x1b;]0;pwned&#x07; and C1 &#155;31m here.</p>
<p>Double encoded &amp;#27;[2J, *split &#27;*[31m emphasis, raw ` + "\x1b[5m" + ` blink.</p>
<p>Read also: <a href="https://evil.example/a&#27;]8;;http://other&#7;">the &#27;]52;c;ZXZpbA==&#7;clipboard</a></p>
<p>A <a href="javascript:alert(1)">script link</a> and a <a href="https://evil.example/%1b[2J">percent link</a>.</p>`

func TestHostileArticleCannotReachTheTerminal(t *testing.T) {
	fx := newFixture(t)
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	fx.srv.Set("/evil.xml", feedtest.RSS("Evil &#27;]0;feed&#7;\u202eredaeh", base+"/evil", []feedtest.Item{{
		GUID: "e1", Title: "Evil \x1b]0;owned\x07 title \u009b2J \u202eoverride\u200b", Link: base + "/evil/1",
		Author: "\x1b[31mmallory\x1b[0m", Description: hostileBody, Published: at(1),
	}}), "")
	ctx := context.Background()
	specs := []store.FeedSpec{{URL: fx.srv.URL("/world.xml")}, {URL: fx.srv.URL("/evil.xml"), Tags: []string{"\x1b[2Jtag"}}}
	if err := fx.store.SyncFeeds(ctx, specs); err != nil {
		t.Fatal(err)
	}
	// The page is stored without feed's sanitising, to test the UI's own.
	raw := feed.Page{
		URL:    base + "/raw",
		Title:  "Raw \x1b]52;c;ZXZpbA==\x07 title \u009d0;x\u0007",
		Author: "\x1b[2J\u202eeve",
		Body: feed.Body{
			Markdown: "Raw \x1b[2J escape, &#27;[31m reference, \u009b31m C1, \x1b]8;;http://evil\x07link\x1b]8;;\x07 [1]\n",
			Links:    []feed.Link{{N: 1, Text: "x\x1b[2J", URL: "https://evil.example/\x1b[2J", ReadAlso: true}},
		},
	}
	if _, err := fx.store.SavePage(ctx, raw, "", 0); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m := fx.model(t, size[0], size[1], func(o *Options) { o.Client = nil; o.Fetcher = newClient() })
		m = press(t, m, "R")
		safeView(t, m.View())
		m = press(t, m, "g", "enter") // the evil article is the newest
		if !strings.Contains(plain(m.View()), "Evil") {
			t.Fatalf("the evil article is not open:\n%s", plain(m.View()))
		}
		for _, keys := range [][]string{{}, {"tab"}, {"tab", "tab"}, {"G"}, {"?"}, {"esc", "e"}, {"esc", "h"}} {
			v := press(t, m, keys...).View()
			safeView(t, v)
		}
		row, err := fx.store.ArticleByURL(ctx, base+"/raw")
		if err != nil {
			t.Fatal(err)
		}
		m = send(t, m, openArticleMsg{id: row.ID})
		if !strings.Contains(plain(m.View()), "escape") {
			t.Fatalf("the raw page is not open:\n%s", plain(m.View()))
		}
		safeView(t, m.View())
		safeView(t, press(t, m, "tab").View())
		safeView(t, press(t, m, "b").View())
	}
}

func TestTinyTerminals(t *testing.T) {
	fx := newFixture(t)
	for _, sz := range [][2]int{{1, 1}, {10, 3}, {30, 6}, {79, 10}, {119, 20}, {150, 12}} {
		m := fx.model(t, sz[0], sz[1])
		for _, keys := range [][]string{{}, {"j", "enter"}, {"j", "enter", "tab", "G"}, {"?"}, {"e"}, {"h"}, {"j", "enter", "b"}} {
			m2 := press(t, m, keys...)
			checkSize(t, m2.View(), sz[0], sz[1])
		}
	}
}
