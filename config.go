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
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/brief-reader/brief/store"
)

// Config is the dotfile: settings and the feeds to follow.
type Config struct {
	RefreshOnStart  bool               `toml:"refresh_on_start"`
	RefreshInterval duration           `toml:"refresh_interval"`
	Concurrency     int                `toml:"concurrency"`
	PerHost         int                `toml:"per_host"`
	Timeout         duration           `toml:"timeout"`
	Theme           string             `toml:"theme"`
	Browser         string             `toml:"browser"`
	Keep            keepPolicy         `toml:"keep"`
	Feeds           []FeedConf         `toml:"feed"`
	Accounts        []AccountConf      `toml:"account"`
	Views           []ViewConf         `toml:"view"`
	Ignores         []IgnoreConf       `toml:"ignore"`
	Keys            map[string]keyList `toml:"keys"`

	path     string             // where it was read from
	warnings []posProblem       // allowed but risky (a literal secret)
	rules    []ruleConf         // the kill rules, parsed by checkIgnores
	kill     []store.IgnoreRule // the kill rules compiled for the store (by setup)
}

// FeedConf is one [[feed]] entry of the dotfile.
type FeedConf struct {
	URL   string   `toml:"url"`
	Title string   `toml:"title"`
	Tags  []string `toml:"tags"`
	// Ignore are kill rules for this feed only (queries of the query language).
	Ignore []string `toml:"ignore"`
	// UserAgent replaces brief's own User-Agent for this feed ("": brief's).
	UserAgent string `toml:"user_agent"`
	// Headers are sent with this feed's requests (e.g. a cookie or a token).
	Headers map[string]string `toml:"headers"`
	// RefreshInterval: fetch this feed only when this long has passed since
	// its last fetch (0 or unset: at every refresh).
	RefreshInterval duration `toml:"refresh_interval"`
	// FullText: the feed carries summaries only; each new article's page is
	// fetched in reader mode at refresh time and stored as its body.
	FullText bool `toml:"full_text"`
}

// duration is a time.Duration written as "30m", "20s" or "0" in the dotfile.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "0" || s == "" {
		d.Duration = 0
		return nil
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return fmt.Errorf("%s has no unit (write it like \"30m\", \"1h30m\", \"20s\", or \"0\" for off)", s)
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

// configErrors are several problems with one dotfile, one per line, each
// in the format of configError.
type configErrors []*configError

func (es configErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
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
			if k := pe.LastKey; k != "" && !strings.HasPrefix(msg, k) && !strings.Contains(msg, "'"+k+"'") {
				msg = fmt.Sprintf("%s: %s", pe.LastKey, msg)
			}
			msg = strings.Replace(msg, "Key '", "key '", 1)
			col := pe.Position.Col
			if k := keyOnLine(data, pe.Position.Line); textKeys[k] && strings.Contains(msg, "but got") {
				msg = fmt.Sprintf("%s must be in quotes, e.g. %s = \"%s\"", k, k, textExamples[k])
				col = valueCol(data, pe.Position.Line)
			}
			return Config{}, &configError{path: path, line: pe.Position.Line, col: col, msg: msg}
		}
		return Config{}, decodeError(path, data, err)
	}
	var problems configErrors
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		if len(k) > 1 && reported[k[:len(k)-1].String()] {
			continue // the unknown table itself is reported already
		}
		reported[k.String()] = true
		line := findLine(data, k[len(k)-1])
		problems = append(problems, &configError{path: path, line: line, col: keyCol(data, line),
			msg: fmt.Sprintf("unknown key %q (known keys: refresh_on_start, refresh_interval, concurrency, per_host, timeout, theme, browser, keep, url/title/tags/ignore/user_agent/headers/refresh_interval/full_text inside [[feed]], name/kind/url/username/token_command/password_command/history inside [[account]], name/query inside [[view]], query inside [[ignore]], and a [keys] table)", k.String())})
	}
	problems = append(problems, cfg.check(data)...)
	acctProblems, warnings := cfg.checkAccounts(data)
	cfg.warnings = warnings
	for _, p := range acctProblems {
		problems = append(problems, &configError{path: path, line: p.line, col: p.col, msg: p.msg})
	}
	problems = append(problems, cfg.checkKeys(data)...)
	if len(problems) > 0 {
		return Config{}, problems
	}
	return cfg, nil
}

