# SPDX-License-Identifier: Apache-2.0
# Fails when a file under core/ includes a Qt header, when camlabel_core links a Qt target, or
# when the core-only test binary needs a Qt shared library.
file(GLOB_RECURSE sources "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp" "${CORE_DIR}/*.in")
set(offenders "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)")
  if(hits)
    list(APPEND offenders "${source}: ${hits}")
  endif()
endforeach()
if(offenders)
  string(REPLACE ";" "\n  " offenders "${offenders}")
  message(FATAL_ERROR "core/ must not include Qt:\n  ${offenders}")
endif()
list(LENGTH sources count)
if(count LESS 10)
  message(FATAL_ERROR "expected core sources under ${CORE_DIR}, found ${count}")
endif()

file(READ "${LINK_LIST}" libraries)
if(libraries MATCHES "Qt[0-9]*::|libQt")
  message(FATAL_ERROR "camlabel_core links Qt: ${libraries}")
endif()

# Direct dependencies only: Debian's libtorch_cpu itself pulls Qt 5 in through OpenCV's highgui,
# which is not camlabel's doing and not something core can avoid.
execute_process(COMMAND readelf -d "${CORE_TEST_BINARY}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT dynamic MATCHES "NEEDED")
  message(FATAL_ERROR "readelf -d ${CORE_TEST_BINARY} failed")
endif()
if(dynamic MATCHES "NEEDED[^\n]*libQt")
  message(FATAL_ERROR "the core test binary links Qt directly:\n${dynamic}")
endif()
message(STATUS "core: ${count} sources, no Qt include, no Qt library")
