// Package excerpt cuts the input a problem message quotes down to a short,
// safe excerpt. Every parser that names an offending line or value in an
// error goes through Clip, so that a hostile file or variable can make a
// message neither long nor able to drive a terminal:
//
//	fmt.Errorf("MemTotal line %q: want \"N kB\"", excerpt.Clip(line))
//
// An excerpt holds at most Max bytes of the input (cut at a character
// boundary, "…" appended when cut), invalid UTF-8 reads as U+FFFD, and
// control characters (C0, DEL, C1) are written as \xNN escapes.
package excerpt
