# The congkhai program: every publisher/*.c is one module; main.c holds main().
# Module families have folders of their own, as libgit2's transports/ and
# streams/: cli/ (one cmd_<name>.c per command, main.c dispatches), load/
# (files -> records), views/ (pages, open data), publish/ (git), serve/
# (the preview server), value/ (template values, JSON, Mustache) and util/
# (what knows nothing of dialogues: buffers, arenas, hashing, sorting, files,
# threads, diagnostics). Every folder is on the include path, so a header is
# named alone.

CK_WARN = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
# Pages render on worker threads (views_pool.c): every build, tests included.
CK_THREADS = -pthread
CK_WARN += $(CK_THREADS)
CK_PKG_CFLAGS = $(shell pkg-config --cflags $(PC_MODULES) 2>/dev/null)
CK_PKG_LIBS = $(shell pkg-config --libs $(PC_MODULES) 2>/dev/null) -lcmark-gfm-extensions $(CK_THREADS)
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

CK_DIRS = publisher publisher/cli publisher/load publisher/views \
	  publisher/publish publisher/serve publisher/value publisher/util
# The open data's blobs are hashed with OpenSSL's SHA-1 and deflated with
# zlib (publish/publish_bigpack.c).
BUILD_PKGS += libssl-dev zlib1g-dev
PC_MODULES += libcrypto zlib
# The preview server (serve/) speaks HTTP through libmicrohttpd.
BUILD_PKGS += libmicrohttpd-dev
PC_MODULES += libmicrohttpd
CK_INC = $(addprefix -I,$(CK_DIRS))
CK_SRC = $(sort $(foreach d,$(CK_DIRS),$(wildcard $(d)/*.c)))
CK_LIB_SRC = $(filter-out publisher/main.c,$(CK_SRC))
CK_OBJ = $(CK_SRC:publisher/%.c=publisher/.obj/%.o)
CK_LIB_OBJ = $(CK_LIB_SRC:publisher/%.c=publisher/.obj/%.o)
CK_SAN_OBJ = $(CK_SRC:publisher/%.c=publisher/.obj-san/%.o)
CK_SAN_LIB_OBJ = $(CK_LIB_SRC:publisher/%.c=publisher/.obj-san/%.o)

publisher/congkhai: $(CK_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CK_OBJ) $(CK_PKG_LIBS) -lm

# An installed congkhai finds the default theme where `make install` puts it.
CK_DEFS = -DCK_INSTALLED_THEME='"$(PREFIX)/share/congkhai/themes/default"'

publisher/.obj/%.o: publisher/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) $(CFLAGS) $(CK_DEFS) $(CK_INC) $(CK_PKG_CFLAGS) -MMD -MP -c -o $@ $<

publisher/.obj-san/%.o: publisher/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) -O1 -g $(SAN_FLAGS) $(CK_DEFS) $(CK_INC) $(CK_PKG_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CK_OBJ:.o=.d) $(CK_SAN_OBJ:.o=.d)
