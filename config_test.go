package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	const known = "(known keys: refresh_on_start, refresh_interval, concurrency, per_host, timeout, theme, browser, keep, url/title/tags/ignore/user_agent/headers/refresh_interval/full_text inside [[feed]], name/kind/url/username/token_command/password_command/history inside [[account]], name/query inside [[view]], query inside [[ignore]], and a [keys] table)"
	// Every message the dotfile can produce, whole: file:line:col: plain words.
	tests := []struct {
		name string
		in   string
		want string // the whole error; "": none
	}{
		{name: "empty file gives defaults", in: ""},
		{name: "full", in: `
refresh_on_start = false
refresh_interval = "0"
concurrency = 4
per_host = 1
timeout = "5s"
theme = "light"
browser = "firefox --new-tab"
[[feed]]
url = "https://example.org/rss.xml"
title = "Example"
tags = ["a", "b"]
`},
		{name: "syntax error", in: "concurrency = 4\ntimeout = \"5s\nper_host = 2\n", want: `cfg.toml:2:14: timeout: strings cannot contain newlines`},
		{name: "key twice", in: "concurrency = 4\nconcurrency = 5\n", want: `cfg.toml:2:17: key 'concurrency' has already been defined.`},
		{name: "number as text", in: "concurrency = \"eight\"\n", want: `cfg.toml:1:15: concurrency must be a whole number, e.g. concurrency = 8`},
		{name: "fraction", in: "per_host = 1.5\n", want: `cfg.toml:1:12: per_host must be a whole number, e.g. per_host = 2`},
		{name: "boolean as text", in: "refresh_on_start = \"yes\"\n", want: `cfg.toml:1:20: refresh_on_start must be true or false`},
		{name: "text as number", in: "browser = 3\n", want: `cfg.toml:1:11: browser must be text in quotes, e.g. browser = "firefox"`},
		{name: "theme as number", in: "theme = 3\n", want: `cfg.toml:1:9: theme must be text in quotes, e.g. theme = "auto"`},
		{name: "tags as text", in: "[[feed]]\nurl = \"https://a.example/\"\ntags = \"world\"\n", want: `cfg.toml:3:8: tags must be a list of strings, e.g. tags = ["world", "tech"]`},
		{name: "tags as numbers", in: "[[feed]]\nurl = \"https://a.example/\"\ntags = [1, 2]\n", want: `cfg.toml:3:8: tags must be a list of strings, e.g. tags = ["world", "tech"]`},
		{name: "title as number", in: "[[feed]]\nurl = \"https://a.example/\"\n  title = 3\n", want: `cfg.toml:3:11: title must be text in quotes, e.g. title = "Example"`},
		{name: "url as number", in: "[[feed]]\nurl = 5\n", want: `cfg.toml:2:7: url must be text in quotes, e.g. url = "https://example.org/rss.xml"`},
		{name: "feed as number", in: "feed = 3\n", want: `cfg.toml:1:8: feed must be written as [[feed]] blocks, each with a url`},
		{name: "single brackets", in: "[feed]\nurl = \"https://a.example/\"\n", want: `cfg.toml:1:1: write each feed as [[feed]] (double brackets: a list of feeds), not [feed]`},
		{name: "bad duration", in: "timeout = \"soon\"\n", want: `cfg.toml:1:12: timeout: "soon" is not a duration (write it like "30m", "1h30m", "20s", or "0" for off)`},
		{name: "duration without unit", in: "timeout = 5\n", want: `cfg.toml:1:11: timeout: 5 has no unit (write it like "30m", "1h30m", "20s", or "0" for off)`},
		{name: "negative duration", in: "timeout = \"-5s\"\n", want: `cfg.toml:1:12: timeout: "-5s" is negative`},
		{name: "unquoted duration", in: "refresh_interval = 30m\n", want: `cfg.toml:1:20: refresh_interval must be in quotes, e.g. refresh_interval = "30m"`},
		{name: "unknown key", in: "concurency = 3\n", want: `cfg.toml:1:1: unknown key "concurency" ` + known},
		{name: "unknown feed key", in: "[[feed]]\nurl = \"https://a.example/\"\n  titel = \"x\"\n", want: `cfg.toml:3:3: unknown key "feed.titel" ` + known},
		{name: "unknown table reported once", in: "[[feeds]]\nurl = \"https://a.example/\"\n", want: `cfg.toml:1:1: unknown key "feeds" ` + known},
		{name: "zero timeout", in: "timeout = \"0\"\n", want: `cfg.toml:1:11: timeout must be more than 0 (e.g. "20s")`},
		{name: "interval too short", in: "refresh_interval = \"5s\"\n", want: `cfg.toml:1:20: refresh_interval = "5s" is too short: use at least "1m", or "0" for off`},
		{name: "bad numbers, one line each", in: "concurrency = 0\nper_host = -1\n",
			want: "cfg.toml:1:15: concurrency = 0: want a number from 1 to 256\ncfg.toml:2:12: per_host = -1: want a number from 1 to 64"},
		{name: "bad theme", in: "theme = \"purple\"\n", want: `cfg.toml:1:9: theme = "purple": want auto, dark, light, or the path of a glamour JSON style file`},
		{name: "missing theme file", in: "theme = \"nope.json\"\n", want: `cfg.toml:1:9: theme = "nope.json": cannot read the style file: no such file or directory`},
		{name: "feed without url", in: "[[feed]]\nurl = \"https://a.example/\"\n\n[[feed]]\ntitle = \"x\"\n", want: `cfg.toml:4:1: feed #2: no url (each [[feed]] needs url = "https://…")`},
		{name: "feed not http", in: "[[feed]]\nurl = \"file:///etc/passwd\"\n", want: `cfg.toml:2:7: feed #1: url "file:///etc/passwd" is not an http:// or https:// URL`},
		{name: "url without host", in: "[[feed]]\nurl = \"https:///rss.xml\"\n", want: `cfg.toml:2:7: feed #1: url "https:///rss.xml" has no host: the site's name goes after https://, e.g. "https://example.org/rss.xml"`},
		{name: "url without scheme", in: "[[feed]]\nurl = \"example.org/rss\"\n", want: `cfg.toml:2:7: feed #1: url "example.org/rss" has no scheme: write it with http:// or https://, e.g. "https://example.org/rss"`},
		{name: "url that does not parse", in: "[[feed]]\nurl = \"ht tp://x\"\n", want: `cfg.toml:2:7: feed #1: url "ht tp://x" is not a URL: first path segment in URL cannot contain colon`},
		{name: "keys", in: "[keys]\nnext_article = \"J\"\nprev_article = [\"K\", \"ctrl+p\"]\nnext_link = \"ctrl+n\"\n"},
		{name: "keys unknown action", in: "concurrency = 4\n[keys]\nnext_artcle = \"J\"\n", want: `cfg.toml:3:1: unknown action "next_artcle" in [keys] (actions: add_feed, back, backlinks, bottom, copy_url, down, errors, follow, follow_number, half_page_down, half_page_up, help, hide_read, history_back, history_forward, mark_all_read, next_article, next_link, next_pane, next_unread, open, open_browser, page_down, page_up, prev_article, prev_link, prev_pane, quit, refresh, refresh_all, remove_feed, search, sort, star, toggle_read, top, undo, up)`},
		{name: "keys conflict", in: "[keys]\n  star = [\"x\", \"j\"]\n", want: `cfg.toml:2:16: star = "j": "j" is also the key of down (bind down to another key too)`},
		{name: "keys moved away", in: "[keys]\nstar = \"j\"\ndown = \"x\"\n"},
		{name: "keys not a key", in: "[keys]\nquit = \"ctrl+shift+q\"\n", want: `cfg.toml:2:8: quit = "ctrl+shift+q": not a key brief knows (a character, or a name such as enter, esc, tab, space, up, pgdown, ctrl+d, alt+x)`},
		{name: "keys digit", in: "[keys]\nstar = \"1\"\n", want: `cfg.toml:2:8: star = "1": 1-9 follow the “Read also” links`},
		{name: "keys as number", in: "[keys]\nstar = 3\n", want: `cfg.toml:2:8: keys.star: must be a key in quotes or a list of them, e.g. next_article = "n" or next_article = ["n", "J"]`},
		{name: "duplicate feed", in: "[[feed]]\nurl = \"https://a.example/rss\"\n[[feed]]\nurl = \"https://A.example/rss\"\n", want: `cfg.toml:4:7: feed #2: url "https://A.example/rss" is already listed as feed #1`},
		{name: "account", in: "[[account]]\nname = \"home\"\nkind = \"miniflux\"\nurl = \"https://rss.example.org\"\ntoken_command = \"pass show miniflux\"\nhistory = \"30d\"\n[[account]]\nname = \"fresh\"\nkind = \"greader\"\nurl = \"https://f.example/api/greader.php\"\nusername = \"me\"\npassword_command = \"pass show f\"\n"},
		{name: "account bad kind", in: "[[account]]\nname = \"home\"\nkind = \"minflux\"\nurl = \"https://rss.example.org\"\ntoken_command = \"x\"\n", want: `cfg.toml:3:1: account "home": kind = "minflux": want "miniflux" or "greader"`},
		{name: "account duplicate name", in: "[[account]]\nname = \"a\"\nkind = \"miniflux\"\nurl = \"https://x.example\"\ntoken_command = \"x\"\n[[account]]\n  name = \"a\"\nkind = \"miniflux\"\nurl = \"https://y.example\"\ntoken_command = \"x\"\n", want: `cfg.toml:7:3: account "a": the name is already used by account #1`},
		{name: "account without credentials", in: "[[account]]\nname = \"g\"\nkind = \"greader\"\nurl = \"https://x.example\"\n", want: `cfg.toml:1:1: account "g": a greader account needs username and password_command`},
		{name: "account bad history", in: "[[account]]\nname = \"g\"\nkind = \"miniflux\"\nurl = \"https://x.example\"\ntoken_command = \"x\"\nhistory = \"a month\"\n", want: `cfg.toml:6:1: account "g": history = "a month": want a number of days like "30d", or a duration like "48h"`},
		{name: "account secret in url", in: "[[account]]\nname = \"g\"\nkind = \"miniflux\"\nurl = \"https://me:pw@x.example\"\ntoken_command = \"x\"\n", want: `cfg.toml:4:1: account "g": put the username in username = … and the password in password_command, not in the url`},
		{name: "account without name or kind", in: "[[account]]\nurl = \"https://x.example\"\ntoken_command = \"x\"\n", want: "cfg.toml:1:1: account #1: has no name (each [[account]] needs a unique name)\ncfg.toml:1:1: account #1: has no kind (want kind = \"miniflux\" or \"greader\")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig("cfg.toml", []byte(tt.in))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err, tt.want)
			}
		})
	}
}

