#!/usr/bin/env bash
# Refresh the Hebrew catalog from the code, then compile it.
#
#   scripts/messages.sh            # makemessages + compilemessages
#   scripts/messages.sh --check    # compile only; fail if a string is untranslated or fuzzy
#
# makemessages scans warden/ (Python and templates) and updates
# warden/locale/he/LC_MESSAGES/django.po: new strings arrive with an empty msgstr, changed
# ones are marked fuzzy, and strings that left the code are dropped (--no-obsolete).
# Translate what it reports, then run the script again: the compiled django.mo is committed
# so that a machine without GNU gettext still shows Hebrew.
#
# Only the "django" domain is made. The JavaScript (warden/static, warden/site/static) takes
# its words from data- attributes that the templates translate, and calls no gettext(); if
# that changes, add a djangojs run here (makemessages -d djangojs) and serve the catalog
# with JavaScriptCatalog.
#
# Needs GNU gettext (xgettext, msgmerge, msgfmt): apt-get install gettext.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WARDEN=${WARDEN:-$PWD/.venv/bin/warden}
PO=warden/locale/he/LC_MESSAGES/django.po

if [[ ${1:-} != --check ]]; then
    "$WARDEN" makemessages --locale=he --domain=django --no-obsolete \
        --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='docs/*' \
        --ignore='scripts/*' --ignore='*/tests/*'
fi

# Compile from inside warden/ so that the packages in .venv are not walked as well.
(cd warden && "$WARDEN" compilemessages --locale=he --verbosity=0)

# What is still to do: msgfmt's counts, and the script fails while anything is untranslated.
stats=$(msgfmt --check --statistics --output-file=/dev/null "$PO" 2>&1)
echo "$stats"
if [[ $stats == *untranslated* || $stats == *fuzzy* ]]; then
    echo "Translate the new or changed strings in $PO, then run this script again." >&2
    exit 1
fi
