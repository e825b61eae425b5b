package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drsetup/drsetup/field"
	"github.com/drsetup/drsetup/ui/theme"
)

// pieces are what the edits type: ASCII, accents given as combining marks,
// wide characters, emoji with skin tones, joiners and variation selectors,
// flags (regional indicator pairs), spaces and control characters.
var pieces = []string{
	"a", "Z", "7", ".", "/", " ", "https://acme.my.salesforce.com", "e\u0301", "\u0301", "\u0308",
	"漢", "字", "👍", "🏽", "\u200d", "👩", "❤", "\ufe0f", "🇫", "🇷", "🇫🇷", "\t", "\n", "\x1b", "\x7f", "é",
}

var editKeys = []string{
	"left", "right", "home", "end", "backspace", "delete", "ctrl+w", "alt+d", "ctrl+k", "ctrl+u",
	"alt+left", "alt+right", "ctrl+b", "ctrl+f",
}

// editKey is the key press Bubble Tea reports as name ("ctrl+w", "alt+left").
func editKey(name string) tea.KeyPressMsg {
	codes := map[string]rune{"left": tea.KeyLeft, "right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "up": tea.KeyUp, "tab": tea.KeyTab, "f1": tea.KeyF1}
	var k tea.KeyPressMsg
	parts := strings.Split(name, "+")
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		}
	}
	last := parts[len(parts)-1]
	if c, ok := codes[last]; ok {
		k.Code = c
	} else {
		k.Code = []rune(last)[0]
	}
	if k.String() != name {
		panic("editKey: " + name + " is reported as " + k.String())
	}
	return k
}

// typed is a key press that types s.
func typed(s string) tea.KeyPressMsg {
	r, _ := utf8.DecodeRuneInString(s)
	return tea.KeyPressMsg{Code: r, Text: s}
}

// checkField compares the field's kept bookkeeping with what measuring its
// value from scratch gives.
func checkField(t *testing.T, f *textField, step string) {
	t.Helper()
	if got := f.value(); got != string(f.buf) {
		t.Fatalf("%s: value() %q, buf %q", step, got, f.buf)
	}
	if !utf8.Valid(f.buf) {
		t.Fatalf("%s: the value is not UTF-8: %q", step, f.buf)
	}
	want := segment(f.buf, nil)
	if !slices.Equal(f.cells, want) {
		t.Fatalf("%s: cells %v, segmenting %q whole gives %v", step, f.cells, f.buf, want)
	}
	if w := ansi.StringWidth(string(f.buf)); f.width != w {
		t.Fatalf("%s: width %d, the value measures %d: %q", step, f.width, w, f.buf)
	}
	if n := utf8.RuneCount(f.buf); f.runes != n || n > maxInput {
		t.Fatalf("%s: %d runes kept, %d in the value (limit %d)", step, f.runes, n, maxInput)
	}
	pos, col := 0, 0
	for _, c := range f.cells[:f.ci] {
		pos += int(c.n)
		col += int(c.w)
	}
	if f.pos != pos || f.col != col {
		t.Fatalf("%s: cursor at cell %d: byte %d column %d, want byte %d column %d", step, f.ci, f.pos, f.col, pos, col)
	}
	spos, scroll := 0, 0
	for _, c := range f.cells[:f.si] {
		spos += int(c.n)
		scroll += int(c.w)
	}
	if f.spos != spos || f.scroll != scroll {
		t.Fatalf("%s: view at cell %d: byte %d column %d, want byte %d column %d", step, f.si, f.spos, f.scroll, spos, scroll)
	}
}

// Whatever is typed, pasted or deleted, wherever the cursor is, the field's
// incremental bookkeeping is what measuring the value whole would give,
// and the cursor stays in view.
func TestFieldBookkeepingMatchesMeasuringFromScratch(t *testing.T) {
	st := theme.New(true, false)
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		f := newField(field.ClientID, seed%3 == 0, "")
		f.focus()
		w := 20 + rng.IntN(80)
		for step := range 150 {
			var msg tea.Msg
			var what string
			switch r := rng.IntN(10); {
			case r < 4:
				p := pieces[rng.IntN(len(pieces))]
				msg, what = typed(p), "type "+p
			case r < 5:
				var b strings.Builder
				for range rng.IntN(40) {
					b.WriteString(pieces[rng.IntN(len(pieces))])
				}
				msg, what = tea.PasteMsg{Content: b.String()}, "paste "+b.String()
			default:
				k := editKeys[rng.IntN(len(editKeys))]
				msg, what = editKey(k), k
			}
			f.update(msg)
			f.keepCursorInView(w - len(promptIn))
			label := fmt.Sprintf("seed %d step %d (%q)", seed, step, what)
			checkField(t, f, label)
			if f.col < f.scroll || f.col > f.scroll+w-len(promptIn) {
				t.Fatalf("%s: cursor column %d outside the view from %d, %d wide", label, f.col, f.scroll, w-len(promptIn))
			}
			line, x := f.render(st, w, true)
			if lw := ansi.StringWidth(ansi.Strip(line)); lw > w || x < 0 || x > w {
				t.Fatalf("%s: line %d wide with the cursor at %d, in %d: %q", label, lw, x, w, ansi.Strip(line))
			}
		}
	}
}

