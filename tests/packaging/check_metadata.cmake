# SPDX-License-Identifier: Apache-2.0
# Checks the keys that desktops, software centres and dpkg rely on, with no tool but CMake.
# Run: cmake -DAPP_ID=... -DVERSION=... -DPACKAGING_DIR=... -DICON=... -P check_metadata.cmake
cmake_minimum_required(VERSION 3.25)
set(failures "")
function(fail message)
  set(failures "${failures}\n  ${message}" PARENT_SCOPE)
endfunction()

# .desktop: one [Desktop Entry] group, each key once (a repeated key is an error for desktops).
set(desktop ${PACKAGING_DIR}/${APP_ID}.desktop)
file(STRINGS ${desktop} lines ENCODING UTF-8)
list(GET lines 0 first_line)
if(NOT first_line STREQUAL "[Desktop Entry]")
  fail("${desktop}: the first line is not [Desktop Entry]")
endif()
set(seen_keys "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9-]+(\\[[A-Za-z_@]+\\])?)=(.*)$")
    set(key "${CMAKE_MATCH_1}")
    set(value "${CMAKE_MATCH_3}")
    if(key IN_LIST seen_keys)
      fail("${desktop}: the key ${key} is set twice")
    endif()
    list(APPEND seen_keys "${key}")
    string(MAKE_C_IDENTIFIER "desktop_${key}" var)
    set(${var} "${value}")
  elseif(NOT line MATCHES "^(#.*|\\[Desktop Entry\\])?$")
    fail("${desktop}: not a key=value line: ${line}")
  endif()
endforeach()
# The value of a key, as `desktop_<key>` with [ and ] made underscores.
macro(desktop_value key out)
  string(MAKE_C_IDENTIFIER "desktop_${key}" var)
  set(${out} "${${var}}")
endmacro()
foreach(key Name GenericName GenericName[ja] Comment Comment[ja])
  desktop_value(${key} value)
  if(value STREQUAL "")
    fail("${desktop}: ${key} is missing or empty")
  endif()
endforeach()
foreach(expected "Type=Application" "Exec=camlabel %F" "Icon=${APP_ID}")
  string(REGEX MATCH "^[^=]+" key "${expected}")
  desktop_value(${key} value)
  if(NOT "${key}=${value}" STREQUAL "${expected}")
    fail("${desktop}: ${key} is '${value}', not as in '${expected}'")
  endif()
endforeach()
desktop_value(Categories value)
if(NOT value STREQUAL "Science;MedicalSoftware;Qt;")
  fail("${desktop}: Categories is '${value}', not 'Science;MedicalSoftware;Qt;'")
endif()
# A Japanese reader must see Japanese, not a copy of the English text.
foreach(key GenericName Comment)
  desktop_value(${key} english)
  desktop_value(${key}[ja] japanese)
  if(japanese STREQUAL english)
    fail("${desktop}: ${key}[ja] repeats the English ${key}")
  endif()
endforeach()

# AppStream metainfo: the same id, the desktop file it launches, this version among the releases.
set(metainfo ${PACKAGING_DIR}/${APP_ID}.metainfo.xml)
file(READ ${metainfo} xml)
foreach(needle
    "<component type=\"desktop-application\">"
    "<id>${APP_ID}</id>"
    "<metadata_license>CC0-1.0</metadata_license>"
    "<launchable type=\"desktop-id\">${APP_ID}.desktop</launchable>"
    "<summary xml:lang=\"ja\">"
    "<binary>camlabel</binary>"
    "<binary>camlabel-cli</binary>"
    "<release version=\"${VERSION}\" date=\"")
  string(FIND "${xml}" "${needle}" at)
  if(at EQUAL -1)
    fail("${metainfo}: '${needle}' is missing (a new version needs a <release> entry)")
  endif()
endforeach()

# The Debian changelog's newest entry is this version (dpkg and lintian read it).
file(STRINGS ${PACKAGING_DIR}/changelog changelog_top LIMIT_COUNT 1)
string(FIND "${changelog_top}" "camlabel (${VERSION}) " at)
if(NOT at EQUAL 0)
  fail("${PACKAGING_DIR}/changelog: the newest entry is '${changelog_top}', not ${VERSION}")
endif()

foreach(file ${ICON} ${PACKAGING_DIR}/copyright ${PACKAGING_DIR}/man/camlabel.1.in
    ${PACKAGING_DIR}/man/camlabel-cli.1.in)
  if(NOT EXISTS ${file})
    fail("${file} is missing")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "packaging metadata:${failures}")
endif()
message(STATUS "packaging metadata: the .desktop file, metainfo and changelog agree on ${APP_ID} ${VERSION}")
