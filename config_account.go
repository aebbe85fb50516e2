package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/account"
	"github.com/brief-reader/brief/store"
)

// AccountConf is one [[account]] of the dotfile: a Miniflux or Google Reader
// API server whose subscriptions and read/starred state brief syncs.
type AccountConf struct {
	Name            string `toml:"name"`
	Kind            string `toml:"kind"`
	URL             string `toml:"url"`
	Username        string `toml:"username"`
	Token           string `toml:"token"`
	TokenCommand    string `toml:"token_command"`
	Password        string `toml:"password"`
	PasswordCommand string `toml:"password_command"`
	History         string `toml:"history"`

	history time.Duration
}

// posProblem is a dotfile problem at a line and column (0: unknown).
type posProblem struct {
	line, col int
	msg       string
}

func (p posProblem) String() string {
	switch {
	case p.line > 0 && p.col > 0:
		return fmt.Sprintf("line %d, column %d: %s", p.line, p.col, p.msg)
	case p.line > 0:
		return fmt.Sprintf("line %d: %s", p.line, p.msg)
	}
	return p.msg
}

// parseHistory reads a history window: "30d", "12h", "90m".
func parseHistory(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return account.DefaultHistory, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("history = %q: want a number of days like \"30d\", or a duration like \"48h\"", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("history = %q: want a number of days like \"30d\", or a duration like \"48h\"", s)
	}
	return v, nil
}

// checkAccounts validates the [[account]] entries; warnings are for literal
// secrets (allowed, but anyone who can read the dotfile can read them).
func (c *Config) checkAccounts(data []byte) (problems, warnings []posProblem) {
	headers := tableHeaderLines(data, "account")
	seen := map[string]int{}
	for i := range c.Accounts {
		a := &c.Accounts[i]
		n := i + 1
		at := func(key, msg string) posProblem {
			line, col := keyPosition(data, headers, n, key)
			who := fmt.Sprintf("account #%d", n)
			if a.Name != "" {
				who = fmt.Sprintf("account %q", a.Name)
			}
			return posProblem{line: line, col: col, msg: who + ": " + msg}
		}
		a.Name = strings.TrimSpace(a.Name)
		switch {
		case a.Name == "":
			problems = append(problems, at("", "has no name (each [[account]] needs a unique name)"))
		case seen[a.Name] > 0:
			problems = append(problems, at("name", fmt.Sprintf("the name is already used by account #%d", seen[a.Name])))
		default:
			seen[a.Name] = n
		}
		switch a.Kind {
		case account.KindMiniflux, account.KindGReader:
		case "":
			problems = append(problems, at("", `has no kind (want kind = "miniflux" or "greader")`))
		default:
			problems = append(problems, at("kind", fmt.Sprintf(`kind = %q: want "miniflux" or "greader"`, a.Kind)))
		}
		a.URL = strings.TrimSpace(a.URL)
		if pu, err := url.Parse(a.URL); a.URL == "" || err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			key := "url"
			if a.URL == "" {
				key = ""
			}
			problems = append(problems, at(key, "url must be the server's http:// or https:// address"))
		} else if pu.User != nil {
			problems = append(problems, at("url", "put the username in username = … and the password in password_command, not in the url"))
		}
		hasToken := a.Token != "" || a.TokenCommand != ""
		hasPassword := a.Password != "" || a.PasswordCommand != ""
		switch {
		case a.Kind == account.KindGReader && (a.Username == "" || !hasPassword):
			problems = append(problems, at("", "a greader account needs username and password_command"))
		case a.Kind == account.KindMiniflux && !hasToken && (a.Username == "" || !hasPassword):
			problems = append(problems, at("", "a miniflux account needs token_command, or username and password_command"))
		}
		if a.Token != "" {
			warnings = append(warnings, at("token", "the token is written in the dotfile: anyone who can read it can use the account; prefer token_command"))
		}
		if a.Password != "" {
			warnings = append(warnings, at("password", "the password is written in the dotfile: anyone who can read it can use the account; prefer password_command"))
		}
		d, err := parseHistory(a.History)
		if err != nil {
			problems = append(problems, at("history", err.Error()))
		}
		a.history = d
	}
	return problems, warnings
}

// tableHeaderLines returns the line numbers of the [[name]] headers.
func tableHeaderLines(data []byte, name string) []int {
	var lines []int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.ReplaceAll(strings.TrimSpace(line), " ", ""), "[["+name+"]]") {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// keyPosition finds key inside the n-th table whose headers are given: the
// line and column where it is assigned, else the header's line (column 1).
func keyPosition(data []byte, headers []int, n int, key string) (int, int) {
	if n > len(headers) {
		return 0, 0
	}
	lines := strings.Split(string(data), "\n")
	start := headers[n-1]
	if key != "" {
		for i := start; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			if strings.HasPrefix(t, "[") {
				break
			}
			if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == key {
				return i + 1, strings.Index(lines[i], key) + 1
			}
		}
	}
	return start, 1
}

// accountConfig is the account package's view of an [[account]].
func (c *Config) accountConfig(a AccountConf) account.Config {
	return account.Config{
		Name: a.Name, Kind: a.Kind, URL: a.URL, Username: a.Username,
		Token: a.Token, TokenCommand: a.TokenCommand, Password: a.Password, PasswordCommand: a.PasswordCommand,
		History: a.history, Timeout: 2 * c.Timeout.Duration, UserAgent: "brief/" + appVersion(),
	}
}

// accountSpecs are the accounts as the store keeps them (no secrets).
func (c *Config) accountSpecs() []store.AccountSpec {
	out := make([]store.AccountSpec, len(c.Accounts))
	for i, a := range c.Accounts {
		out[i] = store.AccountSpec{Name: a.Name, Kind: a.Kind, URL: a.URL}
	}
	return out
}
