// Package atomicfile replaces the content of files so that a reader, or a
// crash, sees the old content or the new one, never a mix, and never writes
// through a symbolic link.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrSymlink is returned by Replace for a path that is a symbolic link.
var ErrSymlink = errors.New("is a symbolic link; iotpt does not write through links (rewrite the file it points to)")

// Write writes data to path, a new file or an existing regular one,
// through a temporary file renamed over it, so that a reader or a crash
// sees the old content or the new one. A symbolic link is refused, as by
// Replace.
func Write(path string, data []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return Replace(path, data)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".iotpt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Replace replaces the content of the existing regular file path with
// data: it writes a temporary file in the same directory with the file's
// permissions, syncs it and renames it over path. A symbolic link, or
// anything but a regular file, is refused and left as it is.
func Replace(path string, data []byte) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s %w", path, ErrSymlink)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; not rewriting it", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".iotpt-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	done = true
	return nil
}