// typeErr matches BurntSushi/toml's type-mismatch errors, which carry no Position:
// `toml: line 3 (last key "concurrency"): incompatible types: …`.
var typeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError turns a decoding error that is not a ParseError into a configError
// with the line and key it names.
func decodeError(path string, data []byte, err error) error {
	m := typeErr.FindStringSubmatch(err.Error())
	if m == nil {
		return &configError{path: path, msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	line, _ := strconv.Atoi(m[1]) // the regexp guarantees digits
	if m[2] == "feed" && strings.Contains(m[3], "map") {
		return &configError{path: path, line: line, col: keyCol(data, line), msg: "write each feed as [[feed]] (double brackets: a list of feeds), not [feed]"}
	}
	key := m[2][strings.LastIndex(m[2], ".")+1:]
	msg, ok := typeWords[key]
	if !ok { // a key added without words here: say what the decoder said
		msg = strings.TrimPrefix(m[3], "incompatible types: ")
	}
	return &configError{path: path, line: line, col: valueCol(data, line), msg: key + " " + msg}
}

// typeWords say, for each key, what its value must look like.
var typeWords = map[string]string{
	"refresh_on_start": "must be true or false",
	"refresh_interval": `must be a duration in quotes, e.g. refresh_interval = "30m"`,
	"concurrency":      "must be a whole number, e.g. concurrency = 8",
	"per_host":         "must be a whole number, e.g. per_host = 2",
	"timeout":          `must be a duration in quotes, e.g. timeout = "20s"`,
	"theme":            `must be text in quotes, e.g. theme = "auto"`,
	"browser":          `must be text in quotes, e.g. browser = "firefox"`,
	"keep":             `must be a number of days or weeks in quotes, e.g. keep = "90d"`,
	"feed":             "must be written as [[feed]] blocks, each with a url",
	"url":              `must be text in quotes, e.g. url = "https://example.org/rss.xml"`,
	"title":            `must be text in quotes, e.g. title = "Example"`,
	"tags":             `must be a list of strings, e.g. tags = ["world", "tech"]`,
	"keys":             `must be a table: [keys] and one action = "key" per line, e.g. next_article = "n"`,
	"view":             `must be written as [[view]] blocks, each with a name and a query`,
	"name":             `must be text in quotes, e.g. name = "Ukraine, unread"`,
	"query":            `must be text in quotes, e.g. query = "tag:world ukraine is:unread"`,
	"user_agent":       `must be text in quotes, e.g. user_agent = "MyReader/1.0"`,
	"headers":          `must be a table of texts, e.g. headers = { Authorization = "Bearer …" }`,
	"full_text":        "must be true or false",
	"ignore":           `must be [[ignore]] blocks with a query, or inside a [[feed]] a list of queries, e.g. ignore = ["title:sponsored"]`,
}

// check validates values that decoded but make no sense; data is the
// dotfile's text, to say where.
func (c *Config) check(data []byte) configErrors {
	var p configErrors
	at := func(key, format string, args ...any) {
		line := topLine(data, key)
		p = append(p, &configError{path: c.path, line: line, col: valueCol(data, line), msg: fmt.Sprintf(format, args...)})
	}
	if c.Concurrency < 1 || c.Concurrency > 256 {
		at("concurrency", "concurrency = %d: want a number from 1 to 256", c.Concurrency)
	}
	if c.PerHost < 1 || c.PerHost > 64 {
		at("per_host", "per_host = %d: want a number from 1 to 64", c.PerHost)
	}
	if c.Timeout.Duration <= 0 {
		at("timeout", "timeout must be more than 0 (e.g. \"20s\")")
	}
	if c.RefreshInterval.Duration > 0 && c.RefreshInterval.Duration < time.Minute {
		at("refresh_interval", "refresh_interval = %q is too short: use at least \"1m\", or \"0\" for off", c.RefreshInterval.Duration)
	}
	switch c.Theme {
	case "auto", "dark", "light":
	default:
		if !strings.HasSuffix(strings.ToLower(c.Theme), ".json") {
			at("theme", "theme = %q: want auto, dark, light, or the path of a glamour JSON style file", c.Theme)
			break
		}
		theme := c.Theme
		if !filepath.IsAbs(theme) {
			theme = filepath.Join(filepath.Dir(c.path), theme) // relative to the dotfile
		}
		if _, err := os.Stat(theme); err != nil {
			at("theme", "theme = %q: cannot read the style file: %v", c.Theme, errors.Unwrap(err))
			break
		}
		c.Theme = theme
	}
	headers := feedHeaderLines(data)
	feedAt := func(n int, key, format string, args ...any) {
		e := &configError{path: c.path, msg: fmt.Sprintf("feed #%d: ", n) + fmt.Sprintf(format, args...)}
		if n <= len(headers) {
			e.line, e.col = headers[n-1], keyCol(data, headers[n-1])
			last := len(strings.Split(string(data), "\n"))
			if n < len(headers) {
				last = headers[n]
			}
			if l := lineBetween(data, key, headers[n-1]+1, last); l > 0 {
				e.line, e.col = l, valueCol(data, l)
			}
		}
		p = append(p, e)
	}
	seen := map[string]int{}
	for i, f := range c.Feeds {
		n := i + 1
		u := strings.TrimSpace(f.URL)
		if u == "" {
			feedAt(n, "url", "no url (each [[feed]] needs url = \"https://…\")")
			continue
		}
		pu, err := url.Parse(u)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			feedAt(n, "url", "url %q is not a URL: %v", u, err)
			continue
		}
		switch {
		case pu.Scheme == "" && !strings.Contains(u, "://"):
			feedAt(n, "url", "url %q has no scheme: write it with http:// or https://, e.g. \"https://%s\"", u, strings.TrimPrefix(u, "//"))
			continue
		case pu.Scheme != "http" && pu.Scheme != "https":
			feedAt(n, "url", "url %q is not an http:// or https:// URL", u)
			continue
		case pu.Host == "":
			feedAt(n, "url", "url %q has no host: the site's name goes after %s://, e.g. \"%s://example.org/rss.xml\"", u, pu.Scheme, pu.Scheme)
			continue
		}
		key := strings.ToLower(pu.Scheme + "://" + pu.Host + pu.RequestURI())
		if prev, ok := seen[key]; ok {
			feedAt(n, "url", "url %q is already listed as feed #%d", u, prev)
			continue
		}
		seen[key] = n
		c.Feeds[i].URL = u
	}
	p = append(p, c.checkViews(data)...)
	p = append(p, c.checkFeedHeaders(data)...)
	return append(p, c.checkIgnores(data)...)
}

// textKeys are the settings written as quoted text, with an example value.
var (
	textKeys     = map[string]bool{"refresh_interval": true, "timeout": true, "theme": true, "browser": true, "keep": true}
	textExamples = map[string]string{"refresh_interval": "30m", "timeout": "20s", "theme": "auto", "browser": "firefox", "keep": "90d"}
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

// topLine returns the line on which the top-level key is assigned (before
// any table header), or 0.
func topLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			return 0
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 0
}

// lineBetween returns the first line from..to (1-based, inclusive) on which
// key is assigned, or 0.
func lineBetween(data []byte, key string, from, to int) int {
	lines := strings.Split(string(data), "\n")
	for n := from; n <= to && n <= len(lines); n++ {
		if k, _, ok := strings.Cut(lines[n-1], "="); ok && strings.TrimSpace(k) == key {
			return n
		}
	}
	return 0
}

// keyCol returns the column (1-based, in characters) where line n's text
// starts, or 0 when there is no such line.
func keyCol(data []byte, n int) int {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return 0
	}
	l := lines[n-1]
	return utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))]) + 1
}

