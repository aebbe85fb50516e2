// Command feedserver serves brief's fixture news site on loopback until it is
// interrupted, and writes a dotfile that points at it: for trying brief by
// hand and for scripts/bench.sh.
//
//	go run ./internal/feedtest/cmd/feedserver -config /tmp/brief.toml -generated 20
//
// Generated feeds are news-shaped (feedtest.GenerateNews) and spread over
// -hosts loopback servers, so that per-host download limits apply as they
// would on the network. -urls also writes a newsboat urls file of the same
// feeds, for running newsboat side by side.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/brief-reader/brief/internal/feedtest"
)

func main() {
	config := flag.String("config", "", "write a brief dotfile listing the served feeds to this file")
	urls := flag.String("urls", "", "write a newsboat urls file listing the generated feeds to this file")
	generated := flag.Int("generated", 0, "also serve this many generated feeds")
	items := flag.Int("items", 50, "items per generated feed")
	hosts := flag.Int("hosts", 1, "spread the generated feeds over this many loopback servers")
	plain := flag.Bool("plain", false, "generate short one-paragraph items instead of news-shaped ones")
	noFixtures := flag.Bool("no-fixtures", false, "list only the generated feeds in the dotfile")
	hostile := flag.String("hostile", "", "serve only a feed of hostile articles of this family (feedtest.HostileFamilies), at the 16 MiB cap")
	flag.Parse()

	s := feedtest.Start()
	defer s.Close()
	feedtest.AddNews(s)
	servers := []*feedtest.Server{s}
	for len(servers) < *hosts {
		extra := feedtest.Start()
		defer extra.Close()
		servers = append(servers, extra)
	}
	var b, u strings.Builder
	b.WriteString("refresh_on_start = true\nrefresh_interval = \"0\"\n\n")
	if *hostile != "" {
		s.Set("/hostile.xml", feedtest.HostileCapFeed(s.URL(""), *hostile), "")
		fmt.Fprintf(&b, "[[feed]]\nurl = %q\n\n", s.URL("/hostile.xml"))
		*generated, *noFixtures = 0, true
	}
	if !*noFixtures {
		for _, p := range []string{feedtest.NewsWorld, feedtest.NewsPolitics, feedtest.NewsUkrainian} {
			fmt.Fprintf(&b, "[[feed]]\nurl = %q\n\n", s.URL(p))
		}
	}
	for f := 0; f < *generated; f++ {
		srv := servers[f%len(servers)]
		path := fmt.Sprintf("/gen/%d.xml", f)
		gen := feedtest.GenerateNews
		if *plain {
			gen = feedtest.Generate
		}
		srv.Set(path, feedtest.RSS(fmt.Sprintf("Generated %d", f), srv.URL(""), gen(srv.URL(""), f, *items)), "")
		fmt.Fprintf(&b, "[[feed]]\nurl = %q\ntags = [\"generated\"]\n\n", srv.URL(path))
		fmt.Fprintf(&u, "%s \"generated\"\n", srv.URL(path))
	}
	for path, body := range map[string]string{*config: b.String(), *urls: u.String()} {
		if path == "" {
			continue
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "feedserver:", err)
			os.Exit(1)
		}
	}
	fmt.Println(s.URL(""))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
