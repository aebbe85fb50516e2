package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// newsDotfile lists the fixture news site's feeds and refreshes on start.
func newsDotfile(srv *feedtest.Server) string {
	var b strings.Builder
	b.WriteString("refresh_on_start = true\nrefresh_interval = \"0\"\ntimeout = \"3s\"\n")
	for _, p := range []string{feedtest.NewsWorld, feedtest.NewsPolitics, feedtest.NewsUkrainian} {
		fmt.Fprintf(&b, "\n[[feed]]\nurl = %q\n", srv.URL(p))
	}
	return b.String()
}

// TestReaderFollowsStory is the product's main path, by a person at a wide
// terminal: start, see the list, open an article, read its rendered body,
// follow its "Read also" links (cached, reader mode, missing), go back to
// exactly where they were, refresh, quit.
func TestReaderFollowsStory(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	e := newEnv(t, newsDotfile(srv))
	s := e.startTmux(120, 40, "--config", e.config, "--db", e.db)

	s.waitFor("list after refresh on start", "Kremlin won't withdraw", "Parliament passes the 2022", "6 new")
	s.keys("Enter")
	s.waitFor("rendered body", "The United States received", "Read also", "[1]", "cached")

	// "1": the first Read also link, which is in the cache: no network call.
	before := srv.Stats("/politics/nato-poll").Requests
	s.keys("1")
	s.waitFor("cached target", "from cache", "A majority of Europeans in a new survey")
	if got := srv.Stats("/politics/nato-poll").Requests; got != before {
		t.Errorf("following a cached link made %d requests to the page, want 0", got-before)
	}

	s.keys("BSpace")
	s.waitFor("back to the first article", "back (0 more)", "The United States received")

	// "2": a page in no feed, fetched in reader mode.
	s.keys("2")
	s.waitFor("reader-mode page", "fetched in reader mode", "Paragraph 1 of the article")
	if got := srv.Stats(feedtest.NewsPage).Requests; got != 1 {
		t.Errorf("reader-mode page fetched %d times, want 1", got)
	}
	s.keys("BSpace")
	s.waitFor("back again", "back (0 more)", "The United States received")
	s.keys("L")
	s.waitFor("forward", "forward", "Paragraph 1 of the article")
	s.keys("H")
	s.waitFor("back with H", "The United States received")

	// "4": a "See also" link to a page that is gone: a message, nothing breaks.
	s.keys("4")
	s.waitFor("missing page", "404")

	// Tab selects links and shows where they go.
	s.keys("Tab")
	s.waitFor("first link selected", "→ [1]", "/politics/nato-poll")

	s.keys("R")
	s.waitFor("refresh all", "0 new")
	s.keys("q")
	s.waitExit("quit")
	if b, err := os.ReadFile(e.dir + "/" + s.name + ".stderr"); err == nil && len(b) > 0 {
		t.Errorf("brief wrote to stderr while running: %q", b)
	}
}

// TestReaderNarrow checks the one-pane layout at 80×24: the detail replaces
// the list, and esc comes back to it.
func TestReaderNarrow(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	e := newEnv(t, newsDotfile(srv))
	s := e.startTmux(80, 24, "--config", e.config, "--db", e.db)

	s.waitFor("list", "Kremlin won't", "6 new")
	s.keys("j", "Enter")
	scr := s.waitFor("detail", "Grain corridor talks resume", "No agreement")
	if strings.Contains(scr, "Storm warning") {
		t.Errorf("narrow detail still shows the list:\n%s", scr)
	}
	s.keys("Escape")
	s.waitFor("back to list", "Storm warning", "Kremlin won't")
	s.keys("?")
	s.waitFor("help", "toggle read", "refresh all")
	s.keys("?")
	s.keys("q")
	s.waitExit("quit")
}
