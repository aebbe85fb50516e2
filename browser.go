package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	osc52 "github.com/aymanbagabas/go-osc52/v2"

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

// terminalBrowsers are the browsers that draw in the terminal: o hands
// them the terminal until they exit.
var terminalBrowsers = map[string]bool{"w3m": true, "lynx": true, "elinks": true, "links": true, "links2": true, "browsh": true, "carbonyl": true}

// isTerminalBrowser reports whether the browser command runs in the terminal.
func isTerminalBrowser(prefix []string) bool {
	return len(prefix) > 0 && terminalBrowsers[filepath.Base(prefix[0])]
}

// browserArgs are the browser's arguments for u: u in place of a "%u" (or
// "%s") element, else after the others. u is one argv element: no shell
// ever sees it.
func browserArgs(prefix []string, u string) []string {
	args := make([]string, 0, len(prefix))
	substituted := false
	for _, a := range prefix[1:] {
		if a == "%u" || a == "%s" {
			args = append(args, u)
			substituted = true
			continue
		}
		args = append(args, a)
	}
	if !substituted {
		args = append(args, u)
	}
	return args
}

// terminalBrowser returns the command o runs in the foreground for a
// terminal browser (w3m, lynx, elinks …), or nil for a graphical one.
func terminalBrowser(configured string) func(string) (*exec.Cmd, error) {
	prefix := browserCommand(configured)
	if !isTerminalBrowser(prefix) {
		return nil
	}
	return func(raw string) (*exec.Cmd, error) {
		u, err := feed.CheckURL(raw)
		if err != nil {
			return nil, err
		}
		path, err := exec.LookPath(prefix[0])
		if err != nil {
			return nil, fmt.Errorf("browser: %q not found: set browser in the config or $BROWSER", prefix[0])
		}
		return exec.Command(path, browserArgs(prefix, u)...), nil
	}
}

// opener returns a function that opens one http(s) URL in the browser. The URL
// is checked and passed as a single argv element (or substituted for a "%u"
// element): no shell ever sees it.
func opener(configured string) func(string) error {
	prefix := browserCommand(configured)
	return func(raw string) error {
		u, err := feed.CheckURL(raw)
		if err != nil {
			return err
		}
		cmd := exec.Command(prefix[0], browserArgs(prefix, u)...)
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

// copyOSC52 puts text on the terminal's clipboard with an OSC 52 sequence
// (the terminal, or tmux with set-clipboard on, passes it on).
func copyOSC52(text string) error {
	if _, err := osc52.New(text).WriteTo(os.Stdout); err != nil {
		return fmt.Errorf("clipboard: %w", err)
	}
	return nil
}
