package journal

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Masked replaces a secret in masked text.
const Masked = "••••"

// minSecret is the shortest value worth masking: shorter values (ports, "1", "on",
// "web") would mask parts of every line and hide nothing a guess would not find.
const minSecret = 6

// Fragments: a secret printed in part (without its prefix, cut by a column, split
// across lines) still leaks most of it. A run of at least minFragment bytes of a
// token-like secret at least minFragmentSecret long is masked wherever it appears.
// 12 bytes of a random token are 60 to 70 bits: an ordinary line that holds such a run
// by chance does not occur, while 12 bytes is still short enough to catch the tail of a
// 16-byte token printed without its first 4. Secrets longer than maxFragmentSecret
// (a certificate, a blob), and those past maxFragments indexed windows in all, are
// masked whole only: the index stays a few megabytes at worst.
const (
	minFragment       = 12
	minFragmentSecret = 16
	maxFragmentSecret = 4096
	maxFragments      = 1 << 16
)

// A Masker hides secrets in text before it reaches a journal or a screen: the values
// it was given (the API token, config var values) and their long fragments, and the
// shapes secrets take anywhere (passwords in URLs, bearer tokens and Authorization
// headers, KEY=value pairs whose name says secret). It is safe for concurrent use;
// Mask takes no lock.
type Masker struct {
	mu      sync.Mutex // serialises Add and Allow
	secrets []string
	allowed map[string]bool
	known   atomic.Pointer[secretSet] // nil while no secret is known
}

// NewMasker returns a Masker that knows these secrets.
func NewMasker(secrets ...string) *Masker {
	m := &Masker{allowed: map[string]bool{}}
	for _, s := range secrets {
		m.Add(s)
	}
	return m
}

// Add makes m mask every occurrence of secret, unless it is allowed or not worth
// masking (see WorthMasking).
func (m *Masker) Add(secret string) {
	m.AddAll(secret)
}

// AddAll adds many secrets (an app's config var values) and rebuilds the index once.
// A value of several lines (a PEM key) is printed a line at a time, and output is
// masked a line at a time: each of its lines is a secret too.
func (m *Masker) AddAll(secrets ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	added := false
	add := func(secret string) {
		secret = strings.TrimSpace(secret)
		if !WorthMasking(secret) || m.allowed[secret] || slices.Contains(m.secrets, secret) {
			return
		}
		m.secrets = append(m.secrets, secret)
		added = true
	}
	for _, secret := range secrets {
		add(secret)
		if strings.ContainsAny(secret, "\r\n") {
			for _, line := range strings.FieldsFunc(secret, func(r rune) bool { return r == '\n' || r == '\r' }) {
				add(line)
			}
		}
	}
	if added {
		m.rebuild()
	}
}

// WorthMasking reports whether a value is masked when added: one shorter than six
// bytes, a number, a boolean, or lowercase words shorter than twelve bytes (production,
// info, us-east: the values of RACK_ENV, LOG_LEVEL, regions and flags) is not a
// credential, and masking it everywhere would blank ordinary words in every line while
// protecting nothing. Secret-looking pairs (PASSWORD=...) are still masked by shape.
func WorthMasking(v string) bool {
	if len(v) < minSecret {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "enabled", "disabled":
		return false
	}
	number, word := true, len(v) < 12
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' && i == 0) {
			number = false
		}
		if (c < 'a' || c > 'z') && c != '-' && c != '_' {
			word = false
		}
	}
	return !number && !word
}

// Allow marks public values that are never masked even when added as secrets: the
// session's app names, say, which Heroku also keeps in config vars (HEROKU_APP_NAME)
// and which a postmortem must be able to read.
func (m *Masker) Allow(values ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		m.allowed[v] = true
		m.secrets = slices.DeleteFunc(m.secrets, func(s string) bool { return s == v })
	}
	m.rebuild()
}

// rebuild compiles the known secrets. Called with m.mu held.
func (m *Masker) rebuild() {
	if len(m.secrets) == 0 {
		m.known.Store(nil)
		return
	}
	m.known.Store(newSecretSet(m.secrets))
}

// Mask returns s with every secret it knows or recognises replaced by Masked. A nil
// Masker still masks the shapes.
func (m *Masker) Mask(s string) string {
	return maskShapes(m.MaskKnown(s))
}

// MaskKnown masks only the secrets m was given and their fragments, not the shapes:
// what --show-secrets leaves masked on screen (the API token).
func (m *Masker) MaskKnown(s string) string {
	if m != nil {
		if k := m.known.Load(); k != nil {
			s = k.replace(s)
		}
	}
	return s
}

// secretSet finds known secrets, and fragments of the token-like ones, in one pass
// over the text whatever their number: a bitmap of their first two bytes lets nearly
// every position be passed over at once.
type secretSet struct {
	prefixes [1 << 16 / 64]uint64
	byPrefix map[uint16][]string // longest first, so that a secret holding another is masked whole

	// fragments indexes every minFragment-byte window of the token-like secrets by
	// its text; fragPrefixes is the bitmap of the windows' first two bytes.
	fragPrefixes [1 << 16 / 64]uint64
	fragments    map[string][]fragmentAt
}

