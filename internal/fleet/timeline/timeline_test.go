package timeline

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// fixtureRows analyses the real hello fixture of package fleet.
func fixtureRows(t testing.TB) (*fleet.Result, []fleet.Row, int) {
	t.Helper()
	f, err := os.Open("../testdata/hello-rie.log")
	require.NoError(t, err)
	defer f.Close()
	a := fleet.New()
	require.NoError(t, a.Read("hello-rie.log", f, 0))
	rows, omitted := a.Rows(1000)
	return a.Result(), rows, omitted
}

// svgTexts decodes an SVG as XML (failing on invalid XML) and returns the
// contents of its <text> elements.
func svgTexts(t testing.TB, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	var inText bool
	var cur strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is valid XML")
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
			}
			if el.Name.Local == "text" {
				inText = true
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
				texts = append(texts, cur.String())
			}
		}
	}
	require.Equal(t, "svg", root)
	return texts
}

// rowLabels returns, per row, the <text> elements that label it: a prefix
// of its sandbox id of 8 characters or more.
func rowLabels(texts []string, rows []fleet.Row) map[string][]string {
	out := map[string][]string{}
	for _, txt := range texts {
		for _, r := range rows {
			if len(txt) >= 8 && strings.HasPrefix(r.Sandbox, txt) || len(r.Sandbox) < 8 && txt == r.Sandbox {
				out[r.Sandbox] = append(out[r.Sandbox], txt)
			}
		}
	}
	return out
}

func TestSVGRowPerSandbox(t *testing.T) {
	t.Parallel()
	res, rows, omitted := fixtureRows(t)
	require.Len(t, rows, res.Totals.Sandboxes)
	require.Zero(t, omitted)
	var b bytes.Buffer
	require.NoError(t, Render(&b, FormatSVG, rows, omitted, "hello under the emulator"))
	texts := svgTexts(t, b.Bytes())
	labels := rowLabels(texts, rows)
	assert.Len(t, labels, len(rows), "one labelled row per sandbox")
	for _, r := range rows {
		assert.Len(t, labels[r.Sandbox], 1, "sandbox %s has exactly one row", r.Sandbox)
	}
	assert.Contains(t, texts, "hello under the emulator")
	assert.Contains(t, texts, "VM "+rows[0].VM[:13]+" (3)")
}

// TestSVGManyRows: a larger fleet with ids sharing long prefixes and hostile
// characters still gives valid XML and one distinct row label per sandbox.
func TestSVGManyRows(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	var rows []fleet.Row
	for i := range 40 {
		id := fmt.Sprintf("%032x", i)
		switch i {
		case 1:
			id = "00000000000000000000000000000001x" // shares 31 characters with row 1
		case 2:
			id = `<script>&"'` + "\x01\xff"
		case 3:
			id = "ab"
		}
		rows = append(rows, fleet.Row{
			Sandbox: id, VM: fmt.Sprintf("boot-%d", i/4), Function: fmt.Sprintf("fn<%d>", i%3),
			First: base.Add(time.Duration(i) * time.Minute), Last: base.Add(time.Duration(i+30) * time.Minute),
			Startup: base.Add(time.Duration(i) * time.Minute), FirstInvocation: base.Add(time.Duration(i)*time.Minute + time.Second),
			Cold: i%2 == 0, Reason: []string{"on-demand", "proactive-init", "provisioned-concurrency"}[i%3], Invocations: i,
		})
	}
	var b bytes.Buffer
	require.NoError(t, Render(&b, FormatSVG, rows, 7, "title <&>"))
	texts := svgTexts(t, b.Bytes())
	labels := Labels(rows)
	seen := map[string]bool{}
	for _, l := range labels {
		assert.False(t, seen[l], "label %q repeated", l)
		seen[l] = true
		n := 0
		for _, txt := range texts {
			if txt == l {
				n++
			}
		}
		assert.Equal(t, 1, n, "label %q appears once", l)
	}
	assert.Contains(t, texts, "7 more sandboxes not drawn")
	assert.Contains(t, texts, "title <&>")
}

func TestLabels(t *testing.T) {
	t.Parallel()
	rows := []fleet.Row{{Sandbox: "0f4b2c7e9d1a4e3b"}, {Sandbox: "0f4b2c7e9d1a4e3c"}, {Sandbox: "7a1d3e5f2b4c"}, {Sandbox: "ab"}, {Sandbox: "bad\x00id\xff"}}
	assert.Equal(t, []string{"0f4b2c7e9d1a4e3b", "0f4b2c7e9d1a4e3c", "7a1d3e5f", "ab", "bad?id?"}, Labels(rows))
	assert.Equal(t, "é?", clean("é\u200b", 40))
	assert.Equal(t, "ab", clean("abé", 3), "cut on a rune boundary")
	assert.Equal(t, "?", clean("", 3))
}

