package risk

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// HTTP clients: reading is safe; a request that can change state is destructive,
// because nothing tells what a POST, PUT, PATCH or DELETE does on the other side.

var (
	curlSpec = optSpec{short: "AbcCdDeEFHKmoPQrtTuUwxXyYz", long: []string{"request", "data",
		"data-raw", "data-binary", "data-urlencode", "data-ascii", "json", "form",
		"form-string", "upload-file", "output", "header", "user-agent", "cookie", "cookie-jar",
		"config", "user", "proxy", "write-out", "max-time", "connect-timeout", "url", "referer",
		"cert", "key", "cacert", "retry", "retry-delay", "retry-max-time", "range", "resolve",
		"connect-to", "dump-header", "limit-rate", "output-dir", "trace", "trace-ascii",
		"stderr", "proxy-user", "interface", "unix-socket", "aws-sigv4", "oauth2-bearer",
		"continue-at", "speed-limit", "speed-time", "time-cond", "variable", "max-filesize",
		"libcurl", "etag-save", "etag-compare", "hsts", "alt-svc", "engine", "cookie"}}
	curlSendsData = []string{"-d", "--data", "--data-raw", "--data-binary", "--data-urlencode",
		"--data-ascii", "--json", "-F", "--form", "--form-string"}
	wgetSpec = optSpec{short: "OoaetTwQPUiBDIXlAR", long: []string{"output-document",
		"output-file", "append-output", "execute", "tries", "timeout", "wait", "quota",
		"directory-prefix", "user-agent", "input-file", "base", "domains",
		"include-directories", "exclude-directories", "level", "accept", "reject", "method",
		"body-data", "body-file", "post-data", "post-file", "header", "user", "password",
		"http-user", "http-password", "referer", "load-cookies", "save-cookies", "config",
		"use-askpass"}}
	httpieSpec = optSpec{short: "aAopPs", long: []string{"auth", "auth-type", "output", "print",
		"history-print", "style", "session", "session-read-only", "verify", "cert", "cert-key",
		"proxy", "timeout", "max-redirects", "pretty", "format-options", "response-charset",
		"response-mime", "boundary", "raw", "ssl", "ciphers", "default-scheme"}}
)

