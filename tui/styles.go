package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
)

// The palette. Adaptive colours pick the light or dark variant from the terminal's
// background (detected once, before a program starts).
var (
	colorAccent  = lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	colorDanger  = lipgloss.AdaptiveColor{Light: "#C62828", Dark: "#FF5F5F"}
	colorWarn    = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F5C542"}
	colorOK      = lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"}
	colorSubtle  = lipgloss.AdaptiveColor{Light: "#D9DCCF", Dark: "#383838"}
	colorMuted   = lipgloss.AdaptiveColor{Light: "#8B8B8B", Dark: "#7A7A7A"}
	colorText    = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#DDDDDD"}
	colorOnBadge = lipgloss.Color("#FFFDF5")
	colorDryRun  = lipgloss.AdaptiveColor{Light: "#0969DA", Dark: "#58A6FF"}
	colorTrain   = lipgloss.AdaptiveColor{Light: "#8250DF", Dark: "#D2A8FF"}
)

// Icons are the glyphs for step and block states. They carry meaning without colour,
// so NO_COLOR loses nothing.
type Icons struct {
	Pending, Waiting, Passed, Warned, Failed, Errored, Skipped, Cursor, Bullet, Next string
}

// Styles holds every lipgloss style of the TUI. Build it once with DefaultStyles and
// pass it around; nothing else in the package creates styles.
type Styles struct {
	NoColor bool
	// Markdown is the glamour standard style: "dark", "light", or "notty" under NO_COLOR.
	Markdown string
	Icons    Icons

	Bold, Muted, Faint, Text lipgloss.Style

	// Header.
	Brand, HeaderTitle, AppName       lipgloss.Style
	BadgeProduction, BadgeStaging     lipgloss.Style
	BadgeEnv, BadgeDryRun, BadgeTrain lipgloss.Style
	Rule, RuleProduction, RuleStaging lipgloss.Style

	// Step list.
	StepRow, StepCursor, StepCursorFocused lipgloss.Style
	IconPending, IconWaiting, IconPassed   lipgloss.Style
	IconWarned, IconFailed                 lipgloss.Style
	IconErrored, IconSkipped, Spinner      lipgloss.Style
	StepListBorder                         lipgloss.Style

	// Blocks and results.
	SectionTitle                                    lipgloss.Style
	BlockNumber, BlockKind, BlockLabel              lipgloss.Style
	RiskSafe, RiskRisky, RiskDestructive            lipgloss.Style
	ResultPass, ResultWarn, ResultFail, ResultError lipgloss.Style
	Finding, NextStep, Hint                         lipgloss.Style

	// Panes.
	PaneTitle, PaneTitleFocused, PaneBorder, PaneBorderFocused lipgloss.Style
	OutputStderr, OutputMarker                                 lipgloss.Style

	// Modals.
	Modal, ModalRisky, ModalDanger                lipgloss.Style
	ModalTitle, ModalTitleRisky, ModalTitleDanger lipgloss.Style
	ModalLabel, ModalCommand, ModalWarn           lipgloss.Style
	ModalPrompt, ModalAnswered                    lipgloss.Style

	// Status line, form, picker.
	Status, StatusError, StatusRight lipgloss.Style
	FormTitle, FormLabel, FormError  lipgloss.Style
	PickerTitle                      lipgloss.Style

	Help help.Styles
}

