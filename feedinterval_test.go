package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestConfigFeedRefreshInterval(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte(`
[[feed]]
url = "https://a.example/rss"
refresh_interval = "6h"

[[feed]]
url = "https://b.example/rss"
refresh_interval = "0"

[[feed]]
url = "https://c.example/rss"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.feedIntervals(); len(got) != 1 || got["https://a.example/rss"] != 6*time.Hour {
		t.Errorf("feedIntervals = %v, want only a.example at 6h", got)
	}
	for _, tt := range []struct{ name, feed, want string }{
		{"too short", `refresh_interval = "30s"`, `c.toml:3:20: feed #1: refresh_interval = "30s" is too short`},
		{"no unit", `refresh_interval = "5"`, `c.toml:3:21: feed.refresh_interval: 5 has no unit`},
		{"not a duration", `refresh_interval = "soon"`, `c.toml:3:21: feed.refresh_interval: "soon" is not a duration`},
		{"negative", `refresh_interval = "-1h"`, `c.toml:3:21: feed.refresh_interval: "-1h" is negative`},
		{"a number", `refresh_interval = 5`, `c.toml:3:20: `},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte("[[feed]]\nurl = \"https://a.example/rss\"\n"+tt.feed+"\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestRefreshIntervalCLI: brief refresh run twice fetches a feed with
// refresh_interval = "1h" once (and says it was not due), and the feeds with
// "0" or without one twice.
func TestRefreshIntervalCLI(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.toml")
	writeFile(t, cfg, "[[feed]]\nurl = \""+srv.URL(feedtest.NewsWorld)+"\"\nrefresh_interval = \"1h\"\n"+
		"[[feed]]\nurl = \""+srv.URL(feedtest.NewsPolitics)+"\"\nrefresh_interval = \"0\"\n"+
		"[[feed]]\nurl = \""+srv.URL(feedtest.NewsUkrainian)+"\"\n")
	var outs []string
	for i := range 2 {
		var out, errb bytes.Buffer
		if code := run([]string{"refresh", "--config", cfg, "--db", filepath.Join(dir, "b.db")}, &out, &errb); code != exitOK {
			t.Fatalf("refresh %d: exit %d: %s", i+1, code, errb.String())
		}
		outs = append(outs, out.String())
	}
	for path, want := range map[string]int{feedtest.NewsWorld: 1, feedtest.NewsPolitics: 2, feedtest.NewsUkrainian: 2} {
		if got := srv.Stats(path).Requests; got != want {
			t.Errorf("%s: %d requests, want %d", path, got, want)
		}
	}
	if strings.Contains(outs[0], "not due") || !strings.Contains(outs[1], "3 feeds, 0 new articles, 0 failed, 1 not due (refresh_interval)") {
		t.Errorf("summaries: %q", outs)
	}
}
