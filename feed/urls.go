package feed

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// ErrUnsafeURL is matched (with errors.Is) by every error CheckURL returns.
var ErrUnsafeURL = errors.New("feed: unsafe URL")

// unsafeURLError is an error of CheckURL: its message says why the URL was
// refused, and it matches ErrUnsafeURL.
type unsafeURLError struct {
	msg string
	err error // the parse error, if any
}

func (e *unsafeURLError) Error() string        { return e.msg }
func (e *unsafeURLError) Unwrap() error        { return e.err }
func (e *unsafeURLError) Is(target error) bool { return target == ErrUnsafeURL }

// refuse returns an unsafeURLError with a formatted message.
func refuse(err error, format string, args ...any) error {
	return &unsafeURLError{msg: fmt.Sprintf(format, args...), err: err}
}

// maxURLLength bounds the URLs brief accepts; longer ones are refused.
const maxURLLength = 8 << 10

// CheckURL decides whether raw may be opened, fetched or followed. It accepts
// only absolute http and https URLs with a host, and refuses URLs that
// contain control characters, white space, bidirectional or zero-width
// characters or invalid UTF-8 (surrounding white space is trimmed first;
// percent-encoded bytes such as %0A are fine, they stay encoded). It returns
// the URL with its scheme and host in lower case, or an error that matches
// ErrUnsafeURL (with errors.Is) and names the reason, such as
// "feed: refusing javascript: URL: only http and https links are opened".
func CheckURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", refuse(nil, "feed: empty URL")
	}
	if len(s) > maxURLLength {
		return "", refuse(nil, "feed: refusing URL of %d bytes (limit %d)", len(s), maxURLLength)
	}
	if why := badURLChar(s); why != "" {
		return "", refuse(nil, "feed: refusing URL %s: it contains %s", quoteURL(s), why)
	}
	// Browsers read a backslash in an http URL as a slash, Go does not: keep
	// both readings the same by encoding it.
	s = strings.ReplaceAll(s, `\`, "%5C")
	u, err := url.Parse(s)
	if err != nil {
		reason := err
		var ue *url.Error
		if errors.As(err, &ue) {
			reason = ue.Err
		}
		return "", refuse(err, "feed: refusing URL %s: %s", quoteURL(s), CleanText(reason.Error()))
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "":
		return "", refuse(nil, "feed: refusing relative URL %s", quoteURL(s))
	case scheme != "http" && scheme != "https":
		return "", refuse(nil, "feed: refusing %s: URL: only http and https links are opened", CleanText(scheme))
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "", refuse(nil, "feed: refusing URL %s: it has no host", quoteURL(s))
	}
	// url.Parse decodes percent-escapes in the host: "x%C2%9B31m" would
	// bring back a C1 control. No real host name holds one.
	if why := badURLChar(u.Hostname()); why != "" || strings.ContainsAny(u.Hostname(), "%<>\"{}|^`") {
		if why == "" {
			why = "a character no host name has"
		}
		return "", refuse(nil, "feed: refusing URL %s: its host contains %s", quoteURL(s), why)
	}
	u.Scheme = scheme
	u.Host = strings.ToLower(u.Host)
	if host := u.Hostname(); !isASCII(host) && !strings.Contains(host, ":") {
		// The same canonical URL for the browser, reader mode and OSC 8:
		// an internationalised name in its ASCII form.
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", refuse(err, "feed: refusing URL %s: its host is not a valid name", quoteURL(s))
		}
		if port := u.Port(); port != "" {
			ascii += ":" + port
		}
		u.Host = ascii
	}
	return u.String(), nil
}

// badURLChar names the first character of s that has no place in a URL, or
// returns "" when there is none.
func badURLChar(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			return "invalid UTF-8"
		case r == '\n' || r == '\r':
			return "a line break"
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			return "a control character"
		case unicode.IsSpace(r):
			return "white space"
		case isInvisible(r):
			return "an invisible or bidirectional character"
		}
	}
	return ""
}

