package e2e

import (
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// exampleArticle reads ../shared/examples/news-article.txt: its first line
// is the headline, then paragraphs separated by blank lines. Without it the
// test is skipped on a developer's machine but fails in CI.
func exampleArticle(t *testing.T) (title string, paras []string) {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "examples", "news-article.txt")
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("the example article is needed (CI=%q): %v", os.Getenv("CI"), err)
		}
		t.Skipf("the example article is not here: %v", err)
	}
	for _, p := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	if len(paras) < 3 {
		t.Fatalf("%s: no article in it", path)
	}
	return paras[0], paras[1:]
}

// readAlsoTitles returns the titles of the "Read also:" lines of paras.
func readAlsoTitles(t *testing.T, paras []string) []string {
	t.Helper()
	var out []string
	for _, p := range paras {
		if rest, ok := strings.CutPrefix(p, "Read also:"); ok {
			out = append(out, strings.TrimSpace(rest))
		}
	}
	if len(out) != 2 {
		t.Fatalf("the example article has %d \"Read also:\" lines, want 2", len(out))
	}
	return out
}

// TestSignatureCaseTitleOnlyReadAlso is the case brief was made for: a news
// article published as a news site does, with its "Read also" lines as plain
// text (titles without links). Before the articles they name are cached, 1
// says so and offers nothing (not the article itself, whose body holds the
// line, nor anything sharing words); a second refresh brings them and a
// look-alike; the block says "cached" without reopening the article, and 1
// and 2 open the real targets, never the look-alike.
func TestSignatureCaseTitleOnlyReadAlso(t *testing.T) {
	title, paras := exampleArticle(t)
	also := readAlsoTitles(t, paras)
	srv := feedtest.New(t)
	base := srv.URL("")
	// Another site: the same server under another host name.
	otherBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	if otherBase == base {
		t.Fatalf("fixture server at %s: want 127.0.0.1", base)
	}
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(p))
	}
	published := time.Now().Add(-2 * time.Hour)
	article := feedtest.Item{GUID: "kremlin", Title: title, Link: base + "/news/kremlin", Description: body.String(), Published: published}
	srv.Set("/news.xml", feedtest.RSS("Kyiv News", base+"/news", []feedtest.Item{article}), "")
	srv.Set("/wire.xml", feedtest.RSS("Wire", otherBase+"/wire", nil), "")
	dotfile := fmt.Sprintf("refresh_on_start = true\nrefresh_interval = \"0\"\ntimeout = \"10s\"\n\n[[feed]]\nurl = %q\n\n[[feed]]\nurl = %q\n",
		srv.URL("/news.xml"), otherBase+"/wire.xml")
	e := newEnv(t, dotfile)
	s := e.startTmux(160, 48, "--config", e.config, "--db", e.db)
	s.waitFor("list after refresh on start", "Kremlin won’t withdraw troops", "1 new")
	s.keys("Enter")
	s.waitFor("the article", "The United States received")
	s.keys("G") // the end of the article: the Read-also block
	s.waitFor("the Read-also block", "Read also  (1-9 follows)", "waiting", "right to choose their own path")

	// Before the targets exist: nothing to offer.
	s.keys("1")
	scr := s.waitFor("1 before the targets exist", "not in the cache yet: it will be followed when a refresh brings it")
	if strings.Contains(scr, "cached articles match") || strings.Contains(scr, "matched by title") {
		t.Fatalf("1 offered something before the targets existed:\n%s", scr)
	}
	s.keys("2")
	s.waitFor("2 before the targets exist", "[2] not in the cache yet")

	// A second refresh brings them: the poll on the article's own site
	// (without its "– poll" suffix), the pretext story only from another
	// site, and a look-alike that shares most of the poll's words.
	poll := strings.TrimSuffix(strings.TrimSuffix(also[0], "– poll"), ", ")
	srv.Set("/news.xml", feedtest.RSS("Kyiv News", base+"/news", []feedtest.Item{
		article,
		{GUID: "poll", Title: poll, Link: base + "/news/poll", Published: published.Add(time.Hour),
			Description: "<p>Most respondents in the survey backed the alliance.</p>"},
		{GUID: "lookalike", Title: "Poll: Europeans believe NATO should come to Ukraine’s defence", Link: base + "/news/lookalike",
			Published: published.Add(time.Hour), Description: "<p>A look-alike that shares most of the words.</p>"},
	}), "")
	srv.Set("/wire.xml", feedtest.RSS("Wire", otherBase+"/wire", []feedtest.Item{
		{GUID: "pretext", Title: also[1], Link: otherBase + "/wire/pretext", Published: published.Add(time.Hour),
			Description: "<p>The wire's copy of the pretext story.</p>"},
	}), "")
	s.keys("R")
	s.waitFor("the block after the refresh, article still open", "3 new", "right to choose their own path", "cached · other site")
	scr = s.waitFor("both targets cached", "1  "+poll[:20], "cached")
	if strings.Contains(scr, "waiting") {
		t.Errorf("a Read-also entry still waits after the refresh:\n%s", scr)
	}

	s.keys("1")
	scr = s.waitFor("1 after the refresh", "[1] matched by title in the cache", "Most respondents in the survey")
	if strings.Contains(scr, "look-alike that shares") {
		t.Errorf("1 opened the look-alike:\n%s", scr)
	}
	s.keys("BSpace")
	s.waitFor("back", "right to choose their own path")
	s.keys("2")
	s.waitFor("2 after the refresh", "[2] matched by title on another site: Wire", "The wire's copy of the pretext story")
	s.keys("BSpace")
	s.waitFor("back again", "right to choose their own path")

	s.keys("q")
	s.waitExit("quit")
	if b, err := os.ReadFile(filepath.Join(e.dir, s.name+".stderr")); err == nil && len(b) > 0 {
		t.Errorf("brief wrote to stderr while running: %q", b)
	}
}
