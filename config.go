package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is the dotfile: settings and the feeds to follow.
type Config struct {
	RefreshOnStart  bool       `toml:"refresh_on_start"`
	RefreshInterval duration   `toml:"refresh_interval"`
	Concurrency     int        `toml:"concurrency"`
	PerHost         int        `toml:"per_host"`
	Timeout         duration   `toml:"timeout"`
	Theme           string     `toml:"theme"`
	Browser         string     `toml:"browser"`
	Feeds           []FeedConf `toml:"feed"`

	path string // where it was read from
}

// FeedConf is one [[feed]] entry of the dotfile.
type FeedConf struct {
	URL   string   `toml:"url"`
	Title string   `toml:"title"`
	Tags  []string `toml:"tags"`
}

// duration is a time.Duration written as "30m", "20s" or "0" in the dotfile.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "0" || s == "" {
		d.Duration = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration (write it like \"30m\", \"1h30m\", \"20s\", or \"0\" for off)", s)
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", s)
	}
	d.Duration = v
	return nil
}

func defaultConfig() Config {
	return Config{
		RefreshOnStart:  true,
		RefreshInterval: duration{30 * time.Minute},
		Concurrency:     8,
		PerHost:         2,
		Timeout:         duration{20 * time.Second},
		Theme:           "auto",
	}
}

// configError is a problem with the dotfile; its text names the file and, when
// known, the line and column.
type configError struct {
	path string
	line int
	col  int
	msg  string
}

func (e *configError) Error() string {
	switch {
	case e.line > 0 && e.col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.path, e.line, e.col, e.msg)
	case e.line > 0:
		return fmt.Sprintf("%s:%d: %s", e.path, e.line, e.msg)
	}
	return fmt.Sprintf("%s: %s", e.path, e.msg)
}

// loadConfig reads and checks the dotfile at path.
func loadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("config: %s does not exist (without --config brief uses, and on first run writes, a starter dotfile at $XDG_CONFIG_HOME/brief/config.toml): %w", path, err)
	}
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return parseConfig(path, data)
}

// parseConfig decodes and validates a dotfile's bytes; path is only used in messages.
func parseConfig(path string, data []byte) (Config, error) {
	cfg := defaultConfig()
	cfg.path = path
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
				msg = fmt.Sprintf("%s (at key %q)", msg, pe.LastKey)
			}
			if k := keyOnLine(data, pe.Position.Line); textKeys[k] && strings.Contains(msg, "but got") {
				msg += fmt.Sprintf("; text values need quotes, e.g. %s = \"%s\"", k, textExamples[k])
			}
			return Config{}, &configError{path: path, line: pe.Position.Line, col: pe.Position.Col, msg: msg}
		}
		return Config{}, decodeError(path, err)
	}
	var problems []string
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		if len(k) > 1 && reported[k[:len(k)-1].String()] {
			continue // the unknown table itself is reported already
		}
		reported[k.String()] = true
		line := findLine(data, k[len(k)-1])
		where := ""
		if line > 0 {
			where = fmt.Sprintf("line %d: ", line)
		}
		problems = append(problems, fmt.Sprintf("%sunknown key %q (known keys: refresh_on_start, refresh_interval, concurrency, per_host, timeout, theme, browser, and url/title/tags inside [[feed]])", where, k.String()))
	}
	problems = append(problems, cfg.check(data)...)
	if len(problems) > 0 {
		return Config{}, &configError{path: path, msg: strings.Join(problems, "\n  ")}
	}
	return cfg, nil
}

