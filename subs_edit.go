package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/dotfile"
)

// This file is the seam between the dotfile loader (config.go) and the
// text editor of the dotfile (internal/dotfile): every edit is checked by
// loading the file before and after it, and nothing is written when either
// load fails.

// editFeeds changes the dotfile at path through change, which gets the
// loaded dotfile and its bytes and returns the new bytes. The dotfile must
// load before the change (a broken dotfile is reported, not edited) and
// after it (an edit that would break it is refused); the write is atomic,
// keeps config.toml.bak and is redone on a dotfile that changed meanwhile.
func editFeeds(path string, change func(cfg Config, data []byte) ([]byte, error)) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		_, err = loadConfig(path) // says best what is missing
		return err
	}
	return dotfile.Edit(path, func(old []byte) ([]byte, error) {
		cfg, err := parseConfig(path, old)
		if err != nil {
			return nil, fmt.Errorf("config: the dotfile has a problem, so brief changed nothing; fix it first:\n  %w", err)
		}
		data, err := change(cfg, old)
		if err != nil {
			return nil, err
		}
		if _, err := parseConfig(path, data); err != nil {
			return nil, fmt.Errorf("config: the edit would leave a dotfile that does not load, so brief changed nothing:\n  %w", err)
		}
		return data, nil
	})
}

// feedBlocks returns the [[feed]] blocks of data, one per cfg.Feeds entry,
// or an error when the feeds are written in another form (an inline array).
func feedBlocks(cfg Config, data []byte) ([]dotfile.Block, error) {
	blocks := dotfile.FeedBlocks(data)
	if len(blocks) != len(cfg.Feeds) {
		return nil, fmt.Errorf("config: %s lists %d feeds but has %d [[feed]] blocks; brief only edits feeds written as [[feed]] blocks", cfg.path, len(cfg.Feeds), len(blocks))
	}
	return blocks, nil
}

// findFeed returns the index of the dotfile feed with the same normalised
// URL as rawURL, or -1.
func findFeed(cfg Config, rawURL string) int {
	if i, ok := feedIndex(cfg)[feed.NormalizeURL(rawURL)]; ok {
		return i
	}
	return -1
}

// feedIndex maps the normalised URLs of the dotfile's feeds to their index.
func feedIndex(cfg Config) map[string]int {
	idx := make(map[string]int, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		if k := feed.NormalizeURL(f.URL); k != "" {
			if _, dup := idx[k]; !dup {
				idx[k] = i
			}
		}
	}
	return idx
}

// feedLabel names a dotfile feed in messages: "Title" (url), or the url.
func feedLabel(f FeedConf) string {
	if f.Title == "" || f.Title == f.URL {
		return feed.DisplayURL(f.URL)
	}
	return fmt.Sprintf("%q (%s)", f.Title, feed.DisplayURL(f.URL))
}

// emptyDotfile is the starter dotfile without its sample feeds: what add and
// import start from when there is no dotfile yet.
func emptyDotfile() string {
	s := starterConfig
	if i := strings.Index(s, "\n[[feed]]"); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// ensureDotfile makes sure a dotfile exists at path for add and import,
// writing one without feeds when there is none, and reports whether it did.
func ensureDotfile(path string) (bool, error) {
	return createDotfile(path, emptyDotfile())
}
