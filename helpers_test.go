package faasprobe

import (
	"io"
	"log/slog"

	"github.com/faasprobe/faasprobe/internal/logline"
)

// slogLogger is the default logger's format, writing to w.
func slogLogger(w io.Writer) *slog.Logger { return logline.NewLogger(w) }
