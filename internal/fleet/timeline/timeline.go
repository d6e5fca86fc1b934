package timeline

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// Formats Render writes.
const (
	FormatSVG = "svg"
	FormatPNG = "png"
)

// Layout, in points.
const (
	width        = 10 * vg.Inch
	rowHeight    = 12 // per sandbox
	chrome       = 110
	minHeight    = 3 * vg.Inch
	vmLabelWidth = 118 // right margin for the VM labels
	legendHeight = 24
	pngDPI       = 144
	minBarWidth  = 1.5
	labelMinLen  = 8
	maxLabelLen  = 40
)

// Palette: bars by function (colour-blind-safe Okabe–Ito, less black), then
// the markers and bands.
func functionColor(i int) color.Color {
	switch i % 7 {
	case 0:
		return color.RGBA{0x56, 0xB4, 0xE9, 0xff} // sky blue
	case 1:
		return color.RGBA{0xE6, 0x9F, 0x00, 0xff} // orange
	case 2:
		return color.RGBA{0x00, 0x9E, 0x73, 0xff} // bluish green
	case 3:
		return color.RGBA{0xCC, 0x79, 0xA7, 0xff} // reddish purple
	case 4:
		return color.RGBA{0xF0, 0xE4, 0x42, 0xff} // yellow
	case 5:
		return color.RGBA{0x00, 0x72, 0xB2, 0xff} // blue
	}
	return color.RGBA{0x99, 0x99, 0x99, 0xff} // grey
}

var (
	coldColor      = color.RGBA{0xD5, 0x2A, 0x1E, 0xff}
	proactiveColor = color.RGBA{0x1F, 0x3A, 0x93, 0xff}
	otherColor     = color.RGBA{0x44, 0x44, 0x44, 0xff}
	bandColor      = color.RGBA{0xEE, 0xEE, 0xEE, 0xff}
)

// Render draws rows (as fleet.Analyzer.Rows returns them: grouped by VM)
// as format (FormatSVG or FormatPNG) to w. omitted is the number of
// sandboxes not drawn, shown in the caption.
func Render(w io.Writer, format string, rows []fleet.Row, omitted int, title string, opts ...Option) error {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if format != FormatSVG && format != FormatPNG {
		return fmt.Errorf("timeline: unknown format %q (want %s or %s)", format, FormatSVG, FormatPNG)
	}
	h := vg.Length(chrome + rowHeight*len(rows))
	h = max(h, minHeight)
	var canvas vg.CanvasWriterTo
	if format == FormatSVG {
		canvas = vgsvg.New(width, h)
	} else {
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))}
	}
	if err := draw1(draw.New(canvas), rows, omitted, title, o); err != nil {
		return err
	}
	_, err := canvas.WriteTo(w)
	if err != nil {
		return fmt.Errorf("timeline: write %s: %w", format, err)
	}
	return nil
}