func TestFieldKeys(t *testing.T) {
	type want struct {
		value string
		cur   int // cursor, in bytes
	}
	for _, tt := range []struct {
		name   string
		secret bool
		start  string
		keys   []string
		want   want
	}{
		{"type at the end", false, "abc", []string{"d"}, want{"abcd", 4}},
		{"type in the middle", false, "abc", []string{"left", "X"}, want{"abXc", 3}},
		{"home and type", false, "abc", []string{"home", "X"}, want{"Xabc", 1}},
		{"backspace", false, "abc", []string{"backspace"}, want{"ab", 2}},
		{"delete at the cursor", false, "abc", []string{"home", "delete"}, want{"bc", 0}},
		{"ctrl+w deletes the word before", false, "one two  three", []string{"ctrl+w"}, want{"one two  ", 9}},
		{"alt+d deletes the word after", false, "one two", []string{"home", "alt+d"}, want{" two", 0}},
		{"ctrl+k deletes to the end", false, "one two", []string{"home", "right", "ctrl+k"}, want{"o", 1}},
		{"ctrl+u deletes to the start", false, "one two", []string{"left", "ctrl+u"}, want{"o", 0}},
		{"word moves", false, "one two three", []string{"alt+left", "alt+left", "X"}, want{"one Xtwo three", 5}},
		{"a combining mark joins the letter", false, "e", []string{"\u0301", "left", "X"}, want{"Xe\u0301", 1}},
		{"backspace takes a whole cluster", false, "a👍🏽", []string{"backspace"}, want{"a", 1}},
		{"flags pair up", false, "🇫", []string{"🇷", "left", "X"}, want{"X🇫🇷", 1}},
		{"a secret's word keys go to the ends", true, "pass word", []string{"alt+left", "X"}, want{"Xpass word", 1}},
		{"a secret's ctrl+w clears before the cursor", true, "pass word", []string{"ctrl+w"}, want{"", 0}},
		{"keys that are not text change nothing", false, "abc", []string{"up", "tab", "f1"}, want{"abc", 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newField(field.ClientID, tt.secret, "")
			f.focus()
			f.setValue(tt.start)
			for _, k := range tt.keys {
				msg := typed(k)
				if utf8.RuneCountInString(k) > 1 {
					msg = editKey(k)
				}
				f.update(msg)
				checkField(t, f, k)
			}
			if f.value() != tt.want.value || f.pos != tt.want.cur {
				t.Fatalf("value %q cursor %d, want %q cursor %d", f.value(), f.pos, tt.want.value, tt.want.cur)
			}
		})
	}
}

func TestFieldLimitsItsLength(t *testing.T) {
	f := newField(field.ClientID, false, "")
	f.focus()
	f.update(tea.PasteMsg{Content: strings.Repeat("é", maxInput+10)})
	if n := utf8.RuneCountInString(f.value()); n != maxInput {
		t.Fatalf("%d characters kept, want %d", n, maxInput)
	}
	if changed, _ := f.update(typed("x")); changed {
		t.Fatal("a key past the limit changed the value")
	}
	checkField(t, f, "full")
}

// FuzzFieldEdits types and deletes what the fuzzer gives, one op per byte
// pair, and compares the bookkeeping with measuring from scratch.
func FuzzFieldEdits(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "e\u0301👍🏽🇫🇷", false)
	f.Add([]byte{9, 9, 9, 1, 1, 1}, "漢字 abc", true)
	f.Fuzz(func(t *testing.T, ops []byte, text string, secret bool) {
		fl := newField(field.ClientID, secret, "")
		fl.focus()
		for i, op := range ops {
			switch {
			case op < 64:
				fl.update(editKey(editKeys[int(op)%len(editKeys)]))
			case op < 128:
				// A piece of the text: a rune or a few, maybe cut mid-UTF-8.
				if text != "" {
					a := int(op) % len(text)
					fl.update(typed(text[a:min(len(text), a+1+i%5)]))
				}
			default:
				fl.update(tea.PasteMsg{Content: text})
			}
			fl.keepCursorInView(30)
			checkField(t, fl, "op")
		}
	})
}