// DefaultStyles builds the TUI's styles. With noColor every colour is dropped (bold,
// reverse and the glyphs remain) and glamour's notty style is used, as NO_COLOR asks.
func DefaultStyles(noColor bool) Styles {
	fg := func(c lipgloss.TerminalColor) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	badge := func(bg lipgloss.TerminalColor) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1)
		}
		return lipgloss.NewStyle().Bold(true).Foreground(colorOnBadge).Background(bg).Padding(0, 1)
	}
	border := func(c lipgloss.TerminalColor, b lipgloss.Border) lipgloss.Style {
		s := lipgloss.NewStyle().Border(b)
		if !noColor {
			s = s.BorderForeground(c)
		}
		return s
	}

	s := Styles{
		NoColor:  noColor,
		Markdown: "dark",
		Icons: Icons{
			Pending: "○", Waiting: "?", Passed: "✓", Warned: "▲", Failed: "✗", Errored: "!", Skipped: "↷",
			Cursor: "›", Bullet: "•", Next: "→",
		},
	}
	switch {
	case noColor:
		s.Markdown = "notty"
	case !lipgloss.HasDarkBackground():
		s.Markdown = "light"
	}

	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Muted = fg(colorMuted)
	s.Faint = fg(colorSubtle)
	s.Text = fg(colorText)

	s.Brand = fg(colorAccent).Bold(true)
	s.HeaderTitle = s.Bold
	s.AppName = s.Bold
	s.BadgeProduction = badge(colorDanger)
	s.BadgeStaging = badge(colorWarn)
	s.BadgeEnv = badge(colorMuted)
	s.BadgeDryRun = badge(colorDryRun)
	s.BadgeTrain = badge(colorTrain)
	s.Rule = fg(colorSubtle)
	s.RuleProduction = fg(colorDanger).Bold(true)
	s.RuleStaging = fg(colorWarn)

	s.StepRow = lipgloss.NewStyle()
	s.StepCursor = lipgloss.NewStyle().Bold(true)
	if noColor {
		s.StepCursorFocused = lipgloss.NewStyle().Bold(true).Reverse(true)
	} else {
		s.StepCursorFocused = lipgloss.NewStyle().Bold(true).Foreground(colorOnBadge).Background(colorAccent)
		s.StepCursor = s.StepCursor.Foreground(colorAccent)
	}
	s.IconPending = fg(colorMuted)
	s.IconWaiting = fg(colorWarn).Bold(true)
	s.IconPassed = fg(colorOK)
	s.IconWarned = fg(colorWarn)
	s.IconFailed = fg(colorDanger)
	s.IconErrored = fg(colorDanger).Bold(true)
	s.IconSkipped = fg(colorMuted)
	s.Spinner = fg(colorAccent)
	s.StepListBorder = fg(colorSubtle)

	s.SectionTitle = fg(colorAccent).Bold(true)
	s.BlockNumber = fg(colorMuted)
	s.BlockKind = fg(colorMuted)
	s.BlockLabel = lipgloss.NewStyle()
	s.RiskSafe = fg(colorOK)
	s.RiskRisky = fg(colorWarn).Bold(true)
	s.RiskDestructive = fg(colorDanger).Bold(true)
	s.ResultPass = fg(colorOK)
	s.ResultWarn = fg(colorWarn)
	s.ResultFail = fg(colorDanger)
	s.ResultError = fg(colorDanger).Bold(true)
	s.Finding = lipgloss.NewStyle()
	s.NextStep = fg(colorAccent)
	s.Hint = fg(colorMuted).Italic(!noColor)

	s.PaneTitle = fg(colorMuted).Bold(true)
	s.PaneTitleFocused = fg(colorAccent).Bold(true)
	if noColor {
		s.PaneTitleFocused = s.PaneTitleFocused.Reverse(true)
	}
	s.PaneBorder = fg(colorSubtle)
	s.PaneBorderFocused = fg(colorAccent)
	s.OutputStderr = fg(colorWarn)
	s.OutputMarker = fg(colorMuted)

	s.Modal = border(colorAccent, lipgloss.RoundedBorder()).Padding(0, 1)
	s.ModalRisky = border(colorWarn, lipgloss.RoundedBorder()).Padding(0, 1)
	s.ModalDanger = border(colorDanger, lipgloss.ThickBorder()).Padding(0, 1)
	s.ModalTitle = fg(colorAccent).Bold(true)
	s.ModalTitleRisky = fg(colorWarn).Bold(true)
	s.ModalTitleDanger = badge(colorDanger)
	s.ModalLabel = fg(colorMuted)
	s.ModalCommand = s.Bold
	s.ModalWarn = fg(colorDanger).Bold(true)
	s.ModalPrompt = s.Bold
	s.ModalAnswered = fg(colorOK).Bold(true)

	s.Status = fg(colorMuted)
	s.StatusError = fg(colorDanger).Bold(true)
	s.StatusRight = fg(colorMuted)
	s.FormTitle = fg(colorAccent).Bold(true)
	s.FormLabel = s.Bold
	s.FormError = fg(colorDanger)
	s.PickerTitle = badge(colorAccent)

	s.Help = help.Styles{
		Ellipsis:       fg(colorMuted),
		ShortKey:       fg(colorMuted).Bold(true),
		ShortDesc:      fg(colorMuted),
		ShortSeparator: fg(colorSubtle),
		FullKey:        fg(colorMuted).Bold(true),
		FullDesc:       fg(colorMuted),
		FullSeparator:  fg(colorSubtle),
	}
	return s
}

// listItemStyles adapts bubbles/list's item styles: under NO_COLOR the selection is
// shown with bold and its left border, filter matches with an underline.
func (s Styles) listItemStyles(d list.DefaultItemStyles) list.DefaultItemStyles {
	if !s.NoColor {
		return d
	}
	d.SelectedTitle = d.SelectedTitle.UnsetForeground().UnsetBorderForeground().Bold(true)
	d.SelectedDesc = d.SelectedDesc.UnsetForeground().UnsetBorderForeground()
	d.NormalTitle = d.NormalTitle.UnsetForeground()
	d.NormalDesc = d.NormalDesc.UnsetForeground()
	d.DimmedTitle = d.DimmedTitle.UnsetForeground()
	d.DimmedDesc = d.DimmedDesc.UnsetForeground()
	d.FilterMatch = d.FilterMatch.Underline(true)
	return d
}
