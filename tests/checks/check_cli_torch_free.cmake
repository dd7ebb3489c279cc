# SPDX-License-Identifier: Apache-2.0
# Fails when camlabel-cli needs LibTorch: the commands that run no model start without it (issue
# 14). camlabel_base is compiled without Torch's include paths and linked without it, so a Torch
# include or symbol in it fails the build; this checks what the program itself loads.
execute_process(COMMAND readelf -d "${CLI_BINARY}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT dynamic MATCHES "NEEDED")
  message(FATAL_ERROR "readelf -d ${CLI_BINARY} failed")
endif()
if(dynamic MATCHES "NEEDED[^\n]*(libtorch|libc10|libQt)")
  message(FATAL_ERROR "camlabel-cli loads LibTorch or Qt at start:\n${dynamic}")
endif()
execute_process(COMMAND readelf -d "${MODEL_BINARY}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT dynamic MATCHES "NEEDED[^\n]*libtorch")
  message(FATAL_ERROR "camlabel-cli-model does not load LibTorch: is the check looking at the "
                      "right programs?\n${dynamic}")
endif()
message(STATUS "camlabel-cli starts without LibTorch; camlabel-cli-model has it")
