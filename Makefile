# congkhai: `make site` builds the tool and publishes the example commune into
# site/; `make test` runs every test (plain, then under ASan+UBSan).

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O2 -g

# Debian packages the build needs, and the pkg-config modules they provide.
BUILD_PKGS = gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
	     libyaml-dev libgit2-dev libutf8proc-dev
TEST_PKGS = git python3 python3-jsonschema time
PC_MODULES = libcmark-gfm yaml-0.1 libgit2 libutf8proc

all: publisher/congkhai

include publisher/build.mk
include tests/tests.mk

# Missing packages: installed when we are root with apt-get, otherwise named.
deps:
	@sh publisher/deps.sh $(BUILD_PKGS)

# The browser tests (Chromium; Java for the Nu validator) are worth an
# install but not a failure: without them those tests skip, saying why.
BROWSER_PKGS = chromium default-jre-headless

test-deps: deps
	@sh publisher/deps.sh $(TEST_PKGS)
	@sh publisher/deps.sh $(BROWSER_PKGS) || \
		echo "congkhai: the browser tests will be skipped" >&2

site: publisher/congkhai
	./publisher/congkhai publish -C content --theme themes/default --repo site --allow-dirty

install: publisher/congkhai
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/congkhai/themes
	install -m 755 publisher/congkhai $(DESTDIR)$(PREFIX)/bin/congkhai
	install -m 644 publisher/congkhai.1 $(DESTDIR)$(PREFIX)/share/man/man1/congkhai.1
	install -m 644 publisher/congkhai.5 $(DESTDIR)$(PREFIX)/share/man/man5/congkhai.5
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/congkhai/themes/

clean:
	rm -rf publisher/.obj publisher/.obj-san publisher/congkhai tests/.build

format:
	clang-format -i publisher/*.[ch] publisher/*/*.[ch] tests/unit/*.c tests/unit/*.h tests/fuzz/*.c

.PHONY: all deps test-deps site install clean format
