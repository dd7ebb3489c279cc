# SPDX-License-Identifier: Apache-2.0
# Builds the .deb with CPack into WORK_DIR, then checks its control fields, its file list and
# that the packaged executables run. Needs neither root nor network.
# Run: cmake -DCPACK=... -DDPKG_DEB=... -DCONFIG=<build>/CPackConfig.cmake -DWORK_DIR=...
#            -DAPP_ID=... -DVERSION=... -DWITH_UI=ON|OFF -P check_deb.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${CPACK} -G DEB --config ${CONFIG} -B ${WORK_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
file(GLOB debs ${WORK_DIR}/*.deb)
list(LENGTH debs count)
if(NOT rc EQUAL 0 OR NOT count EQUAL 1)
  message(FATAL_ERROR "cpack -G DEB failed or made ${count} packages:\n${out}")
endif()

set(failures "")
function(fail message)
  set(failures "${failures}\n  ${message}" PARENT_SCOPE)
endfunction()

function(control_field field out)
  execute_process(COMMAND ${DPKG_DEB} --field ${debs} ${field}
    OUTPUT_VARIABLE value OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
foreach(expected "Package=camlabel" "Version=${VERSION}" "Section=science")
  string(REGEX MATCH "^[^=]+" field "${expected}")
  control_field(${field} value)
  if(NOT "${field}=${value}" STREQUAL "${expected}")
    fail("${field} is '${value}', not as in '${expected}'")
  endif()
endforeach()
control_field(Maintainer maintainer)
if(NOT maintainer MATCHES "^[^<]+ <[^>]+@[^>]+>$")
  fail("Maintainer '${maintainer}' is not 'Name <address>'")
endif()
control_field(Depends depends)
set(needed libtorch1.13 libopencv-core406 libdcmtk17 libstdc++6 libpq5)
if(WITH_UI)
  list(APPEND needed libqt6widgets6 qt6-qpa-plugins)
endif()
string(REGEX REPLACE " \\([^)]*\\)" "" depends_names "${depends}")
string(REPLACE ", " ";" depends_names "${depends_names}")
foreach(package IN LISTS needed)
  if(NOT package IN_LIST depends_names)
    fail("Depends lacks ${package}: ${depends}")
  endif()
endforeach()

execute_process(COMMAND ${DPKG_DEB} --contents ${debs}
  OUTPUT_VARIABLE listing COMMAND_ERROR_IS_FATAL ANY)
set(expected_files
  ./usr/bin/camlabel-cli
  ./usr/share/doc/camlabel/copyright
  ./usr/share/doc/camlabel/changelog.gz
  ./usr/share/doc/camlabel/README.md
  ./usr/share/man/man1/camlabel-cli.1.gz)
if(WITH_UI)
  list(APPEND expected_files
    ./usr/bin/camlabel
    ./usr/share/applications/${APP_ID}.desktop
    ./usr/share/metainfo/${APP_ID}.metainfo.xml
    ./usr/share/icons/hicolor/scalable/apps/${APP_ID}.svg
    ./usr/share/man/man1/camlabel.1.gz)
endif()
foreach(path IN LISTS expected_files)
  if(NOT listing MATCHES " ${path}\n")
    fail("the package lacks ${path}")
  endif()
endforeach()
# Everything under /usr, owned by root: nothing a user's files could collide with.
string(REGEX MATCHALL "[^\n]+\n" entries "${listing}")
foreach(entry IN LISTS entries)
  if(NOT entry MATCHES " root/root .* \\./usr/")
    string(STRIP "${entry}" entry)
    fail("unexpected entry: ${entry}")
  endif()
endforeach()

# The executables in the package start and report this version (--version needs no display).
execute_process(COMMAND ${DPKG_DEB} --extract ${debs} ${WORK_DIR}/root COMMAND_ERROR_IS_FATAL ANY)
set(programs camlabel-cli)
if(WITH_UI)
  list(APPEND programs camlabel)
endif()
foreach(program IN LISTS programs)
  execute_process(COMMAND ${WORK_DIR}/root/usr/bin/${program} --version
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${VERSION}$")
    fail("the packaged ${program} --version gave ${rc}: ${out}")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "${debs}:${failures}")
endif()
message(STATUS "${debs}: control fields, files and executables as expected")
