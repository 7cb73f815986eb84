package risk

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// input is what a command reads on standard input, as far as it can be known: it
// matters for `... | heroku pg:psql`, `bash <<EOF` and the like.
type input struct {
	text    string // the input, or failing that the source of whatever produces it
	known   bool   // text is exactly the input (echo, printf, a here-document)
	present bool   // something is piped or redirected in
	file    *arg   // the file redirected in with <, if any
}

func (c *classifier) setInput(n syntax.Node, in input) {
	if c.inputs == nil {
		c.inputs = map[syntax.Node]input{}
	}
	c.inputs[n] = in
}

// stmt checks a statement's redirections and hands its input to its command.
func (c *classifier) stmt(st *syntax.Stmt) {
	in := c.inputs[st]
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			in = c.heredoc(r)
		case syntax.WordHdoc:
			a := c.arg(r.Word)
			in = input{text: a.text + "\n", known: a.known, present: true}
		case syntax.RdrIn:
			f := c.arg(r.Word)
			in = input{text: f.text, present: true, file: &f}
			if f.is("/dev/null") {
				in = input{known: true, present: true}
			}
		case syntax.RdrInOut:
			f := c.arg(r.Word)
			in = input{text: f.text, present: true, file: &f}
			c.writeTo(f)
		case syntax.DplIn:
			if w := c.arg(r.Word); w.text != "-" {
				in = input{text: "<&" + w.text, present: true} // another descriptor's input
			}
		case syntax.DplOut:
			if w := c.arg(r.Word); !isFD(w.text) {
				c.writeTo(w)
			}
		default: // >, >>, >|, <>, &>, &>>
			c.writeTo(c.arg(r.Word))
		}
	}
	if !in.present {
		return
	}
	if cmd, ok := st.Cmd.(*syntax.CallExpr); ok {
		c.setInput(cmd, in)
		return
	}
	// A compound command ({ }, ( ), loops, if, case) passes its input to every
	// statement in it that has none of its own; pipes inside override it later.
	if st.Cmd == nil {
		return
	}
	syntax.Walk(st.Cmd, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false
		case *syntax.Stmt:
			if _, ok := c.inputs[n]; !ok {
				c.setInput(n, in)
			}
		}
		return true
	})
}

func (c *classifier) heredoc(r *syntax.Redirect) input {
	if r.Hdoc == nil {
		return input{present: true}
	}
	q := heredoc
	if r.Word != nil && !isPlainWord(r.Word) {
		q = rawHeredoc // <<'EOF' and <<"EOF" bodies are not expanded
	}
	var b strings.Builder
	known := c.writeParts(&b, r.Hdoc.Parts, q)
	return input{text: b.String(), known: known, present: true}
}

func isPlainWord(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); !ok || strings.Contains(l.Value, `\`) {
			return false
		}
	}
	return true
}

func isFD(s string) bool {
	if s == "-" {
		return true
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// writeTo flags output redirected to a file.
func (c *classifier) writeTo(file arg) {
	if harmlessFile(file.text) {
		return
	}
	c.add(Risky, "a redirection writes to the file "+file.text)
}

// harmlessFile reports whether writing to name changes nothing worth a gate.
func harmlessFile(name string) bool {
	switch name {
	case "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-":
		return true
	}
	return strings.HasPrefix(name, "/dev/fd/")
}

// outputOf works out what a pipeline stage writes: exactly for echo, printf and cat
// of a here-document, otherwise the stage's source text (good enough to spot SQL).
func (c *classifier) outputOf(st *syntax.Stmt) input {
	unknown := input{text: c.source(st), present: true}
	x, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(x.Args) == 0 {
		return unknown
	}
	args := c.args(x.Args)
	switch path.Base(args[0].text) {
	case "echo":
		return echoOutput(args[1:])
	case "printf":
		return printfOutput(args[1:])
	case "cat":
		if len(args) == 1 {
			for _, r := range st.Redirs {
				switch r.Op {
				case syntax.Hdoc, syntax.DashHdoc:
					return c.heredoc(r)
				case syntax.WordHdoc:
					a := c.arg(r.Word)
					return input{text: a.text + "\n", known: a.known, present: true}
				}
			}
		}
	}
	return unknown
}

func echoOutput(args []arg) input {
	escapes := false
	for len(args) > 0 && args[0].known && isEchoFlag(args[0].text) {
		escapes = escapes || strings.Contains(args[0].text, "e")
		args = args[1:]
	}
	texts := make([]string, len(args))
	known := true
	for i, a := range args {
		texts[i] = a.text
		known = known && a.known
	}
	out := strings.Join(texts, " ") + "\n"
	if escapes {
		decoded, ok := ansiC(out)
		out, known = decoded, known && ok
	}
	return input{text: out, known: known, present: true}
}

func isEchoFlag(s string) bool {
	return len(s) > 1 && s[0] == '-' && strings.Trim(s[1:], "neE") == ""
}

// printfOutput formats %s, %b, %d and %% like printf does, reusing the format while
// arguments remain; anything fancier makes the output unknown.
func printfOutput(args []arg) input {
	if len(args) > 0 && args[0].is("--") {
		args = args[1:]
	}
	if len(args) == 0 {
		return input{present: true, known: true}
	}
	format, ok := ansiC(args[0].text)
	known := ok && args[0].known
	rest := args[1:]
	var b strings.Builder
	for {
		used := 0
		for i := 0; i < len(format); i++ {
			if format[i] != '%' || i+1 == len(format) {
				b.WriteByte(format[i])
				continue
			}
			i++
			switch format[i] {
			case '%':
				b.WriteByte('%')
			case 's', 'b', 'd':
				if used < len(rest) {
					b.WriteString(rest[used].text)
					known = known && rest[used].known
					used++
				}
			default:
				known = false
			}
		}
		rest = rest[min(used, len(rest)):]
		if used == 0 || len(rest) == 0 {
			break
		}
	}
	return input{text: b.String(), known: known, present: true}
}
