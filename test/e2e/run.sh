#!/usr/bin/env bash
# The real-VS-Code e2e tests (npm run test:e2e). Needs the kit from test/e2e/setup.sh.
# 1. builds the extension and the e2e suites;
# 2. packages the extension (or takes GNA_E2E_VSIX) and installs the VSIX into each server;
#    starts code-server (VS Code 1.100.3) on 127.0.0.1 over a fresh copy of test/e2e/workspace,
#    with workspace trust off (a trusted workspace), and runs
#    - the Playwright UI checks (test/e2e/ui: Problems panel, inlay hint, hover, code lens,
#      quick fix, activation time; screenshots),
#    - the mocha suite inside the real extension host (test/e2e/suite);
#    - the benchmark history across a window reload (test/e2e/suite/reload, two suites in one
#      browser, see lib/runReloadTests.ts);
#    - the screenshots of real-code-like files in each theme (test/e2e/screens; PNGs in
#      test-artifacts/e2e/screens/<theme>/<surface>.png, copied to $GNA_E2E_SCREENS_DIR when set);
# 3. starts a second code-server with workspace trust on and an untrusted folder, and runs
#    test/e2e/suite/untrusted there;
# 4. stops each server's whole process group.
# Screenshots, logs and activation.json go to test-artifacts/e2e/ (git-ignored).
# Exit code: the number of failed tests (1 if a stage could not run at all).
# Env: PORT (default 18090; the untrusted server uses PORT+1),
#      GNA_E2E_ONLY=ui|host|reload|screens|untrusted (run one stage), GNA_E2E_GREP (UI, screenshot and
#      extension-host tests to run, by title), GNA_E2E_SCREENS_DIR (a second home for the screenshots),
#      GNA_E2E_DEBUG=1 (echo browser console), GNA_E2E_VSIX (the package to install and test).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E_DIR=$ROOT/.e2e   # the kit (test/e2e/setup.sh); tsconfig and the suites expect it here
PORT=${PORT:-18090}
# code-server reads $PORT itself and would listen there instead of at --bind-addr: keep it ours.
export -n PORT
ARTIFACTS=${GNA_E2E_ARTIFACTS:-$ROOT/test-artifacts/e2e}
ONLY=${GNA_E2E_ONLY:-}
cd "$ROOT"

if [ ! -x "$E2E_DIR/node_modules/.bin/code-server" ]; then
  echo "e2e: the kit is not installed in $E2E_DIR; run: npm run test:e2e:setup" >&2
  exit 2
fi
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

t0=$(date +%s%N)
node scripts/build.mjs || exit 2
node_modules/.bin/tsc -p test/e2e/tsconfig.json || exit 2
echo "e2e: built extension and suites in $(ms "$t0") ms"
# What ships is what is tested: the VSIX (GNA_E2E_VSIX, else a fresh `npm run package`: linux-x64
# where nvcc is, universal otherwise) is installed into each server's extensions folder.
if [ -z "${GNA_E2E_VSIX:-}" ]; then
  node scripts/package.mjs > "$E2E_DIR/package.log" 2>&1 || { tail -n 30 "$E2E_DIR/package.log"; exit 2; }
  GNA_E2E_VSIX=$(ls vsix/gna-studio-*-linux-x64.vsix 2>/dev/null || ls vsix/gna-studio-*.vsix | head -n 1)
fi
GNA_E2E_VSIX=$(cd "$(dirname "$GNA_E2E_VSIX")" && pwd)/$(basename "$GNA_E2E_VSIX")
export GNA_E2E_VSIX
echo "e2e: testing the installed $GNA_E2E_VSIX"

rm -rf "$E2E_DIR"/run.* "$ARTIFACTS"
RUN=$(mktemp -d "$E2E_DIR/run.XXXXXX")
mkdir -p "$ARTIFACTS"
# code-server and Chromium write under $HOME unless told otherwise.
export XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data XDG_CACHE_HOME=$RUN/xdg/cache
export NODE_PATH=$E2E_DIR/node_modules
export GNA_E2E_EXTENSION=$ROOT GNA_E2E_ARTIFACTS=$ARTIFACTS GNA_E2E_SCRATCH=$RUN
# The workbench runs extension tests only beside an extension under development: an empty one,
# so that the extension under test is the installed VSIX.
GNA_E2E_RUNNER=$RUN/test-runner
mkdir -p "$GNA_E2E_RUNNER"
printf '{ "name": "gna-e2e-runner", "publisher": "gna-e2e", "version": "0.0.0", "engines": { "vscode": "^1.100.0" } }\n' > "$GNA_E2E_RUNNER/package.json"
export GNA_E2E_RUNNER

SERVER_PID=
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM -- "-$SERVER_PID" 2>/dev/null
  for _ in $(seq 100); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null
  SERVER_PID=
}
trap stop_server EXIT

