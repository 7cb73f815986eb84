package runbook

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// frontMatter is what the YAML front matter declares, plus the problems in it that
// do not stop parsing.
type frontMatter struct {
	title, summary string
	cwd, shell     string // Runme's: where commands run, and in which shell
	params         []Param
	issues         []Problem
}

// splitFrontMatter finds YAML front matter: a first line "---" and a closing line
// "---" or "...". It returns the YAML text and the offset where the Markdown body
// starts; without front matter the YAML is nil and the body is the whole file.
func splitFrontMatter(path string, src []byte) (yamlText []byte, bodyOff int, err *Problem) {
	start := 0
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		start = 3
	}
	first, next := lineAt(src, start)
	if strings.TrimRight(first, " \t\r") != "---" {
		return nil, 0, nil
	}
	for off := next; off < len(src); {
		line, after := lineAt(src, off)
		switch strings.TrimRight(line, " \t\r") {
		case "---", "...":
			return src[next:off], after, nil
		}
		off = after
	}
	return nil, 0, &Problem{Path: path, Line: 1,
		Message: "front matter is not terminated: end it with a line of ---"}
}

// lineAt returns the line starting at off (without its newline) and the offset of the
// next line.
func lineAt(src []byte, off int) (string, int) {
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		return string(src[off:]), len(src)
	}
	return string(src[off : off+end]), off + end + 1
}

// yamlLineRE pulls the line number out of a yaml error ("yaml: line 3: ...").
var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)`)

// yamlParserProblems are the messages of yaml's parser (as opposed to its scanner).
// yaml prints a parser error's 0-based line, and no line at all for line 0, while a
// scanner error's line is 1-based; yamlErrorLine undoes the difference.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlErrorLine returns the 1-based YAML line of a yaml syntax error and its message.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 1, msg // a parser error on line 1, or one yaml gives no line for
	}
	n, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 1, msg
	}
	if yamlParserProblems[m[2]] {
		n++
	}
	return n, m[2]
}

// parseFrontMatter reads the YAML text, whose first line is line 2 of the file. A
// YAML syntax error is fatal; everything else becomes an issue for lint.
func parseFrontMatter(path string, text []byte) (frontMatter, *Problem) {
	var fm frontMatter
	const offset = 1 // YAML line 1 is file line 2, after the opening ---
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		return fm, &Problem{Path: path, Line: line + offset, Message: "bad YAML front matter: " + msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return fm, nil // empty front matter
	}
	issue := func(n *yaml.Node, format string, args ...any) {
		fm.issues = append(fm.issues, Problem{Path: path, Line: n.Line + offset, Message: fmt.Sprintf(format, args...)})
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		issue(root, "front matter must be a YAML mapping of title, summary and params")
		return fm, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], deref(root.Content[i+1])
		switch key.Value {
		case "title":
			fm.title = scalar(val, func() { issue(val, "title must be text") })
		case "summary":
			fm.summary = scalar(val, func() { issue(val, "summary must be text") })
		case "params":
			fm.readParams(val, issue)
		case "cwd":
			fm.cwd = scalar(val, func() { issue(val, "cwd must be a folder") })
		case "shell":
			fm.shell = scalar(val, func() { issue(val, "shell must be the name or path of a shell") })
		}
		// Other keys are left alone: Runme notebooks carry their own (runme:, skipPrompts:).
	}
	return fm, nil
}

type issueFunc func(n *yaml.Node, format string, args ...any)

// readParams reads params: NAME: { prompt, kind, env, required, default }.
func (fm *frontMatter) readParams(n *yaml.Node, issue issueFunc) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		issue(n, "params must be a mapping of NAME: { prompt, kind, env, required, default }")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		p := Param{Name: key.Value, Line: key.Line + 1}
		if !isEnvName(p.Name) {
			issue(key, "param name %q is not an environment variable name (use letters, digits and _)", p.Name)
		}
		if first, dup := seen[p.Name]; dup {
			issue(key, "param %s is declared twice (first on line %d)", p.Name, first)
		} else {
			seen[p.Name] = p.Line
		}
		readParamFields(&p, val, issue)
		fm.params = append(fm.params, p)
	}
}

// readParamFields fills a param from its mapping; a null value declares a plain
// text param.
func readParamFields(p *Param, n *yaml.Node, issue issueFunc) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		issue(n, "param %s must be a mapping like { prompt: \"...\", kind: app }", p.Name)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		bad := func() { issue(val, "param %s: %s must be text", p.Name, key.Value) }
		switch key.Value {
		case "prompt":
			p.Prompt = scalar(val, bad)
		case "default":
			p.Default = scalar(val, bad)
		case "kind":
			switch v := scalar(val, bad); v {
			case "app":
				p.Kind = v
			case "", "text":
				p.Kind = ""
			default:
				issue(val, "param %s: kind %q is not app or text", p.Name, v)
			}
		case "env":
			switch v := scalar(val, bad); v {
			case "", "production", "staging", "development":
				p.Env = v
			default:
				issue(val, "param %s: env %q is not production, staging or development", p.Name, v)
			}
		case "required":
			if err := val.Decode(&p.Required); err != nil || val.Kind != yaml.ScalarNode {
				issue(val, "param %s: required must be true or false", p.Name)
			}
		default:
			issue(key, "param %s: unknown field %q (want prompt, kind, env, required or default)", p.Name, key.Value)
		}
	}
}

// scalar returns a scalar's text, or calls bad and returns "" for anything else.
func scalar(n *yaml.Node, bad func()) string {
	if n.Kind != yaml.ScalarNode {
		bad()
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// deref follows YAML aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for range 16 {
		if n.Kind != yaml.AliasNode || n.Alias == nil {
			return n
		}
		n = n.Alias
	}
	return n
}

// isEnvName reports whether s can be an environment variable in a shell.
func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}
