#!/usr/bin/env bash
# Search benchmark (issue 4): our search index against Pagefind's over the same built site.
# Builds the site with our release binary (search stage timed, 5 runs, median), runs Pagefind over
# the same report pages (5 runs, median), then measures in headless Chromium, for the queries in
# queries.json, the bytes each engine fetches for a first and a later query, and where the
# paragraph a person expects ranks. Prints a table and writes results/<label>.json.
#
#   bash benches/search/run.sh                      the seeds, ingested into a temporary copy
#   bash benches/search/run.sh SITE_DIR             a site folder (copied; its content/ is built)
#   bash benches/search/run.sh --corpus 1000        a synthetic archive of 1,000 reports (bytes and
#                                                   times only: the expected ranks are the seeds')
#   options: --label NAME  --rounds N  --keep (leave the temporary folder)
#
# Pagefind indexes the report pages only (reports/*/index.html), the documents our index covers.
# Needs node, npm and /usr/bin/chromium (apt-get install -y chromium); npm never downloads a browser.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

site_arg="" corpus="" label="" rounds=5 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift ;;
    --label) label="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown option $1; see --help" >&2; exit 2 ;;
    *) site_arg="$1" ;;
  esac
  shift
done
if [ -z "$label" ]; then
  if [ -n "$corpus" ]; then label="corpus-$corpus"
  elif [ -n "$site_arg" ]; then label="$(basename "$site_arg")"
  else label="seeds"; fi
fi

[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "needs Chromium: apt-get install -y chromium" >&2; exit 1; }
if [ ! -d "$here/node_modules/pagefind" ] || [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
pagefind="$here/node_modules/.bin/pagefind"

(cd "$root" && cargo build --release --locked --quiet)
bin="$root/target/release/findings"

work=$(mktemp -d "${TMPDIR:-/tmp}/findings-search-bench.XXXXXX")
if [ "$keep" = 1 ]; then echo "work folder kept: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
site="$work/site"

echo "== preparing the site" >&2
if [ -n "$corpus" ]; then
  "$bin" --root "$root" --quiet dev corpus --reports "$corpus" --seed 1 --out "$site"
elif [ -n "$site_arg" ]; then
  mkdir -p "$site"
  (cd "$site_arg" && tar --exclude=./public -cf - .) | (cd "$site" && tar -xf -)
else
  mkdir -p "$site/content"
  cp -r "$root/seeds" "$root/themes" "$root/site.toml" "$site/"
  [ -d "$root/content/pages" ] && cp -r "$root/content/pages" "$site/content/"
  "$bin" --root "$site" --quiet ingest
fi
reports=$(find "$site/content/reports" -name '*.md' | wc -l)

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "== our build, $rounds rounds" >&2
search_ms="" wall_ms=""
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$site/public"
  start=$(now_ms)
  "$bin" --root "$site" --verbose build > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  wall_ms+="$(( $(now_ms) - start ))"$'\n'
  stage=$(awk '$1 == "search" && $NF == "ms" { print $2 }' "$work/build.log")
  [ -n "$stage" ] || { echo "no 'search' stage in findings build --verbose:" >&2; cat "$work/build.log" >&2; exit 1; }
  search_ms+="$stage"$'\n'
done
public="$site/public"
index_bytes=$(find "$public/search" -type f ! -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
script_bytes=$(stat -c %s "$public/static/search.js")

echo "== Pagefind, $rounds rounds" >&2
pf_ms="" pf_wall=""
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$public/_pagefind"
  start=$(now_ms)
  "$pagefind" --site "$public" --output-subdir _pagefind --glob 'reports/*/index.html' > "$work/pagefind.log" 2>&1 ||
    { cat "$work/pagefind.log" >&2; exit 1; }
  pf_wall+="$(( $(now_ms) - start ))"$'\n'
  pf_ms+="$(awk '/^Finished in/ { printf "%.0f\n", $3 * 1000 }' "$work/pagefind.log")"$'\n'
done
pf_folder=$(find "$public/_pagefind" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
# What a search through Pagefind's API needs: all but its optional UI bundles and styles.
pf_index=$(find "$public/_pagefind" -type f ! -name 'pagefind-*ui*' ! -name 'pagefind-highlight.js' -printf '%s\n' |
  awk '{ s += $1 } END { print s + 0 }')
pf_version=$("$pagefind" --version 2>/dev/null | awk '{ print $NF }')

cat > "$work/build.json" <<EOF
{"site": "$( [ -n "$corpus" ] && echo "corpus $corpus" || echo "${site_arg:-seeds}" )", "reports": $reports, "rounds": $rounds,
 "ours": {"search_ms": $(printf '%s' "$search_ms" | median), "build_wall_ms": $(printf '%s' "$wall_ms" | median),
          "index_bytes": $index_bytes, "script_bytes": $script_bytes},
 "pagefind": {"version": "$pf_version", "index_ms": $(printf '%s' "$pf_ms" | median), "wall_ms": $(printf '%s' "$pf_wall" | median),
              "index_bytes": $pf_index, "folder_bytes": $pf_folder}}
EOF

echo "== queries in Chromium" >&2
ranks=()
[ -n "$corpus" ] && ranks=(--no-ranks)
node "$here/bench.mjs" --public "$public" --queries "$here/queries.json" --build "$work/build.json" \
  --label "$label" --out "$here/results/$label.json" "${ranks[@]}"
