package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/dotfile"
	"github.com/brief-reader/brief/store"
)

// liveSubs is the dotfile as the running reader sees it: it adds and
// removes feeds (the same edits as brief add and remove) and notices when
// the file was changed by someone else, keeping the store's feed list in
// step. Its methods do I/O and are called from tea.Cmds.
type liveSubs struct {
	path   string
	st     *store.Store
	client *feed.Client

	mu   sync.Mutex
	seen stamp // the version of the dotfile the store's feed list follows
}

// reloadError is a dotfile change the reader could not take: the loader's
// error, worded for the status line.
type reloadError struct {
	msg string
	err error
}

func (e *reloadError) Error() string { return e.msg }
func (e *reloadError) Unwrap() error { return e.err }

// stamp identifies a version of the dotfile: cheap fields first, then a hash.
type stamp struct {
	mod  time.Time
	size int64
	sum  [sha256.Size]byte
}

func newLiveSubs(path string, st *store.Store, client *feed.Client) (*liveSubs, error) {
	l := &liveSubs{path: path, st: st, client: client}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	l.seen = stamp{mod: info.ModTime(), size: info.Size(), sum: sha256.Sum256(data)}
	return l, nil
}

// Discover finds the feeds behind a URL or web page.
func (l *liveSubs) Discover(ctx context.Context, rawURL string) ([]feed.Candidate, error) {
	if cfg, err := loadConfig(l.path); err == nil {
		if err := refuseDuplicate(cfg, rawURL); err != nil {
			return nil, err
		}
	}
	cands, err := l.client.Discover(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("add: %s: %w", rawURL, err)
	}
	return cands, nil
}

// Add checks the candidate's feed (downloading it if discovery did not),
// adds it to the dotfile and to the store's feed list, and returns its title
// and item count.
func (l *liveSubs) Add(ctx context.Context, c feed.Candidate) (string, int, error) {
	f, err := candidateFeed(ctx, l.client, c)
	if err != nil {
		return "", 0, err
	}
	title := strings.TrimSpace(f.Title)
	if err := appendFeed(l.path, dotfile.Feed{URL: c.URL, Title: title}); err != nil {
		return "", 0, err
	}
	if _, err := l.sync(ctx, true); err != nil {
		return "", 0, err
	}
	if title == "" {
		title = c.URL
	}
	return title, len(f.Items), nil
}

// Remove takes the feed with this URL out of the dotfile and the store's
// feed list (its articles stay in the cache) and returns its title.
func (l *liveSubs) Remove(ctx context.Context, feedURL string) (string, error) {
	removed, err := removeFeed(l.path, feedURL)
	if err != nil {
		return "", err
	}
	if _, err := l.sync(ctx, true); err != nil {
		return "", err
	}
	if removed.Title != "" {
		return removed.Title, nil
	}
	return removed.URL, nil
}

// Reload looks at the dotfile and, when it changed since the last look,
// loads it and brings the store's feed list in line. It reports whether the
// file changed; a file that does not load is reported once (with its line
// and column) and leaves the feed list as it was.
func (l *liveSubs) Reload(ctx context.Context) (bool, error) {
	return l.sync(ctx, false)
}

// sync loads the dotfile when it changed (or always, with force) and syncs
// the store's feed list to it.
func (l *liveSubs) sync(ctx context.Context, force bool) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	info, err := os.Stat(l.path)
	if err != nil {
		return false, fmt.Errorf("config: %w", err)
	}
	if !force && info.ModTime().Equal(l.seen.mod) && info.Size() == l.seen.size {
		return false, nil
	}
	data, err := os.ReadFile(l.path)
	if err != nil {
		return false, fmt.Errorf("config: %w", err)
	}
	next := stamp{mod: info.ModTime(), size: info.Size(), sum: sha256.Sum256(data)}
	if !force && next.sum == l.seen.sum {
		l.seen = next // touched, not changed
		return false, nil
	}
	l.seen = next // a broken version is reported once, not on every look
	cfg, err := parseConfig(l.path, data)
	if err != nil {
		// Line and column first, with the file's base name, so they fit the
		// status line.
		msg := strings.ReplaceAll(err.Error(), l.path, filepath.Base(l.path))
		return true, &reloadError{msg: msg + " (not reloaded: the reader keeps its feeds)", err: err}
	}
	if err := l.st.SyncFeeds(ctx, feedSpecs(cfg)); err != nil {
		return true, err
	}
	l.st.SetIntervals(cfg.feedIntervals()) // a feed's refresh_interval follows the dotfile too
	return true, nil
}
