// Package theme holds every style drsetup draws with: the one place colours
// are named, readable on light and dark backgrounds, and reduced to plain text
// when colour is off.
package theme

import (
	"image/color"
	"io"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Marks used in checklists and results. Words travel with them in every view,
// so a reader without the symbols (or colour) still gets the meaning.
const (
	MarkPass = "✓"
	MarkFail = "✗"
	MarkWarn = "!"
	MarkSkip = "-"
	MarkRun  = "…"
)

// Styles are the named styles of every view.
type Styles struct {
	Color bool // false: every style below renders plain text

	App      lipgloss.Style // outer padding of the full-screen views
	Title    lipgloss.Style // screen title
	Step     lipgloss.Style // "Step 3 of 9"
	Text     lipgloss.Style
	Subtle   lipgloss.Style // explanations, where to find a value
	Key      lipgloss.Style // a key in the help line
	Help     lipgloss.Style // the help line
	Label    lipgloss.Style // field labels
	Focused  lipgloss.Style // the focused field's label or choice
	Value    lipgloss.Style // a value the user gave or we derived
	Code     lipgloss.Style // URLs, IDs, settings to copy
	Pass     lipgloss.Style
	Fail     lipgloss.Style
	Warn     lipgloss.Style
	Skip     lipgloss.Style
	Error    lipgloss.Style // an error message block
	Banner   lipgloss.Style // the demo banner
	Box      lipgloss.Style // a bordered block (review, result)
	Progress lipgloss.Style // the progress bar's filled part
	Spinner  lipgloss.Style

	Cursor color.Color // the text input cursor; nil without colour
}

// New returns the styles for a background (dark or light) with or without colour.
func New(isDark, useColor bool) *Styles {
	if !useColor {
		plain := lipgloss.NewStyle()
		return &Styles{
			App: plain.Padding(0, 1), Title: plain.Bold(true), Step: plain, Text: plain,
			Subtle: plain, Key: plain.Bold(true), Help: plain, Label: plain, Focused: plain.Bold(true),
			Value: plain, Code: plain, Pass: plain, Fail: plain.Bold(true), Warn: plain, Skip: plain,
			Error: plain, Banner: plain.Bold(true), Box: plain.Border(lipgloss.NormalBorder()).Padding(0, 1),
			Progress: plain, Spinner: plain,
		}
	}
	ld := lipgloss.LightDark(isDark)
	var (
		accent = ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B7A6FF"))
		subtle = ld(lipgloss.Color("#5C5C5C"), lipgloss.Color("#A8A8A8"))
		green  = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#5FD78A"))
		red    = ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7B72"))
		amber  = ld(lipgloss.Color("#8A5300"), lipgloss.Color("#F2CC60"))
		code   = ld(lipgloss.Color("#0B5CAD"), lipgloss.Color("#79C0FF"))
		border = ld(lipgloss.Color("#C8C8C8"), lipgloss.Color("#4A4A4A"))
		banner = ld(lipgloss.Color("#FFF4CE"), lipgloss.Color("#3D3000"))
	)
	s := lipgloss.NewStyle()
	return &Styles{
		Color:    true,
		App:      s.Padding(0, 1),
		Title:    s.Bold(true).Foreground(accent),
		Step:     s.Foreground(subtle),
		Text:     s,
		Subtle:   s.Foreground(subtle),
		Key:      s.Bold(true),
		Help:     s.Foreground(subtle),
		Label:    s.Bold(true),
		Focused:  s.Bold(true).Foreground(accent),
		Value:    s,
		Code:     s.Foreground(code),
		Pass:     s.Foreground(green),
		Fail:     s.Bold(true).Foreground(red),
		Warn:     s.Foreground(amber),
		Skip:     s.Foreground(subtle),
		Error:    s.Foreground(red),
		Banner:   s.Bold(true).Background(banner).Padding(0, 1),
		Box:      s.Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1),
		Progress: s.Foreground(accent),
		Spinner:  s.Foreground(accent),
		Cursor:   accent,
	}
}

// Profile returns the colour profile to draw with: Ascii (no colour, still
// bold and underline) when colour is off, whatever NO_COLOR's spelling.
// colorprofile itself parses NO_COLOR with strconv.ParseBool, so NO_COLOR=yes
// would keep colour; drsetup decides instead (iostreams).
func Profile(w io.Writer, environ []string, useColor bool) colorprofile.Profile {
	if !useColor {
		return colorprofile.Ascii
	}
	return colorprofile.Detect(w, environ)
}

// Writer wraps w so styled text is reduced to what the profile can show.
// Use it for output printed outside Bubble Tea (doctor's report, plain prompts).
func Writer(w io.Writer, p colorprofile.Profile) io.Writer {
	return &colorprofile.Writer{Forward: w, Profile: p}
}