// fragmentAt is where a window occurs: in which secret, at which offset.
type fragmentAt struct {
	secret string
	off    int
}

func newSecretSet(secrets []string) *secretSet {
	k := &secretSet{byPrefix: map[uint16][]string{}}
	windows := 0
	for _, s := range secrets { // Add keeps secrets at least minSecret long
		p := prefix2(s, 0)
		k.prefixes[p>>6] |= 1 << (p & 63)
		k.byPrefix[p] = append(k.byPrefix[p], s)
		if tokenLike(s) && windows+len(s) <= maxFragments {
			windows += len(s)
			if k.fragments == nil {
				k.fragments = map[string][]fragmentAt{}
			}
			for off := 0; off+minFragment <= len(s); off++ {
				w := s[off : off+minFragment]
				p := prefix2(w, 0)
				k.fragPrefixes[p>>6] |= 1 << (p & 63)
				k.fragments[w] = append(k.fragments[w], fragmentAt{s, off})
			}
		}
	}
	for _, list := range k.byPrefix {
		slices.SortFunc(list, func(a, b string) int { return len(b) - len(a) })
	}
	return k
}

// tokenLike reports whether a secret's fragments are worth masking: long enough, and
// written in the alphabets of tokens (letters, digits, - _ . + / =), not a URL or a
// sentence, whose fragments (".amazonaws.com", "https://shop") are everywhere.
func tokenLike(s string) bool {
	if len(s) < minFragmentSecret || len(s) > maxFragmentSecret {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.+/=", c) >= 0) {
			return false
		}
	}
	return true
}

func prefix2(s string, i int) uint16 { return uint16(s[i])<<8 | uint16(s[i+1]) }

func (k *secretSet) replace(s string) string {
	s = k.replaceWhole(s)
	if k.fragments != nil {
		s = k.replaceFragments(s)
	}
	return s
}

