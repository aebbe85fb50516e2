// Command minifluxserver starts a real Miniflux (and its PostgreSQL) on
// loopback until it is interrupted, subscribes its admin to the fixture news
// site and some generated feeds in three categories, and writes a dotfile
// with one local feed and both kinds of account pointing at it: for trying
// brief's sync by hand.
//
//	go run ./internal/minifluxtest/cmd/minifluxserver -config /tmp/brief-sync.toml
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
)

func main() {
	config := flag.String("config", "", "write a brief dotfile with the accounts to this file")
	generated := flag.Int("generated", 6, "generated feeds to subscribe to")
	items := flag.Int("items", 20, "items per generated feed")
	flag.Parse()
	if err := run(*config, *generated, *items); err != nil {
		fmt.Fprintln(os.Stderr, "minifluxserver:", err)
		os.Exit(1)
	}
}

func run(config string, generated, items int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	srv, err := minifluxtest.Start(ctx)
	if err != nil {
		return err
	}
	defer srv.Stop()
	fs := feedtest.Start()
	defer fs.Close()
	feedtest.AddNews(fs)
	cats := []string{"News", "Tech", "Science"}
	urls := []string{fs.URL(feedtest.NewsWorld), fs.URL(feedtest.NewsPolitics)}
	for f := range generated {
		path := fmt.Sprintf("/gen/%d.xml", f)
		fs.Set(path, feedtest.RSS(fmt.Sprintf("Generated %d", f), fs.URL(""), feedtest.Generate(fs.URL(""), f, items)), "")
		urls = append(urls, fs.URL(path))
	}
	for i, u := range urls {
		if err := subscribe(ctx, srv, u, cats[i%len(cats)]); err != nil {
			return err
		}
	}
	dotfile := fmt.Sprintf(`refresh_on_start = true
refresh_interval = "0"

[[feed]]
url = %q

[[account]]
name = "home"
kind = "miniflux"
url = %q
username = %q
password_command = "echo %s"

[[account]]
name = "greader"
kind = "greader"
url = %q
username = %q
password_command = "echo %s"
`, fs.URL(feedtest.NewsUkrainian), srv.URL, minifluxtest.AdminUser, minifluxtest.AdminPassword,
		srv.URL, minifluxtest.GReaderUser, minifluxtest.GReaderPassword)
	if config != "" {
		if err := os.WriteFile(config, []byte(dotfile), 0o644); err != nil {
			return err
		}
	}
	fmt.Println(srv.URL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return nil
}

// subscribe adds feedURL to the admin's category (created when missing).
func subscribe(ctx context.Context, srv *minifluxtest.Server, feedURL, category string) error {
	id, err := srv.Query(ctx, fmt.Sprintf(`INSERT INTO categories (user_id, title)
 SELECT id, '%s' FROM users WHERE username = '%s'
 ON CONFLICT (user_id, title) DO UPDATE SET title = excluded.title RETURNING id`, category, minifluxtest.AdminUser))
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`{"feed_url":%q,"category_id":%s}`, feedURL, strings.TrimSpace(id))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/feeds", bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.SetBasicAuth(minifluxtest.AdminUser, minifluxtest.AdminPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("subscribing to %s: HTTP %d", feedURL, resp.StatusCode)
	}
	return nil
}
