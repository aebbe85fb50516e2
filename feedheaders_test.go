package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestConfigFeedHeaders(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte(`
[[feed]]
url = "https://a.example/rss"
user_agent = "MyReader/1.0"
headers = { Authorization = "Bearer x", "X-Api-Key" = "k" }

[[feed]]
url = "https://b.example/rss"
`))
	if err != nil {
		t.Fatal(err)
	}
	h := cfg.feedHeaders()
	if len(h) != 1 || h["https://a.example/rss"].Get("User-Agent") != "MyReader/1.0" || h["https://a.example/rss"].Get("X-Api-Key") != "k" {
		t.Errorf("feedHeaders %v", h)
	}
	for _, tt := range []struct{ name, feed, want string }{
		{"reserved", `headers = { "If-None-Match" = "x" }`, `c.toml:3:11: feed #1: header "If-None-Match" is set by brief itself`},
		{"user agent", `headers = { "user-agent" = "x" }`, `write the User-Agent as user_agent`},
		{"bad name", `headers = { "a b" = "x" }`, `header name "a b" is not a valid HTTP header name`},
		{"two lines", `user_agent = "a\nb"`, `c.toml:3:14: feed #1: user_agent must be one line`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte("[[feed]]\nurl = \"https://a.example/rss\"\n"+tt.feed+"\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestFeedHeadersSent: brief refresh sends a feed's own User-Agent and
// headers, and brief's own User-Agent to the other feeds.
func TestFeedHeadersSent(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	var mu sync.Mutex
	seen := map[string]http.Header{}
	srv.Server.Config.Handler = func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[r.URL.Path] = r.Header.Clone()
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}(srv.Server.Config.Handler)
	dir := t.TempDir()
	world, politics := srv.URL(feedtest.NewsWorld), srv.URL(feedtest.NewsPolitics)
	cfg := filepath.Join(dir, "c.toml")
	writeFile(t, cfg, "refresh_on_start = false\n[[feed]]\nurl = \""+world+"\"\nuser_agent = \"MyReader/1.0\"\nheaders = { \"X-Token\" = \"t1\" }\n[[feed]]\nurl = \""+politics+"\"\n")
	var out, errb bytes.Buffer
	if code := run([]string{"refresh", "--config", cfg, "--db", filepath.Join(dir, "b.db")}, &out, &errb); code != exitOK {
		t.Fatalf("refresh: exit %d: %s", code, errb.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if h := seen[feedtest.NewsWorld]; h.Get("User-Agent") != "MyReader/1.0" || h.Get("X-Token") != "t1" {
		t.Errorf("world feed got %v", h)
	}
	if h := seen[feedtest.NewsPolitics]; !strings.HasPrefix(h.Get("User-Agent"), "brief/") || h.Get("X-Token") != "" {
		t.Errorf("politics feed got %v", h)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
