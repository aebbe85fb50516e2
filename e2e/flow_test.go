package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestReadingFlow is a morning's reading at a wide terminal: open the first
// article, space past its end to the next unread one, N to the one after,
// mark one unread by mistake and undo it, sort the list oldest first, quit;
// the next start shows the list sorted as it was left.
func TestReadingFlow(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	e := newEnv(t, newsDotfile(srv))
	s := e.startTmux(120, 40, "--config", e.config, "--db", e.db)

	s.waitFor("list after refresh on start", "Kremlin won't withdraw", "6 new", "6 unread")
	s.keys("Enter")
	s.waitFor("first article", "The United States received", "· 1/6 ·", "5 unread", "article top")
	s.keys("G")
	s.waitFor("at its end", "article end")
	s.keys("Space")
	s.waitFor("space at the end: the next unread article", "· 2/6 ·", "4 unread")
	s.keys("N")
	s.waitFor("N: the next unread one", "· 3/6 ·", "3 unread")
	s.keys("p")
	s.waitFor("p: the previous article", "· 2/6 ·")
	s.keys("m")
	s.waitFor("m marks it unread", "marked unread", "4 unread")
	s.keys("u")
	s.waitFor("u undoes it", "marked read", "3 unread")

	s.keys("Escape")
	s.waitFor("back in the list", "enter opens")
	s.keys("S")
	s.waitFor("sorted oldest first", "by oldest", "sorted by date, oldest first")
	s.waitFirstRow("oldest first", "Уряд затвердив")
	s.keys("q")
	s.waitExit("q")

	s = e.startTmux(120, 40, "--config", e.config, "--db", e.db)
	s.waitFor("restarted, still sorted", "by oldest", "3 unread")
	s.waitFirstRow("after a restart", "Уряд затвердив")
	s.keys("S")
	s.waitFor("sorted by feed", "by feed")
	s.keys("S")
	s.waitFor("sorted by title", "by title")
	s.keys("S")
	s.waitGone("newest first again", "by title")
	s.keys("q")
	s.waitExit("q")
}

// waitFirstRow polls until the list's first row (the line under the
// header) shows want.
func (s *tmuxSession) waitFirstRow(what, want string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var row string
	for time.Now().Before(deadline) {
		if lines := strings.Split(s.screen(), "\n"); len(lines) > 1 {
			if row = lines[1]; strings.Contains(row, want) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%s: the first row is %q, want %q", what, row, want)
}

// TestKeysAndMarkAll: a dotfile's [keys] are the keys in force (and in ?),
// a conflicting one stops brief with the line and column, and M on more
// than a screen of articles asks first, then u puts them back.
func TestKeysAndMarkAll(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	bad := newEnv(t, newsDotfile(srv)+"\n[keys]\nstar = \"j\"\n")
	_, stderr, code := bad.run("--config", bad.config, "--db", bad.db)
	if code != 1 || !strings.Contains(stderr, `:15:8: star = "j": "j" is also the key of down`) {
		t.Errorf("conflicting key: exit %d, stderr %q", code, stderr)
	}

	e := newEnv(t, newsDotfile(srv)+"\n[keys]\nnext_article = [\"J\", \"n\"]\n")
	s := e.startTmux(80, 6, "--config", e.config, "--db", e.db)
	s.waitFor("list", "6 new", "6 unread")
	s.keys("M")
	s.waitFor("M asks", "mark 6 articles in All read?")
	s.keys("n")
	s.waitFor("n: nothing marked", "cancelled: nothing was marked", "6 unread")
	s.keys("M")
	s.waitFor("M asks again", "mark 6 articles in All read?")
	s.keys("y")
	s.waitFor("y: marked", "0 unread")
	s.keys("u")
	s.waitFor("u: unread again", "marked 6 articles unread again", "6 unread")
	s.keys("Enter")
	s.waitFor("opened", "· 1/6 ·", "article top")
	s.keys("J")
	s.waitFor("J: next article", "· 2/6 ·")
	s.keys("?")
	s.waitFor("help shows the keys in force", "J/n")
	s.keys("q") // closes the help
	s.waitGone("help closed", "J/n")
	s.keys("q")
	s.waitExit("q")
}