// draw1 lays out and draws the whole picture on c.
func draw1(c draw.Canvas, rows []fleet.Row, omitted int, title string, o options) error {
	labels := Labels(rows)
	fnIndex := map[string]int{}
	var fnNames []string
	for _, r := range rows {
		if _, ok := fnIndex[r.Function]; !ok {
			fnIndex[r.Function] = len(fnNames)
			fnNames = append(fnNames, r.Function)
		}
	}

	lo, hi, first := timeRange(rows)
	p := plot.New()
	p.Title.Text = clean(title, 200)
	p.Title.TextStyle.Font = sans(11)
	p.X.Min, p.X.Max = lo, hi
	p.X.Label.Text = "time (UTC) from " + first.UTC().Format("2006-01-02 15:04:05")
	p.X.Label.TextStyle.Font = sans(9)
	p.X.Tick.Label.Font = sans(8)
	p.X.Tick.Marker = timeTicks{}
	p.Y.Min, p.Y.Max = 0.5, float64(max(len(rows), 1))+0.5
	p.Y.Label.Text = "sandbox (grouped by VM)"
	p.Y.Label.TextStyle.Font = sans(9)
	p.Y.Tick.Label.Font = font.Font{Typeface: "Liberation", Variant: "Mono", Size: 7}
	p.Y.Padding, p.X.Padding = 0, 0
	ticks := make(plot.ConstantTicks, len(rows))
	for i := range rows {
		ticks[i] = plot.Tick{Value: rowY(i, len(rows)), Label: labels[i]}
	}
	p.Y.Tick.Marker = ticks
	tl := &timelinePlot{rows: rows, fnIndex: fnIndex, bySteal: o.bySteal}
	p.Add(tl)

	// The plot takes the canvas less a legend strip on top and the VM
	// label column on the right.
	plotArea := draw.Crop(c, 0, -vmLabelWidth, 0, -legendHeight)
	p.Draw(plotArea)
	data := p.DataCanvas(plotArea)
	_, ty := p.Transforms(&data)

	drawVMLabels(c, data, ty, rows)
	if len(rows) == 0 {
		sty := smallText(10, otherColor)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		data.FillText(sty, data.Center(), "no sandbox with a timestamp in the input")
	}
	drawLegend(draw.Crop(c, 0, 0, c.Max.Y-c.Min.Y-legendHeight, 0), fnNames, o.bySteal)
	if omitted > 0 {
		sty := smallText(7, otherColor)
		sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
		c.FillText(sty, vg.Point{X: c.Max.X - 4, Y: c.Min.Y + 4}, fmt.Sprintf("%d more sandboxes not drawn", omitted))
	}
	return nil
}

// rowY is the Y value of row i (the first row at the top).
func rowY(i, n int) float64 { return float64(n - i) }

// timeRange is the span of the rows in Unix seconds, padded by 2% (by a
// second when the rows span no time), and its first instant.
func timeRange(rows []fleet.Row) (lo, hi float64, first time.Time) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		for _, t := range []time.Time{r.First, r.Last, r.Startup, r.FirstInvocation} {
			if t.IsZero() {
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
			s := unixSeconds(t)
			lo, hi = math.Min(lo, s), math.Max(hi, s)
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 1, time.Unix(0, 0)
	}
	pad := (hi - lo) * 0.02
	if pad == 0 {
		pad = 1
	}
	return lo - pad, hi + pad, first
}

func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// timelinePlot draws the VM bands, bars and markers.
type timelinePlot struct {
	rows    []fleet.Row
	fnIndex map[string]int
	bySteal bool // bars coloured by their VM's steal share, not by function
}

// Plot implements plot.Plotter.
func (t *timelinePlot) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	n := len(t.rows)
	half := vg.Length(rowHeight) / 2
	// alternate bands per VM group
	band := false
	for i := 0; i < n; {
		j := i
		for j < n && t.rows[j].VM == t.rows[i].VM {
			j++
		}
		if band {
			top, bottom := ty(rowY(i, n))+half, ty(rowY(j-1, n))-half
			c.FillPolygon(bandColor, rect(c.Min.X+1, bottom, c.Max.X, top)) // +1: leave the axis line alone
		}
		if i > 0 {
			y := ty(rowY(i, n)) + half
			c.StrokeLine2(draw.LineStyle{Color: color.Gray{0xBB}, Width: 0.5}, c.Min.X+1, y, c.Max.X, y)
		}
		band = !band
		i = j
	}
	barHalf := vg.Length(rowHeight) * 0.3
	for i, r := range t.rows {
		y := ty(rowY(i, n))
		x0, x1 := tx(unixSeconds(r.First)), tx(unixSeconds(r.Last))
		if x1-x0 < minBarWidth {
			x1 = x0 + minBarWidth
		}
		col := functionColor(t.fnIndex[r.Function])
		if t.bySteal {
			col = stealColor(r.StealShare)
		}
		c.FillPolygon(col, c.ClipPolygonXY(rect(x0, y-barHalf, x1, y+barHalf)))
		if !r.Startup.IsZero() {
			x := tx(unixSeconds(r.Startup))
			c.StrokeLine2(draw.LineStyle{Color: otherColor, Width: 1}, x, y-half*0.8, x, y+half*0.8)
		}
		if !r.FirstInvocation.IsZero() {
			if g, ok := firstGlyph(r); ok {
				c.DrawGlyph(g, vg.Point{X: tx(unixSeconds(r.FirstInvocation)), Y: y})
			}
		}
	}
}

