package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// goodPage is an article page with more text than its feed's summary.
const goodPage = `<!doctype html><html><head><title>Grain corridor reopens</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>Grain corridor reopens</h1>
<p>The first ships left Odesa on Tuesday morning after the corridor reopened, port officials said, with wheat bound for Egypt and Spain.</p>
<p>Insurers had raised their rates sharply during the closure; traders expect them to come down within weeks if the ships keep moving.</p>
<p>The whole story goes on here, far beyond the two lines the feed carries as its summary.</p>
</article><footer>© News</footer></body></html>`

// hostilePage tries scripts, handlers and javascript: links on the reader.
const hostilePage = `<!doctype html><html><head><title>Hostile</title><script>alert("head")</script></head><body>
<article><h1>Hostile page</h1><img src=x onerror="alert('img')">
<p>This page tries every trick a page can try on a reader that fetches it, and its text should still be read.</p>
<p>A <a href="javascript:alert('link')">link that runs code</a>, an <iframe src="javascript:alert(1)"></iframe> frame, and <script>alert("body")</script> a script.</p>
<p>Nothing of that may reach the terminal or the database as anything but plain words of the article.</p>
</article></body></html>`

// TestFullText: with full_text = true, brief refresh fetches the page of
// each new article once, stores it as the body, keeps the summary when the
// page fails (with a warning on the feed), and never fetches a stored
// article's page again; a feed without full_text stores its summaries and
// fetches no page.
func TestFullText(t *testing.T) {
	srv := feedtest.New(t)
	base := srv.Server.URL
	items := []feedtest.Item{
		{GUID: "good", Title: "Grain corridor reopens", Link: base + "/pages/good", Description: "<p>Ships left Odesa.</p>"},
		{GUID: "missing", Title: "Taken down", Link: base + "/pages/missing", Description: "<p>Summary of a page that is gone.</p>"},
		{GUID: "hostile", Title: "Hostile", Link: base + "/pages/hostile", Description: "<p>Summary of the hostile page.</p>"},
	}
	srv.Set("/summaries.xml", feedtest.RSS("Summaries", base+"/", items), "")
	plain := []feedtest.Item{{GUID: "p1", Title: "Plain", Link: base + "/pages/plain", Description: "<p>A plain summary.</p>"}}
	srv.Set("/plain.xml", feedtest.RSS("Plain", base+"/", plain), "")
	var pageHeader http.Header
	srv.Handle("/pages/good", func(w http.ResponseWriter, r *http.Request) {
		pageHeader = r.Header.Clone() // fetched once (checked below), so no race
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(goodPage))
	})
	srv.Set("/pages/hostile", []byte(hostilePage), "text/html; charset=utf-8")
	srv.Set("/pages/plain", []byte(goodPage), "text/html; charset=utf-8")
	srv.Handle("/pages/missing", func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) })

	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "c.toml"), filepath.Join(dir, "b.db")
	writeFile(t, cfg, "[[feed]]\nurl = \""+srv.URL("/summaries.xml")+"\"\nfull_text = true\nuser_agent = \"Mine/1.0\"\nheaders = { \"X-Token\" = \"secret\" }\n[[feed]]\nurl = \""+srv.URL("/plain.xml")+"\"\n")
	refreshOnce := func() string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run([]string{"refresh", "--config", cfg, "--db", db}, &out, &errb); code != exitOK {
			t.Fatalf("refresh: exit %d: %s", code, errb.String())
		}
		return errb.String()
	}
	stderr := refreshOnce()
	if !strings.Contains(stderr, "warning: full text of") || !strings.Contains(stderr, "/pages/missing not fetched, the summary is kept") {
		t.Errorf("first refresh: no warning about the missing page: %q", stderr)
	}
	// A new article in the feed: only its page is fetched.
	items = append(items, feedtest.Item{GUID: "later", Title: "Later", Link: base + "/pages/later", Description: "<p>Later summary.</p>"})
	srv.Set("/summaries.xml", feedtest.RSS("Summaries", base+"/", items), "")
	srv.Set("/pages/later", []byte(strings.ReplaceAll(goodPage, "Grain corridor reopens", "Later story")), "text/html; charset=utf-8")
	refreshOnce()
	refreshOnce()
	for path, want := range map[string]int{"/pages/good": 1, "/pages/missing": 1, "/pages/hostile": 1, "/pages/later": 1, "/pages/plain": 0} {
		if got := srv.Stats(path).Requests; got != want {
			t.Errorf("%s fetched %d times, want %d", path, got, want)
		}
	}

	if pageHeader.Get("User-Agent") != "Mine/1.0" || pageHeader.Get("X-Token") != "" {
		t.Errorf("page request headers %v: want the feed's user_agent and not its headers", pageHeader)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Articles(ctx, store.Filter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{}
	for _, r := range rows {
		a, err := st.Article(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		bodies[strings.TrimPrefix(r.URL, base)] = a.Markdown
	}
	if len(bodies) != 5 {
		t.Fatalf("stored %d articles, want 5: %v", len(bodies), bodies)
	}
	for path, want := range map[string]string{
		"/pages/good":    "Insurers had raised their rates",
		"/pages/later":   "Insurers had raised their rates",
		"/pages/missing": "Summary of a page that is gone.",
		"/pages/hostile": "plain words of the article",
		"/pages/plain":   "A plain summary.",
	} {
		if !strings.Contains(bodies[path], want) {
			t.Errorf("%s: body %q, want it to contain %q", path, bodies[path], want)
		}
	}
	if b := bodies["/pages/hostile"]; strings.Contains(b, "alert") || strings.Contains(b, "javascript:") || strings.Contains(b, "<") {
		t.Errorf("hostile page stored with code: %q", b)
	}
}

func TestConfigFullText(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte("[[feed]]\nurl = \"https://a.example/rss\"\nfull_text = true\n[[feed]]\nurl = \"https://b.example/rss\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.fullTextFeeds(); len(got) != 1 || !got["https://a.example/rss"] {
		t.Errorf("fullTextFeeds = %v", got)
	}
	_, err = parseConfig("c.toml", []byte("[[feed]]\nurl = \"https://a.example/rss\"\nfull_text = \"yes\"\n"))
	if err == nil || !strings.Contains(err.Error(), "c.toml:3:") || !strings.Contains(err.Error(), "full_text must be true or false") {
		t.Errorf("full_text = \"yes\": got %v", err)
	}
}
