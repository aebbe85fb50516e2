package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dataDir is brief's default data directory: $XDG_DATA_HOME/brief, else
// ~/.local/share/brief.
func dataDir() (string, error) {
	p, err := dbPath("")
	if err != nil {
		return "", err
	}
	return filepath.Dir(p), nil
}

// checkDBDir lets store.Open create the directory of the database at path
// only inside the default data directory (where brief keeps its files): a
// --db elsewhere whose directory does not exist is more likely a typo than a
// wish for a new directory, so it is an error naming that directory.
func checkDBDir(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	dir := filepath.Dir(abs)
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return nil
	case err == nil:
		return fmt.Errorf("store: %s is not a directory, so the database %s cannot be made in it", dir, abs)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: %w", err)
	}
	def, derr := dataDir()
	if derr != nil {
		return fmt.Errorf("store: directory %s does not exist: create it first, or pick a --db in an existing directory", dir)
	}
	if within(dir, def) {
		return nil // store.Open creates it
	}
	return fmt.Errorf("store: directory %s does not exist: create it first, or pick a --db in an existing directory (brief only creates its own data directory, %s)", dir, def)
}

// within tells whether dir is root or inside it.
func within(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