// readMethod reports whether an HTTP method only reads.
func readMethod(m string) bool {
	switch m {
	case "", "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return false
}

func curlRule(c *classifier, cl call, depth int) {
	opts, operands := curlSpec.all(cl.args[1:])
	method := ""
	switch {
	case has(opts, "-X", "--request"):
		m, _ := find(opts, "-X", "--request")
		method = strings.ToUpper(m.value.text)
	case has(opts, "-T", "--upload-file"):
		method = "PUT"
	case has(opts, curlSendsData...) && !has(opts, "-G", "--get"):
		method = "POST"
	}
	if !readMethod(method) {
		c.add(Destructive, fmt.Sprintf("curl sends a %s request, which can change or delete data", method))
	}
	if o, ok := find(opts, "-o", "--output"); ok && !harmlessFile(o.value.text) {
		c.add(Risky, "curl writes the file "+o.value.text)
	}
	if has(opts, "-O", "--remote-name", "--remote-name-all") {
		c.add(Risky, "curl saves the download to a file")
	}
	if o, ok := find(opts, "-K", "--config"); ok {
		c.add(Risky, fmt.Sprintf("curl reads options from %s, which are not checked", o.value.text))
	}
	for _, o := range opts {
		switch o.name {
		case "-c", "--cookie-jar", "-D", "--dump-header", "--trace", "--trace-ascii", "--stderr",
			"--libcurl", "--etag-save", "--hsts", "--alt-svc":
			if !harmlessFile(o.value.text) {
				c.add(Risky, fmt.Sprintf("curl %s writes the file %s", o.name, o.value.text))
			}
		case "-w", "--write-out":
			if strings.Contains(o.value.text, "%output{") || !o.value.known {
				c.add(Risky, "curl -w %output{} writes a file")
			}
		case "--engine":
			c.add(Risky, "curl --engine loads a crypto engine library")
		}
	}
	if u, ok := find(opts, "--url"); ok {
		operands = append(operands, u.value)
	}
	c.apiTargets(operands)
}

func wgetRule(c *classifier, cl call, depth int) {
	opts, operands := wgetSpec.all(cl.args[1:])
	method := ""
	if m, ok := find(opts, "--method"); ok {
		method = strings.ToUpper(m.value.text)
	} else if has(opts, "--post-data", "--post-file") {
		method = "POST"
	}
	if !readMethod(method) {
		c.add(Destructive, fmt.Sprintf("wget sends a %s request, which can change or delete data", method))
	}
	if o, ok := find(opts, "-O", "--output-document"); ok {
		if !harmlessFile(o.value.text) {
			c.add(Risky, "wget writes the file "+o.value.text)
		}
	} else if !has(opts, "--spider") && len(operands) > 0 {
		c.add(Risky, "wget saves the download to a file")
	}
	for _, o := range opts {
		switch o.name {
		case "-o", "--output-file", "-a", "--append-output":
			if !harmlessFile(o.value.text) {
				c.add(Risky, fmt.Sprintf("wget %s writes the file %s", o.name, o.value.text))
			}
		case "-e", "--execute", "--config":
			c.add(Risky, fmt.Sprintf("wget %s runs wgetrc commands, which can write files", o.name))
		case "--use-askpass":
			c.add(Risky, "wget --use-askpass runs a command")
			c.commandText(o.value, "the wget --use-askpass command", depth)
		}
	}
	c.apiTargets(operands)
}

// httpieRule handles HTTPie (http, https) and xh: http [METHOD] URL [ITEM ...].
// Without a method, data items make it a POST.
func httpieRule(c *classifier, cl call, depth int) {
	opts, operands := httpieSpec.all(cl.args[1:])
	if has(opts, "--offline") || len(operands) == 0 {
		return // builds the request, sends nothing
	}
	method := ""
	if m := operands[0].text; len(operands) > 1 && httpMethod.MatchString(m) {
		method, operands = strings.ToUpper(m), operands[1:]
	}
	if method == "" {
		method = "GET"
		for _, item := range operands[1:] {
			if isDataItem(item.text) {
				method = "POST"
			}
		}
		if has(opts, "--raw", "-f", "--form", "--multipart") {
			method = "POST"
		}
	}
	if !readMethod(method) {
		c.add(Destructive, fmt.Sprintf("%s sends a %s request, which can change or delete data", cl.name(), method))
	}
	if o, ok := find(opts, "-o", "--output"); ok && !harmlessFile(o.value.text) {
		c.add(Risky, cl.name()+" writes the file "+o.value.text)
	} else if has(opts, "-d", "--download") {
		c.add(Risky, cl.name()+" saves the download to a file")
	}
	c.apiTargets(operands[:1])
}

// httpMethod matches a method word: HTTPie takes any upper-case word as one.
var httpMethod = regexp.MustCompile(`^(?:(?i:get|head|options|trace|post|put|patch|delete)|[A-Z]+)$`)

// isDataItem reports whether an HTTPie request item is body data (a=b, a:=1, a@file)
// rather than a header (a:b) or a query parameter (a==b).
func isDataItem(item string) bool {
	i := strings.IndexAny(item, ":=@")
	if i <= 0 {
		return false
	}
	rest := item[i:]
	switch {
	case strings.HasPrefix(rest, "=="):
		return false
	case strings.HasPrefix(rest, ":="), strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "@"):
		return true
	}
	return false // a header
}

// herokuAPIApp matches Platform API URLs of one app.
var herokuAPIApp = regexp.MustCompile(`^https?://api\.heroku\.com/apps/([^/?#]+)`)

// apiTargets records the apps named by Heroku Platform API URLs.
func (c *classifier) apiTargets(urls []arg) {
	for _, u := range urls {
		if m := herokuAPIApp.FindStringSubmatch(u.text); m != nil {
			if app, err := url.PathUnescape(m[1]); err == nil {
				c.target(app)
			}
		}
	}
}

var ncSpec = optSpec{short: "iOpswWqTxXPIe"}

// ncRule: nc -z only probes a port; otherwise it sends whatever it is given.
func ncRule(c *classifier, cl call, depth int) {
	opts, _ := ncSpec.all(cl.args[1:])
	if !has(opts, "-z") {
		c.add(Risky, cl.name()+" sends data to a network service")
	}
}

func opensslRule(c *classifier, cl call, depth int) {
	for _, a := range cl.args[1:] {
		if a.is("-out") || a.is("-keyout") {
			c.add(Risky, "openssl "+a.text+" writes a file")
			return
		}
	}
}

func init() {
	register("curl", curlRule)
	register("wget", wgetRule)
	for _, name := range []string{"http", "https", "xh", "xhs"} {
		register(name, httpieRule)
	}
	register("nc", ncRule)
	register("netcat", ncRule)
	register("ncat", ncRule)
	register("openssl", opensslRule)
}
