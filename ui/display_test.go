package ui

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// checkDrawn fails when the drawn bytes hold a control character outside
// the escape sequences brief writes itself (SGR, and OSC 8 with a printable
// ASCII target), or a character that hides or reorders text: bidi controls,
// invisible, format, tag and separator characters.
func checkDrawn(t *testing.T, where, drawn string) {
	t.Helper()
	var state byte
	for s := drawn; len(s) > 0; {
		seq, w, n, next := ansi.DecodeSequence(s, state, nil)
		state, s = next, s[n:]
		switch {
		case w == 0 && strings.HasPrefix(seq, "\x1b["):
			if !isSGR(seq) {
				t.Errorf("%s: draws %q", where, seq)
			}
		case w == 0 && strings.HasPrefix(seq, "\x1b]8;"):
			for _, c := range []byte(seq[4:]) {
				if c >= 0x7f || (c < 0x20 && c != 0x1b && c != 0x07) {
					t.Errorf("%s: OSC 8 target %q has byte %#x", where, seq, c)
				}
			}
		case seq == "\n":
		default:
			for i := 0; i < len(seq); {
				r, size := utf8.DecodeRuneInString(seq[i:])
				i += size
				if r == utf8.RuneError && size == 1 || r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f ||
					r >= 0x200b && r <= 0x200f || r >= 0x2028 && r <= 0x202e || r >= 0x2060 && r <= 0x206f ||
					r == 0xfeff || r >= 0xe0000 && r <= 0xe007f {
					t.Errorf("%s: draws %U in %q", where, r, seq)
				}
			}
		}
	}
}

// Every place brief draws a URL, with every class of hostile character
// (issue 12 "A test for every place a URL is displayed").
func TestEveryURLDisplayPlace(t *testing.T) {
	fx := newFixture(t)
	for class, raw := range feedtest.HostileURLs {
		t.Run(class, func(t *testing.T) {
			// The article header, the "Read also" block (an entry without a
			// title shows its URL) and the OSC 8 targets of the markers.
			in := renderInput{
				article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: "T", URL: raw},
					Markdown: "See [1] and [2].", Links: []feed.Link{
						{N: 1, URL: raw},
						{N: 2, URL: raw, ReadAlso: true},
					}},
				width: 80, style: "dark", styles: NewStyles(true, false), hyperlinks: true,
			}
			d := renderArticle(in)
			checkDrawn(t, "article", strings.Join(d.withSelection(1), "\n"))

			// The status line: fetching in reader mode, the selected link's
			// destination, a link opened in the browser.
			m := openKremlin(t, fx, 160, 24)
			m.reader.nav.fetch(raw)
			checkDrawn(t, "fetching", m.View())
			m.reader.nav.fetching = ""
			m.reader.article.Links[0].URL = raw
			m = press(t, m, "tab")
			if dest, _ := m.reader.destination(); !strings.HasPrefix(dest, "[1] ") {
				t.Fatalf("link 1 not selected: %q", dest)
			}
			checkDrawn(t, "link destination", m.View())
			m = send(t, m, browserOpenedMsg{url: raw})
			checkDrawn(t, "opened in the browser", m.View())

			// The errors view and the feed chooser name a feed by its URL.
			p := errorsPane{paneBase: paneBase{styles: ref(NewStyles(true, false)), now: time.Now, width: 80, height: 10},
				errs: []store.FeedError{{URL: raw, Error: "feed: x"}}, loaded: true}
			checkDrawn(t, "errors view", p.View())
			checkDrawn(t, "feed chooser", feedChoice(store.Feed{URL: raw}, "").label)
			checkDrawn(t, "hostPath", hostPath(raw))

			// The sync accounts: a feed without a title in the chooser, an
			// account named like a URL, and the account's failed sync in the
			// errors view (as store.Errors lists it).
			fp := feedsPane{paneBase: paneBase{width: 60, height: 30, styles: ref(NewStyles(true, false))},
				accounts: []store.Account{{Name: raw, LastError: "sync: " + raw}}}
			fp.setFeeds([]store.Feed{{ID: 1, URL: raw, Account: raw, Tags: []string{raw + "/" + raw}}}, store.Counts{})
			checkDrawn(t, "account chooser", fp.View())
			p.errs = []store.FeedError{{URL: raw, Title: "account \"x\"", Error: "sync: " + raw}}
			checkDrawn(t, "account error", p.View())

			// The add prompt: looking for feeds, the pick list, checking one,
			// the status line once added (named by its URL), the error; and
			// the remove question.
			drawnSubs(t, raw)
		})
	}
}

// drawnSubs checks every screen of the subscriptions overlay and its
// status messages with the URL raw.
func drawnSubs(t *testing.T, raw string) {
	t.Helper()
	sp := newSubsPane(paneBase{keys: DefaultKeyMap(), styles: ref(NewStyles(true, false)), now: time.Now}, nil)
	sp.SetSize(60, 20)
	sp.openAdd()
	sp, _ = sp.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(raw), Paste: true})
	checkDrawn(t, "pasted", sp.View())
	sp, _ = sp.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if sp.mode != subsBusy {
		t.Fatalf("enter: mode %v, want busy", sp.mode)
	}
	checkDrawn(t, "looking for feeds", sp.View())
	sp, _ = sp.Update(discoveredMsg{seq: sp.seq, cands: []feed.Candidate{{URL: raw}, {URL: raw, Title: "T"}}})
	checkDrawn(t, "pick list", sp.View())
	sp, _ = sp.Update(tea.KeyMsg{Type: tea.KeyEnter})
	checkDrawn(t, "checking", sp.View())
	sp, _ = sp.Update(feedAddedMsg{seq: sp.seq, err: errors.New("add: " + raw + ": no feed")})
	checkDrawn(t, "add failed", sp.View())
	sp, _ = sp.Update(feedAddedMsg{seq: sp.seq, url: raw, title: raw, items: 2})
	told := 0
	for _, msg := range sp.take() {
		if st, ok := msg.(statusMsg); ok {
			checkDrawn(t, "added", st.text)
			told++
		}
	}
	if told == 0 {
		t.Error("adding a feed told no status")
	}
	sp.openRemove(store.Feed{URL: raw})
	checkDrawn(t, "remove question", sp.View())
	sp, _ = sp.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'y'}})
	checkDrawn(t, "removing", sp.View())
	sp, _ = sp.Update(feedRemovedMsg{seq: sp.seq, url: raw})
	for _, msg := range sp.take() {
		if st, ok := msg.(statusMsg); ok {
			checkDrawn(t, "removed", st.text)
		}
	}
}

// A bidi control typed into the add prompt is shown encoded, and what is
// typed after it goes after it.
func TestAddPromptEncodesTypedHiddenCharacters(t *testing.T) {
	sp := newSubsPane(paneBase{keys: DefaultKeyMap(), styles: ref(NewStyles(true, false)), now: time.Now}, nil)
	sp.SetSize(60, 20)
	sp.openAdd()
	for _, r := range "http://x.example/a\u202egnp.exe" {
		sp, _ = sp.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if got, want := sp.input.Value(), "http://x.example/a%E2%80%AEgnp.exe"; got != want {
		t.Errorf("typed %q, want %q", got, want)
	}
	checkDrawn(t, "typed", sp.View())
}
