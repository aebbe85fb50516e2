// Package dotfile edits brief's TOML dotfile as text, the way a careful person
// would with an editor: it finds, appends and removes whole [[feed]] blocks
// and leaves every other byte alone (comments, order, spacing, quoting), so the
// file is never re-serialised. It knows just enough TOML to find table headers
// (strings, multi-line strings, comments and multi-line arrays are skipped
// over); deciding whether the result is a valid dotfile is left to the
// caller's loader. Writes are atomic and keep the previous version as .bak.
package dotfile

import (
	"bytes"
	"fmt"
	"strings"
)

// Block is one [[feed]] table of a dotfile, as byte offsets into it.
type Block struct {
	Start      int // first byte of the [[feed]] header line
	End        int // just past the newline of the block's last key line (or the end of the file)
	HeaderLine int // 1-based line number of the header
}

// line is one line of the dotfile and what the scanner learned about it.
type line struct {
	start, end int    // [start, end) without the newline; next line starts at end+1
	header     string // "[[feed]]"-style header with spaces removed, or ""
	comment    bool   // only a comment
	blank      bool   // only white space
}

// scan splits data into lines and marks table headers, skipping over
// strings, multi-line strings, comments and values spanning lines.
func scan(data []byte) []line {
	var lines []line
	var (
		inMulti string // `"""` or `'''` while inside a multi-line string
		depth   int    // open [ and { of a value
	)
	for pos := 0; pos <= len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos
		}
		if pos == len(data) {
			break
		}
		l := line{start: pos, end: end}
		text := string(data[pos:end])
		trimmed := strings.TrimSpace(text)
		switch {
		case inMulti != "":
			inMulti, depth = scanValue(text, inMulti, depth)
		case trimmed == "":
			l.blank = true
		case strings.HasPrefix(trimmed, "#"):
			l.comment = true
		case depth == 0 && strings.HasPrefix(trimmed, "["):
			h := trimmed
			if i := strings.Index(h, "#"); i >= 0 {
				h = h[:i]
			}
			l.header = strings.Join(strings.Fields(h), "")
		default:
			inMulti, depth = scanValue(text, "", depth)
		}
		lines = append(lines, l)
		pos = end + 1
	}
	return lines
}

// scanValue follows one line of key/value text from the state (inside a
// multi-line string or not, bracket depth) it starts in and returns the
// state it ends in.
func scanValue(s, inMulti string, depth int) (string, int) {
	for i := 0; i < len(s); i++ {
		if inMulti != "" {
			j := strings.Index(s[i:], inMulti)
			if j < 0 {
				return inMulti, depth
			}
			if inMulti == `"""` && escaped(s, i+j) {
				i += j // an escaped quote: keep looking after it
				continue
			}
			i += j + len(inMulti) - 1
			inMulti = ""
			continue
		}
		switch c := s[i]; c {
		case '#':
			return "", depth
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '"', '\'':
			q := string(c)
			if strings.HasPrefix(s[i:], q+q+q) {
				inMulti = q + q + q
				i += 2
				continue
			}
			for i++; i < len(s); i++ {
				if c == '"' && s[i] == '\\' {
					i++
					continue
				}
				if s[i] == c {
					break
				}
			}
		}
	}
	return inMulti, depth
}

// escaped reports whether the byte at i is preceded by an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for i--; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// FeedBlocks returns the [[feed]] blocks of data in file order. A block runs
// from its header through its last key line, comments between its keys
// included. Comments above the header or after the last key are left to the
// file: they may be about a whole section, and brief never drops a comment
// it cannot be sure belongs to the feed.
func FeedBlocks(data []byte) []Block {
	lines := scan(data)
	var blocks []Block
	for i, l := range lines {
		if l.header != "[[feed]]" {
			continue
		}
		b := Block{Start: l.start, HeaderLine: i + 1}
		last := i
		for j := i + 1; j < len(lines) && lines[j].header == ""; j++ {
			if !lines[j].blank && !lines[j].comment {
				last = j
			}
		}
		b.End = min(lines[last].end+1, len(data))
		blocks = append(blocks, b)
	}
	return blocks
}

// Remove returns data without block b, and without the blank line that
// separated it from its neighbours.
func Remove(data []byte, b Block) []byte {
	before, after := data[:b.Start], data[b.End:]
	if len(bytes.TrimSpace(after)) == 0 {
		// The last block: drop the blank lines that led to it.
		out := bytes.TrimRight(bytes.Clone(before), " \t\r\n")
		if len(out) > 0 {
			out = append(out, '\n')
		}
		return out
	}
	if len(before) == 0 || bytes.HasSuffix(before, []byte("\n\n")) || bytes.HasSuffix(before, []byte("\n\r\n")) {
		after = trimBlankLine(after)
	}
	out := make([]byte, 0, len(before)+len(after))
	return append(append(out, before...), after...)
}

// trimBlankLine drops one leading blank line of b.
func trimBlankLine(b []byte) []byte {
	i := bytes.IndexByte(b, '\n')
	if i >= 0 && len(bytes.TrimSpace(b[:i])) == 0 {
		return b[i+1:]
	}
	return b
}

// Feed is a [[feed]] block to write.
type Feed struct {
	URL   string
	Title string
	Tags  []string
}

// Text returns f as a [[feed]] block, ending with a newline.
func (f Feed) Text() string {
	var b strings.Builder
	b.WriteString("[[feed]]\nurl = ")
	b.WriteString(Quote(f.URL))
	b.WriteByte('\n')
	if f.Title != "" {
		b.WriteString("title = ")
		b.WriteString(Quote(f.Title))
		b.WriteByte('\n')
	}
	if len(f.Tags) > 0 {
		b.WriteString("tags = [")
		for i, t := range f.Tags {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Quote(t))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// Append returns data with feeds added as [[feed]] blocks right after the
// last existing one (at the end of the file when there is none), each set
// off by a blank line. The rest of data is unchanged.
func Append(data []byte, feeds ...Feed) []byte {
	if len(feeds) == 0 {
		return bytes.Clone(data)
	}
	var add strings.Builder
	for _, f := range feeds {
		add.WriteByte('\n')
		add.WriteString(f.Text())
	}
	at := len(data)
	if bl := FeedBlocks(data); len(bl) > 0 {
		at = bl[len(bl)-1].End
	}
	before, after := data[:at], data[at:]
	out := make([]byte, 0, len(data)+add.Len()+2)
	out = append(out, before...)
	if len(before) > 0 && !bytes.HasSuffix(before, []byte("\n")) {
		out = append(out, '\n')
	}
	text := add.String()
	if bytes.Contains(data, []byte("\r\n")) {
		text = strings.ReplaceAll(text, "\n", "\r\n") // keep a Windows file's line ends
	}
	if len(bytes.TrimSpace(before)) == 0 || bytes.HasSuffix(before, []byte("\n\n")) || bytes.HasSuffix(before, []byte("\n\r\n")) {
		text = strings.TrimPrefix(strings.TrimPrefix(text, "\r"), "\n") // no blank line at the top, nor a second one
	}
	out = append(out, text...)
	if len(after) > 0 && !bytes.HasPrefix(bytes.TrimLeft(after, " \t\r"), []byte("\n")) {
		out = append(out, '\n') // keep what followed set off by a blank line
	}
	return append(out, after...)
}

// Quote writes s as a TOML basic string.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
