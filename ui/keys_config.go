package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
)

// This file is the dotfile's [keys] table: the actions a key can be bound
// to, the check of a table, and the key map it makes.

// Action is a key map entry the dotfile can bind: its name in [keys], its
// default keys, and what it does.
type Action struct {
	Name string
	Keys []string
	Help string
}

// actions are the bindable entries of k, in help order. The read-also keys
// 1-9 are not among them: their digit is their meaning.
func (k *KeyMap) actions() []struct {
	name string
	b    *key.Binding
} {
	type entry = struct {
		name string
		b    *key.Binding
	}
	return []entry{
		{"up", &k.Up}, {"down", &k.Down}, {"top", &k.Top}, {"bottom", &k.Bottom},
		{"page_down", &k.PageDown}, {"page_up", &k.PageUp},
		{"half_page_down", &k.HalfPageDown}, {"half_page_up", &k.HalfPageUp},
		{"open", &k.Open}, {"back", &k.Back}, {"next_pane", &k.NextPane}, {"prev_pane", &k.PrevPane},
		{"next_article", &k.NextArticle}, {"prev_article", &k.PrevArticle}, {"next_unread", &k.NextUnread},
		{"toggle_read", &k.ToggleRead}, {"mark_all_read", &k.MarkAllRead}, {"star", &k.Star},
		{"undo", &k.Undo}, {"sort", &k.Sort}, {"hide_read", &k.HideRead},
		{"open_browser", &k.OpenBrowser}, {"copy_url", &k.CopyURL},
		{"next_link", &k.NextLink}, {"prev_link", &k.PrevLink}, {"follow", &k.Follow},
		{"follow_number", &k.FollowNumber}, {"history_back", &k.HistoryBack},
		{"history_forward", &k.HistoryForward}, {"backlinks", &k.Backlinks},
		{"refresh", &k.Refresh}, {"refresh_all", &k.RefreshAll}, {"search", &k.Search},
		{"add_feed", &k.AddFeed}, {"remove_feed", &k.RemoveFeed},
		{"errors", &k.Errors}, {"help", &k.Help}, {"quit", &k.Quit},
	}
}

// Actions are the actions the dotfile's [keys] table can bind, with their
// default keys (as written in the dotfile).
func Actions() []Action {
	k := DefaultKeyMap()
	var out []Action
	for _, a := range k.actions() {
		keys := make([]string, len(a.b.Keys()))
		for i, s := range a.b.Keys() {
			keys[i] = keyName(s)
		}
		out = append(out, Action{Name: a.name, Keys: keys, Help: a.b.Help().Desc})
	}
	return out
}

// KeyProblem is one thing wrong with a [keys] table: Action names the
// entry (Key, when the problem is one of its keys).
type KeyProblem struct {
	Action string
	Key    string
	Msg    string
}

// CheckKeys checks a [keys] table (action name to keys): unknown actions,
// keys brief cannot read, and keys bound to two actions that can fire at
// the same time. The defaults' own sharing (tab selects links in the
// reader and switches panes elsewhere; enter opens or follows) is allowed.
func CheckKeys(table map[string][]string) []KeyProblem {
	var out []KeyProblem
	names := map[string]bool{}
	for _, a := range Actions() {
		names[a.Name] = true
	}
	for _, name := range sortedNames(table) {
		if !names[name] {
			out = append(out, KeyProblem{Action: name, Msg: fmt.Sprintf("unknown action %q in [keys] (actions: %s)", name, strings.Join(slices.Sorted(maps.Keys(names)), ", "))})
			continue
		}
		if len(table[name]) == 0 {
			out = append(out, KeyProblem{Action: name, Msg: fmt.Sprintf("%s has no key: give it a key, e.g. %s = \"x\", or leave it out for its default", name, name)})
		}
		for _, k := range table[name] {
			switch {
			case !validKey(k):
				out = append(out, KeyProblem{Action: name, Key: k, Msg: fmt.Sprintf("%s = %q: not a key brief knows (a character, or a name such as enter, esc, tab, space, up, pgdown, ctrl+d, alt+x)", name, k)})
			case len(k) == 1 && k[0] >= '1' && k[0] <= '9':
				out = append(out, KeyProblem{Action: name, Key: k, Msg: fmt.Sprintf("%s = %q: 1-9 follow the “Read also” links", name, k)})
			}
		}
	}
	shared := sharing(DefaultKeyMap())
	k := DefaultKeyMap()
	k.bind(table)
	owners := map[string][]string{}
	for _, a := range k.actions() {
		for _, s := range a.b.Keys() {
			owners[s] = append(owners[s], a.name)
		}
	}
	for _, name := range sortedNames(table) {
		for _, s := range table[name] {
			for _, other := range owners[keyString(s)] {
				if other != name && !shared[[2]string{name, other}] {
					out = append(out, KeyProblem{Action: name, Key: s, Msg: fmt.Sprintf("%s = %q: %q is also the key of %s (bind %s to another key too)", name, s, s, other, other)})
				}
			}
		}
	}
	return out
}

