// Package risk classifies shell commands: how dangerous they are (safe, risky,
// destructive), which Heroku apps they target, and why. It parses with mvdan.cc/sh and
// never executes anything.
package risk

import (
	"fmt"
	"strings"
)

// Level is a risk level. Higher is more dangerous; levels compare with < and >.
type Level int

const (
	Safe        Level = iota // reads only
	Risky                    // changes state, reversible
	Destructive              // loses data or is hard to undo
)

func (l Level) String() string {
	switch l {
	case Safe:
		return "safe"
	case Risky:
		return "risky"
	case Destructive:
		return "destructive"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// ParseLevel parses "safe", "risky" or "destructive".
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "safe":
		return Safe, nil
	case "risky":
		return Risky, nil
	case "destructive":
		return Destructive, nil
	}
	return Safe, fmt.Errorf("unknown risk level %q (want safe, risky or destructive)", s)
}

// Max returns the higher of two levels.
func Max(a, b Level) Level {
	if a > b {
		return a
	}
	return b
}

func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Verdict is the classification of one command.
type Verdict struct {
	Level   Level    `json:"level"`
	Targets []string `json:"targets"` // apps named by -a/--app/-r/--remote/HEROKU_APP=, $VARS resolved
	Reasons []string `json:"reasons"` // one short sentence per finding, e.g. "heroku apps:destroy deletes the app"
}
