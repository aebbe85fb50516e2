package e2e

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestSavedViewAndSearch: a saved view and a kill rule of the dotfile in the
// chooser (the rule's article hidden from All, listed under Ignored), the view with
// its unread count, chosen; a malformed / search keeps the prompt with the
// column; brief search prints the same matches for scripts; a malformed view
// stops brief with the dotfile's line and column.
func TestSavedViewAndSearch(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	e := newEnv(t, newsDotfile(srv)+"\n[[view]]\nname = \"Politics, no budget\"\nquery = \"feed:politics -title:budget\"\n"+
		"\n[[ignore]]\nquery = \"title:storm\"\n")
	s := e.startTmux(160, 48, "--config", e.config, "--db", e.db)
	scr := s.waitFor("list after refresh on start", "Kremlin won't withdraw", "6 new", "Views", "Politics, no budget", "Ignored (kill rules)")
	if strings.Contains(scr, "Storm warning") {
		t.Errorf("the kill rule's article is listed:\n%s", scr)
	}

	s.keys("BTab") // to the chooser: All, Unread, Starred, then the view
	s.keys("j", "j", "j", "Enter")
	scr = s.waitFor("the view's list", "▸ Politics, no budget", "60% of Europeans", "1/1")
	if strings.Contains(scr, "Parliament passes") {
		t.Errorf("the view lists the budget article:\n%s", scr)
	}

	s.keys("BTab", "j", "Enter") // Ignored, below the view
	s.waitFor("the ignored list", "▸ Ignored (kill rules)", "Storm warning for the Black Sea coast", "1/1")

	s.keys("/")
	s.keys("-l", "tag:world (grain")
	s.keys("Enter")
	s.waitFor("search error with its column", `column 11: this "(" is never closed`)
	s.keys("Escape")
	s.keys("q")
	s.waitExit("quit")

	out, errs, code := e.run("search", "--config", e.config, "--db", e.db, "--json", "feed:politics -title:budget")
	var hits []struct{ Title, Feed, URL string }
	if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) != 1 || hits[0].Title != feedtest.TitlePoll {
		t.Errorf("brief search: exit %d, stdout %q, stderr %q; want the poll alone", code, out, errs)
	}

	bad := newsDotfile(srv) + "\n[[view]]\nname = \"Broken\"\nquery = \"is:unread OR\"\n"
	e2 := newEnv(t, bad)
	_, errs, code = e2.run("--config", e2.config, "--db", e2.db)
	lines := strings.Count(bad, "\n")
	if code != 1 || !strings.Contains(errs, "config.toml:"+strconv.Itoa(lines)+":20: view \"Broken\": query: OR needs a term on each side") {
		t.Errorf("broken view: exit %d, stderr %q; want 1 and the line:column of OR", code, errs)
	}
}
