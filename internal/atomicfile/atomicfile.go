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

// Write writes data to path. An existing regular file is replaced as by
// Replace (a reader or a crash sees the old content or the new one); a
// new file is created with the usual permissions (0666 less the umask);
// anything else that exists (/dev/null, a FIFO) is written to as it is.
// A symbolic link is refused, as by Replace.
func Write(path string, data []byte) error {
	info, err := os.Lstat(path)
	switch {
	case err == nil && info.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s %w", path, ErrSymlink)
	case err == nil && info.Mode().IsRegular():
		return Replace(path, data)
	case err == nil:
		return os.WriteFile(path, data, 0o666)
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	// A new file: nothing to lose, so it is written in place; O_EXCL
	// refuses one that appears meanwhile (a link planted after the check).
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
