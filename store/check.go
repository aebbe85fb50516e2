package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// This file makes sure brief never writes to a file it should not: before
// the first write of every open, the file's header must be sound (not cut
// short), its schema must be the one its version says, and SQLite's
// quick_check must pass. The first two are read at Open; quick_check reads
// every page (about 4 ms per MiB), so on a large file it runs in the
// background while reads go on, and the writer connection is only made once
// it has passed (see gatedConnector): every write waits for it, and on a
// damaged file every write fails with the same message, the file untouched.

// checkHeader reads the SQLite header of path and reports a file cut short:
// its size is not a whole number of pages, or smaller than the page count
// the header records. A missing or empty file passes (it is new).
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return openError(path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return openError(path, err)
	}
	if fi.Size() == 0 {
		return nil
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return notDatabase(path, fmt.Errorf("header: %w", err))
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		return notDatabase(path, errors.New("header: not SQLite"))
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return corruptDatabase(path, fmt.Errorf("header: page size %d", pageSize))
	}
	if fi.Size()%pageSize != 0 {
		return corruptDatabase(path, fmt.Errorf("header: file of %d bytes is not a whole number of %d-byte pages", fi.Size(), pageSize))
	}
	// The page count is valid when the change counter matches the
	// "version-valid-for" number (see SQLite's file format, section 1.3).
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	if binary.BigEndian.Uint32(h[24:28]) == binary.BigEndian.Uint32(h[92:96]) && pages*pageSize > fi.Size() {
		return corruptDatabase(path, fmt.Errorf("header: %d pages recorded, the file holds %d", pages, fi.Size()/pageSize))
	}
	return nil
}

// schemaObject is one table column, index or trigger of a schema.
type schemaObject struct {
	kind, table, name, detail string
}

// schemaSQL lists the tables' columns, the indexes and the triggers of a
// database (not SQLite's own tables), in a stable order.
const schemaSQL = `
SELECT 'column', m.name, p.name, p.type || ' ' || p."notnull" || ' ' || coalesce(p.dflt_value, 'NULL') || ' ' || p.pk
 FROM sqlite_schema m, pragma_table_info(m.name) p
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
UNION ALL
SELECT m.type, m.tbl_name, m.name, ''
 FROM sqlite_schema m
 WHERE m.type IN ('index', 'trigger') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY 1, 2, 3`

