// Package table lays out a result listing: padded to fit a terminal, or
// tab-separated when piped.
package table

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Table is a result listing: on a terminal, columns padded to fit its width;
// piped, one tab-separated line per row with every value whole, for cut and
// awk. Cells are cleaned of control characters either way: their text may
// come from a server, and a tab or newline in one would break the lines.
type Table struct {
	Headers []string
	Rows    [][]string
	// Shrink is the column that gives way on a narrow terminal: its values
	// are cut with "…", and once cutting them further would make them too
	// short to read, other columns are left out.
	Shrink int
	// Drops lists the columns that may be left out, first to last: each
	// goes when keeping it would cut the shrinking column below keepAbove.
	// Once none is left to go, the shrinking column is cut down to minCut.
	Drops []Drop
}

// Drop is a column a narrow terminal may do without.
type Drop struct{ Col, KeepAbove int }

const (
	columnGap = 2
	minCut    = 10
)

// WriteTSV writes the header and the rows as tab-separated lines.
func (t *Table) WriteTSV(w io.Writer) error {
	for _, row := range append([][]string{t.Headers}, t.Rows...) {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = Clean(c)
		}
		if _, err := fmt.Fprintln(w, strings.Join(cells, "\t")); err != nil {
			return err
		}
	}
	return nil
}

// layout chooses the columns shown in width terminal columns and their
// widths: every column at its natural width if they fit; else the
// shrinking column cut, and columns left out as drops says. It returns the columns shown, in order, their
// widths, and the columns left out.
func (t *Table) layout(width int) (shown, widths, dropped []int) {
	natural := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		natural[i] = ansi.StringWidth(h)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			natural[i] = max(natural[i], ansi.StringWidth(Clean(c)))
		}
	}
	keep := make([]bool, len(t.Headers))
	for i := range keep {
		keep[i] = true
	}
	// others is the room every shown column but the shrinking one takes,
	// with the gaps between all of them.
	others := func() int {
		n, cols := 0, 0
		for i, k := range keep {
			if k {
				cols++
				if i != t.Shrink {
					n += natural[i]
				}
			}
		}
		return n + columnGap*(cols-1)
	}
	for _, d := range t.Drops {
		if others()+min(d.KeepAbove, natural[t.Shrink]) <= width {
			continue
		}
		keep[d.Col] = false
		dropped = append(dropped, d.Col)
	}
	for i, k := range keep {
		if !k {
			continue
		}
		w := natural[i]
		if i == t.Shrink {
			// Once nothing more can be left out, the column is cut below
			// its minimum; a terminal narrower still wraps the lines itself.
			w = min(natural[i], max(width-others(), minCut))
		}
		shown = append(shown, i)
		widths = append(widths, w)
	}
	return shown, widths, dropped
}

// WriteFitted writes the table padded to fit width columns and returns the
// headers of the columns it left out.
func (t *Table) WriteFitted(w io.Writer, width int) ([]string, error) {
	shown, widths, dropped := t.layout(width)
	var b strings.Builder
	for _, row := range append([][]string{t.Headers}, t.Rows...) {
		for j, col := range shown {
			cell := ansi.Truncate(Clean(row[col]), widths[j], "…")
			b.WriteString(cell)
			if j < len(shown)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-ansi.StringWidth(cell)+columnGap))
			}
		}
		b.WriteString("\n")
	}
	var names []string
	for _, d := range dropped {
		names = append(names, t.Headers[d])
	}
	_, err := io.WriteString(w, b.String())
	return names, err
}

// Clean is a value as one line of plain text: control characters
// (terminal escapes, tabs, newlines) become spaces.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
