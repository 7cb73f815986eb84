package tui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// appNamePattern is Heroku's rule for app names.
var appNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

// validateParam checks a value the operator typed; "" means fine.
func validateParam(p runbook.Param, v string) string {
	switch {
	case v == "" && p.Required:
		return "required"
	case v == "":
		return ""
	case p.Kind == "app" && !appNamePattern.MatchString(v):
		return "not a Heroku app name: 3 to 30 characters, lowercase letters, digits and dashes, starting with a letter"
	}
	return ""
}

type formField struct {
	param runbook.Param
	input textinput.Model
	err   string
}

// paramsForm asks for the params the engine found missing or invalid, then sends
// Start with them.
type paramsForm struct {
	fields []formField
	focus  int
}

// newParamsForm builds a field for every param the state complains about (every
// declared param when it names none), prefilled with what was given or the default.
func newParamsForm(rb *runbook.Runbook, s engine.State, st *Styles) *paramsForm {
	f := &paramsForm{}
	for _, p := range rb.Params {
		problem, bad := s.ParamErrors[p.Name]
		if len(s.ParamErrors) > 0 && !bad {
			continue
		}
		ti := textinput.New()
		ti.Prompt = "> "
		ti.PromptStyle = st.ModalPrompt
		ti.PlaceholderStyle = st.Faint
		ti.CharLimit = 200
		if p.Kind == "app" {
			ti.CharLimit = 30
			ti.Placeholder = "app name"
		}
		v := s.Cfg.Params[p.Name]
		if v == "" {
			v = p.Default
		}
		ti.SetValue(v)
		ff := formField{param: p, input: ti}
		if v != "" {
			// The value came from a flag and the engine refused it: say why now.
			ff.err = problem
		}
		f.fields = append(f.fields, ff)
	}
	if len(f.fields) > 0 {
		f.fields[0].input.Focus()
	}
	return f
}

func (f *paramsForm) lastField() bool { return f.focus == len(f.fields)-1 }

func (f *paramsForm) move(d int) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	f.fields[f.focus].input.Blur()
	f.focus = (f.focus + d + len(f.fields)) % len(f.fields)
	return f.fields[f.focus].input.Focus()
}

// validate checks every field and puts the focus on the first bad one.
func (f *paramsForm) validate() bool {
	firstBad := -1
	for i := range f.fields {
		fl := &f.fields[i]
		fl.err = validateParam(fl.param, strings.TrimSpace(fl.input.Value()))
		if fl.err != "" && firstBad < 0 {
			firstBad = i
		}
	}
	if firstBad >= 0 && firstBad != f.focus {
		f.move(firstBad - f.focus)
	}
	return firstBad < 0
}

// setErrors shows the engine's verdict on a Start it refused.
func (f *paramsForm) setErrors(errs map[string]string) {
	for i := range f.fields {
		if e := errs[f.fields[i].param.Name]; e != "" {
			f.fields[i].err = e
		}
	}
}

func (f *paramsForm) values() map[string]string {
	v := make(map[string]string, len(f.fields))
	for _, fl := range f.fields {
		v[fl.param.Name] = strings.TrimSpace(fl.input.Value())
	}
	return v
}

// Update handles a message. submit is true when the operator asks to start and every
// field is valid.
func (f *paramsForm) Update(msg tea.Msg, keys keyMap) (cmd tea.Cmd, submit bool) {
	if len(f.fields) == 0 {
		// Nothing to ask: any key starts (the engine says if it still objects).
		_, isKey := msg.(tea.KeyMsg)
		return nil, isKey
	}
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keys.FormPrev):
			return f.move(-1), false
		case key.Matches(k, keys.FormNext):
			return f.move(1), false
		case key.Matches(k, keys.FormSubmit):
			fl := &f.fields[f.focus]
			fl.err = validateParam(fl.param, strings.TrimSpace(fl.input.Value()))
			if fl.err != "" {
				return nil, false
			}
			if !f.lastField() {
				return f.move(1), false
			}
			return nil, f.validate()
		}
	}
	var c tea.Cmd
	f.fields[f.focus].input, c = f.fields[f.focus].input.Update(msg)
	return c, false
}

// View draws the form in a w x h area.
func (f *paramsForm) View(st *Styles, w, h int) string {
	var b strings.Builder
	b.WriteString(st.FormTitle.Render("Before we start") + "\n")
	intro := "This runbook needs a few values. They reach commands only as environment variables."
	b.WriteString(st.Muted.Render(wrap(intro, w-2)) + "\n\n")
	for i, fl := range f.fields {
		label := fl.param.Prompt
		if label == "" {
			label = fl.param.Name
		}
		label = st.FormLabel.Render(label) + st.Muted.Render(" ("+fl.param.Name+")")
		if fl.param.Env != "" {
			label += " " + envBadge(st, fl.param.Env)
		}
		if fl.param.Required {
			label += st.Muted.Render(" required")
		}
		cursor := "  "
		if i == f.focus {
			cursor = st.StepCursor.Render(st.Icons.Cursor + " ")
		}
		b.WriteString(cursor + label + "\n")
		fl.input.Width = max(w-8, 10)
		b.WriteString("  " + fl.input.View() + "\n")
		if fl.err != "" {
			b.WriteString("  " + st.FormError.Render(wrap("✗ "+fl.err, w-4)) + "\n")
		}
		b.WriteString("\n")
	}
	return fit(b.String(), w, h)
}
