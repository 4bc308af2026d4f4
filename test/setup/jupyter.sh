#!/bin/sh
# Makes Debian's headless Jupyter available to the integration tests:
# nbclient, jupyter_client and the `jupyter` CLIs for /usr/bin/python3,
# and numpy (the verification-pack tests write numpy-array packs).
# Silent when they are already there; installs them with apt-get
# otherwise. Python from PATH (e.g. pyenv) is deliberately not used: it
# cannot see Debian's packages. When Jupyter cannot be installed, this
# says why and exits 0: the Jupyter tests then report themselves skipped.
set -u

PYTHON=/usr/bin/python3
PACKAGES="python3-nbclient jupyter-client jupyter-core python3-numpy"
ME="test/setup/jupyter.sh"

have_jupyter() {
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import nbclient, jupyter_client, numpy' \
    >/dev/null 2>&1
}

if have_jupyter; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$ME: apt-get is needed to install $PACKAGES but is missing;" \
    "the Jupyter tests will be skipped" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$ME: installing $PACKAGES needs root; run: sudo apt-get install" \
    "-y --no-install-recommends $PACKAGES (until then the Jupyter tests" \
    "are skipped)" >&2
  exit 0
fi

echo "$ME: installing $PACKAGES with apt-get" >&2
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >"$log" 2>&1 &&
  apt-get install -y -qq --no-install-recommends $PACKAGES >>"$log" 2>&1 &&
  have_jupyter; then
  rm -f "$log"
  exit 0
fi
cat "$log" >&2
rm -f "$log"
echo "$ME: apt-get could not install $PACKAGES; the Jupyter tests will" \
  "be skipped" >&2
exit 0
