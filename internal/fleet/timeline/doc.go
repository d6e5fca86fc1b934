// Package timeline draws the picture of a fleet that people draw by hand:
// one row per sandbox, grouped by the VM (boot id) under it, a bar from
// first to last seen coloured by function (or, with ColourBySteal, by
// the steal share of its VM), the init (startup line) and the
// first invocation marked — cold, proactive init, or another reason
// (provisioned…) — over a UTC time axis, the VM's boot id beside each group.
//
//	rows, omitted := analyzer.Rows(300)
//	err := timeline.Render(w, timeline.FormatSVG, rows, omitted, "title") // or FormatPNG
//	err = timeline.WriteHTML(w, analyzer.Result(), rows, omitted, "title")
//
// It draws with gonum.org/v1/plot (v0.17.0) and is imported by
// cmd/faasprobe only: the plotting library adds about 9 MB to a binary (its
// fonts are embedded) and ~0.7 ms of package initialisation, which no
// library package should pay. It reads and writes nothing but the writer it
// is given.
//
// Each row is labelled on the Y axis with the shortest prefix (8 characters
// or more) that tells its sandbox id from the others drawn (Labels), cleaned
// of control characters and invalid UTF-8, so a row can be found in the SVG
// as the <text> element holding that prefix. Text is escaped by the SVG
// writer; the output is well-formed XML whatever the log lines held.
//
// Unknown: a sandbox without a startup line is drawn in the last group, "VM
// unknown", without an init tick; one without any timestamp is not drawn
// (Rows leaves it out and counts it as omitted). With no rows, the picture
// says so.
package timeline