# start_server NAME PORT TRUST(on|off): a fresh user-data dir and workspace copy for each server.
start_server() {
  local name=$1 port=$2 trust=$3 t
  t=$(date +%s%N)
  local ws=$RUN/$name/workspace ud=$RUN/$name/user-data
  mkdir -p "$ud/User" "$RUN/$name/extensions"
  cp -r test/e2e/workspace "$ws"
  local flags=()
  if [ "$trust" = off ]; then
    flags+=(--disable-workspace-trust)
    cp test/e2e/settings.json "$ud/User/settings.json"
  else
    # Trust on, and no startup prompt: the folder simply opens in restricted mode.
    node -e 'const s=require(process.argv[1]); s["security.workspace.trust.enabled"]=true;
      s["security.workspace.trust.startupPrompt"]="never"; s["security.workspace.trust.banner"]="never";
      require("fs").writeFileSync(process.argv[2], JSON.stringify(s, null, 2))' \
      "$ROOT/test/e2e/settings.json" "$ud/User/settings.json"
  fi
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" > "$RUN/$name/config.yaml"
  "$E2E_DIR/node_modules/.bin/code-server" --config "$RUN/$name/config.yaml" --user-data-dir "$ud" \
    --extensions-dir "$RUN/$name/extensions" --install-extension "$GNA_E2E_VSIX" > "$RUN/$name/install.log" 2>&1 \
    || { echo "e2e: installing $GNA_E2E_VSIX failed:" >&2; cat "$RUN/$name/install.log" >&2; return 1; }
  # setsid: its own process group, so the server, its extension hosts and watchers stop together.
  # code-server takes its port from $PORT when that is set, over --bind-addr: hide ours from it.
  env -u PORT setsid "$E2E_DIR/node_modules/.bin/code-server" --config "$RUN/$name/config.yaml" --auth none \
    --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check "${flags[@]}" \
    --user-data-dir "$ud" --extensions-dir "$RUN/$name/extensions" "$ws" > "$RUN/$name/code-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
  if ! curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; then
    echo "e2e: code-server ($name) did not start:" >&2
    cat "$RUN/$name/code-server.log" >&2
    return 1
  fi
  export GNA_E2E_SERVER=http://127.0.0.1:$port GNA_E2E_WORKSPACE=$ws GNA_E2E_USER_DATA=$ud
  echo "e2e: code-server ($name, trust $trust) ready in $(ms "$t") ms"
}

# keep_logs NAME: the server log, VS Code's logs and our output channel, for the artifacts.
keep_logs() {
  local name=$1
  mkdir -p "$ARTIFACTS/logs/$name"
  cp "$RUN/$name/code-server.log" "$ARTIFACTS/logs/$name/" 2>/dev/null
  cp -r "$RUN/$name/user-data/logs/." "$ARTIFACTS/logs/$name/vscode" 2>/dev/null
}

failures=0
# count_failures RESULTS_JSON EXIT_CODE: failed tests from a suite's results file, else 1 if it failed.
count_failures() {
  local n
  n=$(node -e 'try { const r = require(process.argv[1]); console.log(r.failures) } catch { console.log("") }' "$1")
  if [ -n "$n" ]; then failures=$((failures + n)); elif [ "$2" -ne 0 ]; then failures=$((failures + 1)); fi
}

MOCHA=$E2E_DIR/node_modules/.bin/mocha
if [ -z "$ONLY" ] || [ "$ONLY" = ui ] || [ "$ONLY" = host ] || [ "$ONLY" = reload ] || [ "$ONLY" = screens ]; then
  if start_server trusted "$PORT" off; then
    if [ -z "$ONLY" ] || [ "$ONLY" = ui ]; then
      t=$(date +%s%N)
      # mocha's exit code is its number of failed tests; --exit: a browser a failed test left
      # open must not keep the run waiting.
      "$MOCHA" --no-config --exit --timeout 120000 --reporter spec ${GNA_E2E_GREP:+--grep "$GNA_E2E_GREP"} 'out/e2e/ui/**/*.test.js'
      failures=$((failures + $?))
      echo "e2e: UI checks took $(ms "$t") ms"
    fi
    if [ -z "$ONLY" ] || [ "$ONLY" = screens ]; then
      t=$(date +%s%N)
      "$MOCHA" --no-config --exit --timeout 180000 --reporter spec ${GNA_E2E_GREP:+--grep "$GNA_E2E_GREP"} 'out/e2e/screens/**/*.test.js'
      failures=$((failures + $?))
      echo "e2e: screenshots took $(ms "$t") ms"
    fi
    if [ -z "$ONLY" ] || [ "$ONLY" = host ]; then
      t=$(date +%s%N)
      node out/e2e/lib/runHostTests.js "$ROOT/out/e2e/suite/index.js" host
      count_failures "$ARTIFACTS/host-results.json" $?
      echo "e2e: extension-host suite took $(ms "$t") ms"
    fi
    if [ -z "$ONLY" ] || [ "$ONLY" = reload ]; then
      t=$(date +%s%N)
      # Two extension-host suites in one browser: record, reload the window, find it again.
      node out/e2e/lib/runReloadTests.js "$ROOT/out/e2e/suite/reload/before/index.js" "$ROOT/out/e2e/suite/reload/after/index.js"
      rc=$?
      count_failures "$ARTIFACTS/reload-before-results.json" 0
      # The second half did not run (first half failed, or the record never reached storage): one more.
      if [ -f "$ARTIFACTS/reload-after-results.json" ]; then count_failures "$ARTIFACTS/reload-after-results.json" 0
      elif [ "$rc" -ne 0 ]; then failures=$((failures + 1)); fi
      echo "e2e: benchmark history reload check took $(ms "$t") ms"
    fi
    stop_server
    keep_logs trusted
  else
    failures=$((failures + 1))
  fi
fi

if [ -z "$ONLY" ] || [ "$ONLY" = untrusted ]; then
  if start_server untrusted $((PORT + 1)) on; then
    t=$(date +%s%N)
    node out/e2e/lib/runHostTests.js "$ROOT/out/e2e/suite/untrusted/index.js" untrusted
    count_failures "$ARTIFACTS/untrusted-results.json" $?
    echo "e2e: untrusted-workspace suite took $(ms "$t") ms"
    stop_server
    keep_logs untrusted
  else
    failures=$((failures + 1))
  fi
fi

echo "e2e: $failures failed, $(ms "$t0") ms in all; artifacts in $ARTIFACTS"
exit $(( failures > 255 ? 255 : failures ))
