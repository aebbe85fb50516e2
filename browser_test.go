package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenerPassesURLAsOneArgument runs a fake browser that records its argv:
// a URL full of shell metacharacters must arrive as exactly one argument.
func TestOpenerPassesURLAsOneArgument(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "fakebrowser")
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + out + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	open := opener(script + " --new-tab")
	url := "https://example.org/a?q=1;touch${IFS}/tmp/pwned&x=$(id)|`id`"
	if err := open(url); err != nil {
		t.Fatalf("open: %v", err)
	}
	var got []byte
	for i := 0; i < 100; i++ {
		b, err := os.ReadFile(out)
		if err == nil && strings.HasSuffix(string(b), "\n") && strings.Count(string(b), "\n") >= 2 {
			got = b
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := "--new-tab\n" + url + "\n"
	if string(got) != want {
		t.Errorf("argv: got %q, want %q", got, want)
	}
}

func TestOpenerRefusesNonHTTP(t *testing.T) {
	open := opener("/bin/true")
	for _, u := range []string{"javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://a.example/\nrm -rf"} {
		if err := open(u); err == nil {
			t.Errorf("open(%q): got no error, want a refusal", u)
		}
	}
}

func TestBrowserCommand(t *testing.T) {
	t.Setenv("BROWSER", "w3m:lynx")
	if got := browserCommand(""); strings.Join(got, " ") != "w3m" {
		t.Errorf("got %q, want w3m", got)
	}
	if got := browserCommand("firefox -P x"); strings.Join(got, " ") != "firefox -P x" {
		t.Errorf("got %q", got)
	}
	t.Setenv("BROWSER", "")
	if got := browserCommand(""); got[0] != "xdg-open" {
		t.Errorf("got %q, want xdg-open", got)
	}
}