// typeErr matches BurntSushi/toml's type-mismatch errors, which carry no Position:
// `toml: line 3 (last key "concurrency"): incompatible types: …`.
var typeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError turns a decoding error that is not a ParseError into a configError
// with the line and key it names.
func decodeError(path string, err error) error {
	m := typeErr.FindStringSubmatch(err.Error())
	if m == nil {
		return &configError{path: path, msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	line, _ := strconv.Atoi(m[1]) // the regexp guarantees digits
	if m[2] == "feed" && strings.Contains(m[3], "map") {
		return &configError{path: path, line: line, msg: "write each feed as [[feed]] (double brackets: a list of feeds), not [feed]"}
	}
	msg := m[3]
	msg = strings.Replace(msg, "incompatible types: TOML value has type ", "wrong type: the value is a ", 1)
	msg = strings.Replace(msg, "; destination has type ", ", want a ", 1)
	for _, v := range []string{"a a", "a e", "a i", "a o", "a u"} {
		msg = strings.ReplaceAll(msg, v, "an "+v[2:])
	}
	return &configError{path: path, line: line, msg: fmt.Sprintf("%s: %s", m[2], msg)}
}

// check validates values that decoded but make no sense.
func (c *Config) check(data []byte) []string {
	var p []string
	if c.Concurrency < 1 || c.Concurrency > 256 {
		p = append(p, fmt.Sprintf("concurrency = %d: want a number from 1 to 256", c.Concurrency))
	}
	if c.PerHost < 1 || c.PerHost > 64 {
		p = append(p, fmt.Sprintf("per_host = %d: want a number from 1 to 64", c.PerHost))
	}
	if c.Timeout.Duration <= 0 {
		p = append(p, "timeout must be more than 0 (e.g. \"20s\")")
	}
	if c.RefreshInterval.Duration > 0 && c.RefreshInterval.Duration < time.Minute {
		p = append(p, fmt.Sprintf("refresh_interval = %q is too short: use at least \"1m\", or \"0\" for off", c.RefreshInterval.Duration))
	}
	switch c.Theme {
	case "auto", "dark", "light":
	default:
		if !strings.HasSuffix(strings.ToLower(c.Theme), ".json") {
			p = append(p, fmt.Sprintf("theme = %q: want auto, dark, light, or the path of a glamour JSON style file", c.Theme))
			break
		}
		theme := c.Theme
		if !filepath.IsAbs(theme) {
			theme = filepath.Join(filepath.Dir(c.path), theme) // relative to the dotfile
		}
		if _, err := os.Stat(theme); err != nil {
			p = append(p, fmt.Sprintf("theme = %q: cannot read the style file: %v", c.Theme, errors.Unwrap(err)))
			break
		}
		c.Theme = theme
	}
	headers := feedHeaderLines(data)
	at := func(n int) string {
		if n <= len(headers) {
			return fmt.Sprintf("line %d: feed #%d", headers[n-1], n)
		}
		return fmt.Sprintf("feed #%d", n)
	}
	seen := map[string]int{}
	for i, f := range c.Feeds {
		n := i + 1
		u := strings.TrimSpace(f.URL)
		if u == "" {
			p = append(p, fmt.Sprintf("%s has no url", at(n)))
			continue
		}
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			p = append(p, fmt.Sprintf("%s: url %q is not an http:// or https:// URL", at(n), u))
			continue
		}
		key := strings.ToLower(pu.Scheme + "://" + pu.Host + pu.RequestURI())
		if prev, ok := seen[key]; ok {
			p = append(p, fmt.Sprintf("%s: url %q is already listed as feed #%d", at(n), u, prev))
			continue
		}
		seen[key] = n
		c.Feeds[i].URL = u
	}
	return p
}

// textKeys are the settings written as quoted text, with an example value.
var (
	textKeys     = map[string]bool{"refresh_interval": true, "timeout": true, "theme": true, "browser": true}
	textExamples = map[string]string{"refresh_interval": "30m", "timeout": "20s", "theme": "auto", "browser": "firefox"}
)

// keyOnLine returns the key assigned on line n (1-based) of data, or "".
func keyOnLine(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	k, _, ok := strings.Cut(lines[n-1], "=")
	if !ok {
		return ""
	}
	return strings.TrimSpace(k)
}

// feedHeaderLines returns the line numbers of the [[feed]] headers, in order.
func feedHeaderLines(data []byte) []int {
	var lines []int
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.ReplaceAll(strings.TrimSpace(line), " ", "")
		if strings.HasPrefix(t, "[[feed]]") {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// findLine returns the first line of data on which key is assigned or opens a
// table, or 0.
func findLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if h := strings.Trim(strings.ReplaceAll(t, " ", ""), "[]"); strings.HasPrefix(t, "[") && h == key {
			return i + 1
		}
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(strings.TrimPrefix(t, key))
			if strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
	}
	return 0
}

// configPath returns the dotfile's path: flag, else $XDG_CONFIG_HOME, else ~/.config.
func configPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "brief", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("config: cannot find the home directory (set XDG_CONFIG_HOME or pass --config): %w", err)
	}
	return filepath.Join(home, ".config", "brief", "config.toml"), nil
}

// dbPath returns the database's path: flag, else $XDG_DATA_HOME, else ~/.local/share.
func dbPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "brief", "brief.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: cannot find the home directory (set XDG_DATA_HOME or pass --db): %w", err)
	}
	return filepath.Join(home, ".local", "share", "brief", "brief.db"), nil
}

// ensureConfig writes the starter dotfile when none exists at path and reports
// whether it did. An existing file is never touched.
func ensureConfig(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("config: %w", err)
	}
	// O_EXCL: never overwrite a dotfile that appeared meanwhile.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("config: %w", err)
	}
	if _, err := f.WriteString(starterConfig); err != nil {
		_ = f.Close()
		return false, fmt.Errorf("config: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return false, fmt.Errorf("config: writing %s: %w", path, err)
	}
	return true, nil
}

const starterConfig = `# brief — your feeds and settings.
# Edit this file, then restart brief (or run "brief refresh").
# Every key below is optional except each feed's url.

refresh_on_start = true    # refresh every feed when brief starts
refresh_interval = "30m"   # refresh while running; "0" turns it off
concurrency = 8            # simultaneous downloads in total
per_host = 2               # simultaneous downloads per host
timeout = "20s"            # per download
theme = "auto"             # auto | dark | light | path to a glamour JSON style file
browser = ""               # command for "o"; default: $BROWSER, else xdg-open / open

# One [[feed]] block per feed: url is required, title and tags are optional.

[[feed]]
url = "https://feeds.bbci.co.uk/news/world/rss.xml"
title = "BBC World"
tags = ["world"]

[[feed]]
url = "https://www.theguardian.com/world/rss"
title = "The Guardian: World"
tags = ["world"]

[[feed]]
url = "https://feeds.npr.org/1001/rss.xml"
title = "NPR News"
tags = ["us"]

[[feed]]
url = "https://www.aljazeera.com/xml/rss/all.xml"
title = "Al Jazeera"
tags = ["world"]

[[feed]]
url = "https://feeds.arstechnica.com/arstechnica/index"
title = "Ars Technica"
tags = ["tech"]

[[feed]]
url = "https://hnrss.org/frontpage"
title = "Hacker News"
tags = ["tech"]
`
