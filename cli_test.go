package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// writeDotfile writes a dotfile listing urls (and extra settings) into dir.
func writeDotfile(t *testing.T, dir, extra string, urls ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("refresh_on_start = false\nrefresh_interval = \"0\"\ntimeout = \"5s\"\n" + extra + "\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "[[feed]]\nurl = %q\n", u)
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRefreshExitStatus(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	tests := []struct {
		name string
		urls []string
		want int
	}{
		{name: "every feed failed", urls: []string{srv.URL("/missing.xml"), srv.URL("/gone.xml")}, want: exitAllFailed},
		{name: "one of two failed", urls: []string{srv.URL(feedtest.NewsWorld), srv.URL("/missing.xml")}, want: exitOK},
		{name: "no feeds", want: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeDotfile(t, dir, "", tt.urls...)
			var out, errb bytes.Buffer
			code := run([]string{"refresh", "--config", cfg, "--db", filepath.Join(dir, "b.db")}, &out, &errb)
			if code != tt.want {
				t.Errorf("got exit %d, want %d; stdout %q stderr %q", code, tt.want, out.String(), errb.String())
			}
			if tt.want == exitAllFailed && !strings.Contains(errb.String(), "every feed failed") {
				t.Errorf("stderr: got %q, want it to say every feed failed", errb.String())
			}
		})
	}
}

func TestUsageDocumentsExitStatus(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{exitOK, exitError, exitUsage, exitAllFailed, exitInterrupted} {
		if want := fmt.Sprintf("  %d  ", code); !strings.Contains(usage, want) {
			t.Errorf("usage does not document exit status %d", code)
		}
		if want := fmt.Sprintf("| `%d` |", code); !strings.Contains(string(readme), want) {
			t.Errorf("README does not document exit status %d (want a row %q)", code, want)
		}
	}
}

func TestDBDirectory(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	dir := t.TempDir()
	cfg := writeDotfile(t, dir, "")

	// Inside the default data directory: created.
	inside := filepath.Join(data, "brief", "work", "b.db")
	var out, errb bytes.Buffer
	if code := run([]string{"refresh", "--config", cfg, "--db", inside}, &out, &errb); code != exitOK {
		t.Fatalf("--db %s: exit %d, stderr %q", inside, code, errb.String())
	}
	if _, err := os.Stat(inside); err != nil {
		t.Errorf("--db inside the data directory: %v", err)
	}

	// Elsewhere: an error naming the directory, nothing created.
	missing := filepath.Join(dir, "no", "such")
	errb.Reset()
	if code := run([]string{"refresh", "--config", cfg, "--db", filepath.Join(missing, "b.db")}, &out, &errb); code != exitError {
		t.Errorf("--db in a missing directory: got exit %d, want %d", code, exitError)
	}
	if want := "directory " + missing + " does not exist"; !strings.Contains(errb.String(), want) {
		t.Errorf("stderr: got %q, want it to contain %q", errb.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); !os.IsNotExist(err) {
		t.Errorf("%s was created (stat: %v)", missing, err)
	}

	// A sibling of the data directory that only shares its prefix is elsewhere.
	if within(filepath.Join(data, "brief-other"), filepath.Join(data, "brief")) {
		t.Errorf("within: brief-other counted as inside brief")
	}
	if !within(filepath.Join(data, "brief"), filepath.Join(data, "brief")) {
		t.Errorf("within: the data directory itself not counted")
	}
}