// valueCol returns the column where the value assigned on line n starts, or
// keyCol when the line assigns nothing.
func valueCol(data []byte, n int) int {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return 0
	}
	l := lines[n-1]
	k, v, ok := strings.Cut(l, "=")
	if !ok {
		return keyCol(data, n)
	}
	return utf8.RuneCountInString(k+"="+v[:len(v)-len(strings.TrimLeft(v, " \t"))]) + 1
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
	return createDotfile(path, starterConfig)
}

// createDotfile writes content to path when no file exists there and reports
// whether it did. An existing file is never touched.
func createDotfile(path, content string) (bool, error) {
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
	if _, err := f.WriteString(content); err != nil {
		_ = f.Close()
		return false, fmt.Errorf("config: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return false, fmt.Errorf("config: writing %s: %w", path, err)
	}
	return true, nil
}

const starterConfig = `# brief — your feeds and settings.
# Edit this file: a running brief follows its feeds at once, other settings at the next start.
# brief add URL / brief remove URL / brief import FILE edit it for you, keeping your comments.
# Every key below is optional except each feed's url.

refresh_on_start = true    # refresh every feed when brief starts
refresh_interval = "30m"   # refresh while running; "0" turns it off
concurrency = 8            # simultaneous downloads in total
per_host = 2               # simultaneous downloads per host
timeout = "20s"            # per download
theme = "auto"             # auto | dark | light | path to a glamour JSON style file
browser = ""               # command for "o"; default: $BROWSER, else xdg-open / open
keep = "0"                 # delete read, unstarred articles older than this ("90d", "12w"); "0" keeps all

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
