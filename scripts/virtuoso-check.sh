#!/usr/bin/env bash
# Check allygraph against Virtuoso Open Source from Debian's packages.
#
#   scripts/virtuoso-check.sh            # install if needed, start, build, check, stop
#   KEEP=1 scripts/virtuoso-check.sh     # leave the server running afterwards
#
# What it does (see docs/stores.md, "Virtuoso"):
#   1. apt-get install virtuoso-opensource (needs root; skipped when virtuoso-t exists);
#   2. starts a private Virtuoso (its own database folder under $WORK, free ports, the
#      packaged virtuoso.ini with the paths, ports and ResultSetMaxRows changed);
#   3. grants SPARQL_UPDATE to the SPARQL user (the /sparql endpoint is read-only otherwise);
#   4. builds data/corpus into it: ALLYGRAPH_STORE=http://127.0.0.1:$HTTP/sparql allygraph build;
#   5. runs `allygraph stats`, `allygraph query`, and the end-to-end SPARQL checks of
#      tests/e2e/test_build_corpus.py against it (ALLYGRAPH_TEST_STORE);
#   6. stops the server and removes $WORK.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$REPO/.venv/bin/python}
WORK=${WORK:-$(mktemp -d /tmp/allygraph-virtuoso.XXXXXX)}
INI_SRC=/etc/virtuoso-opensource-7/virtuoso.ini

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if ! command -v virtuoso-t >/dev/null; then
  echo "== installing virtuoso-opensource"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virtuoso-opensource
fi
virtuoso-t -? 2>&1 | head -2 || true

ISQL=$(free_port); HTTP=$(free_port)
echo "== starting Virtuoso in $WORK (isql $ISQL, http $HTTP)"
sed -e "s#/var/lib/virtuoso-opensource-7/db#$WORK#g" \
    -e "s#^ServerPort\( *\)= 1111#ServerPort\1= 127.0.0.1:$ISQL#" \
    -e "s#^ServerPort\( *\)= 8890#ServerPort\1= 127.0.0.1:$HTTP#" \
    -e "s#^ResultSetMaxRows\( *\)= .*#ResultSetMaxRows\1= 10000000#" \
    -e "s#^MaxQueryExecutionTime\( *\)= .*#MaxQueryExecutionTime\1= 0#" \
    "$INI_SRC" > "$WORK/virtuoso.ini"
( cd "$WORK" && virtuoso-t +foreground +configfile "$WORK/virtuoso.ini" > "$WORK/stdout.log" 2>&1 ) &
PID=$!
cleanup() {
  if [[ -z "${KEEP:-}" ]]; then
    isql-vt "$ISQL" dba dba exec="shutdown;" >/dev/null 2>&1 || kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$WORK"
  else
    echo "== left running: pid $PID, http://127.0.0.1:$HTTP/sparql (isql port $ISQL, dba/dba)"
  fi
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -sf -o /dev/null "http://127.0.0.1:$HTTP/sparql?query=ASK%7B%7D"; then break; fi
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$HTTP/sparql?query=ASK%7B%7D" || {
  echo "Virtuoso did not start; its log:"; tail -20 "$WORK/virtuoso.log" "$WORK/stdout.log"; exit 1; }
echo "== $(curl -sI "http://127.0.0.1:$HTTP/sparql" | grep -i '^server:' | tr -d '\r')"

echo "== granting SPARQL_UPDATE to the SPARQL user (a fresh database's dba password is dba)"
isql-vt "$ISQL" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null

export ALLYGRAPH_STORE="http://127.0.0.1:$HTTP/sparql"
cd "$REPO"
echo "== allygraph build -> $ALLYGRAPH_STORE"
time "$PY" -m allygraph build
echo "== allygraph build again (incremental: nothing changed)"
"$PY" -m allygraph build
echo "== allygraph stats"
"$PY" -m allygraph stats | tail -5
echo "== allygraph query"
"$PY" -m allygraph query 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g'
echo "== end-to-end SPARQL checks (tests/e2e/test_build_corpus.py) against Virtuoso"
ALLYGRAPH_TEST_STORE="$ALLYGRAPH_STORE" "$PY" -m pytest -q -p no:cacheprovider \
  tests/e2e/test_remote_oxigraph.py -k corpus_checks
echo "== done"
