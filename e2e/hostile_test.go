package e2e

import (
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// hostileRSS is a feed built to break a terminal: escape sequences as raw
// bytes, as character references, double-encoded and in CDATA, in titles,
// authors, links and bodies.
const hostileRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Evil &#27;]0;pwned-title&#7; Feed</title><link>https://evil.example/</link>
<item><guid>e1</guid><title>Clear &#27;[2J&#27;[H screen &#x9b;31m and C1</title><link>javascript:alert(1)</link>
<author>&#27;]52;c;cHduZWQ=&#7;mallory</author>
<description><![CDATA[<p>Body with ` + "\x1b" + `]8;;https://evil.example/phish` + "\x1b" + `\click` + "\x1b" + `]8;;` + "\x1b" + `\ raw OSC 8.</p>
<p>Double &amp;#27;[31mred&amp;#27;[0m and *&amp;#27;*[2J split.</p><p><a href="file:///etc/passwd">local file</a> <a href="data:text/html,x">data</a></p>]]></description></item>
<item><guid>e2</guid><title>` + "\u202e" + `gnp.exe` + "\u200b" + ` bidi spoof</title><link>https://evil.example/2</link><description>ok</description></item>
</channel></rss>`

// TestHostileFeedLeavesTerminalAlone points brief at a feed built to break it:
// the screen stays intact, the window title and clipboard are untouched, and
// the other feeds still refresh.
func TestHostileFeedLeavesTerminalAlone(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	srv.Set("/evil.xml", []byte(hostileRSS), "")
	srv.Handle("/hang.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv.Handle("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	dot := newsDotfile(srv) + fmt.Sprintf("\n[[feed]]\nurl = %q\n\n[[feed]]\nurl = %q\n\n[[feed]]\nurl = %q\n",
		srv.URL("/evil.xml"), srv.URL("/hang.xml"), srv.URL("/busy.xml"))
	dot = strings.Replace(dot, `timeout = "3s"`, `timeout = "2s"`, 1)
	e := newEnv(t, dot)
	s := e.startTmux(120, 40, "--config", e.config, "--db", e.db)

	scr := s.waitFor("list with every good feed", "Kremlin won't", "Clear", "bidi spoof", "2 failed")
	for _, bad := range []string{"pwned", "[2J", "\u202e", "\u200b"} {
		if strings.Contains(scr, bad) {
			t.Errorf("screen shows %q:\n%s", bad, scr)
		}
	}
	if !strings.HasPrefix(strings.TrimLeft(scr, " "), "brief") {
		t.Errorf("header line is gone (screen cleared?):\n%s", scr)
	}
	title, _ := exec.Command("tmux", "display-message", "-p", "-t", s.name, "#{pane_title}").Output()
	if strings.Contains(string(title), "pwned") {
		t.Errorf("the feed retitled the terminal: %q", title)
	}

	// Open the hostile article: the body renders, nothing escapes, and the
	// javascript:/file:/data: links are not offered.
	s.keys("/")
	s.keys("-l", "Clear")
	s.keys("Enter")
	// "Clear" is on screen before the search too: wait for the found rows
	// (the header counts them once they are read), or enter finds no row.
	s.waitFor("search", "search “Clear” · 1/")
	s.keys("Enter")
	scr = s.waitFor("hostile body", "raw OSC 8", "local file")
	raw, _ := exec.Command("tmux", "capture-pane", "-p", "-e", "-t", s.name).Output()
	for _, bad := range []string{"\x1b]52", "\x1b]0;", "evil.example/phish", "\x1b[2J", "file:///etc/passwd"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("screen carries %q", bad)
		}
	}
	if strings.Contains(scr, "pwned") {
		t.Errorf("screen shows the OSC 52 payload:\n%s", scr)
	}
	buf, _ := exec.Command("tmux", "show-buffer").Output()
	if strings.Contains(string(buf), "pwned") {
		t.Errorf("the feed wrote the clipboard: %q", buf)
	}

	// The errors view names the failing feeds and what went wrong.
	s.keys("Escape")
	time.Sleep(100 * time.Millisecond) // ESC then e at once would read as alt+e
	s.keys("e")
	s.waitFor("errors view", "/hang.xml", "no answer within 2s", "/busy.xml", "HTTP 429", "not trying again before")
	s.keys("q") // closes the errors view
	s.waitGone("errors view closed", "Feed errors")
	s.keys("q")
	s.waitExit("quit")
}
