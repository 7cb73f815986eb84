package risk

import "strings"

// optSpec describes a program's options well enough to tell options, their values and
// operands apart. Options not listed are flags without a value.
type optSpec struct {
	short    string   // short options that take a value: "-u root" or "-uroot"
	long     []string // long options that take a value: "--user root" or "--user=root"
	attached string   // short options whose optional value can only be attached: xargs -i{}
}

// option is one option found on a command line.
type option struct {
	name  string // "-u" or "--user"
	value arg    // its value, if it takes one
}

func (s optSpec) takesValue(long string) bool {
	for _, l := range s.long {
		if l == long {
			return true
		}
	}
	return false
}

// leading reads the options before the first operand, as POSIX utilities and wrappers
// such as sudo and env do. It returns them and the index of the first operand.
func (s optSpec) leading(args []arg) ([]option, int) {
	var opts []option
	i := 0
	for i < len(args) {
		a := args[i]
		if a.is("--") {
			return opts, i + 1
		}
		if !isOption(a) {
			return opts, i
		}
		opts, i = s.read(args, i, opts)
	}
	return opts, i
}

// all reads options anywhere on the command line, as GNU tools do, and returns them
// with the operands in order. Everything after "--" is an operand.
func (s optSpec) all(args []arg) ([]option, []arg) {
	var opts []option
	var operands []arg
	for i := 0; i < len(args); {
		a := args[i]
		switch {
		case a.is("--"):
			return opts, append(operands, args[i+1:]...)
		case isOption(a):
			opts, i = s.read(args, i, opts)
		default:
			operands = append(operands, a)
			i++
		}
	}
	return opts, operands
}

func isOption(a arg) bool {
	return len(a.text) > 1 && a.text[0] == '-'
}

// read parses the option word at args[i] and returns the index of the next word.
func (s optSpec) read(args []arg, i int, opts []option) ([]option, int) {
	text := args[i].text
	if strings.HasPrefix(text, "--") {
		name, value, hasValue := strings.Cut(text[2:], "=")
		opt := option{name: "--" + name}
		switch {
		case hasValue:
			opt.value = arg{text: value, known: args[i].known}
		case s.takesValue(name) && i+1 < len(args):
			opt.value = args[i+1]
			i++
		}
		return append(opts, opt), i + 1
	}
	cluster := text[1:]
	for j := 0; j < len(cluster); j++ {
		ch := cluster[j]
		opt := option{name: "-" + string(ch)}
		rest := cluster[j+1:]
		switch {
		case strings.IndexByte(s.short, ch) >= 0 && rest != "":
			opt.value = arg{text: rest, known: args[i].known}
			return append(opts, opt), i + 1
		case strings.IndexByte(s.short, ch) >= 0 && i+1 < len(args):
			opt.value = args[i+1]
			return append(opts, opt), i + 2
		case strings.IndexByte(s.attached, ch) >= 0:
			opt.value = arg{text: rest, known: args[i].known}
			return append(opts, opt), i + 1
		}
		opts = append(opts, opt)
	}
	return opts, i + 1
}

// has reports whether any of the named options was given.
func has(opts []option, names ...string) bool {
	_, ok := find(opts, names...)
	return ok
}

// find returns the last of the named options given, as the last one usually wins.
func find(opts []option, names ...string) (option, bool) {
	for i := len(opts) - 1; i >= 0; i-- {
		for _, n := range names {
			if opts[i].name == n {
				return opts[i], true
			}
		}
	}
	return option{}, false
}