// quoteURL returns s quoted for an error message: escaped, and shortened when
// it is long.
func quoteURL(s string) string {
	const max = 200
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// NormalizeURL returns the form of raw used to decide whether two links point
// at the same article: http and https are the same, the host is lower case
// (and in its ASCII form) without a leading "www." or a default port, the
// user information, the fragment (unless it is a "#!" route) and a trailing
// slash are dropped, dot segments are resolved, percent escapes are
// normalised, tracking parameters (utm_*, fbclid, gclid, …) are removed and
// the remaining query parameters are sorted. It returns "" when raw is not an
// absolute http or https URL.
func NormalizeURL(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxURLLength || badURLChar(s) != "" {
		return ""
	}
	u, err := url.Parse(strings.ReplaceAll(s, `\`, "%5C"))
	if err != nil {
		return ""
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" || u.Opaque != "" {
		return ""
	}
	host := normalizeHost(u.Hostname())
	if host == "" {
		return ""
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	p := removeDotSegments(normalizeEscapes(u.EscapedPath()))
	p = strings.TrimRight(p, "/")
	var b strings.Builder
	b.WriteString("https://")
	b.WriteString(host)
	b.WriteString(p)
	if q := normalizeQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	if strings.HasPrefix(u.EscapedFragment(), "!") {
		b.WriteByte('#')
		b.WriteString(normalizeEscapes(u.EscapedFragment()))
	}
	return b.String()
}

// normalizeHost lowercases host, converts an internationalised name to its
// ASCII form and drops a trailing dot and a leading "www."; IP addresses are
// written in their canonical form. It returns "" for a host that is not a
// valid name or address.
func normalizeHost(host string) string {
	host = strings.ToLower(host)
	if strings.Contains(host, ":") { // IPv6 literal; Hostname dropped the brackets
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return ""
		}
		return "[" + ip.String() + "]"
	}
	host = strings.TrimSuffix(host, ".")
	if !isASCII(host) {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return ""
		}
		host = ascii
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || strings.ContainsFunc(label, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) {
			return ""
		}
	}
	if rest, ok := strings.CutPrefix(host, "www."); ok && strings.Contains(rest, ".") {
		host = rest
	}
	return host
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// removeDotSegments resolves the "." and ".." segments of an absolute path,
// as RFC 3986 section 5.2.4 says.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	var out []string
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		switch seg {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return strings.Join(out, "/")
}

// normalizeEscapes writes percent escapes in upper case and decodes the ones
// that stand for unreserved characters (letters, digits, "-", ".", "_", "~").
func normalizeEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			b.WriteByte(s[i])
			continue
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(s[i+1 : i+3]))
		}
		i += 2
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// trackingParams are query parameters that only track where a click came from
// and never change which article a URL names. Parameters starting with
// "utm_" are dropped as well.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "mc_cid": true, "mc_eid": true, "mkt_tok": true,
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true,
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true, "__hsfp": true,
	"hsctatracking": true, "oly_anon_id": true, "oly_enc_id": true, "rb_clickid": true, "s_cid": true,
	"vero_conv": true, "vero_id": true, "wickedid": true, "spm": true, "scid": true, "xtor": true,
	"ncid": true, "sr_share": true, "cmpid": true, "ito": true, "at_medium": true, "at_campaign": true,
	"at_source": true, "at_content": true, "at_term": true, "ocid": true, "smid": true, "ga_source": true,
	"ga_medium": true, "ga_campaign": true, "ga_content": true, "ga_term": true,
}

// isTrackingParam reports whether the query parameter key is only tracking.
func isTrackingParam(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "utm_") || trackingParams[k]
}

// normalizeQuery drops tracking and empty parameters from a raw query,
// normalises the encoding of the rest and sorts it.
func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ k, v string }
	var pairs []pair
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, _ := strings.Cut(part, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		if k == "" || isTrackingParam(k) {
			continue
		}
		pairs = append(pairs, pair{k, v})
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = url.QueryEscape(p.k) + "=" + url.QueryEscape(p.v)
	}
	return strings.Join(parts, "&")
}

// unescapeQuery decodes one query key or value, keeping it as it is when it
// is not validly encoded.
func unescapeQuery(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// parseBase parses the base URL links are resolved against; nil when it is
// not an absolute http(s) URL.
func parseBase(baseURL string) *url.URL {
	checked, err := CheckURL(baseURL)
	if err != nil {
		return nil
	}
	u, err := url.Parse(checked)
	if err != nil {
		return nil
	}
	return u
}

// hostOf returns the host of an absolute URL without a leading "www.", or
// the URL itself when it has none.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return CleanText(rawURL)
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// hrefCleaner removes tabs and line breaks from a link and encodes spaces.
var hrefCleaner = strings.NewReplacer("\t", "", "\n", "", "\r", "", " ", "%20")

// resolveLink resolves href against base and checks it; it returns "" for
// links that are not followable http(s) URLs, including links within the
// page ("#note-1"). As browsers do, tabs and line breaks inside href are
// removed and spaces are percent-encoded before the URL is checked.
func resolveLink(href string, base *url.URL) string {
	href = strings.TrimSpace(href)
	href = hrefCleaner.Replace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		ref = base.ResolveReference(ref)
	}
	checked, err := CheckURL(ref.String())
	if err != nil {
		return ""
	}
	return checked
}

// resolveRef resolves ref against base (which may be nil).
func resolveRef(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, errors.New("empty reference")
	}
	u, err := url.Parse(strings.ReplaceAll(ref, " ", "%20"))
	if err != nil {
		return nil, err
	}
	if base == nil {
		return u, nil
	}
	return base.ResolveReference(u), nil
}
