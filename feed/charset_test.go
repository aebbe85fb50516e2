package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// utf16LEBytes encodes s as UTF-16 little-endian.
func utf16LEBytes(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestToUTF8(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="%s"?><rss><channel><title>%s</title></channel></rss>`
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
		wantText    string // must appear in the output
	}{
		{"plain UTF-8", []byte("<rss>Grüße</rss>"), "", "utf-8", "Grüße"},
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, "<rss>ü</rss>"...), "text/xml; charset=iso-8859-1", "utf-8", "<rss>ü"},
		{"UTF-16LE BOM beats the HTTP charset", append([]byte{0xFF, 0xFE}, utf16LEBytes("<rss>Köln</rss>")...), "text/xml; charset=utf-8", "utf-16le", "<rss>Köln"},
		{"UTF-16LE without BOM", utf16LEBytes(`<?xml version="1.0" encoding="utf-16"?><rss>Köln</rss>`), "", "utf-16le", "Köln"},
		{"UTF-32BE BOM", []byte{0, 0, 0xFE, 0xFF, 0, 0, 0, '<', 0, 0, 0, 'a', 0, 0, 0, '>'}, "", "utf-32be", "<a>"},
		{"UTF-32LE without BOM", []byte{'<', 0, 0, 0, 'a', 0, 0, 0, '>', 0, 0, 0}, "", "utf-32le", "<a>"},
		{"HTTP charset beats the prolog", []byte(strings.Replace(doc, "%s", "utf-8", 1)[:40] + "\xcf\xf0\xe8\xe2\xe5\xf2"), "application/rss+xml; charset=windows-1251", "windows-1251", "Привет"},
		{"quoted HTTP charset", []byte("<rss>\xcf\xf0\xe8\xe2\xe5\xf2</rss>"), "text/xml;charset= 'windows-1251'", "windows-1251", "Привет"},
		{"prolog KOI8-R", []byte(`<?xml version="1.0" encoding="KOI8-R"?><rss>` + "\xf0\xd2\xc9\xcd\xc5\xd2" + `</rss>`), "", "koi8-r", "Пример"},
		{"prolog in single quotes", []byte(`<?xml version='1.0' encoding='big5'?><rss>` + "\xa4\xa4\xa4\xe5" + `</rss>`), "", "big5", "中文"},
		{"euc-kr", []byte(`<?xml version="1.0" encoding="euc-kr"?><rss>` + "\xb3\xe2" + `</rss>`), "", "euc-kr", "년"},
		{"gb2312 is read as GBK", []byte(`<?xml version="1.0" encoding="gb2312"?><rss>` + "\xd6\xd0\xce\xc4" + `</rss>`), "", "gbk", "中文"},
		{"ISO-8859-1 is read as windows-1252", []byte(`<?xml version="1.0" encoding="iso-8859-1"?><rss>` + "\x93caf\xe9\x94" + `</rss>`), "", "windows-1252", "“café”"},
		{"legacy label on UTF-8 bytes", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss>Café</rss>`), "", "utf-8", "Café"},
		{"us-ascii on UTF-8 bytes", []byte(`<rss>Café</rss>`), "text/xml; charset=us-ascii", "utf-8", "Café"},
		{"UTF-8 declared, Latin-1 bytes, prolog right", []byte(`<?xml version="1.0" encoding="iso-8859-1"?><rss>caf` + "\xe9" + `</rss>`), "text/xml; charset=utf-8", "windows-1252", "café"},
		{"UTF-8 with a stray Latin-1 byte", []byte("<rss>Grüße, Espa\xf1a</rss>"), "", "utf-8", "Grüße, España"},
		{"unknown label ignored", []byte(`<?xml version="1.0" encoding="bogus"?><rss>Café</rss>`), "", "utf-8", "Café"},
		{"wide label on 8-bit bytes ignored", []byte(`<?xml version="1.0" encoding="utf-16"?><rss>Café</rss>`), "", "utf-8", "Café"},
		{"bogus HTTP parameter ignored", []byte(`<rss>Café</rss>`), "text/xml; charset:iso-8859-1", "utf-8", "Café"},
		{"undeclared Latin-1", []byte("<rss><title>A\xe7\xe3o e rea\xe7\xe3o no Congresso Nacional</title></rss>"), "", "windows-1252", "Ação e reação"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, charset := toUTF8(tt.body, tt.contentType)
			if charset != tt.wantCharset {
				t.Errorf("charset = %q, want %q", charset, tt.wantCharset)
			}
			if !strings.Contains(string(out), tt.wantText) {
				t.Errorf("toUTF8 = %q, want it to contain %q", out, tt.wantText)
			}
		})
	}
}

