package dotfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrChanged is returned by Write when the file on disk is no longer the
// version the edit was made from: someone (an editor, another brief) wrote
// it meanwhile. Edit re-reads the file and makes the edit again.
var ErrChanged = errors.New("dotfile: the file changed on disk while it was being edited")

// maxAttempts bounds how often Edit re-reads a file that keeps changing.
const maxAttempts = 5

// Edit reads the dotfile at path, asks change for its new contents and
// writes them with Write. When the file changed on disk between the read
// and the write, Edit reads it again and calls change again on the new
// contents, so nobody's edit is lost. change returning an error, or the
// same bytes, writes nothing.
func Edit(path string, change func(old []byte) ([]byte, error)) error {
	for range maxAttempts {
		old, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("dotfile: %w", err)
		}
		data, err := change(old)
		if err != nil {
			return err
		}
		if bytes.Equal(old, data) {
			return nil
		}
		err = Write(path, old, data)
		if !errors.Is(err, ErrChanged) {
			return err
		}
	}
	return fmt.Errorf("dotfile: %s kept changing while brief tried to edit it (%d attempts); nothing was written: %w", path, maxAttempts, ErrChanged)
}

// Write replaces the file at path, whose contents were old, with data:
// old is kept in path+".bak", data goes to a temporary file in the same
// directory that is then renamed over path, so a crash leaves either the old
// or the new file, never half of one. A symbolic link at path is followed
// (the file it points to is replaced, the link stays). Write returns
// ErrChanged, writing nothing, when the file no longer holds old, and an
// error naming the file when it cannot be written (read-only file or directory).
func Write(path string, old, data []byte) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("dotfile: %w", err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return fmt.Errorf("dotfile: %w", err)
	}
	perm := info.Mode().Perm()
	if perm&0o200 == 0 {
		return fmt.Errorf("dotfile: cannot write %s: the file is read-only (mode %v); nothing was changed: %w", path, perm, fs.ErrPermission)
	}
	if err := unchanged(real, old); err != nil {
		return err
	}
	if err := writeAtomic(real+".bak", old, perm); err != nil {
		return err
	}
	if err := unchanged(real, old); err != nil { // the backup took time: look again
		return err
	}
	return writeAtomic(real, data, perm)
}

// unchanged returns ErrChanged when the file at path does not hold want.
func unchanged(path string, want []byte) error {
	cur, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("dotfile: %w", err)
	}
	if !bytes.Equal(cur, want) {
		return ErrChanged
	}
	return nil
}

// writeAtomic writes data to a temporary file beside path, syncs it and
// renames it to path.
func writeAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("dotfile: cannot write %s: cannot create a file in %s (%w); nothing was changed", path, dir, err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreMissing(os.Remove(tmp.Name())))
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close() // the write error is the one to report
		return fmt.Errorf("dotfile: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("dotfile: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("dotfile: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("dotfile: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("dotfile: cannot replace %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		// Make the rename durable; a directory that cannot be synced (some
		// file systems) still has the new file.
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

func ignoreMissing(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
