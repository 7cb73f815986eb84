package runbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// splitInfo splits a fenced block's info string into its language word and the rest
// (the attributes): "sh { risk=risky }" gives "sh" and "{ risk=risky }". The word ends
// at a space or at "{", so "sh{risk=risky}" splits the same way.
func splitInfo(info string) (lang, rest string) {
	info = strings.TrimSpace(info)
	i := strings.IndexAny(info, " \t{")
	if i < 0 {
		return info, ""
	}
	return info[:i], strings.TrimSpace(info[i:])
}

// ParseAttrs parses fenced-block attributes in Runme's syntax, so Runme notebooks open
// unchanged. Two forms are accepted:
//
//	{ name=restart risk=risky timeout=2m confirm="Restart it?" cwd='my dir' }
//	{"name":"restart","interactive":true}
//
// In the first form a value is a bare word, or quoted with " (where \" and \\ are
// escapes) or ' (taken literally). In the JSON form a value that is not a string
// becomes its JSON text ("true", "2"), and null becomes "". An empty string has no attributes. The map is
// never nil, even on error.
func ParseAttrs(s string) (map[string]string, error) {
	attrs := map[string]string{}
	s = strings.TrimSpace(s)
	if s == "" {
		return attrs, nil
	}
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") || len(s) < 2 {
		return attrs, fmt.Errorf("attributes %q are not wrapped in { }", s)
	}
	inner := strings.TrimSpace(s[1 : len(s)-1])
	if strings.HasPrefix(inner, `"`) {
		return parseJSONAttrs(s, attrs)
	}
	return parseWordAttrs(inner, attrs)
}

// parseJSONAttrs reads the JSON form.
func parseJSONAttrs(s string, attrs map[string]string) (map[string]string, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return attrs, fmt.Errorf("attributes are not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return attrs, errors.New("attributes have text after the JSON object")
	}
	for k, v := range raw {
		if err := checkAttrKey(k); err != nil {
			return map[string]string{}, err
		}
		var str string
		if err := json.Unmarshal(v, &str); err == nil {
			attrs[k] = str
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, v); err != nil {
			return map[string]string{}, fmt.Errorf("attribute %q: %w", k, err)
		}
		attrs[k] = compact.String()
	}
	return attrs, nil
}

// parseWordAttrs reads the key=value form (the braces already removed).
func parseWordAttrs(s string, attrs map[string]string) (map[string]string, error) {
	i := 0
	for {
		for i < len(s) && isAttrSpace(s[i]) {
			i++
		}
		if i == len(s) {
			return attrs, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && !isAttrSpace(s[i]) {
			i++
		}
		key := s[start:i]
		if i == len(s) || s[i] != '=' {
			return map[string]string{}, fmt.Errorf("attribute %q has no value: write %s=VALUE", key, key)
		}
		if err := checkAttrKey(key); err != nil {
			return map[string]string{}, err
		}
		i++ // the '='
		value, next, err := readAttrValue(s, i)
		if err != nil {
			return map[string]string{}, fmt.Errorf("attribute %q: %w", key, err)
		}
		if _, dup := attrs[key]; dup {
			return map[string]string{}, fmt.Errorf("attribute %q is set twice", key)
		}
		attrs[key] = value
		i = next
	}
}

// readAttrValue reads one value starting at s[i] and returns it with the index just
// after it.
func readAttrValue(s string, i int) (string, int, error) {
	if i == len(s) || isAttrSpace(s[i]) {
		return "", i, nil // key= is an empty value
	}
	quote := s[i]
	if quote != '"' && quote != '\'' {
		start := i
		for i < len(s) && !isAttrSpace(s[i]) {
			i++
		}
		return s[start:i], i, nil
	}
	var b strings.Builder
	for i++; i < len(s); i++ {
		c := s[i]
		switch {
		case c == quote:
			if i+1 < len(s) && !isAttrSpace(s[i+1]) {
				return "", i, fmt.Errorf("text right after the closing %c", quote)
			}
			return b.String(), i + 1, nil
		case c == '\\' && quote == '"' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return "", i, fmt.Errorf("the %c quote is not closed", quote)
}

// checkAttrKey accepts the keys Runme and dynodoc use: a letter or _, then letters,
// digits, _, - or '.'.
func checkAttrKey(k string) error {
	if k == "" {
		return errors.New("an attribute has no name before =")
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if letter || i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.') {
			continue
		}
		return fmt.Errorf("attribute name %q is not valid (use letters, digits, _, - and .)", k)
	}
	return nil
}

func isAttrSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
