#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fills camlabel_en.ts with English singular and plural forms of the texts that count (%n).

English is the source language, but a source text cannot say "1 image" and "3 images" at once:
it is written "%n image(s)", and Qt takes the forms from this plural-only translation.
Usage: /usr/lib/qt6/bin/lupdate -pluralonly -no-obsolete -source-language en -target-language en \
           -I . ui app/gui_main.cpp -ts resources/translations/camlabel_en.ts
       /usr/bin/python3 resources/translations/plurals_en.py
Each "word(s)" becomes "word" and "words"; any other text with %n must be listed in IRREGULAR.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

# Source -> (singular, plural), for counts that "(s)" does not spell.
IRREGULAR = {
    "%n CT series found: the ticked ones are retrieved.": (
        "%n CT series found: the ticked ones are retrieved.",
        "%n CT series found: the ticked ones are retrieved.",
    ),
}


def forms(source):
    if source in IRREGULAR:
        return IRREGULAR[source]
    if "(s)" not in source:
        raise SystemExit(f"plurals_en.py: no English forms for {source!r}: add it to IRREGULAR")
    return re.sub(r"\(s\)", "", source), re.sub(r"\(s\)", "s", source)


def main():
    path = pathlib.Path(__file__).with_name("camlabel_en.ts")
    tree = ET.parse(path)
    count = 0
    for message in tree.getroot().iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.find("source").text
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        translation.text = None
        for text in forms(source):
            ET.SubElement(translation, "numerusform").text = text
        count += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    print(f"{count} texts with English singular and plural forms")


if __name__ == "__main__":
    sys.exit(main())