// firstGlyph is the marker of a first invocation.
func firstGlyph(r fleet.Row) (draw.GlyphStyle, bool) {
	switch {
	case r.Cold:
		return coldGlyph, true
	case r.Reason == "proactive-init":
		return proactiveGlyph, true
	case r.Reason != "":
		return otherGlyph, true
	}
	return draw.GlyphStyle{}, false
}

var (
	coldGlyph      = draw.GlyphStyle{Color: coldColor, Radius: 3.2, Shape: draw.CircleGlyph{}}
	proactiveGlyph = draw.GlyphStyle{Color: proactiveColor, Radius: 3.2, Shape: draw.RingGlyph{}}
	otherGlyph     = draw.GlyphStyle{Color: otherColor, Radius: 3, Shape: draw.BoxGlyph{}}
)

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// DataRange implements plot.DataRanger (the axes are set explicitly).
func (t *timelinePlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi, _ := timeRange(t.rows)
	return lo, hi, 0.5, float64(len(t.rows)) + 0.5
}

// drawVMLabels writes "VM <boot id prefix> (n)" beside each VM group.
func drawVMLabels(c, data draw.Canvas, ty func(float64) vg.Length, rows []fleet.Row) {
	n := len(rows)
	sty := smallText(7, otherColor)
	sty.YAlign = draw.YCenter
	for i := 0; i < n; {
		j := i
		for j < n && rows[j].VM == rows[i].VM {
			j++
		}
		label := "VM unknown"
		if rows[i].VM != "" {
			label = "VM " + clean(rows[i].VM, 13)
		}
		label += fmt.Sprintf(" (%d)", j-i)
		mid := (ty(rowY(i, n)) + ty(rowY(j-1, n))) / 2
		c.FillText(sty, vg.Point{X: data.Max.X + 6, Y: mid}, label)
		i = j
	}
}

// drawLegend writes one entry per marker and per function across the strip.
func drawLegend(c draw.Canvas, fnNames []string, bySteal bool) {
	type entry struct {
		label string
		thumb func(c draw.Canvas, at vg.Point)
	}
	entries := []entry{
		{"init (startup line)", func(c draw.Canvas, at vg.Point) {
			c.StrokeLine2(draw.LineStyle{Color: otherColor, Width: 1}, at.X, at.Y-4, at.X, at.Y+4)
		}},
		{"cold start", func(c draw.Canvas, at vg.Point) { c.DrawGlyph(coldGlyph, at) }},
		{"proactive init", func(c draw.Canvas, at vg.Point) { c.DrawGlyph(proactiveGlyph, at) }},
		{"first invocation, not cold", func(c draw.Canvas, at vg.Point) { c.DrawGlyph(otherGlyph, at) }},
	}
	if bySteal {
		for _, s := range [...]struct {
			label string
			share float64
		}{{"steal 0%", 0}, {"5%", 0.05}, {"10%", 0.1}, {"≥ 20% of the VM's CPU time", stealFull}, {"steal unknown", -1}} {
			col := stealColor(s.share)
			entries = append(entries, entry{s.label, func(c draw.Canvas, at vg.Point) {
				c.FillPolygon(col, rect(at.X-6, at.Y-3, at.X+6, at.Y+3))
			}})
		}
		fnNames = nil
	}
	for i, name := range fnNames {
		if i == 6 {
			entries = append(entries, entry{label: fmt.Sprintf("… %d more functions", len(fnNames)-i)})
			break
		}
		col := functionColor(i)
		if name == "" {
			name = "function unknown"
		}
		entries = append(entries, entry{clean(name, 24), func(c draw.Canvas, at vg.Point) {
			c.FillPolygon(col, rect(at.X-6, at.Y-3, at.X+6, at.Y+3))
		}})
	}
	sty := smallText(7.5, color.Black)
	sty.YAlign = draw.YCenter
	x := c.Min.X + 40
	y := (c.Min.Y + c.Max.Y) / 2
	for _, e := range entries {
		if e.thumb != nil {
			e.thumb(c, vg.Point{X: x + 6, Y: y})
		}
		c.FillText(sty, vg.Point{X: x + 16, Y: y}, e.label)
		x += 16 + sty.Width(e.label) + 24 // room for a wider fallback font in SVG viewers
	}
}

