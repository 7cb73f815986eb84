package runbook

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// This file holds what dynodoc takes from Runme's cell semantics, so that Runme
// notebooks and other teams' Markdown runbooks run as their authors meant:
// prompts, placeholders, unlabelled shell blocks, ignored blocks, working folders.

// stripPrompts removes a leading "$ " shell prompt from every line that has one, as
// Runme does ("the dollar sign is not needed"): `$ echo hi` runs `echo hi`. Unlike
// Runme, a "$" not followed by a space is kept, so `$HOME/bin/tool` still runs.
func stripPrompts(body string) string {
	lines := strings.SplitAfter(body, "\n")
	for i, l := range lines {
		rest, nl := strings.CutSuffix(l, "\n")
		switch {
		case rest == "$" || rest == "$\r":
			lines[i] = strings.TrimPrefix(rest, "$")
		case strings.HasPrefix(rest, "$ "):
			lines[i] = strings.TrimLeft(rest[2:], " ")
		default:
			continue
		}
		if nl {
			lines[i] += "\n"
		}
	}
	return strings.Join(lines, "")
}

// placeholder is one <name> a command's author left for the reader to fill in.
type placeholder struct {
	text string // as written: <dyno_id>
	env  string // the variable it becomes: DYNO_ID
}

var placeholderRE = regexp.MustCompile(`^<([A-Za-z][A-Za-z0-9_-]*)>`)

// replacePlaceholders turns each <name> placeholder of a command into a reference to
// an environment variable, "${NAME}", so that the value the operator gives at run time
// reaches the command as a variable and never as text. A placeholder is a <name>
// outside quotes that starts a word, or one inside double quotes whose name holds _
// or -; anything in single quotes, and any command with a here-document (<<), is left
// alone, since there <x> is text.
func replacePlaceholders(body string) (string, []placeholder) {
	if strings.Contains(body, "<<") {
		return body, nil
	}
	var b strings.Builder
	var found []placeholder
	var quote byte
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '\\' && i+1 < len(body):
			b.WriteByte(c)
			i++
			c = body[i]
		case c == '"':
			quote ^= '"'
		case quote == 0 && c == '\'':
			quote = '\''
		case c == '<':
			m := placeholderRE.FindStringSubmatch(body[i:])
			if m == nil || !placeholderBounds(body, i, len(m[0])) {
				break
			}
			if quote == '"' && !strings.ContainsAny(m[1], "_-") {
				break
			}
			env := strings.ToUpper(strings.ReplaceAll(m[1], "-", "_"))
			found = append(found, placeholder{text: m[0], env: env})
			if quote == '"' {
				b.WriteString("${" + env + "}")
			} else {
				b.WriteString(`"${` + env + `}"`)
			}
			i += len(m[0]) - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), found
}

// placeholderBounds reports whether the <name> at body[i:i+n] stands alone: after a
// word boundary and before one.
func placeholderBounds(body string, i, n int) bool {
	if i > 0 && !strings.ContainsRune(" \t\n=:,(/@\"", rune(body[i-1])) {
		return false
	}
	end := i + n
	return end == len(body) || strings.ContainsRune(" \t\r\n;|&),/:.\"", rune(body[end]))
}

// commandBody prepares a command block's text as it will run: prompts stripped and
// placeholders turned into variables, each of which becomes a required param the
// operator is asked for (a warning for lint, never a reason to refuse the document).
func (p *bodyParser) commandBody(b *Block) {
	body, found := replacePlaceholders(stripPrompts(b.Body))
	b.Body = body
	warned := map[string]bool{}
	for _, ph := range found {
		if warned[ph.env] {
			continue
		}
		warned[ph.env] = true
		p.rb.issues = append(p.rb.issues, Problem{Path: p.rb.Path, Line: b.Line, Warning: true,
			Message: fmt.Sprintf("placeholder %s: dynodoc asks for its value when the walk starts and passes it as $%s", ph.text, ph.env)})
		if _, declared := p.rb.Param(ph.env); declared {
			continue
		}
		param := Param{Name: ph.env, Prompt: "Value for " + ph.text, Required: true, Line: b.Line, Placeholder: ph.text}
		switch strings.ToLower(ph.env) {
		case "app", "app_name", "appname":
			param.Kind = "app"
		}
		p.rb.Params = append(p.rb.Params, param)
	}
}

// calleeWord is what a command name looks like; an unlabelled block of program output
// or a directory tree parses as shell too, but its first words are not like this.
var calleeWord = regexp.MustCompile(`^[A-Za-z0-9_./~+-][A-Za-z0-9_.:/+~@%-]*$`)

// looksLikeShell reports whether the text of an unlabelled fenced block is shell: it
// parses as bash (after prompts and placeholders are dealt with) and every command it
// calls has a plausible name.
func looksLikeShell(body string) bool {
	text, _ := replacePlaceholders(stripPrompts(body))
	if strings.TrimSpace(text) == "" {
		return false
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		return false
	}
	calls, ok := 0, true
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, isCall := n.(*syntax.CallExpr); isCall && len(call.Args) > 0 {
			calls++
			if name := call.Args[0].Lit(); !calleeWord.MatchString(name) {
				ok = false
			}
		}
		return ok
	})
	return ok && calls > 0
}

// Ignored reports whether Runme would leave the block out: ignore=true, or
// transform=false. An ignored block is shown and never run.
func (b Block) Ignored() bool {
	if v, err := strconv.ParseBool(b.Attrs["transform"]); err == nil {
		return !v
	}
	v, _ := strconv.ParseBool(b.Attrs["ignore"])
	return v
}

// Background reports background=true: the command runs on while the walk goes on,
// and is stopped when the walk ends.
func (b Block) Background() bool { return isTrue(b.Attrs["background"]) }

// Tags are the block's tag and category attributes (Runme's, comma separated).
func (b Block) Tags() []string {
	var tags []string
	for _, k := range []string{"category", "tag"} {
		for _, t := range strings.Split(b.Attrs[k], ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// BlockDir is the folder a command block runs in, resolved as Runme does: the
// document's folder, then the front matter's cwd, then the block's cwd, each relative
// to the one before unless it is absolute. A shipped runbook's folder is the one
// dynodoc was started in.
func (r *Runbook) BlockDir(b Block) string {
	dir := filepath.Dir(r.Path)
	for _, c := range []string{r.Cwd, b.Attr("cwd")} {
		switch {
		case c == "":
		case filepath.IsAbs(c):
			dir = c
		default:
			dir = filepath.Join(dir, c)
		}
	}
	return dir
}
