package dotfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, s string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), perm); err != nil {
		t.Fatal(err)
	}
}

func TestEditWritesAtomicallyAndKeepsBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	writeFile(t, path, "a = 1\n", 0o600)
	err := Edit(path, func(old []byte) ([]byte, error) { return append(old, "b = 2\n"...), nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := string(readFile(t, path)); got != "a = 1\nb = 2\n" {
		t.Errorf("file: got %q", got)
	}
	if got := string(readFile(t, path+".bak")); got != "a = 1\n" {
		t.Errorf("backup: got %q", got)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the file's own 0600", info.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("%d files in the directory, want config.toml and config.toml.bak (no temporary files left)", len(entries))
	}
}

// An editor saves the file between brief's read and write: brief reads it
// again and makes its edit on top, so both edits survive.
func TestEditRetriesWhenTheFileChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, "a = 1\n", 0o644)
	calls := 0
	err := Edit(path, func(old []byte) ([]byte, error) {
		calls++
		if calls == 1 {
			writeFile(t, path, "a = 1\n# the editor's change\n", 0o644)
		}
		return append(bytes.Clone(old), "b = 2\n"...), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("change called %d times, want 2", calls)
	}
	if got, want := string(readFile(t, path)), "a = 1\n# the editor's change\nb = 2\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEditGivesUpOnAFileThatKeepsChanging(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, "a = 1\n", 0o644)
	n := 0
	err := Edit(path, func(old []byte) ([]byte, error) {
		n++
		writeFile(t, path, strings.Repeat("#\n", n), 0o644)
		return []byte("mine\n"), nil
	})
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "kept changing") {
		t.Fatalf("got %v, want ErrChanged", err)
	}
	if got := string(readFile(t, path)); got != strings.Repeat("#\n", n) {
		t.Errorf("the other writer's file was clobbered: %q", got)
	}
}

func TestEditRefusalWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, "a = 1\n", 0o644)
	want := errors.New("bad input")
	if err := Edit(path, func([]byte) ([]byte, error) { return []byte("x"), want }); !errors.Is(err, want) {
		t.Fatalf("got %v", err)
	}
	if got := string(readFile(t, path)); got != "a = 1\n" {
		t.Errorf("got %q", got)
	}
	if _, err := os.Stat(path + ".bak"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a backup was written: %v", err)
	}
}

func TestWriteReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, "a = 1\n", 0o444)
	err := Edit(path, func(old []byte) ([]byte, error) { return []byte("b = 2\n"), nil })
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v, want a read-only error naming the file", err)
	}
	if got := string(readFile(t, path)); got != "a = 1\n" {
		t.Errorf("got %q", got)
	}
}

func TestWriteReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	writeFile(t, path, "a = 1\n", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	err := Edit(path, func(old []byte) ([]byte, error) { return []byte("b = 2\n"), nil })
	if err == nil || !strings.Contains(err.Error(), "cannot write") {
		t.Fatalf("got %v", err)
	}
	if got := string(readFile(t, path)); got != "a = 1\n" {
		t.Errorf("got %q", got)
	}
}

// A dotfile kept in a dotfiles repository and linked into ~/.config: the
// file behind the link is replaced, the link stays.
func TestWriteFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "brief.toml")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, real, "a = 1\n", 0o644)
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := Edit(link, func(old []byte) ([]byte, error) { return []byte("b = 2\n"), nil }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi, err)
	}
	if got := string(readFile(t, real)); got != "b = 2\n" {
		t.Errorf("got %q", got)
	}
	if got := string(readFile(t, real+".bak")); got != "a = 1\n" {
		t.Errorf("backup: got %q", got)
	}
}