// readSchema returns the schema objects of db.
func readSchema(ctx context.Context, db *sql.DB) ([]schemaObject, error) {
	rows, err := db.QueryContext(ctx, schemaSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.table, &o.name, &o.detail); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

var (
	expectedMu      sync.Mutex
	expectedSchemas = map[int][]schemaObject{}
)

// expectedSchema is the schema migrations 1…version make: they are applied
// (SQL and Go steps) to an empty database in memory, once per version and
// process.
func expectedSchema(ctx context.Context, version int) (_ []schemaObject, err error) {
	expectedMu.Lock()
	defer expectedMu.Unlock()
	if s, ok := expectedSchemas[version]; ok {
		return s, nil
	}
	db, err := sql.Open("sqlite", "file:brief-expected-schema?mode=memory")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	db.SetMaxOpenConns(1)
	for i, m := range migrations[:version] {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return nil, errors.Join(fmt.Errorf("migration %d: %w", i+1, err), tx.Rollback())
		}
		if m.fn != nil { // a step may reshape tables in Go (on an empty database: cheap)
			if err := m.fn(ctx, tx); err != nil {
				return nil, errors.Join(fmt.Errorf("migration %d: %w", i+1, err), tx.Rollback())
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	s, err := readSchema(ctx, db)
	if err != nil {
		return nil, err
	}
	expectedSchemas[version] = s
	return s, nil
}

// checkSchema compares the schema of db (at version) with the one its
// version stands for, and refuses a file that differs.
func checkSchema(ctx context.Context, db *sql.DB, path string, version int) error {
	if version == 0 {
		return nil
	}
	want, err := expectedSchema(ctx, version)
	if err != nil {
		return fmt.Errorf("store: expected schema: %w", err)
	}
	got, err := readSchema(ctx, db)
	if err != nil {
		return openError(path, err)
	}
	if diff := schemaDiff(want, got); diff != "" {
		return wrongSchema(path, strconv.Itoa(version), diff)
	}
	return nil
}

// schemaDiff names the first few differences between two schemas, or "":
// first what is wrong with the tables both have, then whole tables missing
// or unexpected.
func schemaDiff(want, got []schemaObject) string {
	tables := func(objs []schemaObject) map[string]bool {
		t := map[string]bool{}
		for _, o := range objs {
			if o.kind == "column" {
				t[o.table] = true
			}
		}
		return t
	}
	wantT, gotT := tables(want), tables(got)
	var inBoth, whole []string
	for _, o := range want {
		switch {
		case slices.Contains(got, o):
		case gotT[o.table]:
			inBoth = append(inBoth, "missing "+o.String())
		case o.kind == "column" && !slices.Contains(whole, "missing table "+o.table):
			whole = append(whole, "missing table "+o.table)
		}
	}
	for _, o := range got {
		switch {
		case slices.Contains(want, o):
		case wantT[o.table]:
			inBoth = append(inBoth, "unexpected "+o.String())
		case o.kind == "column" && !slices.Contains(whole, "unexpected table "+o.table):
			whole = append(whole, "unexpected table "+o.table)
		}
	}
	diffs := append(inBoth, whole...)
	if len(diffs) > 3 {
		diffs = append(diffs[:3], fmt.Sprintf("%d more", len(diffs)-3))
	}
	return strings.Join(diffs, ", ")
}

// String names a schema object for a message.
func (o schemaObject) String() string {
	if o.kind == "column" {
		return "column " + o.table + "." + o.name + " (" + o.detail + ")"
	}
	return o.kind + " " + o.name
}

// startCheck runs quick_check over the whole file at path in the background
// (see Store.Check); the writer connection waits for it.
func (s *Store) startCheck(dsn string) {
	ctx, cancel := context.WithCancel(context.Background())
	s.checkCancel = cancel
	s.checked = make(chan struct{})
	go func() {
		defer close(s.checked)
		s.checkErr = fullCheck(ctx, dsn, s.path)
	}()
}

// passChecked marks the file as checked (it was, before Open returned).
func (s *Store) passChecked() {
	s.checked = make(chan struct{})
	close(s.checked)
}

// fullCheck runs PRAGMA quick_check through its own read-only connection.
func fullCheck(ctx context.Context, dsn, path string) (err error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("store: check: %w", err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("store: check: %w", cerr)
		}
	}()
	return quickCheckAll(ctx, db, path)
}

// quickCheckAll runs PRAGMA quick_check on db and reports what it found.
func quickCheckAll(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(20)")
	if err != nil {
		return openError(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return openError(path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return openError(path, err)
	}
	if len(problems) > 0 {
		return corruptDatabase(path, fmt.Errorf("quick_check: %s", strings.Join(problems, "; ")))
	}
	return nil
}

// waitChecked waits for the integrity check and returns its result.
func (s *Store) waitChecked(ctx context.Context) error {
	select {
	case <-s.checked:
		return s.checkErr
	case <-ctx.Done():
		return fmt.Errorf("store: waiting for the integrity check: %w", ctx.Err())
	}
}

// gatedConnector makes the writer's connections, each only once the
// integrity check has passed: until then a write waits, and after a failed
// check it fails with the check's error without touching the file.
type gatedConnector struct {
	s   *Store
	drv driver.Driver
	dsn string
}

// Connect waits for the check, then opens a connection.
func (c gatedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := c.s.waitChecked(ctx); err != nil {
		return nil, err
	}
	return c.drv.Open(c.dsn)
}

// Driver returns the SQLite driver.
func (c gatedConnector) Driver() driver.Driver { return c.drv }

// sqliteDriver returns the registered "sqlite" driver.
func sqliteDriver() (driver.Driver, error) {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, err
	}
	drv := db.Driver()
	return drv, db.Close()
}
