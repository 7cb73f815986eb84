package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/dynodoc/dynodoc/internal/review"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// The review screen shows a drill's after-action review, which the Finish text carries
// after its verdict (from review.Heading on): the final panel keeps the verdict and
// offers the review, full screen and scrollable.
type reviewScreen struct {
	open bool
	top  int // the first line shown
}

var (
	reviewOpen   = key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "the after-action review"))
	reviewClose  = key.NewBinding(key.WithKeys("esc", "r"), key.WithHelp("esc", "back"))
	reviewUp     = key.NewBinding(key.WithKeys("up", "k"))
	reviewDown   = key.NewBinding(key.WithKeys("down", "j"))
	reviewPgUp   = key.NewBinding(key.WithKeys("pgup", "b"))
	reviewPgDown = key.NewBinding(key.WithKeys("pgdown", " ", "f"))
)

// splitReview cuts a Finish text into its verdict and its review ("" when none).
func splitReview(text string) (verdict, rev string) {
	i := strings.Index(text, review.Heading)
	if i < 0 {
		return text, ""
	}
	return strings.TrimRight(text[:i], "\n"), text[i:]
}

// finalText is what the final panel shows: the verdict, and how to open the review.
func (m *walkModel) finalText() string {
	verdict, rev := splitReview(m.final.text)
	if rev == "" {
		return verdict
	}
	return verdict + "\n\n" + m.st.Bold.Render("r shows the after-action review: your path beside the senior's")
}

// reviewLines are the review's lines wrapped to the screen, each keeping its indent.
func (m *walkModel) reviewLines() []string {
	_, rev := splitReview(m.final.text)
	w := max(m.width, 20) - 2
	var out []string
	for _, l := range strings.Split(strings.TrimRight(textsafe.Visible(rev), "\n"), "\n") {
		body := strings.TrimLeft(l, " ")
		if body == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(hang(body, w, l[:len(l)-len(body)]), "\n")...)
	}
	return out
}

// reviewKey handles the keys of the final panel that concern the review; ok is false
// for the others (q still exits).
func (m *walkModel) reviewKey(k tea.KeyMsg) (tea.Cmd, bool) {
	if m.final == nil || m.final.waiting {
		return nil, false
	}
	if _, rev := splitReview(m.final.text); rev == "" {
		return nil, false
	}
	page := max(m.reviewHeight()-1, 1)
	last := max(len(m.reviewLines())-m.reviewHeight(), 0)
	switch {
	case !m.review.open:
		if key.Matches(k, reviewOpen) {
			m.review = reviewScreen{open: true}
			return nil, true
		}
		return nil, false
	case key.Matches(k, reviewClose):
		m.review.open = false
	case key.Matches(k, reviewUp):
		m.review.top = max(m.review.top-1, 0)
	case key.Matches(k, reviewDown):
		m.review.top = min(m.review.top+1, last)
	case key.Matches(k, reviewPgUp):
		m.review.top = max(m.review.top-page, 0)
	case key.Matches(k, reviewPgDown):
		m.review.top = min(m.review.top+page, last)
	default:
		return nil, false
	}
	return nil, true
}

func (m *walkModel) reviewHeight() int { return max(m.height, 8) - 2 }

// reviewView is the review, full screen, with a line saying how to move.
func (m *walkModel) reviewView() string {
	w := max(m.width, 20)
	body := window(m.reviewLines(), m.review.top, w-2, m.reviewHeight())
	hint := m.st.Hint.Render("↑/↓ scroll · space/b page · esc back · q exit")
	return fit(indent(body, " ")+"\n", w, m.reviewHeight()+1) + "\n" + truncate(hint, w)
}
