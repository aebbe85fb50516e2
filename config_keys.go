package main

import (
	"fmt"
	"strings"

	"github.com/brief-reader/brief/ui"
)

// keyList is a [keys] entry: one key ("n") or a list (["n", "J"]).
type keyList []string

// UnmarshalTOML reads a string or a list of strings.
func (k *keyList) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*k = keyList{v}
		return nil
	case []any:
		out := make(keyList, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("must be a key in quotes or a list of them, e.g. next_article = \"n\" or next_article = [\"n\", \"J\"]")
			}
			out = append(out, s)
		}
		*k = out
		return nil
	}
	return fmt.Errorf("must be a key in quotes or a list of them, e.g. next_article = \"n\" or next_article = [\"n\", \"J\"]")
}

// keyTable is the [keys] table as the ui takes it.
func (c Config) keyTable() map[string][]string {
	if len(c.Keys) == 0 {
		return nil
	}
	out := make(map[string][]string, len(c.Keys))
	for a, ks := range c.Keys {
		out[a] = ks
	}
	return out
}

// checkKeys reports the [keys] table's problems where they are written.
func (c Config) checkKeys(data []byte) configErrors {
	var p configErrors
	for _, kp := range ui.CheckKeys(c.keyTable()) {
		line := tableLine(data, "keys", kp.Action)
		col := valueCol(data, line)
		if kp.Key == "" {
			col = keyCol(data, line)
		} else if l := lineText(data, line); line > 0 {
			if i := strings.Index(l, `"`+kp.Key+`"`); i >= 0 {
				col = len([]rune(l[:i])) + 1
			}
		}
		p = append(p, &configError{path: c.path, line: line, col: col, msg: kp.Msg})
	}
	return p
}

// tableLine returns the line on which key is assigned inside [table], or 0.
func tableLine(data []byte, table, key string) int {
	in := false
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			in = strings.ReplaceAll(t, " ", "") == "["+table+"]" || strings.HasPrefix(strings.ReplaceAll(t, " ", ""), "["+table+"]#")
			continue
		}
		if k, _, ok := strings.Cut(t, "="); in && ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return 0
}

// lineText is line n (1-based) of data, "" when there is none.
func lineText(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}