// sharing are the pairs of actions that share a key in k.
func sharing(k KeyMap) map[[2]string]bool {
	out := map[[2]string]bool{}
	acts := k.actions()
	for _, a := range acts {
		for _, b := range acts {
			if a.name != b.name && slices.ContainsFunc(a.b.Keys(), func(s string) bool { return slices.Contains(b.b.Keys(), s) }) {
				out[[2]string{a.name, b.name}] = true
			}
		}
	}
	return out
}

// bind puts the table's keys in place of the defaults of their actions
// (unknown actions and unknown keys are left out: CheckKeys reports them).
func (k *KeyMap) bind(table map[string][]string) {
	for _, a := range k.actions() {
		keys, ok := table[a.name]
		if !ok {
			continue
		}
		var ks, names []string
		for _, s := range keys {
			if validKey(s) {
				ks = append(ks, keyString(s))
				names = append(names, keyName(keyString(s)))
			}
		}
		if len(ks) == 0 {
			continue
		}
		*a.b = key.NewBinding(key.WithKeys(ks...), key.WithHelp(strings.Join(names, "/"), a.b.Help().Desc))
	}
}

// KeyMapFor is the default key map with a [keys] table's bindings in place.
func KeyMapFor(table map[string][]string) KeyMap {
	k := DefaultKeyMap()
	k.bind(table)
	return k
}

// keyOf is the first key of b, as the help writes it: what a status
// message names for the action, so that it names the key in force.
func keyOf(b key.Binding) string {
	if ks := b.Keys(); len(ks) > 0 {
		return keyName(ks[0])
	}
	return "?"
}

// keyString is a dotfile key as bubbletea names it ("space" is " ").
func keyString(s string) string {
	switch s {
	case "space":
		return " "
	case "pgdn":
		return "pgdown"
	}
	return s
}

// keyName is a key as the dotfile and the help write it.
func keyName(s string) string {
	if s == " " {
		return "space"
	}
	return s
}

// namedKeys are the keys written by name.
var namedKeys = map[string]bool{
	"enter": true, "esc": true, "tab": true, "shift+tab": true, "space": true, "backspace": true,
	"delete": true, "insert": true, "up": true, "down": true, "left": true, "right": true,
	"home": true, "end": true, "pgup": true, "pgdown": true, "pgdn": true,
	"shift+up": true, "shift+down": true, "shift+left": true, "shift+right": true,
	"f1": true, "f2": true, "f3": true, "f4": true, "f5": true, "f6": true, "f7": true, "f8": true,
	"f9": true, "f10": true, "f11": true, "f12": true,
}

// validKey reports whether s is a key bubbletea reports: a printable
// character, a named key, ctrl+ a letter, or alt+ any of those.
func validKey(s string) bool {
	if rest, ok := strings.CutPrefix(s, "alt+"); ok {
		return rest != "" && validKey(rest)
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z'
	}
	if namedKeys[s] {
		return true
	}
	r, n := utf8.DecodeRuneInString(s)
	return n == len(s) && n > 0 && r > ' ' && r != utf8.RuneError && r != 0x7f
}

func sortedNames(table map[string][]string) []string {
	return slices.Sorted(maps.Keys(table))
}
