//go:build !unix

package main

import "errors"

func peakRSS(string, string) (int64, error) { return 0, errors.New("peak RSS: unix only") }