func TestPNG(t *testing.T) {
	t.Parallel()
	_, rows, omitted := fixtureRows(t)
	var b bytes.Buffer
	require.NoError(t, Render(&b, FormatPNG, rows, omitted, "hello"))
	img, err := png.Decode(&b)
	require.NoError(t, err)
	assert.Equal(t, int(width/vg.Inch*pngDPI), img.Bounds().Dx())
	assert.Greater(t, img.Bounds().Dy(), 100)
}

func TestNoRows(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, Render(&b, FormatSVG, nil, 0, "empty"))
	texts := svgTexts(t, b.Bytes())
	assert.Contains(t, texts, "no sandbox with a timestamp in the input")
	assert.ErrorContains(t, Render(&b, "gif", nil, 0, ""), `unknown format "gif"`)
}

func TestHTML(t *testing.T) {
	t.Parallel()
	res, rows, omitted := fixtureRows(t)
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, res, rows, omitted, "hello <fleet>"))
	page := b.String()
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	assert.Contains(t, page, "<title>hello &lt;fleet&gt;</title>")
	assert.Contains(t, page, "<svg")
	assert.NotContains(t, page, "<?xml", "no XML declaration inside HTML")
	assert.Contains(t, page, "Cold starts (faasprobe invocation lines)")
	// the SVG part is itself well-formed XML
	start, end := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	require.True(t, start > 0 && end > start)
	svgTexts(t, []byte(page[start:end+len("</svg>")]))
}

func TestTimeTicks(t *testing.T) {
	t.Parallel()
	base := float64(time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC).Unix())
	for _, span := range []float64{3, 90, 3600, 9 * 3600, 3 * 86400, 60 * 86400} {
		ticks := timeTicks{}.Ticks(base, base+span)
		assert.NotEmpty(t, ticks, "span %v", span)
		assert.LessOrEqual(t, len(ticks), 9, "span %v", span)
		for _, tk := range ticks {
			assert.NotEmpty(t, tk.Label)
			assert.True(t, tk.Value >= base && tk.Value <= base+span)
		}
	}
}

// ColourBySteal: each bar takes its VM's steal share on the scale; the
// legend shows the scale, not the functions.
func TestColourBySteal(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	rows := []fleet.Row{
		{Sandbox: "s-calm-000000", VM: "b1", Function: "fn-a", First: at, Last: at.Add(time.Minute), StealShare: 0},
		{Sandbox: "s-busy-000000", VM: "b2", Function: "fn-a", First: at, Last: at.Add(time.Minute), StealShare: 0.5, Contended: true},
		{Sandbox: "s-unknown-000", Function: "fn-a", First: at, Last: at.Add(time.Minute), StealShare: -1},
	}
	var plain, steal bytes.Buffer
	require.NoError(t, Render(&plain, FormatSVG, rows, 0, "t"))
	require.NoError(t, Render(&steal, FormatSVG, rows, 0, "t", ColourBySteal()))
	texts := strings.Join(svgTexts(t, steal.Bytes()), "\n")
	assert.Contains(t, texts, "steal unknown")
	assert.NotContains(t, texts, "fn-a", "the legend shows the scale")
	assert.Contains(t, strings.Join(svgTexts(t, plain.Bytes()), "\n"), "fn-a")
	assert.NotEqual(t, plain.String(), steal.String())

	for _, tt := range []struct {
		share float64
		want  color.RGBA
	}{
		{0, color.RGBA{0x1A, 0x98, 0x50, 0xff}},
		{0.1, color.RGBA{0xF0, 0xC0, 0x20, 0xff}},
		{0.2, color.RGBA{0xD7, 0x30, 0x27, 0xff}},
		{0.9, color.RGBA{0xD7, 0x30, 0x27, 0xff}},
		{-1, color.RGBA{0xCC, 0xCC, 0xCC, 0xff}},
		{math.NaN(), color.RGBA{0xCC, 0xCC, 0xCC, 0xff}},
	} {
		assert.Equal(t, tt.want, stealColor(tt.share), "%v", tt.share)
	}
}
