#!/bin/sh
# Installs the Debian packages named as arguments when some are missing:
# with apt-get as root it installs them; otherwise it names the exact command.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "congkhai: installing missing packages:$missing" >&2
	if ! { apt-get install -y -q $missing >/dev/null 2>&1 ||
	       { apt-get update -q >/dev/null 2>&1 &&
		 apt-get install -y -q $missing >/dev/null; }; }; then
		echo "congkhai: could not install:$missing" >&2
		exit 1
	fi
	exit 0
fi
echo "congkhai: missing build packages; install them with:" >&2
echo "  sudo apt-get install$missing" >&2
exit 1
