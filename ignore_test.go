package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestConfigKillRules(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte(`
[[ignore]]
query = "title:sponsored"

[[feed]]
url = "https://a.example/rss"
ignore = ["author:bot", "is:read age>30d"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range cfg.rules {
		got = append(got, r.feedURL+" "+r.parsed.String())
	}
	if want := " title:sponsored|https://a.example/rss author:bot|https://a.example/rss is:read age>30d"; strings.Join(got, "|") != want {
		t.Errorf("rules %q, want %q", strings.Join(got, "|"), want)
	}

	for _, tt := range []struct{ name, dotfile, want string }{
		{"global", "[[ignore]]\nquery = \"title:(\"\n", `c.toml:2:16: ignore #1: query: title: needs a value`},
		{"empty", "[[ignore]]\nquery = \"\"\n", `c.toml:2:10: ignore #1: query: no query`},
		{"per feed", "[[feed]]\nurl = \"https://a.example/rss\"\nignore = [\"ok\", \"is:new\"]\n",
			`c.toml:3:21: feed #1: ignore "is:new": is: takes unread, read or starred`},
		{"not a list", "[[feed]]\nurl = \"https://a.example/rss\"\nignore = \"x\"\n", "ignore must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte(tt.dotfile))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestKillRulesApplyToTheCache: a rule added to the dotfile hides what is
// cached already (brief search no longer finds it); removed, it shows again.
func TestKillRulesApplyToTheCache(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	dir := t.TempDir()
	urls := []string{srv.URL(feedtest.NewsWorld), srv.URL(feedtest.NewsPolitics)}
	db := filepath.Join(dir, "b.db")
	search := func(extra string) []searchHit {
		t.Helper()
		cfg := writeDotfile(t, dir, extra, urls...)
		var out, errb bytes.Buffer
		if code := run([]string{"search", "--config", cfg, "--db", db, "--json", "is:unread"}, &out, &errb); code != exitOK {
			t.Fatalf("search: exit %d: %s", code, errb.String())
		}
		var hits []searchHit
		if err := json.Unmarshal(out.Bytes(), &hits); err != nil {
			t.Fatal(err)
		}
		return hits
	}
	cfg := writeDotfile(t, dir, "", urls...)
	var out, errb bytes.Buffer
	if code := run([]string{"refresh", "--config", cfg, "--db", db}, &out, &errb); code != exitOK {
		t.Fatalf("refresh: exit %d: %s", code, errb.String())
	}
	if n := len(search("")); n != 5 {
		t.Fatalf("%d unread before any rule, want 5", n)
	}
	hits := search("[[ignore]]\nquery = \"title:grain OR title:storm\"\n")
	if len(hits) != 3 {
		t.Errorf("with the rule: %d hits, want 3", len(hits))
	}
	for _, h := range hits {
		if strings.Contains(h.Title, "Grain") || strings.Contains(h.Title, "Storm") {
			t.Errorf("a hidden article is listed: %q", h.Title)
		}
	}
	if n := len(search("")); n != 5 {
		t.Errorf("rule removed: %d hits, want all 5 back", n)
	}
}
