package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/brief-reader/brief/store"
	"github.com/brief-reader/brief/ui"
)

// The list's sort and its hiding of read articles are kept across runs in
// a small state file, $XDG_STATE_HOME/brief/view.json (else
// ~/.local/state/brief/view.json): they are how this user likes to read,
// not part of the cache (which another --db may replace) and not settings
// to write in the dotfile, which brief never rewrites.

// viewFile is where the view is kept.
func viewFile() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "brief", "view.json"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("state: cannot find the home directory (set XDG_STATE_HOME): %w", err)
	}
	return filepath.Join(home, ".local", "state", "brief", "view.json"), nil
}

// savedView is the file's content.
type savedView struct {
	Sort     string `json:"sort"`
	HideRead bool   `json:"hide_read"`
}

// loadView reads the kept view. A missing file is the default view; a file
// that cannot be read or understood is an error, and is then never
// rewritten (save is nil).
func loadView(path string) (v ui.View, save func(ui.View) error, err error) {
	save = func(v ui.View) error { return writeView(path, v) }
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ui.View{Sort: store.SortNewest}, save, nil
	}
	if err != nil {
		return ui.View{Sort: store.SortNewest}, nil, fmt.Errorf("state: %w", err)
	}
	var sv savedView
	if err := json.Unmarshal(data, &sv); err != nil {
		return ui.View{Sort: store.SortNewest}, nil, fmt.Errorf("state: %s is damaged (%v): the sort is not kept until it is removed", path, err)
	}
	sort, err := store.ParseSort(sv.Sort)
	if err != nil {
		return ui.View{Sort: store.SortNewest}, nil, fmt.Errorf("state: %s: %w", path, err)
	}
	return ui.View{Sort: sort, HideRead: sv.HideRead}, save, nil
}

// writeView keeps v in path, replacing the file whole (a temporary file
// renamed over it) so that a crash never leaves half of one.
func writeView(path string, v ui.View) error {
	data, err := json.Marshal(savedView{Sort: v.Sort.String(), HideRead: v.HideRead})
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".view-*.json")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		return errors.Join(fmt.Errorf("state: %w", err), f.Close(), os.Remove(f.Name()))
	}
	if err := f.Close(); err != nil {
		return errors.Join(fmt.Errorf("state: %w", err), os.Remove(f.Name()))
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return errors.Join(fmt.Errorf("state: %w", err), os.Remove(f.Name()))
	}
	return nil
}

// joinNotice adds err's words to the start-up notice.
func joinNotice(notice string, err error) string {
	msg := err.Error()
	if notice == "" {
		return msg
	}
	return notice + " · " + msg
}
