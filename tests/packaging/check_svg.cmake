# SPDX-License-Identifier: Apache-2.0
# The icon is well-formed XML (xmllint, else Python's parser) and a self-contained square SVG
# that icon themes can scale: no raster images, no files or URLs it would have to fetch.
# Run: cmake -DICON=... [-DXMLLINT=...] [-DPYTHON3=...] -P check_svg.cmake
cmake_minimum_required(VERSION 3.25)

if(XMLLINT)
  execute_process(COMMAND ${XMLLINT} --noout ${ICON} RESULT_VARIABLE rc ERROR_VARIABLE err)
elseif(PYTHON3)
  execute_process(COMMAND ${PYTHON3} -c
      "import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])" ${ICON}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
else()
  message(FATAL_ERROR "neither xmllint nor python3 was found to parse ${ICON}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${ICON} is not well-formed XML:\n${err}")
endif()

file(READ ${ICON} svg)
set(failures "")
if(NOT svg MATCHES "<svg[^>]* xmlns=\"http://www.w3.org/2000/svg\"")
  string(APPEND failures "\n  the root is not an <svg> element in the SVG namespace")
endif()
if(svg MATCHES "<svg[^>]* viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"")
  if(NOT CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_2)
    string(APPEND failures "\n  the viewBox is ${CMAKE_MATCH_1}x${CMAKE_MATCH_2}, not square")
  endif()
else()
  string(APPEND failures "\n  the <svg> element has no viewBox=\"0 0 W H\"")
endif()
if(svg MATCHES "<image[ >]")
  string(APPEND failures "\n  it embeds a raster <image>")
endif()
if(svg MATCHES "href=\"[^#]" OR svg MATCHES "url\\([^#]")
  string(APPEND failures "\n  it refers to something outside the file")
endif()
if(failures)
  message(FATAL_ERROR "${ICON}:${failures}")
endif()
message(STATUS "${ICON}: a well-formed, self-contained, square SVG")
