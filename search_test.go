package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestParseSearchArgs(t *testing.T) {
	tests := []struct {
		args    []string
		words   string
		json    bool
		wantErr string
	}{
		{args: []string{"search", "ukraine"}, words: "ukraine"},
		{args: []string{"search", "tag:world", "--json", "ukraine", "--db", "F"}, words: "tag:world ukraine", json: true},
		{args: []string{"--json", "search", "tag:world ukraine"}, words: "tag:world ukraine", json: true},
		{args: []string{"search", "--", "-title:sponsored", "--json"}, words: "-title:sponsored --json"},
		{args: []string{"search"}, wantErr: "needs a query"},
		{args: []string{"search", "-ukraine"}, wantErr: "-ukraine"}, // a flag to the flag parser: the usage says to put -- first
		{args: []string{"refresh", "--json"}, wantErr: "--json only goes with brief search"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd, o, err := parseArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || cmd != "search" || strings.Join(o.args, " ") != tt.words || o.json != tt.json {
				t.Errorf("got %q %q json %v, %v; want search %q json %v", cmd, o.args, o.json, err, tt.words, tt.json)
			}
		})
	}
}

// searchSetup refreshes the news fixtures into a new cache and returns the
// arguments that point brief at it.
func searchSetup(t *testing.T) []string {
	t.Helper()
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	dir := t.TempDir()
	extra := ""
	cfg := writeDotfile(t, dir, extra, srv.URL(feedtest.NewsWorld), srv.URL(feedtest.NewsPolitics), srv.URL(feedtest.NewsUkrainian))
	flags := []string{"--config", cfg, "--db", filepath.Join(dir, "b.db")}
	var out, errb bytes.Buffer
	if code := run(append([]string{"refresh"}, flags...), &out, &errb); code != exitOK {
		t.Fatalf("refresh: exit %d: %s", code, errb.String())
	}
	return flags
}

func TestSearchCommand(t *testing.T) {
	flags := searchSetup(t)
	search := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append(append([]string{"search"}, flags...), args...), &out, &errb)
		return code, out.String(), errb.String()
	}

	code, out, errs := search("title:grain OR title:budget")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var titles []string
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 || !strings.HasPrefix(f[3], "http") || len(f[2]) != len("2006-01-02 15:04") {
			t.Fatalf("line %q: want title, feed, date, URL separated by tabs", l)
		}
		titles = append(titles, f[0])
	}
	slices.Sort(titles)
	if want := []string{"Grain corridor talks resume in Istanbul", feedtest.TitleBudget}; !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}

	code, out, errs = search("--json", "feed:politics -title:budget")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var hits []searchHit
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	if len(hits) != 1 || hits[0].Title != feedtest.TitlePoll || hits[0].Feed != "Politics" || hits[0].Date.IsZero() || hits[0].URL == "" {
		t.Errorf("hits %+v, want only the poll from Politics", hits)
	}

	code, out, _ = search("--json", "zeppelin")
	if code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("no match: exit %d, output %q; want 0 and []", code, out)
	}

	code, out, errs = search("tag:world (grain")
	want := "brief: search: column 11: this \"(\" is never closed\n  tag:world (grain\n            ^\n"
	if code != exitUsage || out != "" || errs != want {
		t.Errorf("malformed: exit %d, stdout %q, stderr\n%s\nwant exit %d and stderr\n%s", code, out, errs, exitUsage, want)
	}
	code, _, errs = search("account:home")
	if code != exitUsage || !strings.Contains(errs, "column 1: account: accounts are not configured") {
		t.Errorf("account: exit %d, stderr %q; want %d and a message that accounts are not configured", code, errs, exitUsage)
	}
}
