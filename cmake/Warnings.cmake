# Applied to the project's own targets only (not to third-party headers).
function(runnel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()

# Declares a module library: runnel_module(NAME deps... SOURCES files...).
function(runnel_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(runnel_${name} STATIC ${M_SOURCES})
  add_library(runnel::${name} ALIAS runnel_${name})
  target_include_directories(runnel_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(runnel_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  runnel_warnings(runnel_${name})
endfunction()
