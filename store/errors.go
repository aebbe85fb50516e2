package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Kinds of database failure a caller may want to tell apart with errors.Is.
// The error values returned by the store carry a full sentence for the user;
// these sentinels only classify them.
var (
	// ErrNotDatabase: the file is not SQLite, is corrupt, or belongs to another program.
	ErrNotDatabase = errors.New("store: not a brief database")
	// ErrReadOnly: the database file or its directory cannot be written.
	ErrReadOnly = errors.New("store: read-only")
	// ErrDiskFull: the disk holding the database is full.
	ErrDiskFull = errors.New("store: disk full")
	// ErrLocked: another process held the write lock longer than the busy timeout.
	ErrLocked = errors.New("store: database locked")
	// ErrNewerSchema: the database was written by a newer brief.
	ErrNewerSchema = errors.New("store: database from a newer brief")
)

// dbError is a classified failure: a message for the user, the kind for
// errors.Is, and the underlying error for errors.As.
type dbError struct {
	kind error
	msg  string
	err  error
}

// Error is the message for the user.
func (e *dbError) Error() string { return e.msg }

// Unwrap gives errors.Is the kind and errors.As the underlying error.
func (e *dbError) Unwrap() []error { return []error{e.kind, e.err} }

func notDatabase(path string, err error) error {
	return &dbError{kind: ErrNotDatabase, err: err, msg: fmt.Sprintf(
		"store: %s is not a brief database (file is not SQLite or is corrupt); move it aside and brief will create a new one", path)}
}

func corruptDatabase(path string, err error) error {
	return &dbError{kind: ErrNotDatabase, err: err, msg: fmt.Sprintf(
		"store: the cache is damaged and brief will not write to it (%s: SQLite reports corruption); to keep your read and starred articles, "+
			"run: sqlite3 %s .recover | sqlite3 recovered.db, then put recovered.db in its place", path, path)}
}

func wrongSchema(path string, version, diff string) error {
	return &dbError{kind: ErrNotDatabase, err: ErrNotDatabase, msg: fmt.Sprintf(
		"store: %s does not have the tables of a brief database at schema version %s (%s); it was left untouched: open it with the brief that wrote it, or pass --db with another file", path, version, diff)}
}

func foreignDatabase(path string) error {
	return &dbError{kind: ErrNotDatabase, err: ErrNotDatabase, msg: fmt.Sprintf(
		"store: %s is an SQLite database of another program, not a brief database; pass --db with another file", path)}
}

func readOnly(path string, err error) error {
	return &dbError{kind: ErrReadOnly, err: err, msg: fmt.Sprintf(
		"store: cannot write %s: read-only file or directory (%v); fix its permissions or pass --db with a writable path", path, err)}
}

func diskFull(path string, err error) error {
	return &dbError{kind: ErrDiskFull, err: err, msg: fmt.Sprintf(
		"store: cannot write %s: the disk is full; free some space and try again (nothing already saved was lost)", path)}
}

func locked(path string, err error) error {
	return &dbError{kind: ErrLocked, err: err, msg: fmt.Sprintf(
		"store: %s is locked by another process for more than %v (another brief may be refreshing it); try again in a moment", path, busyTimeout)}
}

func newerSchema(path string, have, know int) error {
	return &dbError{kind: ErrNewerSchema, err: ErrNewerSchema, msg: fmt.Sprintf(
		"store: %s was written by a newer brief (schema version %d, this brief knows up to %d); update brief or pass --db with another file", path, have, know)}
}

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// classify turns the SQLite and OS failures a user can act on into a
// dbError; anything else is returned unchanged.
func classify(path string, err error) error {
	if err == nil {
		return nil
	}
	var de *dbError
	if errors.As(err, &de) {
		return de
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB:
		return notDatabase(path, err)
	case sqlite3.SQLITE_CORRUPT:
		return corruptDatabase(path, err)
	case sqlite3.SQLITE_READONLY:
		return readOnly(path, err)
	case sqlite3.SQLITE_FULL:
		return diskFull(path, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return locked(path, err)
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		if werr := probeWritable(path); werr != nil {
			return werr
		}
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return diskFull(path, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return readOnly(path, err)
	}
	return err
}

// wrap prefixes an unclassified error with the operation that failed.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	c := classify(s.path, err)
	var de *dbError
	if c != err || errors.As(c, &de) {
		return c
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// probeWritable explains why path cannot be opened for writing, without
// writing to it: the file is opened read-write (never truncated) and a probe
// file is created and removed in its directory. It returns nil when neither
// fails.
func probeWritable(path string) error {
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		if cerr := f.Close(); cerr != nil {
			return readOnly(path, cerr)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return classifyOS(path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".brief-probe-*")
	if err != nil {
		return classifyOS(path, err)
	}
	name := f.Name()
	cerr := f.Close()
	rerr := os.Remove(name)
	if cerr != nil {
		return classifyOS(path, cerr)
	}
	if rerr != nil {
		return classifyOS(path, rerr)
	}
	return nil
}

// classifyOS names an operating-system failure to write path.
func classifyOS(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return diskFull(path, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		return readOnly(path, err)
	}
	return fmt.Errorf("store: cannot open %s: %w", path, err)
}
