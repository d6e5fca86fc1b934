package main

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// TestLayerZip builds the layer as the README does, for both Lambda
// architectures, and checks the zip's layout: extensions/faasprobe, an
// executable static Linux ELF for that architecture.
func TestLayerZip(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the extension twice; -short skips it")
	}
	for _, tt := range []struct {
		goarch  string
		machine elf.Machine
	}{{"amd64", elf.EM_X86_64}, {"arm64", elf.EM_AARCH64}} {
		t.Run(tt.goarch, func(t *testing.T) {
			t.Parallel()
			bin, err := rietest.BuildBootstrap(context.Background(), rietest.BuildConfig{
				Package: "github.com/faasprobe/faasprobe/cmd/faasprobe-extension",
				Dir:     t.TempDir(), GOARCH: tt.goarch, LDFlags: "-s -w",
			})
			require.NoError(t, err)
			// zip -r layer.zip extensions
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			st, err := os.Stat(bin)
			require.NoError(t, err)
			hdr, err := zip.FileInfoHeader(st)
			require.NoError(t, err)
			hdr.Name, hdr.Method = "extensions/faasprobe", zip.Deflate
			w, err := zw.CreateHeader(hdr)
			require.NoError(t, err)
			src, err := os.ReadFile(bin)
			require.NoError(t, err)
			_, err = w.Write(src)
			require.NoError(t, err)
			require.NoError(t, zw.Close())

			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			require.NoError(t, err)
			require.Len(t, zr.File, 1)
			f := zr.File[0]
			assert.Equal(t, "extensions/faasprobe", f.Name)
			assert.NotZero(t, f.Mode()&0o111, "executable")
			rc, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err)
			ef, err := elf.NewFile(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Equal(t, tt.machine, ef.Machine)
			assert.Equal(t, elf.ET_EXEC, ef.Type, "static: CGO_ENABLED=0")
			for _, p := range ef.Progs {
				assert.NotEqual(t, elf.PT_INTERP, p.Type, "no dynamic loader")
			}
			t.Logf("linux/%s extension: %d bytes (%s)", tt.goarch, len(b), filepath.Base(bin))
		})
	}
}
