# SPDX-License-Identifier: Apache-2.0
# Makes a small demo project with camlabel-cli, renders the labelling window on it with
# `camlabel --network tiny --screenshot --screenshot-view compare` (the first prediction, then
# the before/after comparison, as the user guide's pictures), and checks that a PNG came out.
file(REMOVE_RECURSE ${DIR})
execute_process(COMMAND ${CLI} demo --per-class 2 --size 64 --model-size 64 ${DIR}/project
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "camlabel-cli demo failed (${rc})")
endif()
execute_process(COMMAND ${GUI} --network tiny --screenshot ${DIR}/shot.png --screenshot-view compare
                        ${DIR}/project
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "camlabel --screenshot failed (${rc}): ${err}")
endif()
file(READ ${DIR}/shot.png signature LIMIT 8 HEX)
if(NOT signature STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "${DIR}/shot.png is not a PNG (starts with ${signature})")
endif()
file(SIZE ${DIR}/shot.png bytes)
if(bytes LESS 10000)
  message(FATAL_ERROR "${DIR}/shot.png is only ${bytes} bytes: an empty window?")
endif()
