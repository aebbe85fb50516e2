package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// browserCommand returns the argv prefix that opens a URL: the dotfile's
// browser, else $BROWSER (its first entry), else xdg-open / open.
func browserCommand(configured string) []string {
	if f := strings.Fields(configured); len(f) > 0 {
		return f
	}
	if env := os.Getenv("BROWSER"); env != "" {
		first := strings.Split(env, string(os.PathListSeparator))[0]
		if f := strings.Fields(first); len(f) > 0 {
			return f
		}
	}
	if runtime.GOOS == "darwin" {
		return []string{"open"}
	}
	return []string{"xdg-open"}
}

// opener returns a function that opens one http(s) URL in the browser. The URL
// is checked and passed as a single argv element (or substituted for a "%s"
// element): no shell ever sees it.
func opener(configured string) func(string) error {
	prefix := browserCommand(configured)
	return func(raw string) error {
		u, err := feed.CheckURL(raw)
		if err != nil {
			return err
		}
		args := make([]string, 0, len(prefix)+1)
		substituted := false
		for _, a := range prefix[1:] {
			if a == "%s" {
				args = append(args, u)
				substituted = true
				continue
			}
			args = append(args, a)
		}
		if !substituted {
			args = append(args, u)
		}
		cmd := exec.Command(prefix[0], args...)
		// The browser must not draw over the reader.
		cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
		if err := cmd.Start(); err != nil {
			if errors.Is(err, exec.ErrNotFound) {
				return fmt.Errorf("browser: %q not found: set browser in the config or $BROWSER", prefix[0])
			}
			return fmt.Errorf("browser: %w", err)
		}
		go func() { _ = cmd.Wait() }() // reap it; its exit status is the browser's business
		return nil
	}
}
