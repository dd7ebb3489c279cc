# SPDX-License-Identifier: Apache-2.0
# clang-format --dry-run -Werror over the project's own C++ files.
file(GLOB_RECURSE files
  "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
  "${SOURCE_DIR}/core/*.cpp" "${SOURCE_DIR}/core/*.h"
  "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h"
  "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h")
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror ${files}
  RESULT_VARIABLE rc ERROR_VARIABLE problems)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "these files are not clang-formatted (run clang-format -i):\n${problems}")
endif()
message(STATUS "${count} files formatted")
