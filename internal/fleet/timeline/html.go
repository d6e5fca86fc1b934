package timeline

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sync"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// pageHTML is the HTML report: the timeline and the text summary, one
// file, no script, no external resource.
const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
pre { font-size: 12px; line-height: 1.35; background: #f7f7f7; padding: 1em; overflow-x: auto; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<figure>{{.SVG}}</figure>
<h2>Summary</h2>
<pre>{{.Text}}</pre>
<p>Made by <code>faasprobe fleet</code>; figures are defined in docs/fleet.md.</p>
</body>
</html>
`

// page parses pageHTML once, when first needed.
var page struct {
	once sync.Once
	t    *template.Template
}

func pageTemplate() *template.Template {
	page.once.Do(func() { page.t = template.Must(template.New("fleet").Parse(pageHTML)) })
	return page.t
}

// WriteHTML writes a self-contained HTML page: the timeline of rows and
// the text summary of res.
func WriteHTML(w io.Writer, res *fleet.Result, rows []fleet.Row, omitted int, title string) error {
	svg, err := svgBytes(rows, omitted, title)
	if err != nil {
		return err
	}
	// Inline SVG: drop the XML declaration, which is not allowed mid-document.
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:]
	}
	var txt bytes.Buffer
	if err := fleet.WriteText(&txt, res); err != nil {
		return err
	}
	data := struct {
		Title string
		SVG   template.HTML
		Text  string
	}{title, template.HTML(svg), txt.String()} // the SVG is ours, its text escaped by vgsvg
	if err := pageTemplate().Execute(w, data); err != nil {
		return fmt.Errorf("timeline: write html: %w", err)
	}
	return nil
}
