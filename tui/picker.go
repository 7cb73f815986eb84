package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Item is one choice in a picker: a runbook, or a training scenario with its story.
type Item struct {
	Name        string // what the caller gets back; the filter matches it too
	Title       string // shown; Name when empty
	Description string // its first line under the title; in full for the selected item
}

// listItem adapts an Item to bubbles/list.
type listItem struct{ it Item }

func (l listItem) Title() string {
	if l.it.Title != "" {
		return l.it.Title
	}
	return l.it.Name
}

func (l listItem) Description() string {
	first, _, _ := strings.Cut(strings.TrimSpace(l.it.Description), "\n")
	return first
}

func (l listItem) FilterValue() string { return l.it.Name + " " + l.it.Title }

// pickerModel is a filterable list with the selected item's full description under it.
type pickerModel struct {
	st      *Styles
	list    list.Model
	keys    pickerKeyMap
	width   int
	height  int
	items   []Item
	chosen  *Item
	details bool // some description is longer than one line
}

func newPicker(title string, items []Item, st *Styles, w, h int) *pickerModel {
	li := make([]list.Item, len(items))
	details := false
	for i, it := range items {
		li[i] = listItem{it}
		d := strings.TrimSpace(it.Description)
		if strings.Contains(d, "\n") || len(d) > 60 {
			details = true
		}
	}
	d := list.NewDefaultDelegate()
	d.Styles = st.listItemStyles(d.Styles)
	p := &pickerModel{st: st, keys: newPickerKeyMap(), details: details, items: items}
	l := list.New(li, d, w, h)
	l.Title = title
	l.Styles.Title = st.PickerTitle
	l.SetStatusBarItemName("item", "items")
	l.DisableQuitKeybindings()
	l.AdditionalShortHelpKeys = func() []key.Binding { return []key.Binding{p.keys.Choose, p.keys.Cancel} }
	l.AdditionalFullHelpKeys = l.AdditionalShortHelpKeys
	p.list = l
	p.setSize(w, h)
	return p
}

func (p *pickerModel) setSize(w, h int) {
	p.width, p.height = w, h
	listH := h
	if p.details {
		listH = h - p.detailsHeight() - 1
	}
	p.list.SetSize(w, max(listH, 5))
}

// detailsHeight fits the longest description, wrapped, within a third of the screen.
func (p *pickerModel) detailsHeight() int {
	n := 1
	for _, it := range p.items {
		n = max(n, strings.Count(wrap(strings.TrimSpace(it.Description), max(p.width-4, 10)), "\n")+1)
	}
	return min(n, max(p.height/3, 2))
}

func (p *pickerModel) Init() tea.Cmd { return nil }

func (p *pickerModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.setSize(msg.Width, msg.Height)
		return p, nil
	case tea.KeyMsg:
		// While the filter is typed, q and enter belong to the list.
		filtering := p.list.FilterState() == list.Filtering
		if !filtering && msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
			// Runes that came in one read are keys of their own (see handleKeys);
			// once one of them starts the filter, the rest is its text.
			var cmds []tea.Cmd
			for i, r := range msg.Runes {
				one := msg
				one.Runes, one.Paste = []rune{r}, false
				if p.list.FilterState() == list.Filtering {
					one.Runes = msg.Runes[i:]
				}
				_, cmd := p.Update(one)
				cmds = append(cmds, cmd)
				if p.chosen != nil || len(one.Runes) > 1 {
					break
				}
			}
			return p, tea.Batch(cmds...)
		}
		switch {
		case key.Matches(msg, p.keys.Interrupt), !filtering && key.Matches(msg, p.keys.Cancel):
			return p, tea.Quit
		case !filtering && key.Matches(msg, p.keys.Choose):
			if sel, ok := p.list.SelectedItem().(listItem); ok {
				it := sel.it
				p.chosen = &it
				return p, tea.Quit
			}
		}
	}
	if _, ok := msg.(list.FilterMatchesMsg); ok && p.list.FilterState() != list.Unfiltered {
		// bubbles/list filters each keystroke in a command of its own, and their
		// results can come back out of order: one computed for an earlier filter
		// would replace the current one. Filter again, here, for what is typed now.
		state := p.list.FilterState()
		p.list.SetFilterText(p.list.FilterValue())
		if state == list.Filtering {
			p.list.SetFilterState(list.Filtering)
		}
		return p, nil
	}
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(msg)
	return p, cmd
}

func (p *pickerModel) View() string {
	v := p.list.View()
	if !p.details {
		return v
	}
	text := ""
	if sel, ok := p.list.SelectedItem().(listItem); ok {
		text = strings.TrimSpace(sel.it.Description)
	}
	rule := p.st.PaneBorder.Render(strings.Repeat("─", max(p.width, 1)))
	body := fit(indent(wrap(text, max(p.width-4, 10)), "  "), p.width, p.detailsHeight())
	return v + "\n" + rule + "\n" + body
}

// Pick shows a filterable list full-screen and returns the chosen item; ok is false
// when the operator left without choosing.
func Pick(title string, items []Item, in io.Reader, out io.Writer) (Item, bool, error) {
	if len(items) == 0 {
		return Item{}, false, errors.New("nothing to choose from")
	}
	useOutput(out)
	st := DefaultStyles(noColorEnv())
	p := newPicker(title, items, &st, defaultWidth, defaultHeight)
	prog := tea.NewProgram(p, tea.WithInput(in), tea.WithOutput(out), tea.WithAltScreen())
	final, err := prog.Run()
	if err != nil {
		return Item{}, false, fmt.Errorf("unable to run the picker: %w", err)
	}
	fp, _ := final.(*pickerModel)
	if fp == nil || fp.chosen == nil {
		return Item{}, false, nil
	}
	return *fp.chosen, true, nil
}

// noColorEnv reports NO_COLOR (https://no-color.org): set and not empty.
func noColorEnv() bool { return os.Getenv("NO_COLOR") != "" }

// useOutput makes lipgloss detect the colour profile and the background on out when
// out is not stdout (where it looks by default). Call it before DefaultStyles.
func useOutput(out io.Writer) {
	if f, ok := out.(*os.File); ok && f == os.Stdout {
		return
	}
	lipgloss.SetDefaultRenderer(lipgloss.NewRenderer(out))
}
