package feed

// DecodeText returns a document in any character encoding as valid UTF-8
// without a byte-order mark, decided the way Parse decides for feeds (a
// byte-order mark, then the XML prolog, then a guess). Other readers of
// untrusted XML, such as OPML import, use it so they read encodings the
// same way.
func DecodeText(body []byte) []byte {
	text, _ := toUTF8(body, "")
	return text
}