func (k *secretSet) replaceWhole(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+minSecret <= len(s); i++ {
		p := prefix2(s, i)
		if k.prefixes[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		for _, secret := range k.byPrefix[p] {
			if strings.HasPrefix(s[i:], secret) {
				b.WriteString(s[last:i])
				b.WriteString(Masked)
				last = i + len(secret)
				i = last - 1
				break
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceFragments masks each longest run that is a fragment of a token-like secret.
func (k *secretSet) replaceFragments(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+minFragment <= len(s); i++ {
		p := prefix2(s, i)
		if k.fragPrefixes[p>>6]&(1<<(p&63)) == 0 {
			continue
		}
		at, ok := k.fragments[s[i:i+minFragment]]
		if !ok {
			continue
		}
		n := minFragment
		for _, f := range at { // extend the run as far as one secret goes on matching
			l := minFragment
			for i+l < len(s) && f.off+l < len(f.secret) && s[i+l] == f.secret[f.off+l] {
				l++
			}
			n = max(n, l)
		}
		b.WriteString(s[last:i])
		b.WriteString(Masked)
		last = i + n
		i = last - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

var (
	// Authorization: <anything> (Basic, Bearer, a raw token)
	authHeader = regexp.MustCompile(`(?i)(\bauthorization["']?\s*[:=]\s*["']?)([^\s"',;]+(?:\s+[^\s"',;]+)?)`)
	// Bearer <token>
	bearer = regexp.MustCompile(`(?i)(\bbearer\s+)([A-Za-z0-9\-._~+/]+=*)`)
	// The NAME= or NAME: of a pair (quoted or not); secretName decides on the name and
	// maskPairs finds the value, so that a value never hides the next pair's name.
	pairName = regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?`)
)

// maskShapes masks the secret shapes. One scan of the text for hints keeps the
// regular expressions off the lines that cannot match: nearly every line of output.
func maskShapes(s string) string {
	h := scanHints(s)
	pair := h&(hintColon|hintEquals) != 0
	if h&hintColon != 0 && h&hintAt != 0 {
		s = maskURLPasswords(s)
	}
	if pair && h&hintAuth != 0 {
		s = authHeader.ReplaceAllStringFunc(s, maskAuthHeader)
	}
	if h&hintBearer != 0 {
		s = bearer.ReplaceAllString(s, "${1}"+Masked)
	}
	if pair && h&hintSecretName != 0 {
		s = maskPairs(s)
	}
	return s
}

type hints uint8

const (
	hintColon hints = 1 << iota
	hintEquals
	hintAt
	hintAuth       // "authorization", any case
	hintBearer     // "bearer"
	hintSecretName // key, token, secret, pass, pwd
)

// scanHints looks once through s for the bytes and words the shapes need.
func scanHints(s string) hints {
	var h hints
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ':':
			h |= hintColon
			continue
		case '=':
			h |= hintEquals
			continue
		case '@':
			h |= hintAt
			continue
		}
		switch c | 0x20 { // ASCII lowercase for letters
		case 'k':
			if foldAt(s, i, "key") {
				h |= hintSecretName
			}
		case 't':
			if foldAt(s, i, "token") {
				h |= hintSecretName
			}
		case 's':
			if foldAt(s, i, "secret") {
				h |= hintSecretName
			}
		case 'p':
			if foldAt(s, i, "pass") || foldAt(s, i, "pwd") {
				h |= hintSecretName
			}
		case 'a':
			if foldAt(s, i, "authorization") {
				h |= hintAuth
			}
		case 'b':
			if foldAt(s, i, "bearer") {
				h |= hintBearer
			}
		}
	}
	return h
}

// foldAt reports whether s holds the lowercase ASCII word at i, ignoring case. For a
// lowercase letter l, c|0x20 == l only when c is l or its capital.
func foldAt(s string, i int, word string) bool {
	if i+len(word) > len(s) {
		return false
	}
	for j := 0; j < len(word); j++ {
		if s[i+j]|0x20 != word[j] {
			return false
		}
	}
	return true
}

// maskURLPasswords masks the password of scheme://user:PASSWORD@host, the shape of
// Heroku's DATABASE_URL and REDIS_URL.
func maskURLPasswords(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			break
		}
		start := i + k + 3
		end := start // the end of the userinfo: its '@', or where the authority stops
		for end < len(s) && !strings.ContainsRune("/?#@ \t\r\n", rune(s[end])) {
			end++
		}
		if end < len(s) && s[end] == '@' {
			if c := strings.IndexByte(s[start:end], ':'); c >= 0 && start+c+1 < end {
				b.WriteString(s[last : start+c+1])
				b.WriteString(Masked)
				last = end
			}
		}
		i = max(end, start)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskAuthHeader keeps the scheme word of an Authorization value (Basic, Bearer) so
// the reader knows what was sent, and masks the credential.
func maskAuthHeader(h string) string {
	sub := authHeader.FindStringSubmatch(h)
	prefix, value := sub[1], sub[2]
	if value == Masked || strings.HasSuffix(value, " "+Masked) {
		return h
	}
	if scheme, _, ok := strings.Cut(value, " "); ok {
		return prefix + scheme + " " + Masked
	}
	return prefix + Masked
}

// maskPairs masks the value of each pair whose name says it holds a secret.
func maskPairs(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range pairName.FindAllStringSubmatchIndex(s, -1) {
		if m[0] < last || !secretName(s[m[2]:m[3]]) || expansion(s, m[2]) {
			continue
		}
		end := m[1] + strings.IndexFunc(s[m[1]:], endOfValue)
		if end < m[1] {
			end = len(s)
		}
		if end == m[1] || notAValue(s[m[1]:end]) {
			continue
		}
		b.WriteString(s[last:m[1]])
		b.WriteString(Masked)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// expansion reports whether the name at i is a shell expansion ($TOKEN:x,
// ${HEROKU_API_KEY:5}, ${TOKEN:-none}) rather than a pair: what follows its colon is a
// substring offset or a default, not its value, and the command must stay as written.
func expansion(s string, i int) bool {
	return i >= 1 && s[i-1] == '$' || i >= 2 && s[i-1] == '{' && s[i-2] == '$'
}

func endOfValue(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || strings.ContainsRune(`"',;&`, r)
}

// secretName reports whether a variable name says it holds a secret: one of its words
// (split at _ . - and at camelCase humps) is key, token, secret, pass, pwd... or ends in
// password (PGPASSWORD). "Tests passed" and DATABASE_URL are not.
func secretName(name string) bool {
	if name == "key" {
		return false // key=REDIS_URL names a config var (config.set's argument), it holds none
	}
	for _, w := range nameWords(name) {
		w = strings.ToLower(w)
		switch w {
		case "key", "apikey", "token", "secret", "pass", "passwd", "password", "pwd", "credential", "credentials":
			return true
		}
		if strings.HasSuffix(w, "password") || strings.HasSuffix(w, "secret") || strings.HasSuffix(w, "apikey") {
			return true
		}
	}
	return false
}

// nameWords splits SECRET_KEY_BASE, api.key and apiKey into their words.
func nameWords(name string) []string {
	var words []string
	start := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '.' || c == '-':
			if i > start {
				words = append(words, name[start:i])
			}
			start = i + 1
		case i > start && c >= 'A' && c <= 'Z' && name[i-1] >= 'a' && name[i-1] <= 'z':
			words = append(words, name[start:i])
			start = i
		}
	}
	if start < len(name) {
		words = append(words, name[start:])
	}
	return words
}

// envName is the shape of an environment variable's name, such as HEROKU_API_KEY.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// notAValue reports whether what follows "token:" or "KEY=" is a reference rather
// than a secret: a variable's name ("token: HEROKU_API_KEY is not set") or an
// expansion ("HEROKU_API_KEY=$(heroku auth:token)"). Masking those hides the advice
// and protects nothing.
func notAValue(v string) bool {
	return strings.HasPrefix(v, "$") || envName.MatchString(v)
}
