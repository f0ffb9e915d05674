package disksim

import (
	"fmt"
	"path"
	"strings"
)

// cleanPath validates a slash path relative to the root and returns it
// cleaned. "." names the root itself.
func cleanPath(op Op, name string) (string, error) {
	switch {
	case name == "":
		return "", opErr(op, `""`, fmt.Errorf("%w: empty path", ErrInvalidPath))
	case strings.HasPrefix(name, "/"):
		return "", opErr(op, name, fmt.Errorf("%w: absolute path, want one relative to the root", ErrInvalidPath))
	}
	c := path.Clean(name)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", opErr(op, name, fmt.Errorf("%w: escapes the root", ErrInvalidPath))
	}
	return c, nil
}

// cleanFilePath is cleanPath that also rejects the root, which is not a file.
func cleanFilePath(op Op, name string) (string, error) {
	c, err := cleanPath(op, name)
	if err != nil {
		return "", err
	}
	if c == "." {
		return "", opErr(op, name, fmt.Errorf("%w: the root", ErrIsDir))
	}
	return c, nil
}

// splitPath splits a cleaned path into its components ("." has none).
func splitPath(c string) []string {
	if c == "." {
		return nil
	}
	return strings.Split(c, "/")
}
