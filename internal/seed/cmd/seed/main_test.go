package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "b.db"), filepath.Join(dir, "config.toml")
	if err := run(context.Background(), []string{"-db", db, "-feeds", "3", "-articles", "30", "-config", cfg}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		RefreshOnStart bool `toml:"refresh_on_start"`
		Feed           []struct {
			URL   string
			Title string
			Tags  []string
		}
	}
	if _, err := toml.DecodeFile(cfg, &got); err != nil {
		t.Fatal(err)
	}
	if got.RefreshOnStart || len(got.Feed) != 3 || !strings.HasPrefix(got.Feed[0].URL, "https://feed0.") || len(got.Feed[2].Tags) != 1 {
		t.Errorf("dotfile: %+v", got)
	}
	before, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-db", db, "-feeds", "3", "-articles", "30", "-config", cfg}); err == nil {
		t.Error("an existing dotfile was overwritten without an error")
	}
	if after, err := os.ReadFile(cfg); err != nil || string(after) != string(before) {
		t.Errorf("the dotfile changed")
	}
	if err := run(context.Background(), []string{"-feeds", "3"}); err == nil {
		t.Error("no -db: no error")
	}
}