func TestHTTPCharset(t *testing.T) {
	tests := map[string]string{
		"":                                      "",
		"text/xml":                              "",
		"text/xml; charset=UTF-8":               "UTF-8",
		"application/atom+xml;charset='gb2312'": "gb2312",
		`text/xml;charset= "us-ascii"`:          "us-ascii",
		"text/xml;charset = us-ascii":           "us-ascii",
		"text/xml; qs=0.9":                      "",
		"text/xml; charset:iso-8859-1":          "",
	}
	for ct, want := range tests {
		if got := httpCharset(ct); got != want {
			t.Errorf("httpCharset(%q) = %q, want %q", ct, got, want)
		}
	}
}

func TestRepairText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"CafÃ©", "Café"},
		{"Itâ€™s", "It’s"},
		{"wait\u00e2\u0080\u00a6", "wait…"}, // the ISO-8859-1 reading
		{"don\u0092t", "don’t"},
		{"\u0080100", "€100"},
		{"Fuß… „Grüße“", "Fuß… „Grüße“"}, // real text stays
		{"NÃO", "NÃO"},
		{"â la carte", "â la carte"},
		{"CSI \u009b31m kept for CleanText", "CSI \u009b31m kept for CleanText"},
		{"OSC \u009d0;x kept", "OSC \u009d0;x kept"},
		// A control string is left whole, terminator and all, for CleanText.
		{"A \u009d0;T\u009c after ST", "A \u009d0;T\u009c after ST"},
		{"\u0090CafÃ©\u009cCafÃ©", "\u0090CafÃ©\u009cCafé"},
		{"SOS \u0098x\u009c, PM \u009ey\a, APC \u009fz\x1b\\ don\u0092t", "SOS \u0098x\u009c, PM \u009ey\a, APC \u009fz\x1b\\ don’t"},
		// Without a terminator, SOS, PM and APC are windows-1252 mojibake.
		{"\u009eaba, \u0098, \u009fles", "žaba, ˜, Ÿles"},
	}
	for _, tt := range tests {
		if got := repairText(tt.in); got != tt.want {
			t.Errorf("repairText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestXMLSafe(t *testing.T) {
	esc := string(rune(controlStandIn + 0x1b))
	tests := []struct{ in, want string }{
		{"<a>clean</a>", "<a>clean</a>"},
		{"<a>\x1b[2J</a>", "<a>" + esc + "[2J</a>"},
		{"<a>&#27;[2J&#x1B;</a>", "<a>" + esc + "[2J" + esc + "</a>"},
		{"<a>&#0;&#xFFFE;&#xD800;&#1114112;\uFFFF</a>", "<a>" + string(rune(controlStandIn)) + "</a>"},
		{"<a>&#9;&#10;&#233;&amp;#27;&#x;</a>", "<a>&#9;&#10;&#233;&amp;#27;&#x;</a>"},
		{"<a>&#128;&#x9D;&#156;&#155;</a>", "<a>\u0080\u009d\u009c&#155;</a>"},
	}
	for _, tt := range tests {
		got := string(xmlSafe([]byte(tt.in)))
		if got != tt.want {
			t.Errorf("xmlSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := restoreControls(got); strings.ContainsRune(back, controlStandIn+0x1b) {
			t.Errorf("restoreControls(%q) = %q still holds a stand-in", got, back)
		}
	}
}

// TestParseCorpusEncodings checks that feeds of the corpus in legacy and
// wide encodings come out as the right words, not mojibake.
func TestParseCorpusEncodings(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		file, contentType string
		want              []string // in the feed title or an item title or text
	}{
		{"miniflux/internal/reader/parser/testdata/encoding_WINDOWS-1251.xml", "", []string{"Цитата", "программер"}},
		{"miniflux/internal/reader/encoding/testdata/koi8r.xml", "", []string{"Пример RSS ленты", "Первая новость"}},
		{"miniflux/internal/reader/xml/testdata/koi8r.xml", "application/rss+xml", []string{"Пример RSS ленты"}},
		{"miniflux/internal/reader/encoding/testdata/utf8-incorrect-prolog.xml", "", []string{"테스트 피드", "Café"}},
		{"miniflux/internal/reader/encoding/testdata/windows-1252-incorrect-prolog.xml", "", []string{"Euro €"}},
		{"miniflux/internal/reader/encoding/testdata/windows-1252.xml", "", []string{"Euro €"}},
		{"miniflux/internal/reader/encoding/testdata/iso-8859-1.xml", "", []string{"Café"}},
		{"miniflux/internal/reader/encoding/testdata/invalid-prolog.xml", "", []string{"Café"}},
		{"miniflux/internal/reader/parser/testdata/no_encoding_ISO-8859-1.xml", "", []string{"Françoise Dolto", "« Dolto reste authentiquement subversive »"}},
		{"miniflux/internal/reader/parser/testdata/encoding_ISO-8859-1.xml", "", []string{"wünschen"}},
		{"RSParser/Tests/RSParserTests/Resources/kc0011.rss", "", []string{"投资资讯网交易在线", "建国35周年纪念"}},
		{"RSParser/Tests/RSParserTests/Resources/donthitsave.xml", "", []string{"Don't Hit Save"}},
		{"rss-parser/test/input/uolNoticias.rss", "", []string{"simulações de 2º turno", "Líder na pesquisa", "intenção"}},
		{"feed-rs/feed-rs/fixture/rss1/rss_1.0_iso8859.xml", "", []string{"Glasfaserförderung"}},
		{"feedparser/tests/encoding/euc-kr.xml", "", []string{"년"}},
		{"feedparser/tests/encoding/euc-kr-item.xml", "", []string{"년"}},
		{"feedparser/tests/encoding/http_text_xml_charset_2.xml", "text/xml; charset=windows-1252", []string{"This is a £“test.”"}},
		{"feedparser/tests/encoding/http_text_xml_charset_overrides_encoding_2.xml", "text/xml; charset=windows-1252", []string{"This is a £“test.”"}},
		{"feedparser/tests/encoding/bozo_http_i18n.xml", "text/xml", []string{"Iñtërnâtiônàlizætiøn"}},
		{"feedparser/tests/encoding/http_i18n.xml", "application/xml", []string{"Iñtërnâtiônàlizætiøn"}},
		{"feedparser/tests/encoding/demoronize-1.xml", "", []string{"don’t"}},
		{"feedparser/tests/encoding/demoronize-2.xml", "", []string{"don’t"}},
		{"feedparser/tests/encoding/double-encoded-html.xml", "", []string{"…"}},
		{"feedparser/tests/encoding/bozo_invalid-bytes-with-bom.xml", "", []string{"Ѩ", "España"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(body, tt.contentType, "https://feeds.example.com/")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			all := []string{f.Title, f.Description}
			for _, it := range f.Items {
				all = append(all, it.Title, it.Body.Text)
			}
			text := strings.Join(all, "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q not found in %q", w, truncate(text, 300))
				}
			}
			if strings.ContainsRune(text, '\uFFFD') {
				t.Errorf("U+FFFD in %q", truncate(text, 300))
			}
		})
	}
}

