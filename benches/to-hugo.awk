# Turns annotated report pages into Hugo content for the side-by-side benchmark: front matter
# reduced to title and date (copied as written, so they stay valid YAML), body without our
# `{: #anchor themes="…"}` attribute lines. Usage: awk -v out=DIR -f to-hugo.awk PAGE.md…
FNR == 1 {
    if (dest != "") close(dest)
    name = FILENAME
    sub(/.*\//, "", name)
    dest = out "/" name
    state = "start"
    title = ""
    date = ""
}
state == "start" && /^---$/ { state = "front"; next }
state == "front" && /^---$/ {
    state = "body"
    print "---" > dest
    print title > dest
    print date > dest
    print "---" > dest
    next
}
state == "front" {
    if ($0 ~ /^title: /) title = $0
    if ($0 ~ /^date: /) date = $0
    next
}
state == "body" && /^\{:/ { next }
state == "body" { print > dest }
