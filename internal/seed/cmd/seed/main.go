// Command seed fills a brief database with synthetic feeds and articles for
// benchmarks:
//
//	go run ./internal/seed/cmd/seed -db FILE -feeds 200 -articles 100000 [-config FILE]
//
// With -config it also writes a dotfile listing the synthetic feeds (refresh
// on start off), so brief can be started on the database without the feeds
// being dropped as "no longer in the dotfile".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/brief-reader/brief/internal/seed"
	"github.com/brief-reader/brief/store"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	db := fs.String("db", "", "database file to fill (created if missing)")
	feeds := fs.Int("feeds", 200, "number of feeds")
	articles := fs.Int("articles", 100_000, "number of articles in total")
	words := fs.Int("words", 150, "words per article body")
	read := fs.Float64("read", 0.5, "share of the feeds marked read (0 for none)")
	config := fs.String("config", "", "also write a dotfile listing the feeds to this file (never overwritten)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return errors.New("seed: -db FILE is required")
	}
	if *read == 0 {
		*read = -1
	}
	if *config != "" {
		if _, err := os.Stat(*config); err == nil {
			return fmt.Errorf("seed: %s exists; not overwriting it", *config)
		}
	}
	st, err := seed.FillFile(ctx, *db, seed.Options{Feeds: *feeds, Articles: *articles, Words: *words, ReadShare: *read})
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d feeds, %d articles (%d read, %d starred) in %v\n",
		*db, st.Feeds, st.Articles, st.Read, st.Starred, st.Elapsed.Round(1e6))
	if *config != "" {
		if err := writeConfig(*config, seed.Specs(*feeds)); err != nil {
			return err
		}
		fmt.Printf("%s: dotfile written\n", *config)
	}
	return nil
}

// writeConfig writes a dotfile for specs, refusing to replace an existing file.
func writeConfig(path string, specs []store.FeedSpec) error {
	var b strings.Builder
	b.WriteString("# brief dotfile written by internal/seed for benchmarks\nrefresh_on_start = false\nrefresh_interval = \"0\"\n")
	for _, sp := range specs {
		fmt.Fprintf(&b, "\n[[feed]]\nurl = %s\ntitle = %s\ntags = [", strconv.Quote(sp.URL), strconv.Quote(sp.Title))
		for i, t := range sp.Tags {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(t))
		}
		b.WriteString("]\n")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		return errors.Join(fmt.Errorf("seed: %w", err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}
