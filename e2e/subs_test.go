package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// blogServer serves the fixture news feeds and a blog page at /blog/ that
// names two of them.
func blogServer(t *testing.T) *feedtest.Server {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	srv.Set("/blog/", []byte(`<!DOCTYPE html><html><head><title>A blog</title>
<link rel="alternate" type="application/rss+xml" title="World" href="`+feedtest.NewsWorld+`">
<link rel="alternate" type="application/rss+xml" title="Politics" href="`+feedtest.NewsPolitics+`">
</head><body>hello</body></html>`), "text/html")
	return srv
}

// TestSubscriptionsCLI is a newcomer bringing their feeds: import another
// reader's export, add a blog by its home page, refresh, remove one, export
// and import the export again (a no-op), with their dotfile's comment kept.
func TestSubscriptionsCLI(t *testing.T) {
	srv := blogServer(t)
	e := newEnv(t, "# my dotfile: keep this line\ntimeout = \"3s\"\n")

	out, errs, code := e.run("import", "--config", e.config, filepath.Join("..", "testdata", "opml", "rssant", "inoreader.xml"), "--verbose")
	if code != 0 || !strings.Contains(out, "OPML: added 3 feeds, 0 already there, 0 skipped") || !strings.Contains(out, `line 9: added "腾讯CDC"`) {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}

	out, errs, code = e.run("add", srv.URL("/blog/"), "--first", "--tag", "news", "--config", e.config)
	if code != 0 || !strings.Contains(out, "added ") || !strings.Contains(out, srv.URL(feedtest.NewsWorld)) {
		t.Fatalf("add: %d\n%s\n%s", code, out, errs)
	}
	_, errs, code = e.run("add", srv.URL(feedtest.NewsWorld), "--config", e.config)
	if code != 1 || !strings.Contains(errs, "already subscribed") {
		t.Errorf("second add: %d %s", code, errs)
	}

	out, _, code = e.run("refresh", "--config", e.config, "--db", e.db)
	if code != 0 || !strings.Contains(out, "4 feeds") {
		t.Errorf("refresh after add: %d %s", code, out)
	}

	out, errs, code = e.run("remove", "腾讯CDC", "--config", e.config)
	if code != 0 || !strings.Contains(out, `removed "腾讯CDC"`) {
		t.Fatalf("remove: %d\n%s\n%s", code, out, errs)
	}

	opml := filepath.Join(e.dir, "export.opml")
	if out, errs, code = e.run("export", opml, "--config", e.config); code != 0 || !strings.Contains(out, "exported 3 feeds") {
		t.Fatalf("export: %d\n%s\n%s", code, out, errs)
	}
	before, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	if out, _, code = e.run("import", opml, "--config", e.config); code != 0 || !strings.Contains(out, "added 0 feeds, 3 already there") {
		t.Errorf("import of the export: %d %s", code, out)
	}
	after, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("importing the export changed the dotfile:\n%s\n---\n%s", before, after)
	}
	if !strings.HasPrefix(string(after), "# my dotfile: keep this line\n") {
		t.Errorf("the comment is gone:\n%s", after)
	}
}

// TestSubscriptionsInReader: in the running reader, a adds a blog by its
// page (discovery and a pick list), D removes a feed after asking, and an
// editor's save of the dotfile (a new file renamed over it) is followed
// without a restart; a broken save changes nothing and says where it is.
func TestSubscriptionsInReader(t *testing.T) {
	srv := blogServer(t)
	dotfile := "# mine\nrefresh_on_start = true\nrefresh_interval = \"0\"\ntimeout = \"3s\"\n\n[[feed]]\nurl = \"" + srv.URL(feedtest.NewsUkrainian) + "\"\n"
	e := newEnv(t, dotfile)
	s := e.startTmux(160, 48, "--config", e.config, "--db", e.db)
	s.waitFor("start", "Уряд затвердив")

	s.keys("a")
	s.waitFor("add prompt", "Add a feed", "URL:")
	s.keys("-l", srv.URL("/blog/"))
	s.keys("Enter")
	s.waitFor("pick list", "The page names 2 feeds", "1. World", "2. Politics")
	s.keys("2")
	s.waitFor("added and fetched", "Parliament passes the 2022", "Politics")
	if data, err := os.ReadFile(e.config); err != nil || !strings.Contains(string(data), srv.URL(feedtest.NewsPolitics)) || !strings.HasPrefix(string(data), "# mine\n") {
		t.Fatalf("dotfile after a: %v\n%s", err, data)
	}

	s.keys("Escape") // alone: ESC and the next key together would read as alt+key
	s.waitFor("chooser focused", "enter shows · tab list")
	s.keys("G", "D")
	s.waitFor("confirmation", "Remove “Politics”", "y remove")
	s.keys("y")
	s.waitFor("removed", "removed “Politics”")
	s.waitGone("the removed feed's articles", "Parliament passes the 2022")

	// An editor's save: write a new file, rename it over the dotfile.
	save := func(text string) {
		tmp := e.config + ".swp"
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, e.config); err != nil {
			t.Fatal(err)
		}
	}
	world := dotfile + "\n[[feed]]\nurl = \"" + srv.URL(feedtest.NewsWorld) + "\"\ntitle = \"The World\"\n"
	save(world)
	s.waitFor("editor's save followed", "The World", "Kremlin won't withdraw")

	save(world + "\n[[feed]]\nurl = \"" + srv.URL(feedtest.NewsPolitics) + "\ntitle = \"x\"\n")
	s.waitFor("broken save", "config.toml:", "not reloaded")
	scr := s.screen()
	if !strings.Contains(scr, "The World") || strings.Contains(scr, "Parliament passes") {
		t.Errorf("a broken save changed the reader:\n%s", scr)
	}
}
