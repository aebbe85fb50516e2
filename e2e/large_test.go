package e2e

import (
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestTenThousandItemFeed: a feed of 10,000 items is kept whole, a second
// refresh costs nothing, and the reader pages to its end at once.
func TestTenThousandItemFeed(t *testing.T) {
	srv := feedtest.New(t)
	srv.Set("/big.xml", feedtest.RSS("Big", srv.URL(""), feedtest.Generate(srv.URL(""), 7, 10000)), "")
	e := newEnv(t, dotfile(srv.URL("/big.xml")))

	out, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db)
	if code != 0 || !strings.Contains(out, "1 feed, 10000 new articles, 0 failed") {
		t.Fatalf("refresh: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, _, _ = e.run("refresh", "--config", e.config, "--db", e.db)
	if !strings.Contains(out, "1 feed, 0 new articles, 0 failed") || srv.Stats("/big.xml").NotModified != 1 {
		t.Errorf("second refresh: stdout %q, stats %+v; want nothing new and a 304", out, srv.Stats("/big.xml"))
	}

	s := e.startTmux(100, 30, "--config", e.config, "--db", e.db)
	s.waitFor("list", "Feed 7 article 0", "1/10,000")
	s.keys("G")
	s.waitFor("bottom of the list", "Feed 7 article 9999", "10,000/10,000")
	s.keys("g")
	s.waitFor("top again", "Feed 7 article 0", "1/10,000")
	s.keys("q")
	s.waitExit("quit")
}