// TestParseWideEncodings parses every UTF-16 and UTF-32 case of feedparser.
func TestParseWideEncodings(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "feedparser", "tests", "encoding")
	for _, name := range []string{"u16.xml", "utf16.xml", "utf_16.xml", "utf_32.xml",
		"utf-16be.xml", "utf-16be-bom.xml", "utf-16be-autodetect.xml",
		"utf-16le.xml", "utf-16le-bom.xml", "utf-16le-autodetect.xml",
		"utf-32be.xml", "utf-32be-bom.xml", "utf-32be-autodetect.xml",
		"utf-32le.xml", "utf-32le-bom.xml", "utf-32le-autodetect.xml", "big5.xml"} {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(body, "", ""); err != nil {
				t.Errorf("Parse: %v", err)
			}
		})
	}
}

// encodeIn encodes s in enc, failing the test for characters enc lacks.
func encodeIn(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

// TestGuessCharset checks the guess for feeds that declare no charset (or
// UTF-8, wrongly) and are not UTF-8: Cyrillic, Greek and CJK text comes out
// right even from a few words, where the detector alone is unsure, and
// Western text stays windows-1252.
func TestGuessCharset(t *testing.T) {
	tests := []struct {
		enc  encoding.Encoding
		text string
		want string // the charset name toUTF8 reports
	}{
		{charmap.Windows1251, "Лента", "windows-1251"},
		{charmap.Windows1251, "Новости дня", "windows-1251"},
		{charmap.Windows1251, "НОВОСТИ ДНЯ", "windows-1251"},
		{charmap.Windows1251, "Читайте також: Україна і Європа — «нові» події", "windows-1251"},
		{charmap.KOI8R, "Лента", "koi8-r"},
		{charmap.KOI8R, "Новости дня", "koi8-r"},
		{charmap.KOI8R, "НОВОСТИ ДНЯ", "koi8-r"},
		{charmap.ISO8859_5, "Новости дня и прочее", "iso-8859-5"},
		{charmap.ISO8859_7, "Ειδήσεις της ημέρας", "iso-8859-7"},
		{japanese.ShiftJIS, "ニュースの見出し 日本語", "shift_jis"},
		{japanese.EUCJP, "ニュースの見出し 日本語", "euc-jp"},
		{charmap.Windows1252, "Ação e reação no Congresso Nacional", "windows-1252"},
		{charmap.Windows1252, "Françoise Dolto « reste authentiquement subversive » à l'été", "windows-1252"},
		{charmap.Windows1252, "Grüße aus Köln, schöne Straße", "windows-1252"},
		{charmap.Windows1252, "Þýðing á íslensku: Ég þýði", "windows-1252"},
		{charmap.Windows1252, "Año Niño España", "windows-1252"},
		// A few CJK words the detector cannot tell apart: the fallback
		// stays (random Han characters would be no better than mojibake).
		{simplifiedchinese.GBK, "新闻标题 中文内容", "windows-1252"},
		{korean.EUCKR, "뉴스 제목 한국어", "windows-1252"},
	}
	for _, tt := range tests {
		doc := encodeIn(t, tt.enc, `<?xml version="1.0"?><rss><channel><title>`+tt.text+`</title></channel></rss>`)
		for _, ct := range []string{"", "application/rss+xml", "text/xml; charset=utf-8"} {
			t.Run(tt.text+"/"+ct, func(t *testing.T) {
				out, name := toUTF8(doc, ct)
				if name != tt.want {
					t.Errorf("charset = %q, want %q", name, tt.want)
				}
				if tt.want != "windows-1252" || tt.enc == charmap.Windows1252 {
					if !strings.Contains(string(out), "<title>"+tt.text+"</title>") {
						t.Errorf("toUTF8 = %q, want it to hold %q", out, tt.text)
					}
				}
			})
		}
	}
}

// TestParseUndeclaredCyrillic checks whole feeds in windows-1251 and KOI8-R
// without a declared charset, or with a wrong one in the HTTP header.
func TestParseUndeclaredCyrillic(t *testing.T) {
	const doc = `<?xml version="1.0"?><rss><channel><title>Лента</title><item><title>Новости дня</title>` +
		`<description>Правительство утвердило бюджет</description></item></channel></rss>`
	for _, enc := range []encoding.Encoding{charmap.Windows1251, charmap.KOI8R} {
		body := encodeIn(t, enc, doc)
		for _, ct := range []string{"", "text/xml", "application/rss+xml; charset=utf-8", "text/xml; charset=UTF-8"} {
			f, err := parseAt(body, ct, "", testNow)
			if err != nil {
				t.Fatalf("%v %q: %v", enc, ct, err)
			}
			if f.Title != "Лента" || len(f.Items) != 1 || f.Items[0].Title != "Новости дня" ||
				f.Items[0].Body.Text != "Правительство утвердило бюджет" {
				t.Errorf("%v %q: got %q / %+v, want Лента / Новости дня", enc, ct, f.Title, f.Items)
			}
		}
	}
}

func TestScriptStats(t *testing.T) {
	tests := []struct {
		text      string
		plausible bool
	}{
		{"Новости дня", true},
		{"НОВОСТИ ДНЯ", true},
		{"Лента, «новости» — 2024", true},
		{"мЕНТА нОВОСТИ", false},        // windows-1251 read as KOI8-R
		{"Aзгo e reaзгo", false},        // Portuguese read as windows-1251
		{"РВОЕ±кМв ЦРОДДЪИЭ", false},    // GBK read as windows-1251
		{"█╝╒╝АБ╗ ╓╜О ╗ ╞Ю╝Г╔╔", false}, // CP866 read as KOI8-R
		{"Ação e reação", false},        // Latin
		{"ニュースの見出し", true},
		{"Ειδήσεις της ημέρας", true},
		{"x", false},
	}
	for _, tt := range tests {
		if got := scriptStats([]byte(tt.text)).plausible(); got != tt.plausible {
			t.Errorf("scriptStats(%q).plausible() = %v, want %v", tt.text, got, tt.plausible)
		}
	}
}

func TestLongHighRuns(t *testing.T) {
	tests := map[string]bool{
		"plain ASCII":                               false,
		"A\xe7\xe3o e rea\xe7\xe3o":                 false, // Ação e reação
		"\xcb\xe5\xed\xf2\xe0":                      true,  // Лента in windows-1251
		"\xcd\xee\xe2\xee\xf1\xf2\xe8 \xe4\xed\xff": true,
		"caf\xe9 \xcb\xe5\xed\xf2\xe0 na\xefve":     true,
		"\xe9\xe9\xe9 \xe9 \xe9 \xe9 \xe9":          false,
	}
	for in, want := range tests {
		if got := longHighRuns([]byte(in)); got != want {
			t.Errorf("longHighRuns(%q) = %v, want %v", in, got, want)
		}
	}
}
