# InfraGuardian developer tasks. Servers for tests/demo: see scripts/services.
SHELL := /bin/bash
.DEFAULT_GOAL := build
# Swift on CI lives in /opt/swift (appended, so a swift already on PATH wins).
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT_TEST_ARGS ?=
export SWIFT_TEST_ARGS

.PHONY: build release test demo bootstrap services-start services-stop services-status services-env clean distclean

build:
	swift build

# One self-contained binary: the Swift runtime and Foundation linked in (starts faster, and
# runs where no Swift toolchain is installed).
release:
	swift build -c release --static-swift-stdlib --product infra-guardian

# bootstrap + start servers + swift test + always stop servers (see scripts/test)
test:
	scripts/test

demo:
	scripts/demo

bootstrap:
	scripts/bootstrap

# Leaves the servers running; use them with: . "$$(scripts/services path)"
services-start:
	scripts/bootstrap
	scripts/services start

services-stop:
	scripts/services stop

services-status:
	scripts/services status

services-env:
	scripts/services env

clean: services-stop
	rm -rf .build

distclean: clean
	rm -rf .venv
