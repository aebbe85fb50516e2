// Command feedserver serves brief's fixture news site on loopback until it is
// interrupted, and writes a dotfile that points at it: for trying brief by
// hand and for scripts/bench.sh.
//
//	go run ./internal/feedtest/cmd/feedserver -config /tmp/brief.toml -generated 20
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
	generated := flag.Int("generated", 0, "also serve this many generated feeds")
	items := flag.Int("items", 50, "items per generated feed")
	flag.Parse()

	s := feedtest.Start()
	defer s.Close()
	feedtest.AddNews(s)
	var b strings.Builder
	b.WriteString("refresh_on_start = true\nrefresh_interval = \"0\"\n\n")
	for _, p := range []string{feedtest.NewsWorld, feedtest.NewsPolitics, feedtest.NewsUkrainian} {
		fmt.Fprintf(&b, "[[feed]]\nurl = %q\n\n", s.URL(p))
	}
	for f := 0; f < *generated; f++ {
		path := fmt.Sprintf("/gen/%d.xml", f)
		s.Set(path, feedtest.RSS(fmt.Sprintf("Generated %d", f), s.URL(""), feedtest.Generate(s.URL(""), f, *items)), "")
		fmt.Fprintf(&b, "[[feed]]\nurl = %q\ntags = [\"generated\"]\n\n", s.URL(path))
	}
	if *config != "" {
		if err := os.WriteFile(*config, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "feedserver:", err)
			os.Exit(1)
		}
	}
	fmt.Println(s.URL(""))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
