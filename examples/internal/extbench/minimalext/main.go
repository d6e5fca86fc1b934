// Command minimalext is the least an external Lambda extension can do:
// register for INVOKE and SHUTDOWN, then call next until SHUTDOWN, with
// nothing but net/http. extbench measures it beside faasprobe-extension to
// show which part of the extension's cost is the platform's handshake (what
// any extension pays) and which part is faasprobe's own.
package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2020-01-01/extension"
	req, err := http.NewRequest(http.MethodPost, base+"/register", strings.NewReader(`{"events":["INVOKE","SHUTDOWN"]}`))
	if err != nil {
		os.Exit(1)
	}
	req.Header.Set("Lambda-Extension-Name", filepath.Base(os.Args[0]))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		os.Exit(1)
	}
	id := resp.Header.Get("Lambda-Extension-Identifier")
	resp.Body.Close()
	for {
		req, err := http.NewRequest(http.MethodGet, base+"/event/next", nil)
		if err != nil {
			os.Exit(1)
		}
		req.Header.Set("Lambda-Extension-Identifier", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			os.Exit(1)
		}
		var ev struct{ EventType string }
		err = json.NewDecoder(resp.Body).Decode(&ev)
		resp.Body.Close()
		if err != nil || ev.EventType == "SHUTDOWN" {
			return
		}
	}
}