func smallText(size vg.Length, col color.Color) draw.TextStyle {
	return text.Style{
		Color:   col,
		Font:    sans(size),
		Handler: plot.DefaultTextHandler,
	}
}

// Labels returns the Y-axis label of each row: the shortest prefix of its
// sandbox id, at least 8 characters (or the whole id), that no other row's
// id shares, cleaned of control characters and cut at 40 characters.
func Labels(rows []fleet.Row) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = clean(r.Sandbox, maxLabelLen)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		n := min(labelMinLen, len(id))
		for ; n < len(id); n++ {
			unique := true
			for j, other := range ids {
				if j != i && strings.HasPrefix(other, id[:n]) {
					unique = false
					break
				}
			}
			if unique {
				break
			}
		}
		for n < len(id) && !utf8.RuneStart(id[n]) {
			n++
		}
		out[i] = id[:n]
	}
	return out
}

// clean makes s safe and short for a label: valid UTF-8, no control or
// non-printing characters, at most n bytes (on a rune boundary).
func clean(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s)
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if s == "" {
		return "?"
	}
	return s
}

// timeTicks places ticks on round times (1 s … 1 week) for 5–10 ticks.
type timeTicks struct{}

// Ticks implements plot.Ticker.
func (timeTicks) Ticks(lo, hi float64) []plot.Tick {
	steps := []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800}
	span := hi - lo
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	format := "15:04"
	switch {
	case step < 60:
		format = "15:04:05"
	case step >= 86400:
		format = "Jan 2"
	case span > 86400:
		format = "Jan 2 15:04"
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: time.Unix(int64(v), 0).UTC().Format(format)})
		if len(ticks) > 50 {
			break
		}
	}
	return ticks
}

// svgBytes renders the rows as SVG into memory (for the HTML page).
func svgBytes(rows []fleet.Row, omitted int, title string) ([]byte, error) {
	var b bytes.Buffer
	if err := Render(&b, FormatSVG, rows, omitted, title); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Option changes how Render draws.
type Option func(*options)

type options struct {
	bySteal bool
}

// ColourBySteal colours each sandbox's bar by the steal share of its VM
// (fleet.Row.StealShare, from the invocation lines' vm samples): green at
// 0, yellow at 10%, red at 20% or more, grey when unknown; the legend
// shows the scale instead of the functions. Default: coloured by function.
func ColourBySteal() Option { return func(o *options) { o.bySteal = true } }

// stealFull is the steal share drawn fully red.
const stealFull = 0.2

// stealColor maps a steal share to a colour: green (0) through yellow
// (stealFull/2) to red (stealFull and above); grey for unknown (< 0, NaN).
func stealColor(share float64) color.Color {
	if !(share >= 0) {
		return color.RGBA{0xCC, 0xCC, 0xCC, 0xff}
	}
	f := min(share/stealFull, 1)
	green := color.RGBA{0x1A, 0x98, 0x50, 0xff}
	yellow := color.RGBA{0xF0, 0xC0, 0x20, 0xff}
	red := color.RGBA{0xD7, 0x30, 0x27, 0xff}
	mix := func(a, b color.RGBA, t float64) color.RGBA {
		l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
		return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
	}
	if f <= 0.5 {
		return mix(green, yellow, f*2)
	}
	return mix(yellow, red, (f-0.5)*2)
}
