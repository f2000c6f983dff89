# Helpers that keep each module's CMakeLists.txt to a few lines.

# -Wno-restrict: GCC 12 reports impossible std::string memcpy overlaps at -O3 (GCC PR 105329).
set(BARRAGE_WARNINGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wold-style-cast
    -Wno-sign-conversion)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND BARRAGE_WARNINGS -Wno-restrict)
endif()
if(BARRAGE_WERROR)
  list(APPEND BARRAGE_WARNINGS -Werror)
endif()
# Clang checks the lock annotations (base/mutex.h): touching a guarded member without its lock
# fails the build. The fuzz preset is the Clang build scripts/test.sh runs, and it compiles
# the ledger for this.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND BARRAGE_WARNINGS -Wthread-safety -Werror=thread-safety)
endif()

# barrage_add_library(NAME SOURCES ... DEPS ...): library barrage_NAME, alias barrage::NAME.
function(barrage_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(barrage_${name} STATIC ${ARG_SOURCES})
  add_library(barrage::${name} ALIAS barrage_${name})
  target_include_directories(barrage_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(barrage_${name} PRIVATE ${BARRAGE_WARNINGS})
  target_link_libraries(barrage_${name} PUBLIC ${ARG_DEPS})
endfunction()

# barrage_add_test(NAME SOURCES ... DEPS ... LABEL unit|integration [TIMEOUT s])
function(barrage_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${BARRAGE_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT})
endfunction()
