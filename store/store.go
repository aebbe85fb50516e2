// Package store is brief's local cache: an SQLite database (modernc.org/sqlite,
// pure Go) holding the dotfile's feeds with their fetch state, their articles
// with read and starred state, the links of every article, linked pages
// fetched in reader mode, and an FTS5 index over titles and text. It writes a
// refresh in few short transactions from one writer, pages every list from
// indexed queries, and never resets what the user did (read, starred).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeout is how long a statement waits for another writer's lock
// (a variable only so that tests can shorten it).
var busyTimeout = 5 * time.Second

// Store is an open brief database. It is safe for concurrent use: writes go
// through one connection, in order; reads use a pool.
type Store struct {
	path string
	w    *sql.DB // the one writer connection, made once the integrity check passed
	r    *sql.DB // readers (query_only)

	checked     chan struct{}      // closed when the integrity check is done (see check.go)
	checkErr    error              // its result, set before checked is closed
	checkCancel context.CancelFunc // stops a background check (nil: none)

	policyMu  sync.Mutex
	intervals map[string]time.Duration // each feed's own refresh interval, by URL (SetIntervals)
	clock     func() time.Time         // nil: time.Now (tests set it)
}

// SetIntervals sets each feed's own refresh interval, by feed URL: a refresh
// of every feed skips a feed whose interval has not passed since its last
// fetch (see Refresh). Feeds not in the map, or with 0, are always fetched.
func (s *Store) SetIntervals(byURL map[string]time.Duration) {
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	s.intervals = byURL
}

// now is the store's clock.
func (s *Store) now() time.Time {
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// interval is the refresh interval of the feed at url (0: none of its own).
func (s *Store) interval(url string) time.Duration {
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	return s.intervals[url]
}

// Open opens (creating it and its directory if needed) the database at path,
// checks that it is a brief database, and brings its schema up to date. It
// never deletes, truncates or overwrites a file it cannot use: a file that is
// not SQLite, is corrupt, comes from another program or from a newer brief is
// reported with an error that says what to do.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, classifyOS(filepath.Dir(abs), err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("store: %s is not a regular file", abs)
	}
	s := &Store{path: abs}
	version, checked, err := identify(ctx, abs)
	if err != nil {
		return nil, err
	}
	switch {
	case checked:
		s.passChecked()
	case version < len(migrations):
		// A migration writes: check the whole file first.
		if err := fullCheck(ctx, dsn(abs, true), abs); err != nil {
			return nil, err
		}
		s.passChecked()
	default:
		s.startCheck(dsn(abs, true))
	}
	drv, err := sqliteDriver()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("store: %w", err), s.stopCheck())
	}
	s.w = sql.OpenDB(gatedConnector{s: s, drv: drv, dsn: dsn(abs, false)})
	s.w.SetMaxOpenConns(1)
	if version < len(migrations) {
		if err := s.migrate(ctx); err != nil {
			return nil, errors.Join(err, s.w.Close())
		}
	}
	if s.r, err = sql.Open("sqlite", dsn(abs, true)); err != nil {
		return nil, errors.Join(fmt.Errorf("store: %w", err), s.stopCheck(), s.w.Close())
	}
	s.r.SetMaxOpenConns(4)
	s.r.SetMaxIdleConns(4)
	if err := s.r.PingContext(ctx); err != nil {
		return nil, errors.Join(s.wrap("open", err), s.stopCheck(), s.r.Close(), s.w.Close())
	}
	return s, nil
}

// dsn is the connection string for path: a file: URI (so any character in the
// path is safe) whose _pragma parameters apply to every pooled connection.
func dsn(path string, readOnly bool) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	// page_size only applies to a new database, and must come before WAL:
	// 8 KiB pages hold several typical bodies with less waste than 4 KiB.
	// (The driver runs the _pragma list sorted by name, then the shorthand
	// keys such as _journal_mode: that gives this order.)
	q.Add("_pragma", "page_size(8192)")
	q.Set("_journal_mode", "WAL")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "cache_size(-32768)") // 32 MiB: a refresh batch stays in memory until commit
		// Write transactions take the write lock at BEGIN, waiting up to
		// the busy timeout, instead of failing at their first write.
		q.Set("_txlock", "immediate")
	}
	return "file://" + u.EscapedPath() + "?" + q.Encode()
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database. Committed writes are already on disk.
func (s *Store) Close() error {
	cerr := s.stopCheck()
	var rerr error
	if s.r != nil {
		rerr = s.r.Close()
	}
	werr := s.w.Close()
	if err := errors.Join(cerr, rerr, werr); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Check returns the result of the integrity check of the file (SQLite's
// quick_check over every page), waiting for it: Open runs it before it
// returns on a small file, in the background on a large one, and no write
// reaches the file before it has passed. A damaged file is reported with a
// message that says how to recover its read and starred state.
func (s *Store) Check(ctx context.Context) error {
	return s.waitChecked(ctx)
}

// stopCheck cancels a background integrity check and waits for it to end.
func (s *Store) stopCheck() error {
	if s.checkCancel != nil {
		s.checkCancel()
		<-s.checked
	}
	return nil
}

// unix turns a time into the integer stored in the database; the zero time is 0.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix is the inverse of unix.
func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
