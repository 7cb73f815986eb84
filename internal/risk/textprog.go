package risk

import (
	"fmt"
	"slices"
	"strings"
)

// sed and awk programs are code: sed's e command and s///e flag run commands and its
// w command writes files; awk's system(), pipes and > redirections do the same. Each
// program is read; one that does not read cleanly is risky.

// sedFinding is something a sed script does beyond editing its output.
type sedFinding struct {
	level  Level
	reason string
	cmd    string // the command of `e COMMAND`, classified in turn
}

// sedScan reads a sed script and returns what in it runs commands or writes files.
func sedScan(script string) []sedFinding {
	var out []sedFinding
	s := script
	i := 0
	toEOL := func() string {
		start := i
		for i < len(s) && s[i] != '\n' {
			i++
		}
		return s[start:i]
	}
	toSep := func() {
		for i < len(s) && s[i] != '\n' && s[i] != ';' && s[i] != '}' {
			i++
		}
	}
	// delimited reads a part ending at the delimiter d, escapes included.
	delimited := func(d byte) bool {
		for i < len(s) {
			switch {
			case s[i] == '\\' && i+1 < len(s):
				i += 2
			case s[i] == d:
				i++
				return true
			case s[i] == '\n' && d != '\n':
				return false
			default:
				i++
			}
		}
		return false
	}
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	address := func() bool {
		switch {
		case i < len(s) && s[i] == '/':
			i++
			if !delimited('/') {
				return false
			}
		case i+1 < len(s) && s[i] == '\\':
			d := s[i+1]
			i += 2
			if !delimited(d) {
				return false
			}
		default:
			for i < len(s) && strings.IndexByte("0123456789$~+", s[i]) >= 0 {
				i++
			}
			return true
		}
		for i < len(s) && (s[i] == 'I' || s[i] == 'M') {
			i++
		}
		return true
	}
	bad := func(what string) []sedFinding {
		return append(out, sedFinding{level: Risky, reason: "the sed script does not read cleanly (" + what + "), so what it runs cannot be checked"})
	}
	for i < len(s) {
		for i < len(s) && strings.IndexByte(" \t\n;", s[i]) >= 0 {
			i++
		}
		if i >= len(s) {
			break
		}
		if !address() {
			return bad("an unterminated address")
		}
		skipSpace()
		if i < len(s) && s[i] == ',' {
			i++
			skipSpace()
			if !address() {
				return bad("an unterminated address")
			}
		}
		skipSpace()
		for i < len(s) && (s[i] == '!' || s[i] == ' ') {
			i++
		}
		if i >= len(s) {
			return bad("an address without a command")
		}
		cmd := s[i]
		i++
		switch cmd {
		case '{', '}':
		case '#', 'r', 'R':
			toEOL()
		case ':', 'b', 't', 'T', 'v':
			toSep()
		case 'a', 'i', 'c':
			for {
				line := toEOL()
				if !strings.HasSuffix(line, `\`) || i >= len(s) {
					break
				}
				i++
			}
		case 'w', 'W':
			skipSpace()
			if f := strings.TrimSpace(toEOL()); !harmlessFile(f) {
				out = append(out, sedFinding{level: Risky, reason: "sed " + string(cmd) + " writes the file " + f})
			}
		case 'e':
			skipSpace()
			if command := strings.TrimSpace(toEOL()); command != "" {
				out = append(out, sedFinding{level: Risky, reason: "sed e runs a command", cmd: command})
			} else {
				out = append(out, sedFinding{level: Destructive, reason: "sed e runs each line of its input as a command, which dynodoc cannot read"})
			}
		case 's', 'y':
			if i >= len(s) || s[i] == '\n' || s[i] == '\\' {
				return bad("s without a delimiter")
			}
			d := s[i]
			i++
			// Two parts: the pattern, then the replacement (or y's target set).
			if pattern := delimited(d); !pattern || !delimited(d) {
				return bad("an unterminated " + string(cmd) + " command")
			}
			if cmd == 'y' {
				break
			}
			for i < len(s) && strings.IndexByte("gpiImM0123456789", s[i]) >= 0 {
				i++
			}
			if i < len(s) && s[i] == 'e' {
				out = append(out, sedFinding{level: Destructive, reason: "sed s///e runs the edited line as a command, which dynodoc cannot read"})
				i++
				for i < len(s) && strings.IndexByte("gpiImM0123456789", s[i]) >= 0 {
					i++
				}
			}
			if i < len(s) && s[i] == 'w' {
				i++
				skipSpace()
				if f := strings.TrimSpace(toEOL()); !harmlessFile(f) {
					out = append(out, sedFinding{level: Risky, reason: "sed s///w writes the file " + f})
				}
			}
		case 'q', 'Q', 'l', 'L':
			skipSpace()
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
		case '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F':
		default:
			return bad(fmt.Sprintf("the unknown command %q", cmd))
		}
	}
	return out
}

var sedOpts = flagSpec{flags: "nEersuzb", valued: "efl", long: []string{"quiet", "silent", "debug",
	"posix", "sandbox", "regexp-extended", "separate", "unbuffered", "null-data", "expression=",
	"file=", "line-length=", "follow-symlinks", "help", "version", "in-place", "in-place="}}

func sedRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, operands := sedOpts.parse(c, name, cl.args[1:], "i")
	var scripts []arg
	for _, o := range opts {
		switch o.name {
		case "-e", "--expression":
			scripts = append(scripts, o.value)
		case "-f", "--file":
			text, err := c.readScript(o.value.text)
			if err != nil || !o.value.known {
				c.add(Destructive, fmt.Sprintf("%s -f runs the sed script %s, which dynodoc cannot read", name, o.value.text))
				continue
			}
			scripts = append(scripts, lit(text))
		case "-i", "--in-place":
			c.add(Risky, name+" -i edits files in place")
		}
	}
	if len(scripts) == 0 && !has(opts, "-f", "--file") && len(operands) > 0 {
		scripts = operands[:1]
	}
	for _, sc := range scripts {
		if !sc.known {
			c.add(Destructive, fmt.Sprintf("the %s script %s is only known at run time, and sed scripts can run commands", name, c.written(sc)))
			continue
		}
		for _, f := range sedScan(sc.text) {
			c.add(f.level, f.reason)
			if f.cmd != "" {
				c.script(f.cmd, "the sed e command", depth+1)
			}
		}
	}
}

// flagSpec lists every option a program may take to be classified by its rule:
// short flags, short options with a value, long names ("=" suffix: takes a value).
// Options outside it are risky, as they may run code.
type flagSpec struct {
	flags, valued string
	long          []string
	runs          []string // options whose value is a command, which is classified
}

// parse reads options anywhere on the line, GNU style; attached are short options
// whose value can only be attached (sed -i.bak).
func (f flagSpec) parse(c *classifier, name string, args []arg, attached string) ([]option, []arg) {
	var opts []option
	var operands []arg
	longValued := map[string]bool{}
	longFlag := map[string]bool{}
	for _, l := range f.long {
		if n, ok := strings.CutSuffix(l, "="); ok {
			longValued[n] = true
		} else {
			longFlag[l] = true
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		t := a.text
		switch {
		case a.is("--"):
			return opts, append(operands, args[i+1:]...)
		case !a.known && strings.HasPrefix(t, "-"):
			c.add(Risky, fmt.Sprintf("%s takes options only known at run time, which may run commands", name))
		case strings.HasPrefix(t, "--"):
			n, v, hasValue := strings.Cut(t[2:], "=")
			o := option{name: "--" + n}
			switch {
			case hasValue && (longValued[n]):
				o.value = arg{text: v, known: a.known}
			case longValued[n] && !longFlag[n] && i+1 < len(args):
				o.value = args[i+1]
				i++
			case longFlag[n] && !hasValue:
			default:
				c.add(Risky, fmt.Sprintf("%s %s is not an option known to be harmless", name, t))
			}
			opts = append(opts, o)
		case len(t) > 1 && t[0] == '-':
			for j := 1; j < len(t); j++ {
				ch := t[j]
				o := option{name: "-" + string(ch)}
				if strings.IndexByte(attached, ch) >= 0 {
					o.value = arg{text: t[j+1:], known: a.known}
					opts = append(opts, o)
					break
				}
				if strings.IndexByte(f.valued, ch) >= 0 {
					if j+1 < len(t) {
						o.value = arg{text: t[j+1:], known: a.known}
					} else if i+1 < len(args) {
						o.value = args[i+1]
						i++
					}
					opts = append(opts, o)
					break
				}
				if strings.IndexByte(f.flags, ch) < 0 {
					c.add(Risky, fmt.Sprintf("%s -%c is not an option known to be harmless", name, ch))
				}
				opts = append(opts, o)
			}
		default:
			operands = append(operands, a)
		}
	}
	for _, o := range opts {
		if slices.Contains(f.runs, o.name) {
			c.add(Risky, fmt.Sprintf("%s %s runs the command %s", name, o.name, c.written(o.value)))
			c.commandText(o.value, "the "+name+" "+o.name+" command", c.depth)
		}
	}
	return opts, operands
}

// awkScan returns why an awk program runs commands or writes files, or "".
func awkScan(prog string) string {
	code := awkCode(prog)
	switch {
	case strings.Contains(code, "system"):
		return "runs commands with system()"
	case strings.Contains(code, "|"):
		return "runs commands through a pipe"
	case strings.Contains(code, "@"):
		return "loads code with @load or @include"
	case strings.Contains(code, "getline"):
		return "reads with getline, which can run a command"
	}
	// An unparenthesised > or >> in a print or printf statement writes a file.
	for _, stmt := range awkPrints(code) {
		depth := 0
		for _, r := range stmt {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case '>':
				if depth <= 0 {
					return "writes a file with print >"
				}
			}
		}
	}
	return ""
}

// awkCode returns an awk program with its string literals and regular expressions
// blanked, so that only code is left to look at.
func awkCode(prog string) string {
	var b strings.Builder
	prevOperand := false
	for i := 0; i < len(prog); i++ {
		ch := prog[i]
		switch {
		case ch == '"' || (ch == '/' && !prevOperand):
			end := ch
			b.WriteString(`""`)
			for i++; i < len(prog) && prog[i] != end; i++ {
				if prog[i] == '\\' {
					i++
				}
			}
			prevOperand = true
		case ch == '#':
			for i < len(prog) && prog[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(ch)
			switch {
			case ch == ' ' || ch == '\t':
			case ch == ')' || ch == ']' || ch == '$' || ch == '_' || ch >= '0' && ch <= '9' ||
				ch|0x20 >= 'a' && ch|0x20 <= 'z':
				prevOperand = true
			default:
				prevOperand = false
			}
		}
	}
	return b.String()
}

// awkPrints returns the text of each print and printf statement in blanked code.
func awkPrints(code string) []string {
	var out []string
	for i := 0; i < len(code); {
		j := strings.Index(code[i:], "print")
		if j < 0 {
			break
		}
		start := i + j
		end := start
		for end < len(code) && strings.IndexByte(";}\n", code[end]) < 0 {
			end++
		}
		out = append(out, code[start:end])
		i = start + len("print")
	}
	return out
}

var awkOpts = flagSpec{flags: "bcCdDgMnNOPrStVhsy", valued: "fvFilEe", long: []string{"field-separator=",
	"assign=", "file=", "include=", "load=", "exec=", "source=", "posix", "traditional", "re-interval",
	"characters-as-bytes", "sandbox", "version", "help", "lint", "lint=", "non-decimal-data",
	"optimize", "no-optimize", "bignum", "csv", "use-lc-numeric"}}

func awkRule(c *classifier, cl call, depth int) {
	name := cl.name()
	opts, operands := awkOpts.parse(c, name, cl.args[1:], "")
	hasProgram := false
	for _, o := range opts {
		switch o.name {
		case "-f", "--file", "-E", "--exec", "-i", "--include":
			hasProgram = true
			text, err := c.readScript(o.value.text)
			if err != nil || !o.value.known {
				c.add(Destructive, fmt.Sprintf("%s %s runs the awk program in %s, which dynodoc cannot read", name, o.name, o.value.text))
				continue
			}
			c.awkProgram(name, lit(text))
		case "-l", "--load":
			c.add(Destructive, fmt.Sprintf("%s %s loads a shared library, which dynodoc cannot read", name, o.name))
		case "-e", "--source":
			hasProgram = true
			c.awkProgram(name, o.value)
		}
	}
	if !hasProgram && len(operands) > 0 {
		c.awkProgram(name, operands[0])
	}
}

func (c *classifier) awkProgram(name string, prog arg) {
	if !prog.known {
		c.add(Destructive, fmt.Sprintf("the %s program %s is only known at run time, and awk programs can run commands", name, c.written(prog)))
		return
	}
	if why := awkScan(prog.text); why != "" {
		// The commands an awk program runs are built by awk at run time: dynodoc
		// cannot read them, so they count as the worst they could be.
		if strings.HasPrefix(why, "writes") {
			c.add(Risky, name+" "+why)
		} else {
			c.add(Destructive, name+" "+why+": code dynodoc cannot read")
		}
	}
}
