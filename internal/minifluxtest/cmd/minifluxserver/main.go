// Command minifluxserver starts a real Miniflux (and its PostgreSQL) on
// loopback until it is interrupted, subscribes its admin to the fixture news
// site and some generated feeds in three categories, and writes a dotfile
// with one local feed and both kinds of account pointing at it: for trying
// brief's sync by hand.
//
//	go run ./internal/minifluxtest/cmd/minifluxserver -config /tmp/brief-sync.toml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
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
		if err := srv.Subscribe(ctx, minifluxtest.AdminUser, minifluxtest.AdminPassword, u, cats[i%len(cats)]); err != nil {
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