func TestParseConfigValues(t *testing.T) {
	cfg, err := parseConfig("c", []byte("refresh_interval = \"1h30m\"\n[[feed]]\nurl = \" https://a.example/x \"\ntags=[\"t\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.RefreshInterval.Duration, 90*time.Minute; got != want {
		t.Errorf("refresh_interval: got %v, want %v", got, want)
	}
	if got, want := cfg.Timeout.Duration, 20*time.Second; got != want {
		t.Errorf("timeout default: got %v, want %v", got, want)
	}
	if got, want := cfg.Feeds[0].URL, "https://a.example/x"; got != want {
		t.Errorf("url: got %q, want %q", got, want)
	}
}

func TestStarterConfigParsesAndIsNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "brief", "config.toml")
	wrote, err := ensureConfig(path)
	if err != nil || !wrote {
		t.Fatalf("first ensureConfig: got (%v, %v), want (true, nil)", wrote, err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatalf("starter config does not load: %v", err)
	}
	if len(cfg.Feeds) < 3 {
		t.Errorf("starter config has %d feeds, want a handful", len(cfg.Feeds))
	}
	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrote, err = ensureConfig(path)
	if err != nil || wrote {
		t.Fatalf("second ensureConfig: got (%v, %v), want (false, nil)", wrote, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "# mine\n" {
		t.Errorf("existing dotfile was changed: %q", b)
	}
}

func TestPaths(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/conf")
	t.Setenv("XDG_DATA_HOME", "/x/data")
	if got, _ := configPath(""); got != "/x/conf/brief/config.toml" {
		t.Errorf("configPath: got %q", got)
	}
	if got, _ := dbPath(""); got != "/x/data/brief/brief.db" {
		t.Errorf("dbPath: got %q", got)
	}
	if got, _ := configPath("/my.toml"); got != "/my.toml" {
		t.Errorf("configPath flag: got %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got, _ := configPath(""); got != "/home/u/.config/brief/config.toml" {
		t.Errorf("configPath default: got %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	if got, _ := dbPath(""); got != "/home/u/.local/share/brief/brief.db" {
		t.Errorf("dbPath default: got %q", got)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		cmd     string
		db      string
		wantErr bool
	}{
		{args: nil},
		{args: []string{"--db", "F", "refresh"}, cmd: "refresh", db: "F"},
		{args: []string{"refresh", "--db", "F"}, cmd: "refresh", db: "F"},
		{args: []string{"-db=F", "version"}, cmd: "version", db: "F"},
		{args: []string{"frobnicate"}, wantErr: true},
		{args: []string{"refresh", "extra"}, wantErr: true},
		{args: []string{"--nope"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd, o, err := parseArgs(tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (cmd != tt.cmd || o.db != tt.db) {
				t.Errorf("got (%q, db %q), want (%q, db %q)", cmd, o.db, tt.cmd, tt.db)
			}
		})
	}
}

func TestLiteralSecretIsWarnedNotShown(t *testing.T) {
	cfg, err := parseConfig("cfg.toml", []byte("[[account]]\nname = \"g\"\nkind = \"greader\"\nurl = \"https://x.example\"\nusername = \"me\"\npassword = \"hunter2\"\nhistory = \"7d\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.warnings) != 1 || cfg.warnings[0].line != 6 || strings.Contains(cfg.warnings[0].msg, "hunter2") {
		t.Errorf("warnings: got %+v, want one at line 6 without the secret", cfg.warnings)
	}
	if got := cfg.accountConfig(cfg.Accounts[0]).History; got != 7*24*time.Hour {
		t.Errorf("history: got %v, want 168h", got)
	}
}
