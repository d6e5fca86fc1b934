#!/bin/sh
# Installs the AWS Lambda Runtime Interface Emulator (RIE) used by the
# end-to-end tests under examples/ and internal/safety (internal/rietest).
#
# Pinned: the module has no tagged releases usable by `go install`, so we pin a
# pseudo-version. Idempotent: does nothing when the installed binary already
# carries this exact module version (checked with `go version -m`).
# Prints the absolute path of the binary on its last line of stdout.
set -eu

RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
RIE_PKG="$RIE_MODULE/cmd/aws-lambda-rie"

# Where `go install` puts it: $GOBIN, else $(go env GOPATH)/bin.
bindir=$(go env GOBIN)
if [ -z "$bindir" ]; then
	bindir="$(go env GOPATH | cut -d: -f1)/bin"
fi
bin="$bindir/aws-lambda-rie"

installed_version() {
	# `go version -m` prints a "mod <path> <version> <sum>" line for the main module.
	go version -m "$1" 2>/dev/null | awk -v m="$RIE_MODULE" '$1 == "mod" && $2 == m { print $3 }'
}

if [ -x "$bin" ] && [ "$(installed_version "$bin")" = "$RIE_VERSION" ]; then
	echo "aws-lambda-rie $RIE_VERSION already installed" >&2
else
	echo "installing $RIE_PKG@$RIE_VERSION" >&2
	# Outside any module, so the work tree's go.mod is neither read nor touched.
	(cd / && GOFLAGS= CGO_ENABLED=0 go install "$RIE_PKG@$RIE_VERSION")
	got=$(installed_version "$bin")
	if [ "$got" != "$RIE_VERSION" ]; then
		echo "install-rie: $bin has module version '$got', want $RIE_VERSION" >&2
		exit 1
	fi
fi

echo "$bin"
