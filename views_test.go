package main

import (
	"strings"
	"testing"
)

func TestConfigViews(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte(`
[[view]]
name = "Ukraine, unread"
query = "tag:world ukraine is:unread"

[[view]]
name = "No ads"
query = '-title:sponsored'
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Views) != 2 || cfg.Views[0].Name != "Ukraine, unread" || cfg.Views[1].parsed == nil ||
		cfg.Views[0].parsed.String() != "tag:world ukraine is:unread" {
		t.Errorf("views %+v", cfg.Views)
	}
}

func TestConfigViewErrors(t *testing.T) {
	tests := []struct {
		name, dotfile, want string
	}{
		{"bad query at its column", "[[view]]\nname = \"U\"\nquery = \"tag:world (ukraine\"\n",
			`c.toml:3:20: view "U": query: this "(" is never closed`},
		{"unknown field", "[[feed]]\nurl = \"https://a.example/rss\"\n\n[[view]]\nname = \"X\"\n  query = \"is:unread colour:red\"\n",
			`c.toml:6:22: view "X": query: unknown field "colour:"`},
		{"no name", "[[view]]\nquery = \"is:unread\"\n", "c.toml:1:1: view #1: no name"},
		{"twice", "[[view]]\nname = \"A\"\nquery = \"x\"\n[[view]]\nname = \"a\"\nquery = \"y\"\n",
			`c.toml:5:8: view #2: the name "a" is already view #1's`},
		{"empty query", "[[view]]\nname = \"E\"\nquery = \"  \"\n", `c.toml:3:9: view "E": no query`},
		{"no query", "[[view]]\nname = \"E\"\n", `c.toml:1:1: view "E": no query`},
		{"not a list", "[view]\nname = \"E\"\n", "view must be written as [[view]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("c.toml", []byte(tt.dotfile))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
