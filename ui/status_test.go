package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// statusLine is the bottom line of the view, plain.
func statusLine(m Model) string {
	lines := strings.Split(plain(m.View()), "\n")
	return lines[len(lines)-1]
}

func TestErrorsWinTheStatusLine(t *testing.T) {
	for _, w := range []int{80, 120} {
		t.Run(fmt.Sprintf("404 at %d", w), func(t *testing.T) {
			fx := newFixture(t)
			m := press(t, openKremlin(t, fx, w, 24), "4") // [5], the missing page
			line := statusLine(m)
			for _, want := range []string{"[5] not found (HTTP 404)", "o opens it in the browser"} {
				if !strings.Contains(line, want) {
					t.Errorf("status line %q lacks %q", line, want)
				}
			}
			if strings.Contains(m.status.text, "feed:") || strings.Contains(m.status.text, "/missing") {
				t.Errorf("status %q repeats the package or the destination", m.status.text)
			}
		})
	}

	// An unreachable host with a long URL: the reason is read in full at
	// 80 columns, the destination gets what is left, if anything.
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	m = press(t, m, "tab")
	long := "https://www.nato.int/cps/en/natohq/official_texts_8443.htm?selectedLocale=en&utm_source=x"
	err := &feed.NetError{Kind: feed.ErrNoSuchHost, Msg: "feed: no such host: www.nato.int (DNS lookup failed: server misbehaving)"}
	m = send(t, m, linkFailedMsg{seq: m.reader.nav.seq, from: m.reader.id, link: feed.Link{N: 1, URL: long}, err: err, reason: failReason(err)})
	line := statusLine(m)
	if want := "[1] no such host: www.nato.int (DNS lookup failed: server misbehaving)"; !strings.Contains(line, want) {
		t.Errorf("status line %q (status %q) lacks the whole error %q", line, m.status.text, want)
	}
	if strings.Contains(line, "nato.int/cps") {
		t.Errorf("status line %q repeats the link's path", line)
	}

	// The destination still shows beside an error that leaves it room.
	m = openKremlin(t, fx, 160, 24)
	m = press(t, m, "tab")
	m.setError("short error")
	if line := statusLine(m); !strings.Contains(line, "short error") || !strings.Contains(line, "→ [1] ") {
		t.Errorf("wide status line %q: want the error and the destination", line)
	}
}

func TestErrText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&feed.HTTPError{Status: 404}, "not found (HTTP 404)"},
		{store.ErrNotFound, "not found"},
		{context.DeadlineExceeded, "context deadline exceeded"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := errText(tt.err); got != tt.want {
			t.Errorf("errText(%v): got %q, want %q", tt.err, got, tt.want)
		}
	}
	reasons := []struct {
		err  error
		want string
	}{
		{&feed.HTTPError{Status: 404}, "not found"},
		{&feed.HTTPError{Status: 503}, "service unavailable"},
		{&feed.NetError{Kind: feed.ErrTimeout, Msg: "feed: no answer within 20s"}, "timeout"},
		{&feed.NetError{Kind: feed.ErrNotWebPage, Msg: "feed: not a web page (application/pdf): …"}, "not a web page"},
		{context.Canceled, ""},
	}
	for _, tt := range reasons {
		if got := failReason(tt.err); got != tt.want {
			t.Errorf("failReason(%v): got %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestOverlaysHaveTheirOwnHint(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 120, 40)
	tests := []struct {
		keys []string
		want string
	}{
		{[]string{"?"}, "esc or ? closes"},
		{[]string{"e"}, "esc closes · R refreshes every feed"},
		{[]string{"j", "enter", "b"}, "enter opens · esc cancels"},
	}
	for _, tt := range tests {
		got := press(t, m, tt.keys...)
		if line := statusLine(got); strings.TrimSpace(line) != tt.want {
			t.Errorf("%v: status line %q, want %q", tt.keys, line, tt.want)
		}
	}
	off := fx.model(t, 120, 40, func(o *Options) { o.Client = nil })
	if line := statusLine(press(t, off, "e")); strings.Contains(line, "R refreshes") {
		t.Errorf("offline errors view offers R: %q", line)
	}
}

const starterNotice = "wrote a starter config with a few news feeds to /home/u/.config/brief/config.toml — edit it to add your own"

func TestNoticeStaysUntilAKey(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 48, func(o *Options) {
		o.Notice = starterNotice
		o.RefreshOnStart = true // its summary used to replace the notice
	})
	if m.refresh.running || m.status.text == "" {
		t.Fatalf("the refresh on start did not finish: %s", describe(m))
	}
	if line := statusLine(m); !strings.Contains(line, "/home/u/.config/brief/config.toml") || !strings.Contains(line, "0 failed") {
		t.Errorf("status line %q: want the notice and the refresh summary", line)
	}
	m = press(t, m, "j")
	if line := statusLine(m); strings.Contains(line, "config.toml") {
		t.Errorf("the notice outlived a key: %q", line)
	}
}

func TestEmptyListSaysWhereTheFeedsAre(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "empty.db"))
	for _, notice := range []string{starterNotice, ""} {
		m := New(Options{Store: st, Notice: notice, Now: func() time.Time { return testNow }})
		m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		m = run(t, m, m.Init())
		if line := statusLine(m); strings.Contains(line, "config.toml") {
			t.Errorf("the status line repeats the notice the empty list shows: %q", line)
		}
		m = press(t, m, "j") // the status bar forgets the notice; the list does not
		v := plain(m.View())
		if !strings.Contains(v, "No articles yet") {
			t.Errorf("empty list:\n%s", v)
		}
		if has := strings.Contains(v, "/home/u/.config/brief/config.toml"); has != (notice != "") {
			t.Errorf("notice %q: path shown %t:\n%s", notice, has, v)
		}
		checkSize(t, m.View(), 80, 24)
	}
}
