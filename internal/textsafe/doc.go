// Package textsafe escapes text that others wrote before faasprobe prints it
// for people. A CPU model name, an environment value, a function name in a
// log or a target name can hold ESC sequences (ESC [2J clears the screen,
// an OSC sequence retitles the terminal or writes the clipboard), C1
// controls, a carriage return that overwrites the line, bidirectional
// overrides that reorder it, or bytes that are not UTF-8. Escape spells
// each of them out so it shows, and acts, as plain text:
//
//	textsafe.Escape("\x1b[2J\x1b]0;pwned\x07Xeon") == `\x1b[2J\x1b]0;pwned\x07Xeon`
//
// Tab and newline pass, and so does every other printable character;
// text that needs no escaping is returned as is, without allocating.
// Writer escapes everything written through it: the text writers of the
// CLI (the facts summary, the fleet report, the warm-plan) print through
// one, so a line added later cannot forget to escape. JSON output does
// not go through it: encoding/json already escapes control characters and
// keeps the value exact.
package textsafe
